/*
 * vectors.h -- the shape of a test vector: an input stream and what a
 * conforming EventSource reports for it.
 * SPDX-License-Identifier: MIT
 *
 * Byte strings carry their length, so inputs and expectations can hold NUL
 * bytes and invalid UTF-8. Mind C's greedy hex escapes: "\x00" "abc", not
 * "\x00abc" (which is one escape, \x00a, then "bc").
 */
#ifndef SIMDSSE_TEST_VECTORS_H
#define SIMDSSE_TEST_VECTORS_H

#include <stddef.h>

typedef struct tv_bytes {
    const char *ptr;
    size_t len;
} tv_bytes;

/* A string literal as bytes; its length counts embedded NULs. */
#define TV(s) {s, sizeof(s) - 1}

typedef struct tv_event {
    tv_bytes type; /* "message" unless an event field set one */
    tv_bytes data;
    tv_bytes id;   /* the event's lastEventId: the last event ID string */
} tv_event;

typedef struct test_vector {
    const char *name;
    tv_bytes input;
    size_t n_events;
    tv_event events[8];
    long long retry; /* reconnection time after the stream, or TV_RETRY_* */
} test_vector;

/* No retry field took effect: the initial 3000 ms stays. */
#define TV_RETRY_UNSET (-1LL)
/* A retry value past UINT64_MAX: simdsse saturates to UINT64_MAX (the
 * standard's integer is unbounded; see field_retry in src/assembler.c). */
#define TV_RETRY_SATURATED (-2LL)

/* Event shorthands: a "message" event, one with a type, and the filler for
 * a vector that expects no event at all. */
#define TV_MSG(data, id) {TV("message"), TV(data), TV(id)}
#define TV_EV(type, data, id) {TV(type), TV(data), TV(id)}
#define TV_NONE {{NULL, 0}, {NULL, 0}, {NULL, 0}}

/* Repetition, to build long lines and many lines as literals. */
#define TV_REP4(s) s s s s
#define TV_REP16(s) TV_REP4(TV_REP4(s))
#define TV_REP64(s) TV_REP4(TV_REP16(s))
#define TV_REP256(s) TV_REP4(TV_REP64(s))
#define TV_REP1024(s) TV_REP4(TV_REP256(s))

#endif /* SIMDSSE_TEST_VECTORS_H */
