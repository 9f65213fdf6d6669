/*
 * ssecat_validate.c -- ssecat --validate. PLACEHOLDER: being written; replaced before this lands.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "ssecat.h"

int ssecat_validate(const char *path, size_t chunk) {
    (void)path, (void)chunk;
    fputs("ssecat: --validate is not built in yet\n", stderr);
    return 2;
}
