/*
 * options.c -- the caller's growable structs (options, allocator, counts):
 * read or written only as far as their `size` says.
 * SPDX-License-Identifier: MIT
 *
 * The scheme is the one include/simdsse.h describes under "Growable
 * structs", libdeflate's sizeof_options with Linux's copy_struct_from_user
 * rule for callers newer than the library: a struct larger than the one we
 * know is accepted only when every byte we do not know is zero, so an
 * option we cannot honour is refused rather than ignored.
 */
#include "internal.h"

static size_t caller_size(const void *s) {
    size_t size;
    memcpy(&size, s, sizeof size);
    return size;
}

simdsse_status simdsse__struct_load(void *dst, size_t known, const void *src, size_t first) {
    size_t size = caller_size(src);
    if (size < first) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (size > known) {
        const unsigned char *tail = (const unsigned char *)src + known;
        for (size_t i = 0; i < size - known; i++)
            if (tail[i]) return SIMDSSE_ERR_INVALID_ARGUMENT;
        size = known;
    }
    /* dst holds the defaults; the caller's fields replace those it has. */
    memcpy((char *)dst + sizeof size, (const char *)src + sizeof size, size - sizeof size);
    return SIMDSSE_OK;
}

simdsse_status simdsse__struct_store(void *dst, const void *src, size_t known, size_t first) {
    size_t size = caller_size(dst);
    if (size < first) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (size > known) size = known; /* fields we do not know stay as init set them */
    memcpy((char *)dst + sizeof size, (const char *)src + sizeof size, size - sizeof size);
    return SIMDSSE_OK;
}

void *simdsse__place(const sse_alloc *a, const void *built, size_t size, simdsse_status st,
                     simdsse_status *status) {
    void *obj = NULL;
    if (st == SIMDSSE_OK) {
        obj = a->malloc(a->ctx, size);
        if (obj)
            memcpy(obj, built, size);
        else
            st = SIMDSSE_ERR_NO_MEMORY;
    }
    if (status) *status = st;
    return obj;
}

simdsse_status simdsse__alloc_load(const simdsse_allocator *a, sse_alloc *out) {
    *out = simdsse__default_alloc;
    if (!a) return SIMDSSE_OK;
    simdsse_allocator full;
    simdsse_allocator_init(&full);
    simdsse_status st =
        simdsse__struct_load(&full, sizeof full, a, SSE_FIRST_SIZE(simdsse_allocator, ctx));
    if (st != SIMDSSE_OK) return st;
    if (!full.malloc || !full.realloc || !full.free) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out->malloc = full.malloc;
    out->realloc = full.realloc;
    out->free = full.free;
    out->ctx = full.ctx;
    return SIMDSSE_OK;
}
