/*
 * dispatch.h -- the choice among the kernels compiled in (dispatch.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_ARCH_DISPATCH_H
#define SIMDSSE_ARCH_DISPATCH_H

#include <stddef.h>

#include "simdsse.h"

struct sse_kernel;

/* Looks a kernel up by name; checks that this CPU can run it. */
const struct sse_kernel *simdsse__kernel_lookup(const char *name, simdsse_status *status);
/* The kernel to use when none is named: $SIMDSSE_KERNEL, else the best.
 * NULL with the reason in *status when $SIMDSSE_KERNEL names no kernel this
 * CPU runs. The variable is read once per process. */
const struct sse_kernel *simdsse__kernel_default(simdsse_status *status);
/* The best kernel this CPU runs, ignoring $SIMDSSE_KERNEL. */
const struct sse_kernel *simdsse__kernel_best(void);
/* The index-th kernel compiled in, best first, whether or not this CPU runs
 * it; NULL past the end. */
const struct sse_kernel *simdsse__kernel_at(size_t index);
/* Kernel k's variant for short lines (its descriptor's short_lines), or k
 * itself when it has none. */
const struct sse_kernel *simdsse__kernel_short(const struct sse_kernel *k);

#endif /* SIMDSSE_ARCH_DISPATCH_H */
