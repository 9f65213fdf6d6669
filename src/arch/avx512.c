/*
 * avx512.c -- the AVX-512 kernel: one 64-byte compare per mask per block,
 * straight into mask registers, and masked loads for the buffer's tail, so
 * no byte outside it is touched. Compiled with -mavx512f -mavx512bw
 * -mavx512vl -mbmi -mbmi2 (sources.cmake); run only when the CPU has them
 * and the OS saves the ZMM and opmask state (cpu.c).
 * SPDX-License-Identifier: MIT
 */
#include <immintrin.h>

#include "kernel.h"

typedef struct simd_block {
    __mmask64 cr, lf;
} simd_block;

SSE_KINLINE simd_block simd_compare(__m512i v) {
    simd_block b = {_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')),
                    _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'))};
    return b;
}

SSE_KINLINE simd_block simd_classify(const char *buf, size_t i) {
    return simd_compare(_mm512_loadu_si512(buf + i));
}

/* Masked-off bytes read as 0 and are never accessed (no fault). */
#define SIMD_PARTIAL_LOADS 1
SSE_KINLINE simd_block simd_classify_head(const char *buf, size_t i, size_t n) {
    return simd_compare(_mm512_maskz_loadu_epi8(_bzhi_u64(~0ull, (unsigned)n), buf + i));
}

SSE_KINLINE int simd_any(simd_block b) { return !_kortestz_mask64_u8(b.cr, b.lf); }

SSE_KINLINE void simd_masks(simd_block b, uint64_t *cr, uint64_t *lf) {
    uint64_t c = _cvtmask64_u64(b.cr), l = _cvtmask64_u64(b.lf);
    /* Do the mask arithmetic in general registers: left to itself the
     * compiler uses korq and extra kmovs, measured 20-30% slower. */
    __asm__("" : "+r"(c), "+r"(l));
    *cr = c;
    *lf = l;
}

SSE_KINLINE uint64_t simd_eol(simd_block b) { return _cvtmask64_u64(_kor_mask64(b.cr, b.lf)); }

#include "generic/scan.h"

SSE_KERNEL_DESC(avx512, SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL | SSE_CPU_BMI1 |
                            SSE_CPU_BMI2);
