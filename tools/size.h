/*
 * size.h -- command-line numbers with binary size suffixes, for ssecat and
 * ssegen alike.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_TOOLS_SIZE_H
#define SIMDSSE_TOOLS_SIZE_H

#include <stdint.h>

/* Decimal (or 0x hex), with an optional K, M or G suffix (KiB, MiB, GiB)
 * when `suffix` is set, into *out; -1 if s is not such a number or does
 * not fit in 64 bits. */
int tool_parse_u64(const char *s, int suffix, uint64_t *out);

#endif
