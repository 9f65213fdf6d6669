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

const simdsse_allocator simdsse__default_allocator = {std_malloc, std_realloc, std_free, NULL};

bool simdsse__buf_reserve(const simdsse_allocator *a, sse_buf *b, size_t need, size_t limit) {
    if (need <= b->cap) return true;
    /* Double to keep appends amortised O(1), but never past the limit the
     * buffer is checked against: that is what bounds a parser's memory. */
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > limit && limit >= need) cap = limit;
    char *p = b->ptr ? a->realloc(a->ctx, b->ptr, b->cap, cap) : a->malloc(a->ctx, cap);
    if (!p) return false;
    b->ptr = p;
    b->cap = cap;
    return true;
}

void simdsse__buf_free(const simdsse_allocator *a, sse_buf *b) {
    if (b->ptr) a->free(a->ctx, b->ptr, b->cap);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}
