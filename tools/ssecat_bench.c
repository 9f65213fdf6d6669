/*
 * ssecat_bench.c -- ssecat --bench. PLACEHOLDER: being written; replaced before this lands.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "ssecat.h"

int ssecat_bench(const char *path, size_t chunk, const char *kernel) {
    (void)path, (void)chunk, (void)kernel;
    fputs("ssecat: --bench is not built in yet\n", stderr);
    return 2;
}
