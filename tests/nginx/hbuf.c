/*
 * hbuf.c -- growable bytes for the module's tests (see hbuf.h).
 * SPDX-License-Identifier: MIT
 */
#include "hbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hbuf_add(hbuf *b, const void *p, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *q = realloc(b->ptr, cap);
        if (!q) abort();
        b->ptr = q;
        b->cap = cap;
    }
    if (n) memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void hbuf_set(hbuf *b, const void *p, size_t n) {
    b->len = 0;
    hbuf_add(b, p, n);
}

void hbuf_str(hbuf *b, const char *s) { hbuf_add(b, s, strlen(s)); }

void hbuf_printf(hbuf *b, const char *fmt, ...) {
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) abort();
    if ((size_t)n < sizeof tmp) {
        hbuf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    hbuf_add(b, big, (size_t)n);
    free(big);
}

void hbuf_free(hbuf *b) {
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
