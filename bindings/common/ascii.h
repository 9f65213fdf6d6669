/*
 * ascii.h -- how many bytes of a value are ASCII: both bindings ask it of
 * every value, to hand it to their one-byte string path when all are.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_BINDINGS_ASCII_H
#define SIMDSSE_BINDINGS_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* On every value's path: a call costs a few percent of a short value. */
#if defined(__GNUC__)
#define SSE_ASCII_INLINE inline __attribute__((always_inline))
#else
#define SSE_ASCII_INLINE inline
#endif

/* Bytes of s[0, n) before the first non-ASCII one. */
static SSE_ASCII_INLINE size_t sse_ascii_prefix(const unsigned char *s, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    if (n >= 16) {
        for (; i + 32 <= n; i += 32) {
            __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
            if (_mm_movemask_epi8(_mm_or_si128(a, b))) break;
        }
        for (; i + 16 <= n; i += 16) {
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(s + i)));
            if (m) return i + (size_t)__builtin_ctz(m);
        }
        if (i == n) return n;
        /* The last n - i bytes, as the end of the block ending at n (whose
         * first bytes were found ASCII). */
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(s + n - 16)));
        return m ? n - 16 + (size_t)__builtin_ctz(m) : n;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u) break;
    }
    while (i < n && s[i] < 0x80) i++;
    return i;
}

#endif /* SIMDSSE_BINDINGS_ASCII_H */
