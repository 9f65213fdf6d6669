/*
 * sse_filter.c -- the module's stream logic: cut points, drops, limits (see
 * sse_filter.h for the contract).
 * SPDX-License-Identifier: MIT
 */
#include "sse_filter.h"

#include <stdlib.h>
#include <string.h>

/* What the line walk is inside of. */
enum { LINE_START, LINE_COMMENT, LINE_FIELD };

static const char utf8_bom[3] = {'\xEF', '\xBB', '\xBF'};

const char *sse_filter_state_name(sse_filter_state state) {
    switch (state) {
    case SSE_FILTER_LINE_TOO_LONG: return "line-too-long";
    case SSE_FILTER_EVENT_TOO_LONG: return "event-too-long";
    case SSE_FILTER_NO_MEMORY: return "no-memory";
    default: return NULL;
    }
}

/* Forwards what is pending up to `upto`. */
static void emit_kept(sse_filter *f, uint64_t upto) {
    if (upto <= f->keep) return;
    f->o.emit(f->o.user, f->keep, upto);
    f->keep = upto;
}

static const char *find_eol(const char *p, const char *end) {
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    const char *cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));
    return cr ? cr : lf;
}

/* After a line end that was a CR, at the byte `p` after it: a CR and the LF
 * after it are one line end, wherever the chunk boundary falls, so the LF
 * goes with the line it ends (and is dropped with a dropped event). */
static void settle_lf(sse_filter *f, const char *p) {
    uint64_t at = f->base + (uint64_t)(p - f->chunk);
    if (*p == '\n') {
        if (f->safe == at) f->safe++;
        if (f->lf_dropped && f->keep == at) f->keep++;
        if (f->scan == at) f->scan++;
    }
    f->after_cr = 0;
    f->lf_dropped = 0;
}

/* A safe point at `at` (just past the first byte of a line end), unless
 * the bytes since the last one are more than max_event: those were all
 * held back, so they are what max_event bounds (an event, or a comment
 * line outside events). Returns 0 then, and the walk stops. */
static int set_safe(sse_filter *f, uint64_t at) {
    if (at - f->safe > f->o.max_event) {
        f->overflow = 1;
        return 0;
    }
    f->safe = at;
    return 1;
}

/*
 * Walks the chunk's lines from `scan` to `to`, moving `safe` to the end of
 * each line after which the client has nothing pending. The lines are the
 * standard's: "Lines must be separated by either a U+000D CARRIAGE RETURN
 * U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF)
 * character, or a single U+000D CARRIAGE RETURN (CR) character." Only
 * the first byte of a line matters here: ':' is a comment, a line end is a
 * blank line ("If the line is empty, dispatch the event"), anything else a
 * field, which may make an event pending until the next blank line (unknown
 * fields do not, but treating them as pending only holds bytes back longer).
 */
static void scan_to(sse_filter *f, uint64_t to) {
    if (to <= f->scan) return;
    const char *p = f->chunk + (f->scan - f->base);
    const char *end = f->chunk + (to - f->base);
#define AT(q) (f->base + (uint64_t)((q) - f->chunk))
    while (p < end) {
        if (f->after_cr) {
            settle_lf(f, p);
            if (*p == '\n') {
                p++;
                continue;
            }
        }
        if (f->line == LINE_START) {
            /* "The UTF-8 decode algorithm strips one leading UTF-8 Byte
             * Order Mark (BOM), if any": not part of the first line. */
            uint64_t at = AT(p);
            if (at < 3 && f->bom == at) {
                if (*p == utf8_bom[at]) {
                    f->bom++;
                    p++;
                    continue;
                }
                f->bom = 3;
                if (at) { /* a BOM cut short starts a field line */
                    f->line = LINE_FIELD;
                    f->pending = 1;
                }
            }
        }
        if (f->line == LINE_START) {
            char c = *p;
            if (c == '\n' || c == '\r') {
                if (!set_safe(f, AT(p + 1))) break;
                p++;
                f->after_cr = c == '\r';
                f->pending = 0;
                continue;
            }
            f->line = c == ':' ? LINE_COMMENT : LINE_FIELD;
            if (c != ':') f->pending = 1;
        }
        const char *eol = find_eol(p, end);
        if (!eol) {
            p = end;
            break;
        }
        if (f->line == LINE_COMMENT && !f->pending && !set_safe(f, AT(eol + 1))) break;
        p = eol + 1;
        f->after_cr = *eol == '\r';
        f->line = LINE_START;
    }
    f->scan = AT(p);
#undef AT
}

/* Ends the stream at the last safe point: what was kept before it goes out,
 * nothing after it does. */
static void cut(sse_filter *f, sse_filter_state why, uint64_t limit_offset) {
    emit_kept(f, f->safe);
    /* The parser may have read id fields past the cut: the client's last
     * event ID is the one of the last event it got. */
    f->id_frozen = 1;
    f->state = why;
    f->cut_offset = f->safe;
    f->limit_offset = limit_offset;
}

static int type_dropped(const sse_filter *f, simdsse_span type) {
    for (size_t i = 0; i < f->o.drop_count; i++)
        if (f->o.drop_types[i].len == type.len &&
            memcmp(f->o.drop_types[i].ptr, type.ptr, type.len) == 0)
            return 1;
    return 0;
}

/* Keeps a copy of the last event ID as of this event, for when the stream
 * is cut: the parser may then have read id fields the client never got.
 * Streams without ids pay one length compare. */
static int remember_id(sse_filter *f, simdsse_span id) {
    if (id.len == f->id_len && (!id.len || memcmp(id.ptr, f->id, id.len) == 0)) return 1;
    if (id.len > f->id_cap) {
        char *p = realloc(f->id, id.len);
        if (!p) return 0;
        f->id = p;
        f->id_cap = id.len;
    }
    memcpy(f->id, id.ptr, id.len);
    f->id_len = id.len;
    return 1;
}

/* An event whose bytes end at b_end (b the blank line's first byte):
 * whether it goes out or is dropped, and the walk restarts after it. Out
 * of line, so that the usual event's path stays short. */
__attribute__((noinline)) static int deliver(sse_filter *f, const simdsse_event *ev, uint64_t b, uint64_t b_end,
                   int split_cr) {
    int drop = type_dropped(f, ev->type);
    /* The size of what was held counts up to the first byte of the line
     * end, so that where a chunk cuts a CRLF does not matter. */
    uint64_t start = f->safe;
    if (drop || b + 1 - start > f->o.max_event) {
        /* Where do the event's own lines begin? */
        scan_to(f, b);
        start = f->safe;
    }
    if (f->overflow || b + 1 - start > f->o.max_event) {
        /* Dispatched, but too long: refused (its id field too). */
        cut(f, SSE_FILTER_EVENT_TOO_LONG, start + f->o.max_event);
        return 1;
    }
    if (!remember_id(f, ev->id)) {
        cut(f, SSE_FILTER_NO_MEMORY, b);
        return 1;
    }
    f->events++;
    if (drop) {
        f->dropped++;
        emit_kept(f, start);
        if (f->state != SSE_FILTER_OPEN) return 1;
        f->keep = b_end;
    }
    if (f->o.on_event) f->o.on_event(f->o.user, ev, drop);
    f->safe = b_end;
    /* The walk restarts after the event, at a line start. */
    f->scan = b_end;
    f->line = LINE_START;
    f->pending = 0;
    f->after_cr = (uint8_t)split_cr;
    f->lf_dropped = (uint8_t)(drop && split_cr);
    return 0;
}

static int on_event(void *user, const simdsse_event *ev) {
    sse_filter *f = user;
    if (f->state != SSE_FILTER_OPEN) return 1; /* the caller failed (sse_filter_fail) */
    /* The blank line that dispatched the event is in this chunk: it is its
     * own line end, one byte, or two for CRLF. */
    uint64_t b = ev->offset, b_end = b + 1;
    int split_cr = 0;
    if (b >= f->base && b - f->base < f->len) {
        size_t i = (size_t)(b - f->base);
        if (f->chunk[i] == '\r') {
            if (i + 1 < f->len)
                b_end += f->chunk[i + 1] == '\n';
            else
                split_cr = 1;
        }
    }
    /* The usual event: no type to drop, shorter than the limit, the same
     * (no) id, nothing left of a split CRLF. The rest is deliver's. */
    if (f->o.drop_count || b + 1 - f->safe > f->o.max_event || ev->id.len || f->id_len || split_cr)
        return deliver(f, ev, b, b_end, split_cr);
    f->events++;
    if (f->o.on_event) f->o.on_event(f->o.user, ev, 0);
    f->safe = f->scan = b_end;
    f->line = LINE_START;
    f->pending = 0;
    f->after_cr = 0;
    f->lf_dropped = 0;
    return 0;
}

static int on_error(void *user, const simdsse_error *e) {
    sse_filter *f = user;
    if (f->state != SSE_FILTER_OPEN) return 1;
    uint64_t at = e->offset, chunk_end = f->base + f->len;
    scan_to(f, at < chunk_end ? at : chunk_end);
    /* Type and id values are bounded by max_line too (sse_filter_init), so
     * every limit but data is a line limit. Data is part of the event's
     * bytes on the wire, which passed max_event no later than the data did:
     * an event limit is reported where the wire budget ran out. Whichever
     * limit the stream passed first names the cut, whatever the chunking. */
    sse_filter_state why = SSE_FILTER_LINE_TOO_LONG;
    if (f->overflow || e->status == SIMDSSE_ERR_DATA_TOO_LONG || f->safe + f->o.max_event < at) {
        why = SSE_FILTER_EVENT_TOO_LONG;
        at = f->safe + f->o.max_event;
    }
    cut(f, why, at);
    return 1;
}

simdsse_status sse_filter_init(sse_filter *f, const sse_filter_options *options) {
    memset(f, 0, sizeof *f);
    f->o = *options;
    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    po.on_event = on_event;
    po.on_error = on_error;
    po.user = f;
    po.max_line_length = f->o.max_line;
    /* Data is part of the event's bytes on the wire, so max_event bounds
     * it too; a type or id is part of its line. */
    po.max_data_length = f->o.max_event;
    po.max_type_length = f->o.max_line;
    po.max_id_length = f->o.max_line;
    simdsse_status st;
    f->parser = simdsse_parser_create(&po, &st);
    return f->parser ? SIMDSSE_OK : st;
}

void sse_filter_free(sse_filter *f) {
    simdsse_parser_destroy(f->parser);
    f->parser = NULL;
    free(f->id);
    f->id = NULL;
}

sse_filter_state sse_filter_feed(sse_filter *f, const char *chunk, size_t len) {
    if (f->state != SSE_FILTER_OPEN) return f->state;
    f->chunk = chunk;
    f->base = f->end;
    f->len = len;
    /* The LF of a CRLF whose CR ended the last chunk belongs to what that
     * CR ended: settle it before the parser's events are placed. */
    if (f->after_cr && len) settle_lf(f, chunk);
    simdsse_status st = simdsse_parser_feed(f->parser, chunk, len, NULL);
    if (f->state == SSE_FILTER_OPEN && st == SIMDSSE_ERR_NO_MEMORY)
        cut(f, SSE_FILTER_NO_MEMORY, f->safe);
    f->whole = 0;
    if (f->state == SSE_FILTER_OPEN) {
        uint64_t end = f->base + len;
        if (f->scan < end) scan_to(f, end);
        if (f->overflow || end - f->safe > f->o.max_event) {
            cut(f, SSE_FILTER_EVENT_TOO_LONG, f->safe + f->o.max_event);
        } else if (f->keep == f->base && f->safe == end && len) {
            /* The usual case: the chunk ends on an event boundary and all
             * of it goes out, as it is; no emit call. */
            f->whole = 1;
            f->keep = end;
        } else {
            emit_kept(f, f->safe);
        }
    }
    f->end = f->base + len;
    f->chunk = NULL;
    return f->state;
}

void sse_filter_fail(sse_filter *f) {
    if (f->state != SSE_FILTER_OPEN) return;
    /* Called from emit, or after the chunk: what was emitted before ends
     * on a safe point, and that is where the client's stream stops. */
    f->state = SSE_FILTER_NO_MEMORY;
    f->id_frozen = 1;
    f->cut_offset = f->keep;
    f->limit_offset = f->end;
}

uint64_t sse_filter_finish(sse_filter *f) {
    if (f->state != SSE_FILTER_OPEN) return 0;
    /* "If the file ends in the middle of an event, before the final empty
     * line, the incomplete event is not dispatched." Nor forwarded. */
    f->state = SSE_FILTER_DONE;
    simdsse_parser_finish(f->parser);
    return f->end - f->safe;
}

simdsse_span sse_filter_last_event_id(const sse_filter *f) {
    if (f->id_frozen) return (simdsse_span){f->id_len ? f->id : "", f->id_len};
    return simdsse_parser_last_event_id(f->parser);
}

size_t sse_filter_memory(const sse_filter *f) {
    return simdsse_parser_memory(f->parser) + f->id_cap;
}
