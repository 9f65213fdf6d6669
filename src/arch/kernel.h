/*
 * kernel.h -- what a tokenizer kernel is: the line records it writes, the
 * interface every kernel (scalar, SSE2, AVX2, AVX-512, NEON) implements, and
 * the descriptor each kernel's file exports for the table in dispatch.c.
 * SPDX-License-Identifier: MIT
 *
 * A kernel does the byte scanning and nothing else: it splits a buffer into
 * lines. What the lines mean is the assembler's job (assembler.c), which is
 * the same scalar code whichever kernel fed it. (No colon is looked for:
 * the four field names the standard acts on are recognised by a line's
 * first bytes, and every other field is ignored wherever its colon is.)
 * Kernels must agree with the scalar kernel record for record on every
 * input; tests/test_kernels.c and fuzz/ hold them to it.
 *
 * The SIMD kernels share one scanner, written once in generic/ and compiled
 * into each kernel's file with that kernel's flags; a kernel's file holds
 * only its instruction set's primitives and its descriptor (docs/kernels.md).
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

/*
 * An entry of the kernel table: what a kernel's file exports. `kernel` scans
 * lines of any length. `short_lines` is the same kernel tuned for streams of
 * short lines, about three line ends a 64-byte block or more (NULL: none,
 * use `kernel`): its scan returns the same records, but may also write
 * out[n, cap), since it records a block's first line ends without testing
 * how many there are.
 */
typedef struct sse_kernel_desc {
    const sse_kernel *kernel;
    const sse_kernel *short_lines;
} sse_kernel_desc;

/* The reference, on every platform (scalar.c). */
extern const sse_kernel simdsse__kernel_scalar;

#if defined(__GNUC__)
#  define SSE_KINLINE static inline __attribute__((always_inline))
#  define SSE_KUNLIKELY(x) __builtin_expect(!!(x), 0)
#  define SSE_KLIKELY(x) __builtin_expect(!!(x), 1)
#else
#  define SSE_KINLINE static inline
#  define SSE_KUNLIKELY(x) (x)
#  define SSE_KLIKELY(x) (x)
#endif

/* Whoever uses a kernel first chooses one. */
#include "dispatch.h"

#endif /* SIMDSSE_ARCH_KERNEL_H */
