/*
 * avx2.c -- the AVX2 kernel: two 32-byte compares per mask per 64-byte
 * block, with BMI1/BMI2 for walking the masks. Compiled with -mavx2 -mbmi
 * -mbmi2 (see sources.cmake) and run only when the CPU and OS have them
 * (cpu.c).
 * SPDX-License-Identifier: MIT
 */
#include <immintrin.h>

#include "kernel.h"

typedef struct simd_block {
    __m256i crlo, crhi, lflo, lfhi;
} simd_block;

SSE_KINLINE simd_block simd_classify(const char *buf, size_t i) {
    const __m256i vcr = _mm256_set1_epi8('\r'), vlf = _mm256_set1_epi8('\n');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(buf + i));
    __m256i hi = _mm256_loadu_si256((const __m256i *)(buf + i + 32));
    simd_block b = {_mm256_cmpeq_epi8(lo, vcr), _mm256_cmpeq_epi8(hi, vcr),
                    _mm256_cmpeq_epi8(lo, vlf), _mm256_cmpeq_epi8(hi, vlf)};
    return b;
}

SSE_KINLINE int simd_any(simd_block b) {
    __m256i any = _mm256_or_si256(_mm256_or_si256(b.crlo, b.lflo), _mm256_or_si256(b.crhi, b.lfhi));
    return !_mm256_testz_si256(any, any);
}

SSE_KINLINE void simd_masks(simd_block b, uint64_t *cr, uint64_t *lf) {
    *cr = (uint32_t)_mm256_movemask_epi8(b.crlo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(b.crhi) << 32;
    *lf = (uint32_t)_mm256_movemask_epi8(b.lflo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(b.lfhi) << 32;
}

SSE_KINLINE uint64_t simd_eol(simd_block b) {
    return (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(b.crlo, b.lflo)) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(b.crhi, b.lfhi)) << 32;
}

SSE_KINLINE uint64_t simd_eol16(const char *buf, size_t i) {
    __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
    return (uint32_t)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
}

#include "generic/scan.h"

SSE_KERNEL_DESC(avx2, SSE_CPU_AVX2 | SSE_CPU_BMI1 | SSE_CPU_BMI2);
