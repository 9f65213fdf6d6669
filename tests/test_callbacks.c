/*
 * test_callbacks.c -- what a callback may call on the object that called
 * it (include/simdsse.h, "Callbacks: what they may call"), from every kind
 * of callback: getters work; feed, finish, push, next and trim are refused
 * with SIMDSSE_ERR_IN_CALLBACK and change nothing; reset and destroy are
 * done when the running call returns, which says so. Run under ASan and
 * UBSan in CI: a use after free or a leak (the allocator counts) fails.
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "itemlog.h"

/* MARK: - A counting allocator */

static size_t live_bytes;

static void *c_malloc(void *ctx, size_t n) {
    (void)ctx;
    void *p = malloc(n);
    if (p) live_bytes += n;
    return p;
}
static void *c_realloc(void *ctx, void *ptr, size_t old, size_t n) {
    (void)ctx;
    void *p = realloc(ptr, n);
    if (p) live_bytes = live_bytes - old + n;
    return p;
}
static void c_free(void *ctx, void *ptr, size_t n) {
    (void)ctx;
    live_bytes -= n;
    free(ptr);
}

static simdsse_allocator counting(void) {
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = c_malloc;
    a.realloc = c_realloc;
    a.free = c_free;
    return a;
}

/* MARK: - The callback under test */

/* What the callback does when its item comes. */
enum action {
    ACT_TRY_FORBIDDEN, /* every refused call, and the getters */
    ACT_DESTROY,
    ACT_RESET,
    ACT_RESET_THEN_DESTROY,
    ACT_DESTROY_THEN_RESET,
    ACT_RESET_AND_PAUSE,
};

typedef struct ctx {
    itemlog log;         /* everything reported, as itemlog records */
    char target;         /* the item tag to act on: 'E', 'C', 'R', 'X' */
    enum action action;
    int acted;           /* times the action ran */
    int after;           /* callbacks after the action (must stay 0 for reset/destroy) */
} ctx;

/* Returns what the callback returns: 1 right after a reset or destroy (or
 * for ACT_RESET_AND_PAUSE), to show that the value no longer matters. */
static int act(ctx *c, char tag) {
    simdsse_parser *p = c->log.parser;
    if (c->acted) {
        c->after++;
        return 0;
    }
    if (tag != c->target) return 0;
    c->acted++;
    switch (c->action) {
    case ACT_TRY_FORBIDDEN: {
        size_t used = 99;
        CHECK(simdsse_parser_feed(p, "data: x\n\n", 9, &used) == SIMDSSE_ERR_IN_CALLBACK &&
                  used == 0,
              "%c: feed from a callback is refused", tag);
        CHECK(simdsse_parser_finish(p) == SIMDSSE_ERR_IN_CALLBACK, "%c: finish refused", tag);
        CHECK(simdsse_parser_push(p, "data: x\n\n", 9) == SIMDSSE_ERR_IN_CALLBACK,
              "%c: push refused", tag);
        const simdsse_item *it = NULL;
        CHECK(simdsse_parser_next(p, &it) == SIMDSSE_ERR_IN_CALLBACK && it == NULL,
              "%c: next (the macro) refused", tag);
        CHECK((simdsse_parser_next)(p, &it) == SIMDSSE_ERR_IN_CALLBACK && it == NULL,
              "%c: next (the function) refused", tag);
        simdsse_status fst = SIMDSSE_OK;
        int loops = 0;
        SIMDSSE_PARSER_FOREACH(p, it, fst) loops++;
        CHECK(fst == SIMDSSE_ERR_IN_CALLBACK && loops == 0, "%c: SIMDSSE_PARSER_FOREACH refused", tag);
        CHECK(simdsse_parser_trim(p) == SIMDSSE_ERR_IN_CALLBACK, "%c: trim refused", tag);
        /* Getters work. */
        CHECK(simdsse_parser_memory(p) > 0 && simdsse_parser_kernel(p) != NULL,
              "%c: memory and kernel getters", tag);
        CHECK(simdsse_parser_last_event_id(p).ptr != NULL, "%c: last event ID getter", tag);
        /* Other objects are fine: a parser of its own, inside this callback. */
        simdsse_parser_options o;
        simdsse_parser_options_init(&o);
        itemlog inner = {0};
        log_callbacks(&o, &inner);
        simdsse_parser *q = simdsse_parser_create(&o, NULL);
        inner.parser = q;
        CHECK(q && simdsse_parser_feed(q, "data: inner\n\n", 13, NULL) == SIMDSSE_OK &&
                  inner.items == 1,
              "%c: another parser runs inside a callback", tag);
        simdsse_parser_destroy(q);
        log_free(&inner);
        break;
    }
    case ACT_DESTROY: simdsse_parser_destroy(p); break;
    case ACT_RESET: simdsse_parser_reset(p); break;
    case ACT_RESET_THEN_DESTROY:
        simdsse_parser_reset(p);
        simdsse_parser_destroy(p);
        break;
    case ACT_DESTROY_THEN_RESET:
        simdsse_parser_destroy(p);
        simdsse_parser_reset(p); /* on a parser already condemned: still deferred */
        break;
    case ACT_RESET_AND_PAUSE: simdsse_parser_reset(p); break;
    }
    return c->action != ACT_TRY_FORBIDDEN;
}

/* Each callback logs (so the log shows what ran), then acts. */
static int cb_event(void *user, const simdsse_event *e) {
    ctx *c = user;
    if (!c->acted && c->target == 'E' && c->action == ACT_TRY_FORBIDDEN) {
        simdsse_span id = simdsse_parser_last_event_id(c->log.parser);
        CHECK(id.len == e->id.len && memcmp(id.ptr, e->id.ptr, id.len) == 0,
              "in on_event the last event ID getter is the event's id");
    }
    log_event(&c->log, e);
    return act(c, 'E');
}
static int cb_comment(void *user, simdsse_span text) {
    ctx *c = user;
    log_comment(&c->log, text);
    return act(c, 'C');
}
static int cb_retry(void *user, uint64_t ms) {
    ctx *c = user;
    CHECK(simdsse_parser_retry(c->log.parser) == ms,
          "in on_retry the retry getter is the new time");
    log_retry(&c->log, ms);
    return act(c, 'R');
}
static int cb_error(void *user, const simdsse_error *e) {
    ctx *c = user;
    log_error(&c->log, e);
    return act(c, 'X');
}

/* id, then an event; a comment; a retry; an event over max_data (error);
 * then more, which a reset or destroy must keep from being read. */
static const char stream[] = "id: 42\ndata: first\n\n"
                             ": note\n"
                             "retry: 700\n"
                             "data: this is too long\n\n"
                             "data: later\n\n";
/* Where each item's line ends (the byte after its line end). */
static size_t line_end_of(char tag) {
    const char *at = tag == 'E' ? strstr(stream, "first\n\n") + 7
                   : tag == 'C' ? strstr(stream, ": note\n") + 7
                   : tag == 'R' ? strstr(stream, "retry: 700\n") + 11
                                : strstr(stream, "this is too long\n") + 17;
    return (size_t)(at - stream);
}

static simdsse_parser *make(ctx *c, const simdsse_allocator *a) {
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = cb_event;
    o.on_comment = cb_comment;
    o.on_retry = cb_retry;
    o.on_error = cb_error;
    o.user = c;
    o.max_data_length = 10;
    o.allocator = a;
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    c->log.parser = p;
    return p;
}

/* The log of the stream with nothing done in the callbacks. */
static void clean_log(itemlog *out) {
    ctx c;
    memset(&c, 0, sizeof c);
    c.target = 0;
    simdsse_parser *p = make(&c, NULL);
    CHECK(simdsse_parser_feed(p, stream, sizeof stream - 1, NULL) == SIMDSSE_ERR_DATA_TOO_LONG,
          "the clean run reports the limit error");
    simdsse_parser_destroy(p);
    *out = c.log;
}

static const char tags[] = {'E', 'C', 'R', 'X'};

static void forbidden_calls(const itemlog *clean) {
    for (size_t t = 0; t < sizeof tags; t++) {
        ctx c;
        memset(&c, 0, sizeof c);
        c.target = tags[t];
        c.action = ACT_TRY_FORBIDDEN;
        simdsse_parser *p = make(&c, NULL);
        size_t used;
        simdsse_status st = simdsse_parser_feed(p, stream, sizeof stream - 1, &used);
        CHECK(c.acted == 1, "%c: the callback ran", tags[t]);
        CHECK(st == SIMDSSE_ERR_DATA_TOO_LONG && used == sizeof stream - 1,
              "%c: feed went on as if nothing had been tried: %s, %zu", tags[t],
              simdsse_strerror(st), used);
        CHECK(log_same(&c.log, clean), "%c: what was reported is the clean run's", tags[t]);
        /* The parser is sound: it goes on. */
        CHECK(simdsse_parser_feed(p, "data: more\n\n", 12, NULL) == SIMDSSE_OK, "%c: and goes on",
              tags[t]);
        CHECK(simdsse_parser_finish(p) == SIMDSSE_OK, "%c: finish afterwards", tags[t]);
        simdsse_parser_destroy(p);
        log_free(&c.log);
    }
}

static void deferred(void) {
    simdsse_allocator a = counting();
    for (size_t t = 0; t < sizeof tags; t++) {
        for (int action = ACT_DESTROY; action <= ACT_RESET_AND_PAUSE; action++) {
            ctx c;
            memset(&c, 0, sizeof c);
            c.target = tags[t];
            c.action = (enum action)action;
            simdsse_parser *p = make(&c, &a);
            size_t used = 0;
            simdsse_status st = simdsse_parser_feed(p, stream, sizeof stream - 1, &used);
            bool destroyed = action == ACT_DESTROY || action == ACT_RESET_THEN_DESTROY ||
                             action == ACT_DESTROY_THEN_RESET;
            CHECK(c.acted == 1 && c.after == 0, "%c/%d: acted %d, %d callbacks after", tags[t],
                  action, c.acted, c.after);
            CHECK(st == (destroyed ? SIMDSSE_DESTROYED : SIMDSSE_RESET), "%c/%d: feed returned %s",
                  tags[t], action, simdsse_strerror(st));
            CHECK(used == line_end_of(tags[t]), "%c/%d: consumed %zu, the item's line ends at %zu",
                  tags[t], action, used, line_end_of(tags[t]));
            if (destroyed) {
                CHECK(live_bytes == 0, "%c/%d: %zu bytes still held after the destroy", tags[t],
                      action, live_bytes);
            } else {
                /* A reset: a new stream, the last event ID and retry kept. */
                CHECK(simdsse_parser_offset(p) == 0, "%c/%d: offset back to 0", tags[t], action);
                simdsse_span id = simdsse_parser_last_event_id(p); /* the stream's first event's */
                CHECK(id.len == 2 && memcmp(id.ptr, "42", 2) == 0, "%c/%d: last event ID kept",
                      tags[t], action);
                CHECK(simdsse_parser_retry(p) == (tags[t] == 'R' || tags[t] == 'X' ? 700u : 3000u),
                      "%c/%d: reconnection time kept", tags[t], action);
                size_t before = c.log.items;
                c.acted = 2; /* log only from here */
                c.after = 0;
                CHECK(simdsse_parser_feed(p, "data: next\n\n", 12, NULL) == SIMDSSE_OK,
                      "%c/%d: the next stream parses", tags[t], action);
                CHECK(c.log.items == before + 1, "%c/%d: its event came", tags[t], action);
                simdsse_parser_destroy(p);
                CHECK(live_bytes == 0, "%c/%d: %zu bytes leaked", tags[t], action, live_bytes);
            }
            log_free(&c.log);
        }
    }
}

/* MARK: - "Reconnect on error", as a Node EventSource binding does it */

typedef struct client {
    simdsse_parser *p;
    int reconnects;
    bool close_on_error; /* EventSource.close() instead of reconnecting */
    itemlog events;
} client;

static int client_event(void *user, const simdsse_event *e) {
    client *c = user;
    log_event(&c->events, e);
    return 0;
}
static int client_error(void *user, const simdsse_error *e) {
    client *c = user;
    (void)e;
    /* The handler the binding runs: drop this connection's stream. */
    if (c->close_on_error)
        simdsse_parser_destroy(c->p);
    else
        simdsse_parser_reset(c->p);
    return 0;
}

static void reconnect_on_error(void) {
    for (int close = 0; close < 2; close++) {
        simdsse_allocator a = counting();
        client c;
        memset(&c, 0, sizeof c);
        c.close_on_error = close;
        simdsse_parser_options o;
        simdsse_parser_options_init(&o);
        o.on_event = client_event;
        o.on_error = client_error;
        o.user = &c;
        o.max_line_length = 32;
        o.allocator = &a;
        c.p = simdsse_parser_create(&o, NULL);
        c.events.parser = c.p;
        /* Connection 1 sends two events, then garbage that trips a limit,
         * then more that must not be read; connection 2 resumes. */
        const char *conns[] = {"id: 1\ndata: a\n\nid: 2\ndata: b\n\ndata: "
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\nid: 3\ndata: never\n\n",
                               "id: 3\ndata: c\n\n"};
        for (int k = 0; k < 2 && c.p; k++) {
            const char *s = conns[k];
            size_t len = strlen(s), at = 0;
            while (at < len) { /* a socket delivering 7 bytes at a time */
                size_t n = len - at < 7 ? len - at : 7;
                simdsse_status st = simdsse_parser_feed(c.p, s + at, n, NULL);
                if (st == SIMDSSE_DESTROYED) {
                    c.p = NULL;
                    break;
                }
                if (st == SIMDSSE_RESET) {
                    c.reconnects++;
                    break; /* the rest of this connection is dropped */
                }
                CHECK(st == SIMDSSE_OK, "connection %d: %s", k + 1, simdsse_strerror(st));
                at += n;
            }
        }
        if (close) {
            CHECK(c.p == NULL && live_bytes == 0, "close on error: destroyed, nothing held");
            CHECK(c.events.items == 2, "close on error: %zu events before it", c.events.items);
        } else {
            CHECK(c.reconnects == 1, "one reconnection (%d)", c.reconnects);
            CHECK(c.events.items == 3, "events 1, 2, then 3 of the next connection (%zu)",
                  c.events.items);
            simdsse_span id = simdsse_parser_last_event_id(c.p);
            CHECK(id.len == 1 && id.ptr[0] == '3', "the last event ID is the new connection's");
            simdsse_parser_destroy(c.p);
            CHECK(live_bytes == 0, "%zu bytes leaked", live_bytes);
        }
        /* (log_free, not destroy: the parser in it is gone.) */
        log_free(&c.events);
    }
}

/* MARK: - The validator's callback */

typedef struct vctx {
    simdsse_validator *v;
    int action; /* 0 try forbidden, 1 reset, 2 destroy */
    int calls;
} vctx;

static int on_diag(void *user, const simdsse_diagnostic *d) {
    vctx *c = user;
    (void)d;
    if (c->calls++) return 0;
    switch (c->action) {
    case 0: {
        CHECK(simdsse_validator_feed(c->v, "x\n", 2) == SIMDSSE_ERR_IN_CALLBACK,
              "validator feed from on_diagnostic refused");
        CHECK(simdsse_validator_finish(c->v) == SIMDSSE_ERR_IN_CALLBACK,
              "validator finish from on_diagnostic refused");
        simdsse_validation r;
        simdsse_validation_init(&r);
        CHECK(simdsse_validator_result(c->v, &r) == SIMDSSE_OK && r.errors == 1,
              "the result getter works in on_diagnostic (%llu errors)",
              (unsigned long long)r.errors);
        break;
    }
    case 1: simdsse_validator_reset(c->v); break;
    default: simdsse_validator_destroy(c->v); break;
    }
    return 0;
}

static void validator_rules(void) {
    static const char bad[] = "Data: x\n\ndata: y\n\n"; /* unknown-field first */
    for (int action = 0; action < 3; action++) {
        simdsse_allocator a = counting();
        vctx c = {NULL, action, 0};
        simdsse_validator_options o;
        simdsse_validator_options_init(&o);
        o.on_diagnostic = on_diag;
        o.user = &c;
        o.allocator = &a;
        c.v = simdsse_validator_create(&o, NULL);
        CHECK(c.v != NULL, "validator");
        simdsse_status st = simdsse_validator_feed(c.v, bad, sizeof bad - 1);
        simdsse_validation r;
        simdsse_validation_init(&r);
        if (action == 0) {
            CHECK(st == SIMDSSE_OK, "feed went on: %s", simdsse_strerror(st));
            CHECK(simdsse_validator_finish(c.v) == SIMDSSE_OK, "finish");
            CHECK(simdsse_validator_result(c.v, &r) == SIMDSSE_OK && r.events == 1 && r.errors == 1,
                  "counts as without the refused calls");
        } else if (action == 1) {
            CHECK(st == SIMDSSE_RESET, "reset from on_diagnostic: %s", simdsse_strerror(st));
            CHECK(simdsse_validator_result(c.v, &r) == SIMDSSE_OK && r.errors == 0 && r.events == 0,
                  "the validator starts over");
            CHECK(simdsse_validator_feed(c.v, "data: z\n\n", 9) == SIMDSSE_OK &&
                      simdsse_validator_result(c.v, &r) == SIMDSSE_OK && r.events == 1,
                  "and validates the next stream");
        } else {
            CHECK(st == SIMDSSE_DESTROYED && live_bytes == 0, "destroy from on_diagnostic: %s",
                  simdsse_strerror(st));
            c.v = NULL;
        }
        simdsse_validator_destroy(c.v);
        CHECK(live_bytes == 0, "validator %d: %zu bytes leaked", action, live_bytes);
    }
}

int main(void) {
    itemlog clean;
    clean_log(&clean);
    CHECK(clean.items == 5, "the clean run reports 5 items (%zu)", clean.items);
    forbidden_calls(&clean);
    deferred();
    reconnect_on_error();
    validator_rules();
    log_free(&clean);
    return check_done();
}
