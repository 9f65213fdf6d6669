/*
 * baseline_memchr.h -- the SSE parser a careful C programmer writes by hand
 * with memchr, as the benchmarks' baseline (see baseline_memchr.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_BASELINE_MEMCHR_H
#define SIMDSSE_BASELINE_MEMCHR_H

#include <stddef.h>
#include <stdint.h>

#include "simdsse.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable byte buffer. */
typedef struct baseline_buf {
    char *ptr;
    size_t len, cap;
} baseline_buf;

typedef struct baseline_parser {
    int (*on_event)(void *user, const simdsse_event *event);
    void *user;
    baseline_buf line;    /* a line a chunk boundary cut */
    baseline_buf data;    /* data buffer */
    baseline_buf type;    /* event type buffer */
    baseline_buf id;      /* last event ID buffer */
    baseline_buf last_id; /* last event ID string */
    uint64_t retry;
    uint64_t offset;
    int skip_lf; /* the last chunk ended with CR: an LF now is part of it */
    int started; /* past the BOM check */
    int no_memory;
} baseline_parser;

void baseline_init(baseline_parser *p, int (*on_event)(void *, const simdsse_event *), void *user);
/* Feeds the next chunk; callbacks run before it returns. 0, or -1 if
 * memory ran out. No limits: the buffers grow as the stream asks. */
int baseline_feed(baseline_parser *p, const char *buf, size_t len);
/* Ends the stream (drops an unfinished event) and starts the next one. */
void baseline_reset(baseline_parser *p);
void baseline_free(baseline_parser *p);

#ifdef __cplusplus
}
#endif

#endif
