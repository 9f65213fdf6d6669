/*
 * batch.h -- one chunk's pull items, for a language binding.
 * SPDX-License-Identifier: MIT
 *
 * The Python and Node bindings both turn a chunk into items for their
 * runtime without calling the runtime while the C parser runs (Python
 * parses without the GIL; Node builds one string per chunk, see
 * node/src/text.h).
 *
 * sse_batch_pull() is the loop: it pushes the chunk, takes every item and
 * hands each kind the binding asked for to its function, with flags saying
 * whether the event's type and last event ID are the previous event's (so
 * that a binding can reuse the string it made last time: most streams
 * repeat both on every event). The Node binding consumes items there. It is
 * inline so that the binding's function is inlined into the loop.
 *
 * sse_batch_run() collects the items for later (Python builds its objects
 * after taking the GIL back). Spans the parser hands out live only until
 * the next call of next(), so a span that lies inside the chunk is kept as
 * a pointer into it (the chunk outlives the batch's use) and any other span
 * (data joined from several lines, a line carried over from the previous
 * chunk, the last event ID) is copied into the batch's arena.
 */
#ifndef SIMDSSE_BINDINGS_BATCH_H
#define SIMDSSE_BINDINGS_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "simdsse.h"

/* Flags of an event */
enum {
    /* type equals the previous event's type */
    SSE_BATCH_TYPE_SAME = 1,
    /* id (the last event ID) equals the previous event's */
    SSE_BATCH_ID_SAME = 2
};

typedef struct sse_batch_item {
    simdsse_item_kind kind;
    unsigned flags;            /* SSE_BATCH_*, events only */
    simdsse_status status;     /* errors: SIMDSSE_ERR_*_TOO_LONG */
    uint64_t number;           /* retry: milliseconds; error: stream offset */
    simdsse_span text;         /* event: data; comment: the bytes after ':' */
    simdsse_span type;         /* event: its type, unless SSE_BATCH_TYPE_SAME */
    simdsse_span id;           /* event: last event ID, unless SSE_BATCH_ID_SAME */
    unsigned in_arena;         /* private: spans still to point into the arena */
} sse_batch_item;

/* A remembered string: the previous event's type or last event ID. */
typedef struct sse_seen {
    char *buf;
    size_t len, cap;
    int have;
} sse_seen;

typedef struct sse_batch {
    sse_batch_item *items; /* sse_batch_run's items, until the next run */
    size_t count;
    unsigned kinds;        /* bit (1 << SIMDSSE_ITEM_x) for each kind to keep */
    /* private */
    size_t cap;
    char *arena;
    size_t arena_len, arena_cap;
    sse_seen type, id;
} sse_batch;

#define SSE_BATCH_KEEP(kind) (1u << (kind))

/* Sets *b up to keep the kinds in `kinds` (SSE_BATCH_KEEP bits). */
void sse_batch_init(sse_batch *b, unsigned kinds);

/* Frees what *b holds. */
void sse_batch_free(sse_batch *b);

/* The next event's type and ID are new, whatever they are (after a parser
 * reset, or when the binding dropped the strings it kept). */
void sse_batch_forget(sse_batch *b);

/*
 * sse_batch_pull collecting into b->items (the arena holding the spans
 * that are not in the chunk). Safe to run without any runtime lock. Returns
 * as sse_batch_pull; the items before a failure are kept.
 */
simdsse_status sse_batch_run(sse_batch *b, simdsse_parser *parser, const void *data, size_t len);

/* Receives one item (valid during the call) and its SSE_BATCH_* flags;
 * returns 0, or non-zero to fail the pull with SIMDSSE_ERR_NO_MEMORY. */
typedef int (*sse_batch_fn)(void *ctx, const simdsse_item *item, unsigned flags);

/* Remembers s (out of memory: remembers nothing, so s is new next time). */
void sse_seen_remember(sse_seen *seen, simdsse_span s);

/* a[0, n) == b[0, n), for the short strings types and ids are. */
static inline int sse_equal(const char *a, const char *b, size_t n) {
    if (n > 16) return memcmp(a, b, n) == 0;
    /* Two overlapping loads cover any length from 4 to 16. */
    if (n >= 8) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, a, 8), memcpy(&x1, a + n - 8, 8);
        memcpy(&y0, b, 8), memcpy(&y1, b + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, a, 4), memcpy(&x1, a + n - 4, 4);
        memcpy(&y0, b, 4), memcpy(&y1, b + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* Whether s equals the remembered value; if not, remembers it. */
static inline int sse_seen_same(sse_seen *seen, simdsse_span s) {
    if (seen->have && seen->len == s.len && sse_equal(seen->buf, s.ptr, s.len)) return 1;
    sse_seen_remember(seen, s);
    return 0;
}

/*
 * Pushes data[0, len) into the parser and hands every item of a kind in
 * b->kinds to fn. Calls only the parser, malloc and fn. Returns SIMDSSE_OK,
 * or the status push or next failed with (SIMDSSE_ERR_NO_MEMORY: the items
 * before it were handed out, the parser then needs a reset;
 * SIMDSSE_ERR_NEEDS_RESET after finish). When fn fails, the parser is reset
 * (an item is lost, so its stream is no longer whole) and the result is
 * SIMDSSE_ERR_NO_MEMORY. Only b's kinds and remembered type and id are used.
 */
static inline simdsse_status sse_batch_pull(sse_batch *b, simdsse_parser *parser,
                                            const void *data, size_t len, sse_batch_fn fn,
                                            void *ctx) {
    simdsse_status st = simdsse_parser_push(parser, len ? data : "", len);
    if (st != SIMDSSE_OK) return st;
    const simdsse_item *it;
    int failed = 0;
    SIMDSSE_PARSER_FOREACH(parser, it, st) {
        if (!(b->kinds & SSE_BATCH_KEEP(it->kind))) continue;
        unsigned flags = 0;
        if (it->kind == SIMDSSE_ITEM_EVENT) {
            if (sse_seen_same(&b->type, it->event.type)) flags |= SSE_BATCH_TYPE_SAME;
            if (sse_seen_same(&b->id, it->event.id)) flags |= SSE_BATCH_ID_SAME;
        }
        if (fn(ctx, it, flags)) {
            failed = 1;
            break;
        }
    }
    if (failed) {
        /* The parser has moved past this item: it is lost, so the parser's
         * stream is no longer whole. Make that explicit. */
        simdsse_parser_reset(parser);
        return SIMDSSE_ERR_NO_MEMORY;
    }
    return st == SIMDSSE_NEED_INPUT ? SIMDSSE_OK : st;
}

#endif /* SIMDSSE_BINDINGS_BATCH_H */
