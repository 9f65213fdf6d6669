/*
 * buffer.c -- growable byte buffers on the caller's allocator.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include "internal.h"

static void *std_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}
static void *std_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size) {
    (void)ctx, (void)old_size;
    return realloc(ptr, new_size);
}
static void std_free(void *ctx, void *ptr, size_t size) {
    (void)ctx, (void)size;
    free(ptr);
}

const sse_alloc simdsse__default_alloc = {std_malloc, std_realloc, std_free, NULL};

bool simdsse__reserve(const sse_alloc *a, char **ptr, size_t *cap, size_t need, size_t limit) {
    if (need <= *cap) return true;
    /* Small buffers grow to what is needed, rounded up to malloc's 16-byte
     * granule: one that holds a cut line is then not up to twice its size
     * (nor 63 bytes over), memory that each of a gateway's parsers keeps
     * (issue 12). From 1 KiB on they double, to keep appends amortised
     * O(1). Never past the limit the buffer is checked against: that is
     * what bounds a parser's memory. */
    size_t n = *cap;
    if (n < 1024)
        n = need > SIZE_MAX - 15 ? need : (need + 15) & ~(size_t)15;
    else
        while (n < need) n = n > SIZE_MAX / 2 ? need : n * 2;
    if (n > limit && limit >= need) n = limit;
    char *p = *ptr ? a->realloc(a->ctx, *ptr, *cap, n) : a->malloc(a->ctx, n);
    if (!p) return false;
    *ptr = p;
    *cap = n;
    return true;
}

void simdsse__release(const sse_alloc *a, char **ptr, size_t *cap) {
    if (*ptr) a->free(a->ctx, *ptr, *cap);
    *ptr = NULL;
    *cap = 0;
}
