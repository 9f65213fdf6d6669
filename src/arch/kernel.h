/*
 * kernel.h -- the interface every tokenizer kernel (scalar, SSE2, AVX2,
 * AVX-512, NEON) implements, and the table that chooses among them.
 * SPDX-License-Identifier: MIT
 *
 * A kernel does the byte scanning and nothing else: it splits a buffer into
 * lines. What the lines mean is the assembler's job (assembler.c), which is
 * the same scalar code whichever kernel fed it. (No colon is looked for:
 * the four field names the standard acts on are recognised by a line's
 * first bytes, and every other field is ignored wherever its colon is.)
 * Kernels must agree with the scalar kernel record for record on every
 * input; tests/test_kernels.c and fuzz/ hold them to it.
 */
#ifndef SIMDSSE_ARCH_KERNEL_H
#define SIMDSSE_ARCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "simdsse.h"
#include "cpu.h"

/* One complete line, as offsets into the scanned buffer. */
typedef struct sse_line {
    uint32_t start; /* first byte of the line */
    uint32_t end;   /* the line's terminator: a CR or an LF */
} sse_line;

/* Kernels see at most this many bytes per call, so offsets fit uint32_t. */
#define SSE_SCAN_MAX ((size_t)1 << 30)

typedef struct sse_kernel {
    const char *name;
    /* CPU features the kernel needs (SSE_CPU_* bits, cpu.h); 0 for none. */
    uint32_t required;
    /*
     * Splits buf[0, len) (len <= SSE_SCAN_MAX), which begins at a line start,
     * into lines. Line ends are CRLF, a lone LF, or a lone CR (the standard's
     * "Parsing an event stream"). Writes one record per complete line, at
     * most `cap` (>= 1), and returns how many it wrote. *next receives the
     * offset where the first line not recorded starts: len when the buffer
     * ends with a line end; otherwise buf[*next, len) holds no CR or LF
     * unless the kernel stopped because it wrote `cap` records. A CR that
     * is the buffer's last byte ends its line (*next = len); whether an LF
     * follows in the next chunk is the caller's business.
     * Reads no byte outside buf[0, len).
     */
    size_t (*scan)(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next);
    /* Offset of the first CR or LF in buf[0, len), or len if none. */
    size_t (*find_eol)(const char *buf, size_t len);
} sse_kernel;

extern const sse_kernel simdsse__kernel_scalar;
extern const sse_kernel simdsse__kernel_sse2;   /* x86-64 builds */
extern const sse_kernel simdsse__kernel_avx2;   /* x86-64 builds */
extern const sse_kernel simdsse__kernel_avx512; /* x86-64 builds */
extern const sse_kernel simdsse__kernel_neon;   /* AArch64, or x86 through simde */

/* The variant of kernel k tuned for streams of short lines, about three
 * line ends a 64-byte block or more (k itself if it has none). Its scan
 * returns the same records as k's, but may also write out[n, cap): it
 * records a block's first line ends without testing how many there are. */
const sse_kernel *simdsse__kernel_short(const sse_kernel *k);
extern const sse_kernel simdsse__kernel_sse2_short;
extern const sse_kernel simdsse__kernel_avx2_short;
extern const sse_kernel simdsse__kernel_avx512_short;
extern const sse_kernel simdsse__kernel_neon_short;

/* Looks a kernel up by name; checks that this CPU can run it. */
const sse_kernel *simdsse__kernel_lookup(const char *name, simdsse_status *status);
/* The kernel to use when none is named: $SIMDSSE_KERNEL, else the best.
 * NULL with the reason in *status when $SIMDSSE_KERNEL names no kernel this
 * CPU runs. The variable is read once per process. */
const sse_kernel *simdsse__kernel_default(simdsse_status *status);
/* The best kernel this CPU runs, ignoring $SIMDSSE_KERNEL. */
const sse_kernel *simdsse__kernel_best(void);
/* The index-th kernel compiled in, best first, whether or not this CPU runs
 * it; NULL past the end. */
const sse_kernel *simdsse__kernel_at(size_t index);

/* MARK: - Line splitting from bitmasks, shared by the SIMD kernels
 *
 * A SIMD kernel classifies each 64-byte block into two 64-bit masks, bit i
 * for byte i: CR and LF. Everything after that is scalar and the same for
 * every instruction set, so it lives here, inlined into each kernel (and
 * compiled with that kernel's flags: tzcnt and blsr when BMI is there).
 *
 * Line ends are walked with count-trailing-zeros and clear-lowest-bit, as
 * simdjson walks its structural characters. (Recording the first two ends
 * of each block without branches, simdjson-style, measured slower on Zen 4:
 * the branchy loop predicts well enough, and the selects lengthen the
 * dependency chain through `start`.) Most blocks of real streams hold no
 * line end at all: kernels test the OR of both compares first and, for
 * such a block, only clear cr_carry, without building the masks.
 */

#if defined(__BMI__) && (defined(__x86_64__) || defined(__i386__))
#  include <immintrin.h>
/* Trailing zeros, 64 for 0. */
static inline unsigned sse_tz64(uint64_t x) { return (unsigned)_tzcnt_u64(x); }
#else
static inline unsigned sse_tz64(uint64_t x) { return x ? (unsigned)__builtin_ctzll(x) : 64u; }
#endif

#if defined(__GNUC__)
#  define SSE_KINLINE static inline __attribute__((always_inline))
#  define SSE_KUNLIKELY(x) __builtin_expect(!!(x), 0)
#  define SSE_KLIKELY(x) __builtin_expect(!!(x), 1)
#else
#  define SSE_KLIKELY(x) (x)
#  define SSE_KINLINE static inline
#  define SSE_KUNLIKELY(x) (x)
#endif

/* A line this long (bytes scanned since its start) is probably longer
 * still: kernels then skip blocks without a line end in a tight loop. */
#define SSE_LONG_LINE 256

typedef struct sse_scan {
    sse_line *out;
    size_t n, cap;
    size_t start;      /* where the line being scanned starts */
    uint64_t cr_carry; /* 1 when the previous block ended with CR */
    int dense;         /* lines are short: see simdsse__kernel_short */
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

/* The last, partial block of a kernel that classifies 64 bytes at a time
 * with classify(p, shift, &cr, &lf) (masks of the 64 bytes at p, shifted
 * right by `shift`): bytes [i, len) are still to scan. A macro, so each
 * kernel's own classify is inlined with that kernel's flags. */
#define SSE_SCAN_TAIL(classify, s, buf, len, i)                                  \
    do {                                                                         \
        if ((i) < (len)) {                                                       \
            uint64_t tail_cr_, tail_lf_;                                         \
            if ((len) >= 64) {                                                   \
                /* The last block ends at the buffer's end and overlaps the     \
                 * one before it; the shift drops the bytes already scanned. */ \
                classify((buf) + (len) - 64, (unsigned)(64 - ((len) - (i))),    \
                         &tail_cr_, &tail_lf_);                                  \
            } else {                                                             \
                /* Too short to load whole blocks: a zero-padded copy (zero     \
                 * bytes are neither CR nor LF). */                              \
                char tail_pad_[64] = {0};                                        \
                memcpy(tail_pad_, (buf), (len));                                 \
                classify(tail_pad_, 0, &tail_cr_, &tail_lf_);                    \
            }                                                                    \
            sse_scan_block((s), (i), tail_cr_, tail_lf_);                        \
        }                                                                        \
    } while (0)

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

#endif /* SIMDSSE_ARCH_KERNEL_H */
