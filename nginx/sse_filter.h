/*
 * sse_filter.h -- what ngx_http_sse_module does to a stream, without nginx:
 * parse it, count it, drop events by type, bound it, and say which bytes go
 * to the client.
 * SPDX-License-Identifier: MIT
 *
 * The caller feeds the response body chunk by chunk. The filter parses each
 * chunk with one simdsse parser and answers with stream offsets: emit(from,
 * to) for the bytes to forward, in order, each range ending where the client
 * has nothing pending (a "safe point"). Bytes after the last safe point (an
 * event not ended yet) are held: the caller keeps them and the filter emits
 * them once their event ends. The filter copies nothing; where bytes live
 * (the caller's current chunk, or its copy of held bytes) is the caller's
 * business: a range below the chunk's base offset is in the held bytes.
 *
 * Safe points are
 *  - the end of the blank line that dispatches an event (the parser's event
 *    offset, plus the CR, LF or CRLF there), and
 *  - the end of a line walked after the last event when nothing is pending
 *    there: a comment outside any event (a heartbeat), or a blank line that
 *    ends a block of fields. The walk covers only what follows the chunk's
 *    last event, which is usually nothing: a chunk that ends on an event
 *    boundary is one range, [base, base + len), forwarded as it is.
 * The walk also runs, before an event, when that event is dropped or may
 * be too long, to find where the event's own lines begin: comments and
 * field-less blocks in front of a dropped event stay in the stream.
 *
 * Limits end the stream: a line longer than max_line, or more than
 * max_event bytes between two safe points (an event on the wire, from its
 * first line after the last safe point through its blank line, or a
 * comment line outside events: whatever the caller must hold back, so it
 * never holds more), stops the filter at the last safe point before the
 * offending bytes. The reason and the offsets do not depend on how the
 * stream was cut into chunks.
 */
#ifndef SSE_FILTER_H
#define SSE_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <simdsse.h>

/* Local to the module's .so: nothing here is nginx's or another module's. */
#pragma GCC visibility push(hidden)

typedef enum sse_filter_state {
    SSE_FILTER_OPEN = 0,       /* reading */
    SSE_FILTER_DONE,           /* sse_filter_finish: the stream ended */
    SSE_FILTER_LINE_TOO_LONG,  /* cut: a line passed max_line */
    SSE_FILTER_EVENT_TOO_LONG, /* cut: an event passed max_event */
    SSE_FILTER_NO_MEMORY       /* cut: the parser (or the caller) ran out */
} sse_filter_state;

typedef struct sse_filter_options {
    size_t max_line;  /* bytes of a line, terminator excluded */
    size_t max_event; /* bytes of an event on the wire, blank line included */
    const simdsse_span *drop_types; /* events of these types are removed */
    size_t drop_count;
    /* Each event the stream delivers (forwarded, or dropped if `dropped`),
     * while the parser's spans are valid. NULL: none. */
    void (*on_event)(void *user, const simdsse_event *event, int dropped);
    /* Forward stream bytes [from, to). Called in stream order, during
     * sse_filter_feed, never for bytes already emitted; not called for a
     * chunk that goes out whole (see `whole`). */
    void (*emit)(void *user, uint64_t from, uint64_t to);
    void *user;
} sse_filter_options;

typedef struct sse_filter {
    sse_filter_options o;
    simdsse_parser *parser;
    /* The chunk being fed: stream bytes [base, base + len). */
    const char *chunk;
    uint64_t base;
    size_t len;
    uint64_t end;  /* stream bytes fed so far */
    uint64_t safe; /* every byte before it is forwarded or dropped */
    uint64_t keep; /* [keep, safe) is to be forwarded, not emitted yet */
    /* The line walk: bytes before `scan` have been walked. */
    uint64_t scan;
    uint8_t line;       /* what the line being walked is (filter.c) */
    uint8_t pending;    /* a field line since the last blank line */
    uint8_t after_cr;   /* the last line end walked was a CR at scan - 1 */
    uint8_t lf_dropped; /* ... and it ended a dropped event */
    uint8_t bom;        /* bytes of a stream-start BOM walked */
    uint8_t id_frozen;  /* the last event ID is `id`, not the parser's */
    uint8_t overflow;   /* the walk found more than max_event bytes held */
    uint8_t whole;      /* the last chunk fed goes out as it is, all of it,
                           and nothing else went out with it: no emit */
    sse_filter_state state;
    uint64_t cut_offset;   /* a cut: the stream ends here (a safe point) */
    uint64_t limit_offset; /* a cut: the first byte past the limit */
    uint64_t events;       /* delivered: forwarded and dropped */
    uint64_t dropped;
    /* The last event ID as of the last delivered event (see on_event). */
    char *id;
    size_t id_len, id_cap;
} sse_filter;

/* Creates the filter's parser. Returns SIMDSSE_OK or the parser's
 * simdsse_parser_create error; on error nothing needs freeing. */
simdsse_status sse_filter_init(sse_filter *f, const sse_filter_options *options);

void sse_filter_free(sse_filter *f);

/* Feeds stream bytes [end, end + len) and returns the state: OPEN, or the
 * reason the filter cut the stream (it then ignores further input). Every
 * emit call for this chunk happens before it returns, except in the usual
 * case, where `whole` says instead that the chunk goes out as it is.
 * Afterwards the held bytes are [safe, end). */
sse_filter_state sse_filter_feed(sse_filter *f, const char *chunk, size_t len);

/* The caller could not hold the bytes it was asked to: cut at `safe`. */
void sse_filter_fail(sse_filter *f);

/* The stream ended. Held bytes, an event without its blank line, are
 * dropped (as a client drops them). Returns how many. */
uint64_t sse_filter_finish(sse_filter *f);

/* The last event ID string of the stream so far, as a browser reading it
 * holds it; after a cut, the one of the last event delivered. */
simdsse_span sse_filter_last_event_id(const sse_filter *f);

/* Bytes of heap the filter holds (its parser included). */
size_t sse_filter_memory(const sse_filter *f);

/* "line-too-long", "event-too-long", "no-memory"; NULL for OPEN and DONE. */
const char *sse_filter_state_name(sse_filter_state state);

#pragma GCC visibility pop

#endif
