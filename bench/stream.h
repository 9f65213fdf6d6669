/*
 * stream.h -- every call the gateway and cost benchmarks make into the
 * parser and validator API, in one place: open a stream, feed it a read
 * (or push it and take its items), end it, ask its memory, close it.
 * SPDX-License-Identifier: MIT
 *
 * A change of the public API means porting this file only, not
 * bench_gateway.cc and bench_cost.c.
 */
#ifndef SIMDSSE_BENCH_STREAM_H
#define SIMDSSE_BENCH_STREAM_H

#include <stddef.h>

#include "simdsse.h"

typedef int (*stream_event_fn)(void *user, const simdsse_event *event);

/* A parser on the kernel named `kernel` (NULL: the default), calling
 * on_event(user, ...) for each event; NULL if it cannot be made. */
static inline simdsse_parser *stream_open(const char *kernel, stream_event_fn on_event,
                                          void *user) {
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = kernel;
    opt.on_event = on_event;
    opt.user = user;
    return simdsse_parser_create(&opt, NULL);
}

/* One read; 0 when it was all consumed without an error. */
static inline int stream_feed(simdsse_parser *p, const char *buf, size_t len) {
    return simdsse_parser_feed(p, buf, len, NULL) == SIMDSSE_OK ? 0 : -1;
}

/* One read through the pull API: push it, take its items until the parser
 * needs input (SIMDSSE_PARSER_FOREACH, as bench_parse's "-pull"); the
 * events are counted in *events. 0 when it was all read without an error. */
static inline int stream_pull(simdsse_parser *p, const char *buf, size_t len, uint64_t *events) {
    if (simdsse_parser_push(p, buf, len) != SIMDSSE_OK) return -1;
    const simdsse_item *it;
    simdsse_status st;
    int bad = 0;
    uint64_t n = 0;
    SIMDSSE_PARSER_FOREACH(p, it, st) {
        if (it->kind == SIMDSSE_ITEM_EVENT) n++;
        else if (it->kind == SIMDSSE_ITEM_ERROR) bad = 1;
    }
    *events += n;
    return bad || st != SIMDSSE_NEED_INPUT ? -1 : 0;
}

/* The stream ended; the parser is ready for the next one. */
static inline void stream_end(simdsse_parser *p) {
    simdsse_parser_finish(p);
    simdsse_parser_reset(p);
}

/* Bytes the parser holds now, its own struct included. */
static inline size_t stream_memory(const simdsse_parser *p) { return simdsse_parser_memory(p); }

static inline void stream_close(simdsse_parser *p) { simdsse_parser_destroy(p); }

/* A validator with default options and no diagnostic callback. */
static inline simdsse_validator *validator_open(void) {
    return simdsse_validator_create(NULL, NULL);
}

static inline void validator_feed(simdsse_validator *v, const char *buf, size_t len) {
    simdsse_validator_feed(v, buf, len);
}

/* Ends the stream; returns errors + warnings found, and resets. */
static inline uint64_t validator_end(simdsse_validator *v) {
    simdsse_validator_finish(v);
    simdsse_validation r;
    simdsse_validation_init(&r);
    simdsse_validator_result(v, &r);
    simdsse_validator_reset(v);
    return r.errors + r.warnings;
}

static inline void validator_close(simdsse_validator *v) { simdsse_validator_destroy(v); }

#endif
