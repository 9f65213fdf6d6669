/*
 * avx2.c -- the AVX2 kernel: two 32-byte compares per 64-byte block, with
 * BMI1/BMI2 for walking the masks. Compiled with -mavx2 -mbmi -mbmi2 (see
 * sources.cmake) and run only when the CPU and OS have them (cpu.c).
 * SPDX-License-Identifier: MIT
 */
#include <immintrin.h>
#include <string.h>

#include "kernel.h"

static inline uint64_t eq_mask(__m256i lo, __m256i hi, __m256i x) {
    uint64_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, x));
    uint64_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, x));
    return a | b << 32;
}

/* Masks of CR and LF over the 64 bytes at p, shifted right by `shift`. */
SSE_KINLINE void classify(const char *p, unsigned shift, uint64_t *cr, uint64_t *lf) {
    __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    *cr = eq_mask(lo, hi, _mm256_set1_epi8('\r')) >> shift;
    *lf = eq_mask(lo, hi, _mm256_set1_epi8('\n')) >> shift;
}

/* Nonzero when the 64 bytes at p hold a CR or LF. */
SSE_KINLINE int any_eol(const char *p) {
    const __m256i cr = _mm256_set1_epi8('\r'), lf = _mm256_set1_epi8('\n');
    __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    __m256i m = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(lo, lf)),
                                _mm256_or_si256(_mm256_cmpeq_epi8(hi, cr), _mm256_cmpeq_epi8(hi, lf)));
    return !_mm256_testz_si256(m, m);
}

SSE_KINLINE size_t avx2_scan_any(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next,
                               int dense) {
    sse_scan s;
    sse_scan_init(&s, out, cap, dense);
    size_t i = 0;
    uint64_t cr, lf;
    const __m256i vcr = _mm256_set1_epi8('\r'), vlf = _mm256_set1_epi8('\n');
    for (; i + 64 <= len; i += 64) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(buf + i));
        __m256i hi = _mm256_loadu_si256((const __m256i *)(buf + i + 32));
        __m256i crlo = _mm256_cmpeq_epi8(lo, vcr), crhi = _mm256_cmpeq_epi8(hi, vcr);
        __m256i lflo = _mm256_cmpeq_epi8(lo, vlf), lfhi = _mm256_cmpeq_epi8(hi, vlf);
        __m256i any = _mm256_or_si256(_mm256_or_si256(crlo, lflo), _mm256_or_si256(crhi, lfhi));
        if (_mm256_testz_si256(any, any)) {
            /* Most blocks hold no line end: then only the CR carry changes.
             * Deep in a long line, skip such blocks in a tight loop. */
            s.cr_carry = 0;
            if (SSE_KUNLIKELY(s.start + SSE_LONG_LINE <= i))
                while (i + 128 <= len && !any_eol(buf + i + 64)) i += 64;
            continue;
        }
        cr = (uint32_t)_mm256_movemask_epi8(crlo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(crhi) << 32;
        lf = (uint32_t)_mm256_movemask_epi8(lflo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(lfhi) << 32;
        if (sse_scan_block(&s, i, cr, lf)) return sse_scan_done(&s, buf, len, next);
    }
    SSE_SCAN_TAIL(classify, &s, buf, len, i);
    return sse_scan_done(&s, buf, len, next);
}

static size_t avx2_scan(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return avx2_scan_any(buf, len, out, cap, next, 0);
}

static size_t avx2_scan_short(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return avx2_scan_any(buf, len, out, cap, next, 1);
}

static inline uint32_t eol32(const char *p) {
    __m256i v = _mm256_loadu_si256((const __m256i *)p);
    __m256i m = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')),
                                _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')));
    return (uint32_t)_mm256_movemask_epi8(m);
}

static inline uint32_t eol16(const char *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    return (uint32_t)_mm_movemask_epi8(m);
}

static size_t avx2_find_eol(const char *buf, size_t len) {
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint64_t m = eol32(buf + i) | (uint64_t)eol32(buf + i + 32) << 32;
        if (m) return i + _tzcnt_u64(m);
    }
    if (i == len) return len;
    /* The rest, with loads that end at the buffer's end (overlapping bytes
     * already checked). */
    uint64_t m;
    if (len >= 64) {
        m = eol32(buf + len - 64) | (uint64_t)eol32(buf + len - 32) << 32;
        m >>= 64 - (len - i);
    } else if (len >= 32) { /* i == 0 */
        m = eol32(buf) | (uint64_t)eol32(buf + len - 32) << (len - 32);
    } else if (len >= 16) {
        m = eol16(buf) | (uint64_t)eol16(buf + len - 16) << (len - 16);
    } else {
        goto bytes;
    }
    return m ? i + _tzcnt_u64(m) : len;
bytes:
    for (; i < len; i++)
        if (buf[i] == '\r' || buf[i] == '\n') return i;
    return len;
}

const sse_kernel simdsse__kernel_avx2 = {
    .name = "avx2",
    .required = SSE_CPU_AVX2 | SSE_CPU_BMI1 | SSE_CPU_BMI2,
    .scan = avx2_scan,
    .find_eol = avx2_find_eol,
};

/* The same, for streams of short lines (kernel.h). */
const sse_kernel simdsse__kernel_avx2_short = {
    .name = "avx2",
    .required = SSE_CPU_AVX2 | SSE_CPU_BMI1 | SSE_CPU_BMI2,
    .scan = avx2_scan_short,
    .find_eol = avx2_find_eol,
};
