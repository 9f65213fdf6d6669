/*
 * abi/guard.h -- a struct copied flush against an inaccessible page
 * (tests/guard.h), so that a library reading or writing past the size it
 * was given faults at once. Each copy has its own guard_buf, so every copy
 * stays valid for the whole test.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_TEST_ABI_GUARD_H
#define SIMDSSE_TEST_ABI_GUARD_H

#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "../guard.h"

static void *guarded_copy(const void *s, size_t n) {
    static guard_buf guards[8];
    static size_t used;
    if (used == sizeof guards / sizeof guards[0]) {
        fprintf(stderr, "abi/guard.h: more than 8 guarded copies\n");
        abort();
    }
    return guard_place(&guards[used++], s, n);
}

/* Copies *s into guarded memory of exactly sizeof(T) bytes (8-aligned
 * when the size is, since each copy ends on a page boundary). */
#define GUARDED_COPY(T, s) ((T *)guarded_copy((s), sizeof(T)))

#endif
