/*
 * guard.h -- a struct placed flush against an unreadable page, so that a
 * library reading or writing past the size it was given faults at once.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_TEST_GUARD_H
#define SIMDSSE_TEST_GUARD_H

#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* n bytes whose end touches a PROT_NONE page; 8-aligned when n is. */
static void *guarded(size_t n) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (n + page - 1) / page * page;
    char *base = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || mprotect(base + span, page, PROT_NONE) != 0) {
        perror("guarded: mmap");
        exit(1);
    }
    return base + span - n;
}

/* Copies *s into guarded memory of exactly sizeof *s bytes. */
#define GUARDED_COPY(T, s) ((T *)memcpy(guarded(sizeof(T)), (s), sizeof(T)))

#endif
