/*
 * itemlog.h -- what a parser reports, through its callbacks or its pull
 * API, as one byte log: runs are compared with a memcmp.
 * SPDX-License-Identifier: MIT
 *
 * Each record is a tag (E event, C comment, R retry, X limit error), the
 * item's contents, and what the getters said right then (last event ID,
 * reconnection time), since the pull API promises the getters answer for
 * the item just taken as they would inside its callback.
 */
#ifndef SIMDSSE_TEST_ITEMLOG_H
#define SIMDSSE_TEST_ITEMLOG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simdsse.h"

#if defined(__GNUC__)
#  define IL_UNUSED __attribute__((unused))
#else
#  define IL_UNUSED
#endif

/* Growable bytes (also what tests build their streams in). */
typedef struct il_bytes {
    char *p;
    size_t len, cap;
} il_bytes;

static IL_UNUSED void il_put(il_bytes *b, const void *s, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
}

typedef struct itemlog {
    il_bytes b;
    size_t items;
    simdsse_parser *parser; /* whose getters to log */
} itemlog;

static IL_UNUSED void log_put(itemlog *l, const void *s, size_t n) { il_put(&l->b, s, n); }

static IL_UNUSED void log_u64(itemlog *l, uint64_t v) { log_put(l, &v, sizeof v); }

static IL_UNUSED void log_span(itemlog *l, simdsse_span s) {
    log_u64(l, s.len);
    log_put(l, s.ptr, s.len);
}

static IL_UNUSED void log_state(itemlog *l) {
    log_span(l, simdsse_parser_last_event_id(l->parser));
    log_u64(l, simdsse_parser_retry(l->parser));
    l->items++;
}

static IL_UNUSED void log_event(itemlog *l, const simdsse_event *e) {
    log_put(l, "E", 1);
    log_span(l, e->type);
    log_span(l, e->data);
    log_span(l, e->id);
    log_u64(l, e->offset);
    log_state(l);
}

static IL_UNUSED void log_comment(itemlog *l, simdsse_span text) {
    log_put(l, "C", 1);
    log_span(l, text);
    log_state(l);
}

static IL_UNUSED void log_retry(itemlog *l, uint64_t ms) {
    log_put(l, "R", 1);
    log_u64(l, ms);
    log_state(l);
}

static IL_UNUSED void log_error(itemlog *l, const simdsse_error *e) {
    log_put(l, "X", 1);
    log_u64(l, (uint64_t)(int64_t)e->status);
    log_u64(l, e->offset);
    log_state(l);
}

static IL_UNUSED void log_item(itemlog *l, const simdsse_item *it) {
    switch (it->kind) {
    case SIMDSSE_ITEM_EVENT: log_event(l, &it->event); break;
    case SIMDSSE_ITEM_COMMENT: log_comment(l, it->comment); break;
    case SIMDSSE_ITEM_RETRY: log_retry(l, it->retry); break;
    case SIMDSSE_ITEM_ERROR: log_error(l, &it->error); break;
    default: log_put(l, "?", 1); break;
    }
}

/* Callbacks that log into the itemlog given as `user`. */
static IL_UNUSED int log_on_event(void *user, const simdsse_event *e) {
    log_event(user, e);
    return 0;
}
static IL_UNUSED int log_on_comment(void *user, simdsse_span text) {
    log_comment(user, text);
    return 0;
}
static IL_UNUSED int log_on_retry(void *user, uint64_t ms) {
    log_retry(user, ms);
    return 0;
}
static IL_UNUSED int log_on_error(void *user, const simdsse_error *e) {
    log_error(user, e);
    return 0;
}

/* Sets every callback of *o to log into l. */
static IL_UNUSED void log_callbacks(simdsse_parser_options *o, itemlog *l) {
    o->on_event = log_on_event;
    o->on_comment = log_on_comment;
    o->on_retry = log_on_retry;
    o->on_error = log_on_error;
    o->user = l;
}

/* The end of a run: a final record of the parser's state. */
static IL_UNUSED void log_end(itemlog *l, const char *tag) {
    log_put(l, tag, strlen(tag));
    log_u64(l, simdsse_parser_offset(l->parser));
    log_state(l);
    l->items--;
}

static IL_UNUSED int log_same(const itemlog *a, const itemlog *b) {
    return a->b.len == b->b.len && (a->b.len == 0 || memcmp(a->b.p, b->b.p, a->b.len) == 0);
}

/* Where two logs first differ. */
static IL_UNUSED size_t log_diverge(const itemlog *a, const itemlog *b) {
    size_t i = 0;
    while (i < a->b.len && i < b->b.len && a->b.p[i] == b->b.p[i]) i++;
    return i;
}

static IL_UNUSED void log_free(itemlog *l) {
    free(l->b.p);
    memset(l, 0, sizeof *l);
}

#endif
