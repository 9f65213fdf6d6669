/*
 * size.c -- command-line numbers with binary size suffixes (size.h).
 * SPDX-License-Identifier: MIT
 */
#include "size.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int tool_parse_u64(const char *s, int suffix, uint64_t *out) {
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s) return -1;
    unsigned shift = 0;
    if (suffix && *end) {
        static const char units[] = "KMG";
        const char *u = strchr(units, *end);
        if (!u || !*u) return -1;
        shift = 10 * (unsigned)(u - units + 1);
        end++;
    }
    if (*end || (shift && v > (UINT64_MAX >> shift))) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}
