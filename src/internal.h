/*
 * internal.h -- types and helpers shared by the library's translation units.
 * SPDX-License-Identifier: MIT
 *
 * Nothing here is exported: extern symbols carry the `simdsse__` prefix so a
 * static link cannot clash with a caller's names, and the shared library is
 * built with hidden visibility so only SIMDSSE_API symbols leave it.
 */
#ifndef SIMDSSE_INTERNAL_H
#define SIMDSSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "simdsse.h"

#if defined(__GNUC__)
#  define SSE_LIKELY(x) __builtin_expect(!!(x), 1)
#  define SSE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#  define SSE_INLINE static inline __attribute__((always_inline))
#else
#  define SSE_LIKELY(x) (x)
#  define SSE_UNLIKELY(x) (x)
#  define SSE_INLINE static inline
#endif

/* MARK: - Growable structs (options.c)
 *
 * The end of a struct's first layout, 0.2.0's: a size below it is refused.
 * Named by its last 0.2.0 field, so the figure stays put when fields are
 * added after it. */
#define SSE_FIRST_SIZE(T, last) (offsetof(T, last) + sizeof(((T *)0)->last))

/* Overwrites the defaults in dst (`known` bytes, the library's layout) with
 * the fields of the caller's struct src that its size covers. */
simdsse_status simdsse__struct_load(void *dst, size_t known, const void *src, size_t first);
/* Writes src (`known` bytes) into the caller's struct dst, as far as its
 * size covers; the size field itself is left alone. */
simdsse_status simdsse__struct_store(void *dst, const void *src, size_t known, size_t first);

/* MARK: - Allocation */

/* The allocator as objects keep it: without the caller's size field. */
typedef struct sse_alloc {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} sse_alloc;

extern const sse_alloc simdsse__default_alloc;

/* The caller's allocator (NULL: the default) into *out; INVALID_ARGUMENT
 * for one with a function missing or a size we cannot read. */
simdsse_status simdsse__alloc_load(const simdsse_allocator *a, sse_alloc *out);

/* The end of a create: an object built on the stack (its allocator being
 * one of the options) is copied into a block from that allocator. NULL,
 * and the status in *status, if st is an error or memory runs out. */
void *simdsse__place(const sse_alloc *a, const void *built, size_t size, simdsse_status st,
                     simdsse_status *status);

/* Heap bytes: ptr[0, cap), NULL when cap is 0. Capacity never exceeds the
 * limit it is grown against, so memory stays bounded by the limits. */
typedef struct sse_store {
    char *ptr;
    size_t cap;
} sse_store;

/* A store with a length, for buffers whose length is not kept elsewhere. */
typedef struct sse_buf {
    char *ptr;
    size_t len;
    size_t cap;
} sse_buf;

/* Makes room for `need` bytes in total in *ptr (capacity *cap); growth
 * doubles but is clamped to `limit` (need <= limit is the caller's check).
 * False if out of memory, the old bytes kept. */
bool simdsse__reserve(const sse_alloc *a, char **ptr, size_t *cap, size_t need, size_t limit);
/* Frees *ptr and sets it to NULL and *cap to 0. */
void simdsse__release(const sse_alloc *a, char **ptr, size_t *cap);

SSE_INLINE bool sse_buf_reserve(const sse_alloc *a, sse_buf *b, size_t need, size_t limit) {
    return need <= b->cap || simdsse__reserve(a, &b->ptr, &b->cap, need, limit);
}
SSE_INLINE void sse_buf_free(const sse_alloc *a, sse_buf *b) {
    simdsse__release(a, &b->ptr, &b->cap);
    b->len = 0;
}
SSE_INLINE bool sse_store_reserve(const sse_alloc *a, sse_store *s, size_t need, size_t limit) {
    return need <= s->cap || simdsse__reserve(a, &s->ptr, &s->cap, need, limit);
}
SSE_INLINE void sse_store_free(const sse_alloc *a, sse_store *s) {
    simdsse__release(a, &s->ptr, &s->cap);
}
/* Copies src[0, len) into the store. */
SSE_INLINE bool sse_store_set(const sse_alloc *a, sse_store *s, const char *src, size_t len,
                              size_t limit) {
    if (!sse_store_reserve(a, s, len, limit)) return false;
    if (len) memcpy(s->ptr, src, len);
    return true;
}

#endif /* SIMDSSE_INTERNAL_H */
