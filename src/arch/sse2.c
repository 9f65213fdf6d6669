/*
 * sse2.c -- the x86-64 baseline kernel: 16-byte SSE2 compares, four per
 * 64-byte block. Compiled with no extra -m flags, so it runs on every
 * x86-64 CPU (no BMI: trailing zeros fall back to bsf).
 * SPDX-License-Identifier: MIT
 */
#include <emmintrin.h>
#include <string.h>

#include "kernel.h"

static inline uint64_t eq_mask(__m128i a, __m128i b, __m128i c, __m128i d, __m128i x) {
    uint64_t m0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, x));
    uint64_t m1 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, x));
    uint64_t m2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, x));
    uint64_t m3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, x));
    return m0 | m1 << 16 | m2 << 32 | m3 << 48;
}

/* Masks of CR and LF over the 64 bytes at p, shifted right by `shift`. */
SSE_KINLINE void classify(const char *p, unsigned shift, uint64_t *cr, uint64_t *lf) {
    __m128i a = _mm_loadu_si128((const __m128i *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    *cr = eq_mask(a, b, c, d, _mm_set1_epi8('\r')) >> shift;
    *lf = eq_mask(a, b, c, d, _mm_set1_epi8('\n')) >> shift;
}

/* Nonzero when the 64 bytes at p hold a CR or LF. */
SSE_KINLINE int any_eol(const char *p) {
    const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    __m128i m = _mm_setzero_si128();
    for (int k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
    }
    return _mm_movemask_epi8(m);
}

SSE_KINLINE size_t sse2_scan_any(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next,
                               int dense) {
    sse_scan s;
    sse_scan_init(&s, out, cap, dense);
    size_t i = 0;
    uint64_t cr, lf;
    const __m128i vcr = _mm_set1_epi8('\r'), vlf = _mm_set1_epi8('\n');
    for (; i + 64 <= len; i += 64) {
        __m128i c[4], l[4], any = _mm_setzero_si128();
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(buf + i + 16 * k));
            c[k] = _mm_cmpeq_epi8(v, vcr);
            l[k] = _mm_cmpeq_epi8(v, vlf);
            any = _mm_or_si128(any, _mm_or_si128(c[k], l[k]));
        }
        if (!_mm_movemask_epi8(any)) {
            /* Most blocks hold no line end: then only the CR carry changes.
             * Deep in a long line, skip such blocks in a tight loop. */
            s.cr_carry = 0;
            if (SSE_KUNLIKELY(s.start + SSE_LONG_LINE <= i))
                while (i + 128 <= len && !any_eol(buf + i + 64)) i += 64;
            continue;
        }
        cr = lf = 0;
        for (int k = 0; k < 4; k++) {
            cr |= (uint64_t)(uint32_t)_mm_movemask_epi8(c[k]) << (16 * k);
            lf |= (uint64_t)(uint32_t)_mm_movemask_epi8(l[k]) << (16 * k);
        }
        if (sse_scan_block(&s, i, cr, lf)) return sse_scan_done(&s, buf, len, next);
    }
    SSE_SCAN_TAIL(classify, &s, buf, len, i);
    return sse_scan_done(&s, buf, len, next);
}

static size_t sse2_scan(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return sse2_scan_any(buf, len, out, cap, next, 0);
}

static size_t sse2_scan_short(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return sse2_scan_any(buf, len, out, cap, next, 1);
}

static size_t sse2_find_eol(const char *buf, size_t len) {
    const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        if (m) return i + (unsigned)__builtin_ctz(m);
    }
    if (i == len) return len;
    if (len >= 16) {
        /* The last 16 bytes, overlapping those already checked. */
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + len - 16));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        m >>= 16 - (len - i);
        return m ? i + (unsigned)__builtin_ctz(m) : len;
    }
    for (; i < len; i++)
        if (buf[i] == '\r' || buf[i] == '\n') return i;
    return len;
}

const sse_kernel simdsse__kernel_sse2 = {
    .name = "sse2",
    .required = SSE_CPU_SSE2,
    .scan = sse2_scan,
    .find_eol = sse2_find_eol,
};

/* The same, for streams of short lines (kernel.h). */
const sse_kernel simdsse__kernel_sse2_short = {
    .name = "sse2",
    .required = SSE_CPU_SSE2,
    .scan = sse2_scan_short,
    .find_eol = sse2_find_eol,
};
