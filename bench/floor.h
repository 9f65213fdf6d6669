/*
 * floor.h -- the floor of the kernels' design, per instruction set: the
 * least any scanner that classifies 64-byte blocks into CR and LF masks
 * does (issue 12), so that a parse figure can also be read as a fraction
 * of it, measured on the same bytes in the same run.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_BENCH_FLOOR_H
#define SIMDSSE_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Offsets are stored into a ring of this many entries, as a kernel stores
 * records into the parser's batch: written, never read back. */
#define FLOOR_RING 1024

/* Walks buf[0, len) (len a multiple of 64) block by block: the CR mask and
 * the LF mask; a block with neither is skipped after one test; otherwise
 * every CR and every LF is walked with tzcnt/blsr and its offset stored in
 * ring[]. (A CRLF counts twice: pairing them is the kernels' work, not the
 * floor's.) Returns how many offsets were stored. */
typedef uint64_t (*floor_fn)(const char *buf, size_t len, uint32_t *ring);

/* The floor of the kernel named `kernel` ("sse2", "avx2", "avx512" on
 * x86-64, "neon" on AArch64), or NULL when this build has none for it.
 * Whether this CPU runs it is the kernel's question: it needs what the
 * kernel of that name needs (simdsse_kernel_supported). */
floor_fn floor_for(const char *kernel);

#ifdef __cplusplus
}
#endif

#endif
