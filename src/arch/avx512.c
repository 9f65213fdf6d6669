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

SSE_KINLINE int block(sse_scan *s, __m512i v, size_t base) {
    return sse_scan_block(s, base, _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')),
                          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')),
                          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':')));
}

/* The first n (< 64) bytes at p; the bytes past them read as 0 and are
 * never accessed (masked loads do not fault on masked-off bytes). */
static inline __m512i load_tail(const char *p, size_t n) {
    return _mm512_maskz_loadu_epi8(_bzhi_u64(~0ull, (unsigned)n), p);
}

static size_t avx512_scan(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    sse_scan s;
    sse_scan_init(&s, out, cap);
    size_t i = 0;
    for (; i + 64 <= len; i += 64)
        if (block(&s, _mm512_loadu_si512(buf + i), i)) return sse_scan_done(&s, buf, len, next);
    if (i < len) block(&s, load_tail(buf + i, len - i), i);
    return sse_scan_done(&s, buf, len, next);
}

static inline uint64_t eol_mask(__m512i v) {
    return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) |
           _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
}

static size_t avx512_find_eol(const char *buf, size_t len) {
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint64_t m = eol_mask(_mm512_loadu_si512(buf + i));
        if (m) return i + _tzcnt_u64(m);
    }
    if (i == len) return len;
    uint64_t m = eol_mask(load_tail(buf + i, len - i));
    return m ? i + _tzcnt_u64(m) : len;
}

const sse_kernel simdsse__kernel_avx512 = {
    .name = "avx512",
    .required = SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL | SSE_CPU_BMI1 |
                SSE_CPU_BMI2,
    .scan = avx512_scan,
    .find_eol = avx512_find_eol,
};
