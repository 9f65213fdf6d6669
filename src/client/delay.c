/*
 * delay.c -- how long to wait before a reconnection.
 * SPDX-License-Identifier: MIT
 *
 * "Wait a delay equal to the reconnection time of the event source.
 *  Optionally, wait some more. In particular, if the previous attempt
 *  failed, then user agents might introduce an exponential backoff delay
 *  to avoid overloading a potentially already overloaded server."
 * So backoff and jitter only ever lengthen the reconnection time.
 */
#include "internal.h"

/* xorshift64*: per client, so there is no shared state to guard. */
static uint64_t next_random(uint64_t *s) {
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15u;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Du;
}

uint64_t simdsse__client_delay(uint64_t retry_ms, unsigned attempt, uint64_t backoff_max_ms,
                               int jitter, uint64_t *rng) {
    uint64_t d = retry_ms;
    if (backoff_max_ms) {
        /* The n-th attempt in a row waits retry * 2^(n-1), doubling no
         * further than the cap, and never less than the retry time (a
         * `retry: 0` still backs off, from 1 ms). */
        if (attempt > 1 && d == 0) d = 1;
        for (unsigned i = 1; i < attempt && d < backoff_max_ms; i++)
            d = d > backoff_max_ms / 2 ? backoff_max_ms : d * 2;
        if (d < retry_ms) d = retry_ms;
    }
    if (jitter && d > 1) {
        uint64_t extra = d / 2;
        if (d > UINT64_MAX - extra) extra = UINT64_MAX - d;
        d += next_random(rng) % (extra + 1);
    }
    return d;
}
