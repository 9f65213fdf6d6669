/*
 * text.h -- runs of printable ASCII: the first byte below 0x20 or above
 * 0x7F, found with the baseline vector unit (SSE2 on x86-64, NEON on
 * AArch64: no dispatch needed) or eight bytes at a time (SWAR) elsewhere.
 * For the validator, which skips such runs in values and comments.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_ARCH_TEXT_H
#define SIMDSSE_ARCH_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__x86_64__)
#  include <emmintrin.h>
#  define SSE_TEXT_SSE2 1
#elif defined(__aarch64__) && defined(__ARM_NEON)
#  include <arm_neon.h>
#  define SSE_TEXT_NEON 1
#endif

/* High bit set in each byte of x (any byte order) that is below 0x20 or
 * above 0x7F. Exact per byte: no carry crosses a byte (each sum is at most
 * 0x7F + 0x60). */
static inline uint64_t sse_text_special8(uint64_t x) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
    return (~((x & low7) + 0x6060606060606060ull) | x) & high;
}

/* The index of the first flagged byte of a sse_text_special8() mask, m != 0. */
static inline size_t sse_text_first8(uint64_t m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(m) >> 3;
#else
    return (size_t)__builtin_ctzll(m) >> 3;
#endif
}

/* The first byte of s[i, end) below 0x20 or above 0x7F, or end. */
static inline size_t sse_printable_run(const unsigned char *s, size_t i, size_t end) {
#if defined(SSE_TEXT_SSE2)
    /* Signed compare: 0x80..0xFF are negative, so below 0x20 too. */
    const __m128i limit = _mm_set1_epi8(0x20);
    for (; i + 16 <= end; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, limit));
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#elif defined(SSE_TEXT_NEON)
    const int8x16_t limit = vdupq_n_s8(0x20);
    for (; i + 16 <= end; i += 16) {
        uint8x16_t m = vcltq_s8(vreinterpretq_s8_u8(vld1q_u8(s + i)), limit);
        /* Four bits a byte: the narrowing shift stands in for movemask. */
        uint64_t bits = vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0);
        if (bits) return i + ((size_t)__builtin_ctzll(bits) >> 2);
    }
#endif
    for (; i + 8 <= end; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t m = sse_text_special8(x);
        if (m) return i + sse_text_first8(m);
    }
    while (i < end && s[i] >= 0x20 && s[i] < 0x80) i++;
    return i;
}

#endif /* SIMDSSE_ARCH_TEXT_H */
