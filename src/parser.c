/*
 * parser.c -- the streaming parser: chunks in, lines to the assembler.
 * SPDX-License-Identifier: MIT
 *
 * feed() hands the caller's chunk to the kernel, which splits it into line
 * records in batches, and passes those to the assembler: lines lying wholly
 * inside the chunk are never copied. Only what a chunk boundary cuts is
 * carried over: an unfinished line (into `line`), a CR whose LF may start the
 * next chunk (`skip_lf`), a BOM split across chunks (`bom_seen`), and the
 * spans of an event not yet dispatched (pinned into the parser's stores).
 */
#include <stdlib.h>

#include "parser.h"

#define BATCH 256 /* line records per kernel call: 3 KiB of stack */

/* "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark". */
static const char utf8_bom[3] = {'\xEF', '\xBB', '\xBF'};

void simdsse_options_init(simdsse_options *o) {
    if (!o) return;
    o->max_line_length = SIMDSSE_DEFAULT_MAX_LINE_LENGTH;
    o->max_data_length = SIMDSSE_DEFAULT_MAX_DATA_LENGTH;
    o->max_type_length = SIMDSSE_DEFAULT_MAX_TYPE_LENGTH;
    o->max_id_length = SIMDSSE_DEFAULT_MAX_ID_LENGTH;
    o->initial_retry_ms = SIMDSSE_DEFAULT_RETRY_MS;
    o->kernel = NULL;
    o->allocator = NULL;
}

static simdsse_status init(simdsse_parser *p, const simdsse_callbacks *cb, void *user,
                           const simdsse_options *opt) {
    simdsse_options defaults;
    if (!opt) {
        simdsse_options_init(&defaults);
        opt = &defaults;
    }
    memset(p, 0, sizeof *p);
    simdsse_status st;
    p->kernel = opt->kernel ? simdsse__kernel_lookup(opt->kernel, &st) : simdsse__kernel_default(&st);
    if (!p->kernel) return st;
    p->kernel_short = simdsse__kernel_short(p->kernel);
    if (cb) p->cb = *cb;
    p->user = user;
    p->alloc = simdsse__default_allocator;
    if (opt->allocator) p->alloc = *opt->allocator;
    p->max_line = opt->max_line_length;
    p->max_data = opt->max_data_length;
    p->max_type = opt->max_type_length;
    p->max_id = opt->max_id_length;
    p->retry = opt->initial_retry_ms;
    p->last_id_ptr = "";
    return SIMDSSE_OK;
}

simdsse_parser *simdsse_parser_create2(const simdsse_callbacks *cb, void *user,
                                       const simdsse_options *opt, simdsse_status *status) {
    simdsse_status st = SIMDSSE_ERR_INVALID_ARGUMENT;
    simdsse_parser *p = NULL;
    const simdsse_allocator *a = &simdsse__default_allocator;
    if (opt && opt->allocator) {
        a = opt->allocator;
        if (!a->malloc || !a->realloc || !a->free) goto out;
    }
    p = a->malloc(a->ctx, sizeof *p);
    if (!p) {
        st = SIMDSSE_ERR_NO_MEMORY;
        goto out;
    }
    st = init(p, cb, user, opt);
    if (st != SIMDSSE_OK) {
        a->free(a->ctx, p, sizeof *p);
        p = NULL;
    }
out:
    if (status) *status = st;
    return p;
}

simdsse_parser *simdsse_parser_create(const simdsse_callbacks *cb, void *user,
                                      const simdsse_options *opt) {
    return simdsse_parser_create2(cb, user, opt, NULL);
}

static void release(simdsse_parser *p) {
    simdsse__buf_free(&p->alloc, &p->data_store);
    simdsse__buf_free(&p->alloc, &p->type_store);
    simdsse__buf_free(&p->alloc, &p->id_buf);
    simdsse__buf_free(&p->alloc, &p->last_id);
    simdsse__buf_free(&p->alloc, &p->line);
}

void simdsse_parser_destroy(simdsse_parser *p) {
    if (!p) return;
    simdsse_allocator a = p->alloc;
    release(p);
    a.free(a.ctx, p, sizeof *p);
}

/* Stream state back to "new stream"; what survives a reconnection stays. */
static void clear_stream(simdsse_parser *p) {
    p->offset = 0;
    p->error_offset = 0;
    p->data.len = 0;
    p->type.len = 0;
    p->line.len = 0;
    p->bom_seen = 0;
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
}

void simdsse_parser_reset(simdsse_parser *p) {
    if (p) clear_stream(p);
}

void simdsse_parser_trim(simdsse_parser *p) {
    if (!p) return;
    if (!p->line_pending) simdsse__buf_free(&p->alloc, &p->line);
    if (!p->has_data) simdsse__buf_free(&p->alloc, &p->data_store);
    if (!p->type.len) simdsse__buf_free(&p->alloc, &p->type_store);
    if (!p->id_changed) simdsse__buf_free(&p->alloc, &p->id_buf);
}

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
uint64_t simdsse_parser_error_offset(const simdsse_parser *p) { return p ? p->error_offset : 0; }
const char *simdsse_parser_kernel(const simdsse_parser *p) { return p ? p->kernel->name : NULL; }

size_t simdsse_parser_memory(const simdsse_parser *p) {
    if (!p) return 0;
    return sizeof *p + p->data_store.cap + p->type_store.cap + p->id_buf.cap + p->last_id.cap +
           p->line.cap;
}

/* Appends n bytes of an unfinished line, starting one at stream offset `at`
 * if none is pending. Enforces max_line_length as the bytes arrive, so a
 * line with no end never holds more than the limit. */
static sse_step carry(simdsse_parser *p, const char *s, size_t n, uint64_t at) {
    if (p->skip_line) return 0;
    if (!p->line_pending) {
        /* Spans may borrow `line`: copy them out before it is overwritten. */
        if (!simdsse__pin(p)) goto no_memory;
        p->line.len = 0;
        p->line_offset = at;
        p->line_pending = true;
    }
    if (n > p->max_line - p->line.len) {
        p->line_pending = false;
        p->line.len = 0;
        p->skip_line = true;
        return simdsse__fail(p, SIMDSSE_ERR_LINE_TOO_LONG, p->line_offset + p->max_line);
    }
    if (!n) return 0;
    size_t need = p->line.len + n;
    if (need > p->line.cap && !simdsse__buf_reserve(&p->alloc, &p->line, need, p->max_line))
        goto no_memory;
    memcpy(p->line.ptr + p->line.len, s, n);
    p->line.len = need;
    return 0;
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

simdsse_status simdsse_parser_feed(simdsse_parser *p, const void *data, size_t len,
                                   size_t *consumed) {
    const char *buf = data;
    size_t pos = 0;
    sse_step st = 0;
    if (consumed) *consumed = 0;
    if (!p || (!data && len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (p->finished || p->broken) return SIMDSSE_ERR_NEEDS_RESET;

    /* A BOM is looked for once, at stream start, however the stream is cut. */
    if (SSE_UNLIKELY(p->bom_seen < 3)) {
        while (pos < len && p->bom_seen < 3 && buf[pos] == utf8_bom[p->bom_seen]) {
            p->bom_seen++;
            pos++;
        }
        if (p->bom_seen < 3 && pos < len) {
            /* Not a BOM after all: the bytes matched so far start line 1. */
            uint8_t matched = p->bom_seen;
            p->bom_seen = 3;
            if (matched) st = carry(p, utf8_bom, matched, 0);
            if (st) goto out;
        }
    }
    if (SSE_UNLIKELY(p->skip_lf) && pos < len) {
        p->skip_lf = false;
        if (buf[pos] == '\n') pos++;
    }

    sse_line recs[BATCH];
    while (pos < len) {
        if (SSE_UNLIKELY(p->line_pending || p->skip_line)) {
            /* Finish the line a chunk boundary cut. */
            size_t end = pos + p->kernel->find_eol(buf + pos, len - pos);
            st = carry(p, buf + pos, end - pos, p->offset + pos);
            if (st) {
                pos = end;
                goto out;
            }
            pos = end;
            if (end == len) break;
            pos++;
            after_line_end(p, buf, len, &pos);
            if (p->skip_line) {
                p->skip_line = false;
                continue;
            }
            p->line_pending = false;
            st = simdsse__assemble_line(p, p->line.ptr, p->line.len, p->line_offset);
            if (st) goto out;
            /* Spans borrowed from `line` move to the stores: from here on
             * the assembler reads the chunk (see src_end). */
            if (!simdsse__pin(p)) {
                p->broken = true;
                st = SIMDSSE_ERR_NO_MEMORY;
                goto out;
            }
            continue;
        }

        size_t window = len - pos < SSE_SCAN_MAX ? len - pos : SSE_SCAN_MAX;
        size_t next, done;
        /* Streams of short lines (under 32 bytes on average, so about
         * three line ends a block) take the kernel's variant that walks
         * a block's ends without a loop exit that mispredicts on them. The
         * choice changes once per batch at most, so it predicts well. */
        size_t n = (p->short_lines ? p->kernel_short : p->kernel)->scan(buf + pos, window, recs,
                                                                       BATCH, &next);
        p->short_lines = n * 32 > next;
        st = simdsse__assemble(p, buf + pos, len - pos, p->offset + pos, recs, n, &done);
        if (st) {
            size_t stop = done < n ? recs[done].start : next;
            pos += stop;
            if (stop == window) after_line_end(p, buf, len, &pos);
            goto out;
        }
        if (n == BATCH || next == window) {
            pos += next;
            if (next == window) after_line_end(p, buf, len, &pos);
            continue;
        }
        if (window < len - pos && next > 0) {
            pos += next; /* rescan the unfinished line from its start */
            continue;
        }
        /* buf[pos + next, pos + window) is an unfinished line. */
        st = carry(p, buf + pos + next, window - next, p->offset + pos + next);
        pos += window;
        if (st) goto out;
    }

out:
    if (!p->broken && !simdsse__pin(p)) {
        /* Reported now, not by the next feed: out of memory outranks a
         * pause or a limit error met in the same call. */
        p->broken = true;
        st = SIMDSSE_ERR_NO_MEMORY;
    }
    p->offset += pos;
    if (consumed) *consumed = pos;
    return (simdsse_status)st;
}

simdsse_status simdsse_parser_finish(simdsse_parser *p) {
    if (!p) return SIMDSSE_ERR_INVALID_ARGUMENT;
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

simdsse_status simdsse_parse(const void *data, size_t len, const simdsse_callbacks *cb, void *user,
                             const simdsse_options *opt) {
    simdsse_parser p;
    simdsse_status st = init(&p, cb, user, opt);
    if (st != SIMDSSE_OK) return st;
    if (!data && len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    /* One call, so nothing is lost: go on past limit errors (each drops only
     * its own event) and report the first. A pause ends the parse. */
    const char *s = data;
    simdsse_status first = SIMDSSE_OK;
    for (;;) {
        size_t used;
        simdsse_status r = simdsse_parser_feed(&p, s, len, &used);
        s += used;
        len -= used;
        if (r == SIMDSSE_OK) break;
        if (first == SIMDSSE_OK) first = r;
        if (r == SIMDSSE_PAUSED || r == SIMDSSE_ERR_NO_MEMORY || r == SIMDSSE_ERR_NEEDS_RESET) break;
    }
    simdsse_parser_finish(&p);
    release(&p);
    return first;
}
