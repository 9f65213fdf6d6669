/*
 * dispatch.c -- the kernel table and the choice among its entries.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* Best first; the scalar kernel, always present, last. */
static const sse_kernel *const kernels[] = {
    &simdsse__kernel_scalar,
};
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

const char *simdsse_kernel_name_at(size_t index) {
    return index < N_KERNELS ? kernels[index]->name : NULL;
}

const sse_kernel *simdsse__kernel_lookup(const char *name, simdsse_status *status) {
    for (size_t i = 0; i < N_KERNELS; i++) {
        if (strcmp(kernels[i]->name, name) == 0) {
            *status = SIMDSSE_OK;
            return kernels[i];
        }
    }
    *status = SIMDSSE_ERR_UNKNOWN_KERNEL;
    return NULL;
}

const sse_kernel *simdsse__kernel_default(simdsse_status *status) {
    const char *env = getenv("SIMDSSE_KERNEL");
    if (env && *env) return simdsse__kernel_lookup(env, status);
    *status = SIMDSSE_OK;
    return kernels[0];
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
    return k ? k->name : NULL;
}
