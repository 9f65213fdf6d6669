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

/* Looks a kernel up by name; checks that this CPU can run it. */
const sse_kernel *simdsse__kernel_lookup(const char *name, simdsse_status *status);
/* The kernel to use when none is named: $SIMDSSE_KERNEL, else the best. */
const sse_kernel *simdsse__kernel_default(simdsse_status *status);

#endif /* SIMDSSE_ARCH_KERNEL_H */
