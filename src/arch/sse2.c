/*
 * sse2.c -- the x86-64 baseline kernel: 16-byte SSE2 compares, four per
 * 64-byte block. Compiled with no extra -m flags, so it runs on every
 * x86-64 CPU (no BMI: trailing zeros fall back to bsf).
 * SPDX-License-Identifier: MIT
 */
#include <emmintrin.h>

#include "kernel.h"

typedef struct simd_block {
    __m128i cr[4], lf[4];
} simd_block;

SSE_KINLINE simd_block simd_classify(const char *buf, size_t i) {
    const __m128i vcr = _mm_set1_epi8('\r'), vlf = _mm_set1_epi8('\n');
    simd_block b;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + i + 16 * k));
        b.cr[k] = _mm_cmpeq_epi8(v, vcr);
        b.lf[k] = _mm_cmpeq_epi8(v, vlf);
    }
    return b;
}

SSE_KINLINE int simd_any(simd_block b) {
    __m128i any = _mm_or_si128(b.cr[0], b.lf[0]);
    for (int k = 1; k < 4; k++) any = _mm_or_si128(any, _mm_or_si128(b.cr[k], b.lf[k]));
    return _mm_movemask_epi8(any);
}

SSE_KINLINE void simd_masks(simd_block b, uint64_t *cr, uint64_t *lf) {
    *cr = *lf = 0;
    for (int k = 0; k < 4; k++) {
        *cr |= (uint64_t)(uint32_t)_mm_movemask_epi8(b.cr[k]) << (16 * k);
        *lf |= (uint64_t)(uint32_t)_mm_movemask_epi8(b.lf[k]) << (16 * k);
    }
}

SSE_KINLINE uint64_t simd_eol(simd_block b) {
    uint64_t m = 0;
    for (int k = 0; k < 4; k++)
        m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(b.cr[k], b.lf[k])) << (16 * k);
    return m;
}

SSE_KINLINE uint64_t simd_eol16(const char *buf, size_t i) {
    __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
    return (uint32_t)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
}

#define SIMD_VECTOR_BYTES 16
#include "generic/scan.h"

SSE_KERNEL_DESC(sse2, SSE_CPU_SSE2);
