/*
 * check.h -- the smallest test harness that says what failed and where.
 * SPDX-License-Identifier: MIT
 *
 * CHECK(cond, fmt, ...) counts a pass or prints the failure with its place;
 * check_done() prints "N passed, M failed" and gives main's exit status.
 */
#ifndef SIMDSSE_TEST_CHECK_H
#define SIMDSSE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static unsigned long check_passed, check_failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            check_passed++;                                                \
        } else {                                                           \
            if (++check_failed <= 50) {                                    \
                fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, \
                        #cond);                                            \
                fprintf(stderr, __VA_ARGS__);                              \
                fputc('\n', stderr);                                       \
            }                                                              \
        }                                                                  \
    } while (0)

static inline int check_done(void) {
    printf("%lu passed, %lu failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
