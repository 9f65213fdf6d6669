/*
 * util.c -- the clock, the allocator and growable options, for the client.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

uint64_t simdsse__client_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void *simdsse__client_alloc(const simdsse_allocator *a, size_t size) {
    void *p = a->malloc(a->ctx, size);
    if (p) memset(p, 0, size);
    return p;
}

void simdsse__client_free(const simdsse_allocator *a, void *ptr, size_t size) {
    if (ptr) a->free(a->ctx, ptr, size);
}

void *simdsse__client_realloc(const simdsse_allocator *a, void *ptr, size_t old_size,
                              size_t new_size) {
    /* A caller's allocator need not take NULL: the first block is a malloc. */
    return ptr ? a->realloc(a->ctx, ptr, old_size, new_size) : a->malloc(a->ctx, new_size);
}

/* "Growable structs" of simdsse.h: read the first `size` bytes the caller
 * declared; refuse less than the first layout, and any non-zero byte past
 * ours (an option this library does not have). */
simdsse_status simdsse__client_read_options(void *dst, size_t size, const void *src) {
    size_t given;
    memcpy(&given, src, sizeof given);
    if (given < size) return SIMDSSE_ERR_INVALID_ARGUMENT;
    for (size_t i = size; i < given; i++)
        if (((const unsigned char *)src)[i] != 0) return SIMDSSE_ERR_INVALID_ARGUMENT;
    memcpy(dst, src, size);
    return SIMDSSE_OK;
}
