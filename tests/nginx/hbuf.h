/*
 * hbuf.h -- growable bytes for the module's tests.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_TEST_NGINX_HBUF_H
#define SIMDSSE_TEST_NGINX_HBUF_H

#include <stddef.h>

/* Always NUL-terminated once written to (the NUL is not counted). */
typedef struct hbuf {
    char *ptr;
    size_t len, cap;
} hbuf;

void hbuf_add(hbuf *b, const void *p, size_t n);
void hbuf_set(hbuf *b, const void *p, size_t n);
void hbuf_str(hbuf *b, const char *s);
void hbuf_printf(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hbuf_free(hbuf *b);

#endif
