/*
 * dispatch.c -- the kernel table and the choice among its entries.
 * SPDX-License-Identifier: MIT
 *
 * Which kernels are compiled in is decided by sources.cmake, which defines
 * SIMDSSE_HAVE_<KERNEL> for this file. Which one runs is decided once per
 * process: the CPU features are cached by cpu.c, $SIMDSSE_KERNEL here.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* The kernel table, best first; the scalar kernel, always present, last.
 * An entry is the descriptor a kernel's file exports (src/arch/NAME.c, its
 * short-line variant included), listed when sources.cmake compiles that file.
 * On x86-64 the NEON kernel (through simde) comes after SSE2, which every
 * x86-64 CPU runs, so it is never chosen unless named. */
extern const sse_kernel_desc simdsse__desc_avx512, simdsse__desc_avx2, simdsse__desc_sse2,
    simdsse__desc_neon;
static const sse_kernel_desc scalar = {&simdsse__kernel_scalar, NULL};

static const sse_kernel_desc *const kernels[] = {
#if defined(SIMDSSE_HAVE_AVX512)
    &simdsse__desc_avx512,
#endif
#if defined(SIMDSSE_HAVE_AVX2)
    &simdsse__desc_avx2,
#endif
#if defined(SIMDSSE_HAVE_SSE2)
    &simdsse__desc_sse2,
#endif
#if defined(SIMDSSE_HAVE_NEON)
    &simdsse__desc_neon,
#endif
    &scalar,
};
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

const sse_kernel *simdsse__kernel_short(const sse_kernel *k) {
    for (size_t i = 0; i < N_KERNELS; i++)
        if (kernels[i]->kernel == k && kernels[i]->short_lines) return kernels[i]->short_lines;
    return k;
}

static const char *const known_names[] = {"avx512", "avx2", "sse2", "neon", "scalar"};

static int runs_here(const sse_kernel *k) {
    return (simdsse__cpu_features() & k->required) == k->required;
}

const sse_kernel *simdsse__kernel_at(size_t index) {
    return index < N_KERNELS ? kernels[index]->kernel : NULL;
}

const char *simdsse_kernel_name_at(size_t index) {
    return index < N_KERNELS ? kernels[index]->kernel->name : NULL;
}

const sse_kernel *simdsse__kernel_lookup(const char *name, simdsse_status *status) {
    for (size_t i = 0; i < N_KERNELS; i++) {
        if (strcmp(kernels[i]->kernel->name, name) == 0) {
            if (!runs_here(kernels[i]->kernel)) break;
            *status = SIMDSSE_OK;
            return kernels[i]->kernel;
        }
    }
    /* A kernel of another architecture, or one this CPU lacks, exists: it
     * is unsupported here, not unknown. */
    *status = SIMDSSE_ERR_UNKNOWN_KERNEL;
    for (size_t i = 0; i < sizeof known_names / sizeof known_names[0]; i++)
        if (strcmp(known_names[i], name) == 0) *status = SIMDSSE_ERR_KERNEL_UNSUPPORTED;
    return NULL;
}

const sse_kernel *simdsse__kernel_best(void) {
    for (size_t i = 0; i < N_KERNELS; i++)
        if (runs_here(kernels[i]->kernel)) return kernels[i]->kernel;
    return &simdsse__kernel_scalar; /* not reached: scalar requires nothing */
}

/* $SIMDSSE_KERNEL, read once: 0 not yet read, 1 unset or empty, 2 + i the
 * i-th kernel, a negative status when it names no kernel this CPU runs.
 * Racing first calls compute the same value; any store wins. */
static _Atomic int env_choice;

static int read_env(void) {
    const char *env = getenv("SIMDSSE_KERNEL");
    if (!env || !*env) return 1;
    simdsse_status st;
    const sse_kernel *k = simdsse__kernel_lookup(env, &st);
    if (!k) return (int)st;
    for (size_t i = 0; i < N_KERNELS; i++)
        if (kernels[i]->kernel == k) return 2 + (int)i;
    return (int)SIMDSSE_ERR_UNKNOWN_KERNEL; /* not reached */
}

const sse_kernel *simdsse__kernel_default(simdsse_status *status) {
    int c = atomic_load_explicit(&env_choice, memory_order_relaxed);
    if (SSE_KUNLIKELY(c == 0)) {
        c = read_env();
        atomic_store_explicit(&env_choice, c, memory_order_relaxed);
    }
    if (c < 0) {
        *status = (simdsse_status)c;
        return NULL;
    }
    *status = SIMDSSE_OK;
    return c == 1 ? simdsse__kernel_best() : kernels[c - 2]->kernel;
}

simdsse_status simdsse_kernel_supported(const char *name) {
    simdsse_status st;
    if (!name) return SIMDSSE_ERR_INVALID_ARGUMENT;
    simdsse__kernel_lookup(name, &st);
    return st;
}

const char *simdsse_kernel_default(void) {
    simdsse_status st;
    const sse_kernel *k = simdsse__kernel_default(&st);
    /* "$SIMDSSE_KERNEL if set and usable, else the best this CPU runs." */
    return (k ? k : simdsse__kernel_best())->name;
}
