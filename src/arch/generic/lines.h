/*
 * lines.h -- line records from a 64-byte block's CR and LF masks: the part
 * of every SIMD kernel that is scalar and the same for every instruction
 * set. Static inline, compiled into each kernel's file with its flags
 * (tzcnt and blsr where BMI is there).
 * SPDX-License-Identifier: MIT
 *
 * Line ends are walked with count-trailing-zeros and clear-lowest-bit, as
 * simdjson walks its structural characters. (Recording the first two ends
 * of each block without branches, simdjson-style, measured slower on Zen 4:
 * the branchy loop predicts well enough, and the selects lengthen the
 * dependency chain through `start`.) Most blocks of real streams hold no
 * line end at all: the block loop (scan.h) tests for any first and, for
 * such a block, only clears cr_carry, without building the masks.
 */
#ifndef SIMDSSE_ARCH_GENERIC_LINES_H
#define SIMDSSE_ARCH_GENERIC_LINES_H

#include "../kernel.h"

#if defined(__BMI__) && (defined(__x86_64__) || defined(__i386__))
#  include <immintrin.h>
/* Trailing zeros, 64 for 0. */
static inline size_t sse_tz64(uint64_t x) { return (size_t)_tzcnt_u64(x); }
#else
static inline size_t sse_tz64(uint64_t x) { return x ? (size_t)__builtin_ctzll(x) : 64u; }
#endif

/* A line this long (bytes scanned since its start) is probably longer
 * still: kernels then skip blocks without a line end in a tight loop. */
#define SSE_LONG_LINE 256

typedef struct sse_scan {
    sse_line *out;
    size_t n, cap;
    size_t start;      /* where the line being scanned starts */
    uint64_t cr_carry; /* 1 when the previous block ended with CR */
    int dense;         /* lines are short: the short_lines variant (kernel.h) */
} sse_scan;

SSE_KINLINE void sse_scan_init(sse_scan *s, sse_line *out, size_t cap, int dense) {
    s->out = out;
    s->n = 0;
    s->cap = cap;
    s->start = 0;
    s->cr_carry = 0;
    s->dense = dense;
}

/*
 * Records the lines that end in the block at offset `base`, given its CR
 * and LF masks (bytes past the buffer's end must be 0 in both). Returns
 * nonzero when the record array is full.
 */
SSE_KINLINE int sse_scan_block(sse_scan *s, size_t base, uint64_t cr, uint64_t lf) {
    /* "a CRLF pair, a single LF not preceded by CR, and a single CR not
     *  followed by LF" end a line: every CR ends one, and an LF does unless
     *  a CR is right before it (then it only extends that line end). */
    uint64_t crlf = lf & (cr << 1 | s->cr_carry);
    uint64_t ends = (cr | lf) & ~crlf;
    uint64_t lf_next = crlf >> 1; /* bit e: byte e + 1 is the LF of a CRLF */
    s->cr_carry = cr >> 63;
    /* The line after a CR that ended the previous block starts past its LF
     * (the start was set to this block's first byte). */
    size_t start = s->start + (size_t)(crlf & 1);
    size_t n = s->n;
    sse_line *out = s->out;
#ifndef SSE_SCAN_UNROLL
#  define SSE_SCAN_UNROLL 4
#endif
    if (SSE_SCAN_UNROLL && s->dense && SSE_KLIKELY(s->cap - n >= 64)) {
        /* Room for a whole block: write the first SSE_SCAN_UNROLL records
         * unconditionally (slots past the last end get garbage, which the
         * count does not cover), so short lines with a random number of
         * ends per block cost no loop-exit misprediction. */
        uint64_t m = ends;
        size_t st = start;
        for (int k = 0; k < SSE_SCAN_UNROLL; k++) {
            unsigned e = sse_tz64(m) & 63;
            size_t end = base + e;
            out[n].start = (uint32_t)st;
            out[n].end = (uint32_t)end;
            n += m != 0;
            st = end + 1 + (size_t)(lf_next >> e & 1);
            m &= m - 1;
        }
        while (SSE_KUNLIKELY(m)) {
            unsigned e = sse_tz64(m);
            size_t end = base + e;
            out[n].start = (uint32_t)st;
            out[n].end = (uint32_t)end;
            n++;
            st = end + 1 + (size_t)(lf_next >> e & 1);
            m &= m - 1;
        }
        /* The next line starts after the block's last end. */
        unsigned last = 63u - (unsigned)__builtin_clzll(ends | 1);
        size_t after = base + last + 1 + (size_t)(lf_next >> last & 1);
        s->n = n;
        s->start = ends ? after : start;
        return 0;
    }
    while (ends) {
        if (n == s->cap) break;
        unsigned e = sse_tz64(ends);
        size_t end = base + e;
        /* Two plain stores: one packed 64-bit store measured slower. */
        out[n].start = (uint32_t)start;
        out[n].end = (uint32_t)end;
        n++;
        start = end + 1 + (size_t)(lf_next >> e & 1);
        ends &= ends - 1;
    }
    s->n = n;
    s->start = start;
    return n == s->cap;
}

/* The scan's result: the record count, and in *next where the first line
 * not recorded starts. */
SSE_KINLINE size_t sse_scan_done(const sse_scan *s, const char *buf, size_t len, size_t *next) {
    size_t start = s->start;
    /* Stopped by `cap` right after a CR that ended a block: the block that
     * would have said whether an LF follows was not classified. */
    if (s->n == s->cap && start < len && buf[start] == '\n' && buf[start - 1] == '\r') start++;
    *next = start;
    return s->n;
}

#endif /* SIMDSSE_ARCH_GENERIC_LINES_H */
