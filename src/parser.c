/*
 * parser.c -- the streaming parser: chunks in, lines to the assembler.
 * SPDX-License-Identifier: MIT
 *
 * The driver hands the caller's chunk to the kernel, which splits it into
 * line records in batches, and passes those to the assembler: lines lying
 * wholly inside the chunk are never copied. Only what a chunk boundary cuts
 * is carried over: an unfinished line (into `line`), a CR whose LF may
 * start the next chunk (`skip_lf`), a BOM split across chunks (`bom_left`),
 * and the spans of an event not yet dispatched (pinned into the parser's
 * stores). feed runs the driver over a whole chunk with its callbacks; the
 * pull API (pull.c) runs the same driver, resumably, into its item queue.
 */
#include <stdlib.h>

#include "parser.h"

#define BATCH 256 /* line records per kernel call in feed: 2 KiB of stack */
#define SHORT_LINES_MIN 256 /* bytes a batch spans to choose the scan variant */

/* "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark". */
static const char utf8_bom[3] = {'\xEF', '\xBB', '\xBF'};

/* MARK: - Create, destroy, reset */

static simdsse_status init(simdsse_parser *p, const simdsse_parser_options *opt) {
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    if (opt) {
        simdsse_status st = simdsse__struct_load(&o, sizeof o, opt,
                                                 SSE_FIRST_SIZE(simdsse_parser_options, allocator));
        if (st != SIMDSSE_OK) return st;
    }
    memset(p, 0, sizeof *p);
    simdsse_status st = simdsse__alloc_load(o.allocator, &p->alloc);
    if (st != SIMDSSE_OK) return st;
    p->kernel = o.kernel ? simdsse__kernel_lookup(o.kernel, &st) : simdsse__kernel_default(&st);
    if (!p->kernel) return st;
    p->kernel_short = simdsse__kernel_short(p->kernel);
    p->on_event = o.on_event;
    p->on_comment = o.on_comment;
    p->on_retry = o.on_retry;
    p->on_error = o.on_error;
    p->user = o.user;
    p->max_line = o.max_line_length;
    p->max_data = o.max_data_length;
    p->max_type = o.max_type_length;
    p->max_id = o.max_id_length;
    p->retry = o.initial_retry_ms;
    p->last_id_ptr = "";
    p->bom_left = 1;
    return SIMDSSE_OK;
}

simdsse_parser *simdsse_parser_create(const simdsse_parser_options *opt, simdsse_status *status) {
    simdsse_parser tmp;
    simdsse_status st = init(&tmp, opt);
    return simdsse__place(&tmp.alloc, &tmp, sizeof tmp, st, status);
}

static void release(simdsse_parser *p) {
    simdsse__pull_free(p);
    sse_store_free(&p->alloc, &p->data_store);
    sse_store_free(&p->alloc, &p->type_store);
    sse_buf_free(&p->alloc, &p->id_buf);
    sse_buf_free(&p->alloc, &p->last_id);
    sse_buf_free(&p->alloc, &p->line);
}

static void destroy_now(simdsse_parser *p) {
    sse_alloc a = p->alloc;
    release(p);
    a.free(a.ctx, p, sizeof *p);
}

void simdsse_parser_destroy(simdsse_parser *p) {
    if (!p) return;
    if (p->busy) { /* a callback: feed frees it when the callback returns */
        p->deferred = SSE_DEFER_DESTROY;
        return;
    }
    destroy_now(p);
}

/* Stream state back to "new stream"; what survives a reconnection stays. */
static void clear_stream(simdsse_parser *p) {
    p->offset = 0;
    p->data.len = 0;
    p->type.len = 0;
    p->line.len = 0;
    p->bom_left = 1;
    p->has_data = false;
    /* The last event ID buffer starts as the last event ID string: id_buf is
     * only read while id_changed is set, so clearing the flag is enough. */
    p->id_changed = false;
    p->line_pending = false;
    p->skip_lf = false;
    p->skip_line = false;
    p->skip_event = false;
    p->finished = false;
    p->broken = false;
    p->deferred = SSE_DEFER_NONE;
    p->first_error = 0;
    simdsse__pull_clear(p);
}

void simdsse_parser_reset(simdsse_parser *p) {
    if (!p) return;
    if (p->busy) { /* a callback: feed resets it when the callback returns */
        if (p->deferred == SSE_DEFER_NONE) p->deferred = SSE_DEFER_RESET;
        return;
    }
    clear_stream(p);
}

simdsse_status simdsse_parser_trim(simdsse_parser *p) {
    if (!p) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (p->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (!p->line_pending) sse_buf_free(&p->alloc, &p->line);
    if (!p->has_data) sse_store_free(&p->alloc, &p->data_store);
    if (!p->type.len) sse_store_free(&p->alloc, &p->type_store);
    if (!p->id_changed) sse_buf_free(&p->alloc, &p->id_buf);
    if (!simdsse__pull_pending(p)) simdsse__pull_free(p);
    return SIMDSSE_OK;
}

/* MARK: - Getters */

simdsse_span simdsse_parser_last_event_id(const simdsse_parser *p) {
    simdsse_span s = {"", 0};
    if (p && p->last_id.len) {
        s.ptr = p->last_id.ptr;
        s.len = p->last_id.len;
    }
    return s;
}

uint64_t simdsse_parser_retry(const simdsse_parser *p) { return p ? p->retry : 0; }
uint64_t simdsse_parser_offset(const simdsse_parser *p) { return p ? p->offset : 0; }
const char *simdsse_parser_kernel(const simdsse_parser *p) { return p ? p->kernel->name : NULL; }

size_t simdsse_parser_memory(const simdsse_parser *p) {
    if (!p) return 0;
    return sizeof *p + p->data_store.cap + p->type_store.cap + p->id_buf.cap + p->last_id.cap +
           p->line.cap + simdsse__pull_memory(p);
}

/* MARK: - The chunk driver */

/* How many bytes of an unfinished line's start s[0, n) carry leaves out of
 * `line`: "data:" and the space after it, when the line is the event's
 * first data line (nothing before it can change that) and is long enough
 * to say whether that space is there. Its value alone is carried, and
 * becomes the data buffer by a swap of buffers, not a copy (carried_line):
 * the bytes of the commonest cut line are copied once. */
static size_t data_cut(const simdsse_parser *p, const char *s, size_t n) {
    if (n < 6 || n > p->max_line || p->has_data || p->skip_event) return 0;
    if (memcmp(s, "data:", 5) != 0) return 0;
    return 5 + (s[5] == ' ');
}

/* The stream offset of the pending line's first byte, given `at`, that of
 * the byte after those carried so far: the line is contiguous in the
 * stream, so it need not be kept. */
SSE_INLINE uint64_t line_start(const simdsse_parser *p, uint64_t at) {
    return at - p->line_cut - p->line.len;
}

/* Appends n bytes of an unfinished line, starting one at stream offset `at`
 * if none is pending. Enforces max_line_length as the bytes arrive, so a
 * line with no end never holds more than the limit. */
static sse_step carry(simdsse_parser *p, const char *s, size_t n, uint64_t at) {
    if (p->skip_line) return SSE_GO;
    uint64_t start = at;
    if (p->line_pending) {
        start = line_start(p, at);
    } else {
        /* Spans may borrow `line`: copy them out before it is overwritten. */
        if (!simdsse__pin(p)) goto no_memory;
        if (!p->line.ptr && p->data_store.ptr && !(p->has_data && p->data.len) &&
            p->data_store.cap <= p->max_line) {
            /* No event data is kept in the data store: its buffer carries
             * the line (and comes back by carried_line's swap), so that a
             * stream of cut lines keeps one buffer for both, not two. */
            p->line.ptr = p->data_store.ptr;
            p->line.cap = p->data_store.cap;
            p->data_store.ptr = NULL;
            p->data_store.cap = 0;
        }
        p->line.len = 0;
        p->line_pending = true;
        size_t cut = data_cut(p, s, n); /* (n <= max_line when cut > 0) */
        p->line_cut = (uint8_t)cut;
        s += cut;
        n -= cut;
    }
    if (n > p->max_line - p->line_cut - p->line.len) {
        p->line_pending = false;
        p->line.len = 0;
        p->skip_line = true;
        return sse_go_on(simdsse__fail(p, SIMDSSE_ERR_LINE_TOO_LONG, start + p->max_line));
    }
    if (!n) return SSE_GO;
    size_t need = p->line.len + n;
    if (!sse_buf_reserve(&p->alloc, &p->line, need, p->max_line)) goto no_memory;
    memcpy(p->line.ptr + p->line.len, s, n);
    p->line.len = need;
    return SSE_GO;
no_memory:
    p->broken = true;
    return SIMDSSE_ERR_NO_MEMORY;
}

/* After a line end at buf[*pos - 1]: if it was a CR, an LF right after it
 * belongs to the same line end, even when it arrives in the next chunk. */
static inline void after_line_end(simdsse_parser *p, const char *buf, size_t len, size_t *pos) {
    if (buf[*pos - 1] != '\r') return;
    if (*pos == len)
        p->skip_lf = true;
    else if (buf[*pos] == '\n')
        (*pos)++;
}

sse_step simdsse__chunk_start(simdsse_parser *p, sse_drive *d) {
    const char *buf = d->buf;
    size_t len = d->len, pos = 0;
    sse_step st = SSE_GO;
    /* A BOM is looked for once, at stream start, however the stream is cut. */
    if (SSE_UNLIKELY(p->bom_left)) {
        while (pos < len && p->bom_left && buf[pos] == utf8_bom[p->bom_left - 1]) {
            p->bom_left = (uint8_t)(p->bom_left == 3 ? 0 : p->bom_left + 1);
            pos++;
        }
        if (p->bom_left && pos < len) {
            /* Not a BOM after all: the bytes matched so far start line 1. */
            uint8_t matched = (uint8_t)(p->bom_left - 1);
            p->bom_left = 0;
            if (matched) st = carry(p, utf8_bom, matched, 0);
        }
    }
    if (st == SSE_GO && SSE_UNLIKELY(p->skip_lf) && pos < len) {
        p->skip_lf = false;
        if (buf[pos] == '\n') pos++;
    }
    d->pos = pos;
    return st;
}

/* Finishes the line a chunk boundary cut: its rest is the window's first
 * record, recs[0] = [0, end) from d->pos (the scan that found it goes on to
 * the lines after it, so its bytes are scanned once). */
static sse_step carried_line(simdsse_parser *p, sse_drive *d) {
    size_t end = d->recs[0].end;
    uint64_t at = p->offset + d->pos, start = line_start(p, at);
    sse_step st = carry(p, d->buf + d->pos, end, at);
    if (st != SSE_GO) {
        /* Stopped in the line: it resumes at its end, rescanned from there. */
        d->window = 0;
        d->pos += end;
        return st;
    }
    d->i = 1;
    if (p->skip_line) {
        p->skip_line = false;
        return SSE_GO;
    }
    p->line_pending = false;
    if (!p->line_cut)
        st = simdsse__assemble_line(p, p->line.ptr, p->line.len, start);
    else
        st = simdsse__assemble_data(p, p->line.ptr, p->line.len, start + p->line_cut);
    if (p->has_data && p->data.len && p->data.ptr != p->data_store.ptr &&
        p->line.cap <= p->max_data && p->data_store.cap <= p->max_line) {
        /* The event's data is this line's value, borrowed from `line`
         * (anything borrowed from a chunk was pinned before the line was
         * carried): the two buffers trade places instead of copying it
         * into the store. Each stays within the limit it is grown against.
         * A value whose "data:" the cut could not strip (carried before
         * it was whole) moves to the buffer's start first. */
        if (p->data.ptr != p->line.ptr) memmove(p->line.ptr, p->data.ptr, p->data.len);
        sse_store store = p->data_store;
        p->data_store.ptr = p->line.ptr;
        p->data_store.cap = p->line.cap;
        p->data.ptr = p->data_store.ptr;
        p->line.ptr = store.ptr;
        p->line.cap = store.cap;
        p->line.len = 0;
        p->stored = true;
    }
    /* Spans borrowed from `line` move to the stores, stop or not: from here
     * on the assembler reads the chunk (see src_end). */
    if (st >= 0 && !simdsse__pin(p)) {
        p->broken = true;
        st = SIMDSSE_ERR_NO_MEMORY;
    }
    return st;
}

SSE_INLINE sse_step drive(simdsse_parser *p, sse_drive *d, const bool pull) {
    const char *buf = d->buf;
    size_t len = d->len;
    sse_step st;
    for (;;) {
        if (d->window) {
            if (d->i < d->n) {
                size_t done, n = d->n - d->i;
                /* (Pull: the line that fills the queue stops the assembler.) */
                st = (pull ? simdsse__assemble_pull : simdsse__assemble)(
                    p, buf + d->pos, len - d->pos, p->offset + d->pos, d->recs + d->i, n, &done);
                d->i += done;
                if (st) return st;
            }
            /* Every record of the window is assembled: step past them. */
            size_t window = d->window, next = d->next;
            d->window = 0;
            if (d->n == d->cap || next == window) {
                d->pos += next;
                if (next == window) after_line_end(p, buf, len, &d->pos);
            } else if (window < len - d->pos && next > 0) {
                d->pos += next; /* rescan the unfinished line from its start */
            } else {
                /* buf[pos + next, pos + window) is an unfinished line (whose
                 * too long a start makes an item: pull wants a free slot). */
                if (pull && !sse_queue_room(p)) {
                    d->window = window;
                    return SSE_STOP;
                }
                st = carry(p, buf + d->pos + next, window - next, p->offset + d->pos + next);
                d->pos += window;
                if (st) return st;
            }
        }
        if (d->pos >= len) return SSE_GO;
        /* (Pull: a carried line is assembled with an empty queue, so that
         * nothing in it has to wait for an item: see SSE_BEFORE.) */
        if (pull && SSE_UNLIKELY(p->line_pending || p->skip_line) && sse_queue_busy(p))
            return SSE_STOP;
        size_t window = len - d->pos < SSE_SCAN_MAX ? len - d->pos : SSE_SCAN_MAX;
        /* Streams of short lines (under 32 bytes on average, so about
         * three line ends a block) take the kernel's variant that walks
         * a block's ends without a loop exit that mispredicts on them. The
         * choice changes once per batch at most, so it predicts well, and
         * only a batch of 256 bytes or more makes it: a few lines of a
         * small read (the end of a cut line, a blank line) say nothing of
         * the stream, and on so few blocks the plain walk costs less. */
        const sse_kernel *k = p->short_lines ? p->kernel_short : p->kernel;
        d->n = k->scan(buf + d->pos, window, d->recs, d->cap, &d->next);
        if (d->next >= SHORT_LINES_MIN) p->short_lines = d->n * 32 > d->next;
        d->i = 0;
        d->window = window;
        /* No line end in the window: all of it goes on the carried line
         * (the loop's unfinished-line step). */
        if (SSE_UNLIKELY(p->line_pending || p->skip_line) && d->n) {
            st = carried_line(p, d);
            if (st) return st;
        }
    }
}

sse_step simdsse__drive_pull(simdsse_parser *p, sse_drive *d) { return drive(p, d, true); }

/* MARK: - feed, finish, parse */

/* Where a stopped drive stopped: the start of the first line not
 * assembled (a pause is resumed by feeding the rest from there). */
static size_t stopped_at(simdsse_parser *p, const sse_drive *d) {
    if (!d->window) return d->pos;
    if (d->i < d->n) return d->pos + d->recs[d->i].start;
    size_t pos = d->pos + d->next;
    if (d->next == d->window) after_line_end(p, d->buf, d->len, &pos);
    return pos;
}

/* feed's refusals, and its stream-start steps, taken when the gate says
 * one may apply (or a pull block exists): out of line, so that the common
 * feed tests one word. SSE_GO, or the status to return. */
static simdsse_status feed_slow(simdsse_parser *p, sse_drive *d, sse_step *st) {
    if (p->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (simdsse__pull_pending(p)) return SIMDSSE_ERR_INPUT_PENDING;
    if (p->finished || p->broken) return SIMDSSE_ERR_NEEDS_RESET;
    /* The stream-start steps only while there is one to take (a BOM not
     * yet decided, a CR at the last chunk's end): a limit error there is
     * this feed's too. */
    p->first_error = 0;
    p->busy = true;
    if (p->bom_left || p->skip_lf) *st = simdsse__chunk_start(p, d);
    return SIMDSSE_OK;
}

/* The end of a feed that did not run to the chunk's end without incident:
 * a deferred reset or destroy, a stop, out of memory. */
static simdsse_status feed_end(simdsse_parser *p, const sse_drive *d, sse_step st,
                               size_t *consumed) {
    size_t pos = stopped_at(p, d);
    if (consumed) *consumed = pos;
    if (p->deferred) {
        /* A callback asked: the rest of the chunk is not read. */
        if (p->deferred == SSE_DEFER_DESTROY) {
            destroy_now(p);
            return SIMDSSE_DESTROYED;
        }
        clear_stream(p);
        return SIMDSSE_RESET;
    }
    /* Out of memory outranks a pause or a limit error met in the same call,
     * and is reported now, not by the next feed. */
    if (!p->broken && !simdsse__pin(p)) p->broken = true;
    p->offset += pos;
    if (p->broken) return SIMDSSE_ERR_NO_MEMORY;
    if (st == SSE_STOP) return SIMDSSE_PAUSED;
    return (simdsse_status)p->first_error;
}

simdsse_status simdsse_parser_feed(simdsse_parser *p, const void *data, size_t len,
                                   size_t *consumed) {
    if (consumed) *consumed = 0;
    if (!p || (!data && len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    sse_line recs[BATCH];
    sse_drive d = {data, len, 0, recs, BATCH, 0, 0, 0, 0};
    sse_step st = SSE_GO;
    /* One test for everything unusual: a gateway's reads are small, and
     * each call's fixed cost counts (the driver runs inline too). */
    if (SSE_UNLIKELY(p->gate | p->busy | (p->pull != NULL))) {
        simdsse_status refused = feed_slow(p, &d, &st);
        if (refused) return refused;
    } else {
        p->first_error = 0;
    }
    p->busy = true;
    if (SSE_LIKELY(st == SSE_GO)) st = drive(p, &d, false);
    p->busy = false;
    if (SSE_UNLIKELY(st != SSE_GO || p->deferred)) return feed_end(p, &d, st, consumed);
    /* The whole chunk was read (d.pos == len). What the pending event
     * borrows from it moves to the stores. */
    if (consumed) *consumed = len;
    p->offset += len;
    if (SSE_UNLIKELY(!simdsse__pin(p))) {
        p->broken = true;
        return SIMDSSE_ERR_NO_MEMORY;
    }
    return (simdsse_status)p->first_error;
}

simdsse_status simdsse_parser_finish(simdsse_parser *p) {
    if (!p) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (p->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (simdsse__pull_pending(p)) return SIMDSSE_ERR_INPUT_PENDING;
    if (p->broken) return SIMDSSE_ERR_NEEDS_RESET;
    /* "Once the end of the file is reached, any pending data must be
     *  discarded. (If the file ends in the middle of an event, before the
     *  final empty line, the incomplete event is not dispatched.)" An
     *  unterminated last line is not a line at all, so it is dropped too. */
    p->line_pending = false;
    p->line.len = 0;
    p->has_data = false;
    p->data.len = 0;
    p->type.len = 0;
    p->skip_line = false;
    p->skip_event = false;
    p->finished = true;
    return SIMDSSE_OK;
}

simdsse_status simdsse_parse(const void *data, size_t len, const simdsse_parser_options *opt) {
    simdsse_parser p;
    simdsse_status st = init(&p, opt);
    if (st != SIMDSSE_OK) return st;
    /* feed goes on past limit errors and returns the first; no callback can
     * reach this parser to reset or destroy it. */
    st = simdsse_parser_feed(&p, data, len, NULL);
    simdsse_parser_finish(&p);
    release(&p);
    return st;
}
