/*
 * kernel.h -- the interface every tokenizer kernel (scalar, SSE2, AVX2,
 * AVX-512, NEON) implements, and the table that chooses among them.
 * SPDX-License-Identifier: MIT
 *
 * A kernel does the byte scanning and nothing else: it splits a buffer into
 * lines and finds each line's first colon. What the lines mean is the
 * assembler's job (assembler.c), which is the same scalar code whichever
 * kernel fed it. Kernels must agree with the scalar kernel record for record
 * on every input; tests/test_kernels.c and fuzz/ hold them to it.
 */
#ifndef SIMDSSE_ARCH_KERNEL_H
#define SIMDSSE_ARCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "simdsse.h"
#include "cpu.h"

/* One complete line, as offsets into the scanned buffer. */
typedef struct sse_line {
    uint32_t start; /* first byte of the line */
    uint32_t colon; /* first ':' in [start, end), or `end` when there is none */
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
 * A SIMD kernel classifies each 64-byte block into three 64-bit masks, bit
 * i for byte i: CR, LF and ':'. Everything after that is scalar and the
 * same for every instruction set, so it lives here, inlined into each
 * kernel (and compiled with that kernel's flags: tzcnt and blsr when BMI is
 * there). Line ends are walked with count-trailing-zeros and clear-lowest-
 * bit; a line's first colon is the lowest colon bit at or after its start,
 * kept across blocks for lines longer than a block.
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
#else
#  define SSE_KINLINE static inline
#endif

#define SSE_NO_COLON SIZE_MAX

typedef struct sse_scan {
    sse_line *out;
    size_t n, cap;
    size_t start;      /* where the line being scanned starts */
    size_t colon;      /* its first ':' if an earlier block had one, else SSE_NO_COLON */
    uint64_t cr_carry; /* 1 when the previous block ended with CR */
} sse_scan;

SSE_KINLINE void sse_scan_init(sse_scan *s, sse_line *out, size_t cap) {
    s->out = out;
    s->n = 0;
    s->cap = cap;
    s->start = 0;
    s->colon = SSE_NO_COLON;
    s->cr_carry = 0;
}

/*
 * Records the lines that end in the block at offset `base`. Bytes past the
 * buffer's end must be 0 in every mask. Returns nonzero when the record
 * array is full. At entry the current line starts at or before base + 1
 * (base + 1: after the LF of a CRLF split by the block boundary), so every
 * colon bit of the block is at or after it.
 */
SSE_KINLINE int sse_scan_block(sse_scan *s, size_t base, uint64_t cr, uint64_t lf,
                               uint64_t colon) {
    /* "a CRLF pair, a single LF not preceded by CR, and a single CR not
     *  followed by LF" end a line: every CR ends one, and an LF does unless
     *  a CR is right before it (then it only extends that line end). */
    uint64_t crlf = lf & (cr << 1 | s->cr_carry);
    uint64_t ends = (cr | lf) & ~crlf;
    s->cr_carry = cr >> 63;
    s->start += crlf & 1; /* the line after a block-ending CR starts past its LF */
    while (ends) {
        unsigned e = sse_tz64(ends);
        ends &= ends - 1;
        size_t end = base + e;
        size_t c = base + sse_tz64(colon); /* base + 64 when none: past `end` */
        if (s->colon < c) c = s->colon;
        if (c > end) c = end;
        sse_line *r = &s->out[s->n];
        r->start = (uint32_t)s->start;
        r->colon = (uint32_t)c;
        r->end = (uint32_t)end;
        s->colon = SSE_NO_COLON;
        colon &= ~(uint64_t)1 << e; /* colons of this line and before */
        s->start = end + 1 + (size_t)((crlf >> e) >> 1 & 1);
        if (++s->n == s->cap) return 1;
    }
    if (colon && s->colon == SSE_NO_COLON) s->colon = base + sse_tz64(colon);
    return 0;
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

#endif /* SIMDSSE_ARCH_KERNEL_H */
