/*
 * neon.c -- the NEON (AdvSIMD) kernel: four 16-byte compares per mask per
 * 64-byte block, folded into a 64-bit mask with pairwise adds. Native on
 * AArch64. On x86-64 it is built through simde (SIMDe translates each NEON
 * intrinsic to SSE), only so that the tests can hold the NEON code to the
 * scalar reference on machines without an ARM CPU: there it is a
 * verification kernel, never the default, and its speed means nothing.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#if defined(SIMDSSE_NEON_SIMDE)
#  define SIMDE_ENABLE_NATIVE_ALIASES
#  include <simde/arm/neon.h>
#else
#  include <arm_neon.h>
#endif

#include "kernel.h"

/* Bit i%8 in byte i: AND with a compare result, then three rounds of
 * pairwise adds gather 64 compare bytes into 64 bits, in byte order. */
static inline uint64_t to_mask(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d) {
    static const uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    const uint8x16_t w = vld1q_u8(weights);
    uint8x16_t ab = vpaddq_u8(vandq_u8(a, w), vandq_u8(b, w));
    uint8x16_t cd = vpaddq_u8(vandq_u8(c, w), vandq_u8(d, w));
    uint8x16_t abcd = vpaddq_u8(ab, cd);
    abcd = vpaddq_u8(abcd, abcd);
    return vgetq_lane_u64(vreinterpretq_u64_u8(abcd), 0);
}

static inline uint64_t eq_mask(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d,
                               uint8_t x) {
    const uint8x16_t v = vdupq_n_u8(x);
    return to_mask(vceqq_u8(a, v), vceqq_u8(b, v), vceqq_u8(c, v), vceqq_u8(d, v));
}

/* Masks of CR and LF over the 64 bytes at p, shifted right by `shift`. */
SSE_KINLINE void classify(const char *p, unsigned shift, uint64_t *cr, uint64_t *lf) {
    const uint8_t *u = (const uint8_t *)p;
    uint8x16_t a = vld1q_u8(u), b = vld1q_u8(u + 16), c = vld1q_u8(u + 32), d = vld1q_u8(u + 48);
    *cr = eq_mask(a, b, c, d, '\r') >> shift;
    *lf = eq_mask(a, b, c, d, '\n') >> shift;
}

/* Nonzero when the 64 bytes at p hold a CR or LF. */
SSE_KINLINE int any_eol(const char *p) {
    const uint8x16_t cr = vdupq_n_u8('\r'), lf = vdupq_n_u8('\n');
    uint8x16_t m = vdupq_n_u8(0);
    for (int k = 0; k < 64; k += 16) {
        uint8x16_t v = vld1q_u8((const uint8_t *)p + k);
        m = vorrq_u8(m, vorrq_u8(vceqq_u8(v, cr), vceqq_u8(v, lf)));
    }
    return vmaxvq_u8(m) != 0;
}

SSE_KINLINE size_t neon_scan_any(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next,
                               int dense) {
    sse_scan s;
    sse_scan_init(&s, out, cap, dense);
    size_t i = 0;
    uint64_t cr, lf;
    const uint8x16_t vcr = vdupq_n_u8('\r'), vlf = vdupq_n_u8('\n');
    for (; i + 64 <= len; i += 64) {
        const uint8_t *u = (const uint8_t *)buf + i;
        uint8x16_t a = vld1q_u8(u), b = vld1q_u8(u + 16), c = vld1q_u8(u + 32), d = vld1q_u8(u + 48);
        uint8x16_t ca = vceqq_u8(a, vcr), cb = vceqq_u8(b, vcr), cc = vceqq_u8(c, vcr),
                   cd = vceqq_u8(d, vcr);
        uint8x16_t la = vceqq_u8(a, vlf), lb = vceqq_u8(b, vlf), lc = vceqq_u8(c, vlf),
                   ld = vceqq_u8(d, vlf);
        uint8x16_t any = vorrq_u8(vorrq_u8(vorrq_u8(ca, la), vorrq_u8(cb, lb)),
                                  vorrq_u8(vorrq_u8(cc, lc), vorrq_u8(cd, ld)));
        if (!vmaxvq_u8(any)) {
            /* Most blocks hold no line end: then only the CR carry changes.
             * Deep in a long line, skip such blocks in a tight loop. */
            s.cr_carry = 0;
            if (SSE_KUNLIKELY(s.start + SSE_LONG_LINE <= i))
                while (i + 128 <= len && !any_eol(buf + i + 64)) i += 64;
            continue;
        }
        cr = to_mask(ca, cb, cc, cd);
        lf = to_mask(la, lb, lc, ld);
        if (sse_scan_block(&s, i, cr, lf)) return sse_scan_done(&s, buf, len, next);
    }
    SSE_SCAN_TAIL(classify, &s, buf, len, i);
    return sse_scan_done(&s, buf, len, next);
}

static size_t neon_scan(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return neon_scan_any(buf, len, out, cap, next, 0);
}

static size_t neon_scan_short(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    return neon_scan_any(buf, len, out, cap, next, 1);
}

/* Nonzero when any of the 16 bytes is CR or LF. */
static inline uint8x16_t eol16(const char *p) {
    uint8x16_t v = vld1q_u8((const uint8_t *)p);
    return vorrq_u8(vceqq_u8(v, vdupq_n_u8('\r')), vceqq_u8(v, vdupq_n_u8('\n')));
}

/* Four bits per byte (all set for a 0xFF byte) of a compare result. */
static inline uint64_t nibbles(uint8x16_t m) {
    return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0);
}

static size_t neon_find_eol(const char *buf, size_t len) {
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint8x16_t a = eol16(buf + i), b = eol16(buf + i + 16);
        uint8x16_t c = eol16(buf + i + 32), d = eol16(buf + i + 48);
        /* A cheap any-set test first; the exact position only on a hit. */
        if (vmaxvq_u8(vorrq_u8(vorrq_u8(a, b), vorrq_u8(c, d))))
            return i + sse_tz64(to_mask(a, b, c, d));
    }
    if (i == len) return len;
    if (len >= 64) { /* the last 64 bytes, overlapping those already checked */
        const char *p = buf + len - 64;
        uint64_t m = to_mask(eol16(p), eol16(p + 16), eol16(p + 32), eol16(p + 48));
        m >>= 64 - (len - i);
        return m ? i + sse_tz64(m) : len;
    }
    if (len >= 16) { /* 16 bytes at a time, the last step overlapping */
        for (;; i += 16) {
            size_t at = i + 16 <= len ? i : len - 16;
            uint64_t m = nibbles(eol16(buf + at)) >> (4 * (i - at));
            if (m) return i + sse_tz64(m) / 4;
            if (at + 16 == len) return len;
        }
    }
    for (; i < len; i++)
        if (buf[i] == '\r' || buf[i] == '\n') return i;
    return len;
}

#if defined(SIMDSSE_NEON_SIMDE)
#  define NEON_REQUIRED SSE_CPU_SSE2 /* simde's translation to x86-64 baseline */
#else
#  define NEON_REQUIRED SSE_CPU_NEON
#endif

const sse_kernel simdsse__kernel_neon = {
    .name = "neon",
    .required = NEON_REQUIRED,
    .scan = neon_scan,
    .find_eol = neon_find_eol,
};

/* The same, for streams of short lines (kernel.h). */
const sse_kernel simdsse__kernel_neon_short = {
    .name = "neon",
    .required = NEON_REQUIRED,
    .scan = neon_scan_short,
    .find_eol = neon_find_eol,
};
