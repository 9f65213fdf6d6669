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

/* MARK: - Allocation */

extern const simdsse_allocator simdsse__default_allocator;

/* A growable byte buffer. Capacity never exceeds the limit it is grown
 * against, so memory stays bounded by the configured limits. */
typedef struct sse_buf {
    char *ptr;
    size_t len;
    size_t cap;
} sse_buf;

/* Makes room for `need` bytes in total; growth doubles but is clamped to
 * `limit` (need <= limit is the caller's check). False if out of memory. */
bool simdsse__buf_reserve(const simdsse_allocator *a, sse_buf *b, size_t need, size_t limit);
void simdsse__buf_free(const simdsse_allocator *a, sse_buf *b);

SSE_INLINE bool sse_buf_set(const simdsse_allocator *a, sse_buf *b, const char *src, size_t len,
                            size_t limit) {
    if (len > b->cap && !simdsse__buf_reserve(a, b, len, limit)) return false;
    if (len) memcpy(b->ptr, src, len);
    b->len = len;
    return true;
}

/* MARK: - Validator */

/* Makes v read every byte with the reference reader, the byte loop the fast
 * reader is held to (validator.c), until it is reset: for benchmarks and
 * tests. */
void simdsse__validator_use_reference(simdsse_validator *v);

#endif /* SIMDSSE_INTERNAL_H */
