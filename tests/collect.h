/*
 * collect.h -- parse a stream with any chunking and keep copies of what the
 * parser reported, so tests can compare runs with each other and with
 * expectations.
 * SPDX-License-Identifier: MIT
 *
 * Includes guard.h: define _DEFAULT_SOURCE before any #include.
 */
#ifndef SIMDSSE_TEST_COLLECT_H
#define SIMDSSE_TEST_COLLECT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "simdsse.h"

typedef struct owned {
    char *ptr;
    size_t len;
} owned;

typedef struct got_event {
    owned type, data, id;
    uint64_t offset;
} got_event;

typedef struct collected {
    got_event *ev;
    size_t n, cap;
    uint64_t retries;  /* how many on_retry calls */
    uint64_t comments; /* how many on_comment calls */
    size_t comment_bytes;
    int first_error;   /* the first limit error (on_error) */
    uint64_t error_offset;
    size_t errors;     /* on_error calls */
    /* parser state at the end */
    uint64_t retry;
    owned last_id;
} collected;

static owned own(simdsse_span s) {
    if (!s.ptr) { /* the header's promise: a span's ptr is never NULL, "" included */
        fprintf(stderr, "collect.h: the parser reported a span whose ptr is NULL\n");
        abort();
    }
    owned o;
    o.len = s.len;
    o.ptr = malloc(s.len + 1);
    if (!o.ptr) abort();
    if (s.len) memcpy(o.ptr, s.ptr, s.len);
    o.ptr[s.len] = 0;
    return o;
}

static int collect_event(void *user, const simdsse_event *e) {
    collected *c = user;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->ev = realloc(c->ev, c->cap * sizeof *c->ev);
        if (!c->ev) abort();
    }
    got_event *g = &c->ev[c->n++];
    g->type = own(e->type);
    g->data = own(e->data);
    g->id = own(e->id);
    g->offset = e->offset;
    return 0;
}

static int collect_retry(void *user, uint64_t ms) {
    collected *c = user;
    c->retries++;
    (void)ms;
    return 0;
}

static int collect_comment(void *user, simdsse_span text) {
    collected *c = user;
    c->comments++;
    c->comment_bytes += text.len;
    return 0;
}

static int collect_error(void *user, const simdsse_error *e) {
    collected *c = user;
    if (!c->errors++) {
        c->first_error = e->status;
        c->error_offset = e->offset;
    }
    return 0;
}

/* The collecting callbacks, into *o. */
static void collect_callbacks(simdsse_parser_options *o, collected *c) {
    o->on_event = collect_event;
    o->on_retry = collect_retry;
    o->on_comment = collect_comment;
    o->on_error = collect_error;
    o->user = c;
}

static void collected_free(collected *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->ev[i].type.ptr);
        free(c->ev[i].data.ptr);
        free(c->ev[i].id.ptr);
    }
    free(c->ev);
    free(c->last_id.ptr);
    memset(c, 0, sizeof *c);
}

static int owned_eq(owned a, const char *p, size_t len) {
    return a.len == len && (len == 0 || memcmp(a.ptr, p, len) == 0);
}

static int collected_eq(const collected *a, const collected *b) {
    if (a->n != b->n || a->retry != b->retry || a->retries != b->retries ||
        a->comments != b->comments || a->comment_bytes != b->comment_bytes ||
        a->first_error != b->first_error || a->errors != b->errors ||
        a->error_offset != b->error_offset ||
        !owned_eq(a->last_id, b->last_id.ptr, b->last_id.len))
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const got_event *x = &a->ev[i], *y = &b->ev[i];
        if (!owned_eq(x->type, y->type.ptr, y->type.len) ||
            !owned_eq(x->data, y->data.ptr, y->data.len) ||
            !owned_eq(x->id, y->id.ptr, y->id.len) || x->offset != y->offset)
            return 0;
    }
    return 1;
}

/* simdsse_parser_feed with data[0, len) copied flush against an
 * inaccessible page first (NULL stays NULL). */
static inline simdsse_status feed_guarded(simdsse_parser *p, const void *data, size_t len, size_t *used) {
    static guard_buf guard;
    return simdsse_parser_feed(p, data ? guard_place(&guard, data, len) : NULL, len, used);
}

/*
 * Parses `len` bytes of `in`, fed in chunks of `chunk` bytes (0: all at
 * once), the first chunk `shift % chunk` bytes shorter (with chunk 0, the
 * first `shift` bytes are fed alone). Each chunk is copied flush against an
 * inaccessible page first (guard.h), so a parser reading past a chunk
 * faults, and one keeping a pointer into a chunk it was fed reads poison;
 * `shift` moves the chunk boundaries, and with them each chunk's start
 * address. feed goes on past limit errors (on_error collects them) and
 * reads every chunk whole. Returns 0, or -1 on a status that ends the
 * stream (no memory). `opt` NULL: the defaults.
 */
static int collect_parse(collected *c, const char *in, size_t len, size_t chunk, size_t shift,
                         const simdsse_parser_options *opt) {
    static guard_buf guard;
    memset(c, 0, sizeof *c);
    simdsse_parser_options o;
    if (opt)
        o = *opt;
    else
        simdsse_parser_options_init(&o);
    collect_callbacks(&o, c);
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    if (!p) return -1;
    size_t first = chunk ? chunk - shift % chunk : shift && shift < len ? shift : len;
    if (!chunk) chunk = len ? len : 1;
    int rc = 0;
    for (size_t at = 0, n = first; at < len || (len == 0 && at == 0); at += n, n = chunk) {
        if (n > len - at) n = len - at;
        const char *s = guard_place(&guard, in + at, n);
        size_t left = n;
        for (;;) {
            size_t used;
            simdsse_status st = simdsse_parser_feed(p, s, left, &used);
            s += used;
            left -= used;
            if (st == SIMDSSE_PAUSED) continue;
            if (st == SIMDSSE_ERR_NO_MEMORY || st == SIMDSSE_ERR_NEEDS_RESET) rc = -1;
            break; /* OK or a limit error: the chunk was read whole */
        }
        if (rc || len == 0) break;
    }
    simdsse_parser_finish(p);
    c->retry = simdsse_parser_retry(p);
    c->last_id = own(simdsse_parser_last_event_id(p));
    simdsse_parser_destroy(p);
    return rc;
}

#endif
