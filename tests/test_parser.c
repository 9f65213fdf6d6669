/*
 * test_parser.c -- the streaming API's contract: zero copy, chunk
 * boundaries, pausing, limits and what state they leave, memory bounds,
 * allocation behaviour, finish/reset, and status messages.
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "collect.h"

#define S(lit) lit, sizeof(lit) - 1

static int parse_ok(collected *c, const char *in, size_t len, size_t chunk,
                    const simdsse_parser_options *opt) {
    return collect_parse(c, in, len, chunk, 0, opt) == 0 && c->errors == 0;
}

/* MARK: - Zero copy */

typedef struct where {
    const char *lo, *hi;
    int inside, outside, n;
    char data[64];
} where;

static int note_where(void *user, const simdsse_event *e) {
    where *w = user;
    w->n++;
    if (e->data.ptr >= w->lo && e->data.ptr + e->data.len <= w->hi)
        w->inside++;
    else
        w->outside++;
    snprintf(w->data, sizeof w->data, "%.*s", (int)e->data.len, e->data.ptr);
    return 0;
}

static void test_zero_copy(void) {
    static guard_buf guard;
    static const char one_text[] = "event: tick\ndata: {\"a\":1}\n\n";
    const char *one = guard_place(&guard, S(one_text));
    where w = {one, one + sizeof one_text - 1, 0, 0, 0, ""};
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = note_where;
    o.user = &w;
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    CHECK(simdsse_parser_feed(p, one, sizeof one_text - 1, NULL) == SIMDSSE_OK, "feed");
    CHECK(w.n == 1 && w.inside == 1, "single-line data inside the chunk is not copied");
    CHECK(strcmp(w.data, "{\"a\":1}") == 0, "data %s", w.data);
    /* Two data lines must be joined, so they are copied. */
    static const char two_text[] = "data: a\ndata: b\n\n";
    const char *two = guard_place(&guard, S(two_text));
    w.lo = two, w.hi = two + sizeof two_text - 1;
    CHECK(simdsse_parser_feed(p, two, sizeof two_text - 1, NULL) == SIMDSSE_OK, "feed");
    CHECK(w.n == 2 && w.outside == 1 && strcmp(w.data, "a\nb") == 0, "joined data %s", w.data);
    /* A value whose event ends in a later chunk must outlive its chunk. */
    static const char chunk1_text[] = "data: kept\n";
    char *chunk1 = guard_place(&guard, S(chunk1_text));
    w.lo = chunk1, w.hi = chunk1 + sizeof chunk1_text - 1;
    CHECK(simdsse_parser_feed(p, chunk1, sizeof chunk1_text - 1, NULL) == SIMDSSE_OK, "feed");
    memset(chunk1, 'X', sizeof chunk1_text - 1); /* the caller reuses its buffer */
    CHECK(feed_guarded(p, S("\n"), NULL) == SIMDSSE_OK, "feed");
    CHECK(w.n == 3 && strcmp(w.data, "kept") == 0, "pinned data survives buffer reuse: %s", w.data);
    simdsse_parser_destroy(p);
}

/* MARK: - Chunk boundaries */

static void test_boundaries(void) {
    collected c;
    /* CR ending one chunk, LF starting the next: one line end, not two. */
    static const char crlf[] = "data: a\r\ndata: b\r\n\r\n";
    for (size_t chunk = 1; chunk <= sizeof crlf; chunk++) {
        CHECK(parse_ok(&c, S(crlf), chunk, NULL), "chunk %zu", chunk);
        CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("a\nb")), "chunk %zu: %zu events", chunk, c.n);
        collected_free(&c);
    }
    /* A lone CR at a chunk end, then more text: the CR alone ends the line. */
    static const char cr[] = "data: a\rdata: b\r\r";
    for (size_t chunk = 1; chunk <= sizeof cr; chunk++) {
        CHECK(parse_ok(&c, S(cr), chunk, NULL), "chunk %zu", chunk);
        CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("a\nb")), "CR-only, chunk %zu", chunk);
        collected_free(&c);
    }
    /* A BOM split three ways is still stripped; one later in the stream is
     * U+FEFF, so "\uFEFFdata" is an unknown field and "y" never dispatches. */
    static const char bom[] = "\xEF\xBB\xBF" "data: x\n\n\xEF\xBB\xBF" "data: y\n\n";
    for (size_t chunk = 1; chunk <= sizeof bom; chunk++) {
        CHECK(parse_ok(&c, S(bom), chunk, NULL), "chunk %zu", chunk);
        CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("x")), "BOM, chunk %zu: %zu events", chunk, c.n);
        collected_free(&c);
    }
    /* Two BOMs at the start: only the first is stripped. */
    static const char bom2[] = "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\ndata: z\n\n";
    for (size_t chunk = 1; chunk <= sizeof bom2; chunk++) {
        CHECK(parse_ok(&c, S(bom2), chunk, NULL), "chunk %zu", chunk);
        CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("z")), "2 BOMs, chunk %zu: %zu events", chunk, c.n);
        collected_free(&c);
    }
    /* Feeding empty chunks anywhere changes nothing. */
    memset(&c, 0, sizeof c);
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    collect_callbacks(&o, &c);
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    const char *parts[] = {"", "\xEF", "", "\xBB\xBF", "data: z\r", "", "\n", "", "\r\n", ""};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        CHECK(feed_guarded(p, parts[i], strlen(parts[i]), NULL) == SIMDSSE_OK, "part %zu", i);
    CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("z")), "empty chunks: %zu events", c.n);
    CHECK(c.n == 1 && c.ev[0].offset == 12, "blank line at offset 12, got %llu",
          c.n ? (unsigned long long)c.ev[0].offset : 0ull);
    simdsse_parser_destroy(p);
    collected_free(&c);
}

/* MARK: - Pausing */

static int pause_every(void *user, const simdsse_event *e) {
    collect_event(user, e);
    return 1;
}

static void test_pause(void) {
    static const char in[] = "data: 1\r\n\r\ndata: 2\n\n: c\nretry: 7\ndata: 3\n\n";
    collected c;
    memset(&c, 0, sizeof c);
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = pause_every;
    o.user = &c;
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    size_t used;
    CHECK(feed_guarded(p, S(in), &used) == SIMDSSE_PAUSED, "paused");
    CHECK(used == 11, "consumed through the CRLF blank line: %zu", used);
    CHECK(c.n == 1, "one event before the pause");
    size_t total = used;
    CHECK(feed_guarded(p, in + total, sizeof in - 1 - total, &used) == SIMDSSE_PAUSED, "2");
    total += used;
    CHECK(total == 20 && c.n == 2, "second pause after event 2: %zu", total);
    CHECK(feed_guarded(p, in + total, sizeof in - 1 - total, &used) == SIMDSSE_PAUSED, "3");
    total += used;
    CHECK(total == sizeof in - 1 && c.n == 3, "third: %zu", total);
    CHECK(simdsse_parser_retry(p) == 7, "retry seen before the pause");
    CHECK(owned_eq(c.ev[2].data, S("3")), "data 3");
    simdsse_parser_destroy(p);
    collected_free(&c);
}

/* MARK: - Limits */

static void limit_opts(simdsse_parser_options *o) {
    simdsse_parser_options_init(o);
    o->max_line_length = 16;
    o->max_data_length = 20;
    o->max_type_length = 5;
    o->max_id_length = 4;
}

typedef struct limit_case {
    const char *name;
    const char *in;
    size_t len;
    simdsse_status status;
    uint64_t offset;
    const char *data_after; /* the event that must still arrive */
} limit_case;

static void test_limits(void) {
    simdsse_parser_options o;
    limit_opts(&o);
    static const limit_case cases[] = {
        {"line", S("data: 0123456789abcdef\ndata: lost\n\ndata: ok\n\n"), SIMDSSE_ERR_LINE_TOO_LONG,
         16, "ok"},
        {"line, no end in sight", S("data: a\n\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\ndata: ok\n\n"),
         SIMDSSE_ERR_LINE_TOO_LONG, 25, "ok"},
        {"data", S("data: 0123456789\ndata: 0123456789\ndata: x\n\ndata: ok\n\n"),
         SIMDSSE_ERR_DATA_TOO_LONG, 23, "ok"},
        {"type", S("event: abcdef\ndata: lost\n\ndata: ok\n\n"), SIMDSSE_ERR_TYPE_TOO_LONG, 7, "ok"},
        {"id", S("id: 12345\ndata: lost\n\ndata: ok\n\n"), SIMDSSE_ERR_ID_TOO_LONG, 4, "ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const limit_case *lc = &cases[i];
        collected whole;
        collect_parse(&whole, lc->in, lc->len, 0, 0, &o);
        CHECK(whole.errors == 1 && whole.first_error == (int)lc->status, "%s: status %s", lc->name,
              simdsse_strerror(whole.first_error));
        CHECK(whole.error_offset == lc->offset, "%s: offset %llu, want %llu", lc->name,
              (unsigned long long)whole.error_offset, (unsigned long long)lc->offset);
        size_t want_n = strcmp(lc->name, "line, no end in sight") == 0 ? 2 : 1;
        CHECK(whole.n == want_n && owned_eq(whole.ev[whole.n - 1].data, lc->data_after,
                                             strlen(lc->data_after)),
              "%s: the offending event is dropped, the next one arrives (%zu events)", lc->name,
              whole.n);
        /* The same error, at the same offset, and the same events, for
         * every chunking: a limit may not depend on where chunks fall. */
        for (size_t chunk = 1; chunk <= lc->len; chunk++) {
            collected c;
            collect_parse(&c, lc->in, lc->len, chunk, 0, &o);
            CHECK(collected_eq(&c, &whole), "%s: chunk %zu differs from whole input", lc->name,
                  chunk);
            collected_free(&c);
        }
        collected_free(&whole);
    }
    /* id with NUL is ignored before its length is judged: no error. */
    collected c;
    CHECK(parse_ok(&c, S("id: 1\0\x32\x33\x34\x35\ndata: x\n\n"), 0, &o), "NUL id ignored");
    CHECK(c.n == 1 && c.ev[0].id.len == 0, "id stays empty");
    collected_free(&c);
    /* Exactly at each limit is fine. */
    CHECK(parse_ok(&c, S("data:0123456789a\nevent:abcde\nid:1234\n\n"), 1, &o), "at the limits");
    CHECK(c.n == 1 && owned_eq(c.ev[0].type, S("abcde")) && owned_eq(c.ev[0].id, S("1234")),
          "values at the limits kept");
    collected_free(&c);
}

/* Limit errors lose nothing: feed reads the whole chunk past each one,
 * reports every one to on_error with its offset, and returns the first. */
static int pause_on_error(void *user, const simdsse_error *e) {
    collected *c = user;
    c->errors++;
    c->error_offset = e->offset;
    return 1;
}

static void test_errors_go_on(void) {
    static const char in[] = "event: abcdef\ndata: a\n\ndata: 1\n\n"   /* type too long */
                             "id: 12345\ndata: b\n\ndata: 2\n\n"        /* id too long */
                             "data: 0123456789abcdefXYZ\n\ndata: 3\n\n"; /* line too long */
    simdsse_parser_options o;
    limit_opts(&o);
    collected c;
    memset(&c, 0, sizeof c);
    collect_callbacks(&o, &c);
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    size_t used = 0;
    CHECK(feed_guarded(p, S(in), &used) == SIMDSSE_ERR_TYPE_TOO_LONG, "the first error is returned");
    CHECK(used == sizeof in - 1, "the whole chunk was read: %zu of %zu", used, sizeof in - 1);
    CHECK(c.errors == 3 && c.first_error == SIMDSSE_ERR_TYPE_TOO_LONG && c.error_offset == 7,
          "every error reported: %zu, the first at %llu", c.errors,
          (unsigned long long)c.error_offset);
    CHECK(c.n == 3 && owned_eq(c.ev[0].data, S("1")) && owned_eq(c.ev[1].data, S("2")) &&
              owned_eq(c.ev[2].data, S("3")),
          "only the offending events are lost: %zu events", c.n);
    CHECK(feed_guarded(p, S("data: 4\n\n"), NULL) == SIMDSSE_OK, "the next feed starts clean");
    simdsse_parser_destroy(p);
    collected_free(&c);
    /* on_error pauses like any callback: right after the offending line. */
    memset(&c, 0, sizeof c);
    o.on_error = pause_on_error;
    p = simdsse_parser_create(&o, NULL);
    CHECK(feed_guarded(p, S(in), &used) == SIMDSSE_PAUSED && used == 14 && c.errors == 1,
          "on_error paused after the event line: %zu", used);
    CHECK(feed_guarded(p, in + used, sizeof in - 1 - used, &used) == SIMDSSE_PAUSED && c.errors == 2,
          "and again at the id");
    simdsse_parser_destroy(p);
    collected_free(&c);
}

/* MARK: - Memory and allocation */

typedef struct counting {
    size_t allocs, frees, live, peak;
    int fail_after; /* fail the n-th allocation (1-based); 0 never */
} counting;

static void *c_malloc(void *ctx, size_t size) {
    counting *c = ctx;
    if (c->fail_after && ++c->allocs >= (size_t)c->fail_after) return NULL;
    if (!c->fail_after) c->allocs++;
    c->live += size;
    if (c->live > c->peak) c->peak = c->live;
    return malloc(size);
}
static void *c_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size) {
    counting *c = ctx;
    if (c->fail_after && ++c->allocs >= (size_t)c->fail_after) return NULL;
    if (!c->fail_after) c->allocs++;
    c->live += new_size - old_size;
    if (c->live > c->peak) c->peak = c->live;
    return realloc(ptr, new_size);
}
static void c_free(void *ctx, void *ptr, size_t size) {
    counting *c = ctx;
    c->frees++;
    c->live -= size;
    free(ptr);
}

static void test_allocation(void) {
    counting cnt = {0, 0, 0, 0, 0};
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = c_malloc;
    a.realloc = c_realloc;
    a.free = c_free;
    a.ctx = &cnt;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.allocator = &a;
    collected c;
    memset(&c, 0, sizeof c);
    collect_callbacks(&o, &c);
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    CHECK(cnt.allocs == 1, "creation allocates the parser only (%zu)", cnt.allocs);
    size_t idle = simdsse_parser_memory(p);
    printf("idle parser: %zu bytes\n", idle);
    CHECK(idle <= 512, "an idle parser is small: %zu bytes", idle);

    /* Single-line events inside a chunk: no allocation at all. */
    static const char simple[] = "event: x\ndata: {\"token\":\"hi\"}\n\ndata: 2\n\n";
    for (int i = 0; i < 100; i++) feed_guarded(p, S(simple), NULL);
    CHECK(cnt.allocs == 1, "no allocation for in-chunk events (%zu)", cnt.allocs);

    /* Multi-line data, ids, and lines cut by chunk boundaries: buffers warm
     * up once, then no allocation per event. */
    static const char busy[] = "id: 41\nevent: update\ndata: first line\ndata: second line\n\n";
    for (int i = 0; i < 3; i++) {
        for (size_t k = 0; k + 5 <= sizeof busy - 1; k += 5) feed_guarded(p, busy + k, 5, NULL);
        feed_guarded(p, busy + 55, sizeof busy - 1 - 55, NULL);
    }
    size_t warm = cnt.allocs;
    for (int i = 0; i < 200; i++) {
        for (size_t k = 0; k + 5 <= sizeof busy - 1; k += 5) feed_guarded(p, busy + k, 5, NULL);
        feed_guarded(p, busy + 55, sizeof busy - 1 - 55, NULL);
    }
    CHECK(cnt.allocs == warm, "warm buffers: no allocation per event (%zu -> %zu)", warm, cnt.allocs);
    CHECK(c.n == 200 + 3 + 200, "all events arrived: %zu", c.n);
    CHECK(owned_eq(c.ev[c.n - 1].data, S("first line\nsecond line")), "joined data");
    CHECK(owned_eq(c.ev[c.n - 1].id, S("41")), "id");

    size_t before = simdsse_parser_memory(p);
    CHECK(simdsse_parser_trim(p) == SIMDSSE_OK, "trim");
    CHECK(simdsse_parser_memory(p) < before, "trim frees idle buffers");
    simdsse_span id = simdsse_parser_last_event_id(p);
    CHECK(id.len == 2 && memcmp(id.ptr, "41", 2) == 0, "trim keeps the last event ID");
    simdsse_parser_destroy(p);
    CHECK(cnt.live == 0 && cnt.frees > 0, "everything freed (%zu bytes live)", cnt.live);
    collected_free(&c);

    /* Memory stays bounded by the limits: a 16 MiB line with no end. */
    cnt = (counting){0, 0, 0, 0, 0};
    simdsse_parser_options_init(&o);
    o.allocator = &a;
    o.max_line_length = 4096;
    memset(&c, 0, sizeof c);
    collect_callbacks(&o, &c);
    p = simdsse_parser_create(&o, NULL);
    static char junk[65536];
    memset(junk, 'x', sizeof junk);
    simdsse_status first = SIMDSSE_OK;
    for (int i = 0; i < 256; i++) {
        simdsse_status st = feed_guarded(p, junk, sizeof junk, NULL);
        if (st != SIMDSSE_OK && first == SIMDSSE_OK) first = st;
        CHECK(st == SIMDSSE_OK || (i == 0 && st == SIMDSSE_ERR_LINE_TOO_LONG), "chunk %d: %s", i,
              simdsse_strerror(st));
    }
    CHECK(first == SIMDSSE_ERR_LINE_TOO_LONG && c.errors == 1, "the over-long line is reported once");
    CHECK(c.error_offset == 4096, "at offset 4096");
    CHECK(cnt.peak <= 4096 + 1024, "peak %zu bytes for a 4 KiB line limit",
          cnt.peak);
    /* The first LF ends the long line, the second ends the event it spoiled. */
    CHECK(feed_guarded(p, S("\n\ndata: after\n\n"), NULL) == SIMDSSE_OK, "recovers");
    CHECK(c.n == 1 && owned_eq(c.ev[0].data, S("after")), "event after the long line");
    simdsse_parser_destroy(p);
    collected_free(&c);

    /* Allocation failure: a clear status, then reset makes it usable. */
    for (int fail = 2; fail <= 4; fail++) {
        cnt = (counting){0, 0, 0, 0, fail};
        simdsse_parser_options_init(&o);
        o.allocator = &a;
        memset(&c, 0, sizeof c);
        collect_callbacks(&o, &c);
        p = simdsse_parser_create(&o, NULL);
        CHECK(p != NULL, "create");
        simdsse_status st = SIMDSSE_OK;
        for (size_t k = 0; k + 5 <= sizeof busy - 1 && st == SIMDSSE_OK; k += 5)
            st = feed_guarded(p, busy + k, 5, NULL);
        CHECK(st == SIMDSSE_ERR_NO_MEMORY, "fail at allocation %d: %s", fail, simdsse_strerror(st));
        CHECK(feed_guarded(p, S("data: x\n\n"), NULL) == SIMDSSE_ERR_NEEDS_RESET, "broken");
        cnt.fail_after = 0;
        simdsse_parser_reset(p);
        CHECK(feed_guarded(p, S("data: x\n\n"), NULL) == SIMDSSE_OK, "usable after reset");
        CHECK(c.n == 1, "event after reset");
        simdsse_parser_destroy(p);
        collected_free(&c);
    }
}

/* MARK: - Lifecycle */

static void test_lifecycle(void) {
    collected c;
    memset(&c, 0, sizeof c);
    simdsse_parser_options lo;
    simdsse_parser_options_init(&lo);
    collect_callbacks(&lo, &c);
    simdsse_parser *p = simdsse_parser_create(&lo, NULL);
    CHECK(simdsse_parser_retry(p) == SIMDSSE_DEFAULT_RETRY_MS, "initial retry");
    CHECK(feed_guarded(p, S("id: 7\nretry: 150\n: ping\ndata: a\n\nid: 8\ndata: b"), NULL) ==
              SIMDSSE_OK, "feed");
    CHECK(c.comments == 1 && c.comment_bytes == 5, "comment text after the colon");
    CHECK(c.retries == 1 && simdsse_parser_retry(p) == 150, "retry");
    simdsse_span id = simdsse_parser_last_event_id(p);
    CHECK(id.len == 1 && id.ptr[0] == '7', "the last event ID changes at dispatch, not at `id`");
    CHECK(simdsse_parser_finish(p) == SIMDSSE_OK, "finish");
    CHECK(c.n == 1, "the unterminated event is dropped");
    CHECK(feed_guarded(p, S("data: x\n\n"), NULL) == SIMDSSE_ERR_NEEDS_RESET, "after finish");
    simdsse_parser_reset(p);
    CHECK(simdsse_parser_offset(p) == 0, "offset restarts");
    CHECK(feed_guarded(p, S("\xEF\xBB\xBF" "data: c\n\n"), NULL) == SIMDSSE_OK, "new stream");
    CHECK(c.n == 2 && owned_eq(c.ev[1].data, S("c")), "BOM stripped again after reset");
    CHECK(owned_eq(c.ev[1].id, S("7")), "the last event ID survives a reconnection");
    CHECK(simdsse_parser_retry(p) == 150, "so does the reconnection time");
    CHECK(simdsse_parser_offset(p) == 12, "offset counts the BOM");
    CHECK(strcmp(simdsse_parser_kernel(p), simdsse_kernel_default()) == 0, "default kernel");
    simdsse_parser_destroy(p);
    collected_free(&c);

    /* Bad arguments. */
    simdsse_status st;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.kernel = "no-such-kernel";
    CHECK(simdsse_parser_create(&o, &st) == NULL && st == SIMDSSE_ERR_UNKNOWN_KERNEL,
          "unknown kernel");
    o.kernel = "scalar";
    p = simdsse_parser_create(&o, &st);
    CHECK(p && st == SIMDSSE_OK && strcmp(simdsse_parser_kernel(p), "scalar") == 0, "scalar");
    CHECK(simdsse_parser_feed(p, NULL, 3, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL data");
    CHECK(simdsse_parser_feed(p, NULL, 0, NULL) == SIMDSSE_OK, "NULL, 0 is an empty chunk");
    CHECK(feed_guarded(p, S("data: no callbacks\n\n"), NULL) == SIMDSSE_OK, "no callbacks");
    simdsse_parser_destroy(p);
    CHECK(simdsse_parser_feed(NULL, "x", 1, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL parser");
    simdsse_allocator half;
    simdsse_allocator_init(&half);
    half.malloc = c_malloc;
    half.free = c_free;
    o.allocator = &half;
    CHECK(simdsse_parser_create(&o, &st) == NULL && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "incomplete allocator");
    simdsse_parser_options unset;
    memset(&unset, 0, sizeof unset);
    CHECK(simdsse_parser_create(&unset, &st) == NULL && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "options not made by simdsse_parser_options_init (size 0)");
    CHECK(simdsse_parser_trim(NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "trim(NULL)");
    simdsse_parser_destroy(NULL);
    simdsse_parser_reset(NULL);
}

static void test_messages(void) {
    const char *seen[32];
    size_t n = 0;
    for (int s = SIMDSSE_DESTROYED; s >= SIMDSSE_ERR_INPUT_PENDING; s--) {
        const char *m = simdsse_strerror(s);
        CHECK(m && strcmp(m, "unknown status") != 0, "status %d has a message", s);
        for (size_t i = 0; i < n; i++) CHECK(strcmp(seen[i], m) != 0, "status %d: message unique", s);
        seen[n++] = m;
    }
    CHECK(strcmp(simdsse_strerror(12345), "unknown status") == 0, "unknown");
    CHECK(strcmp(simdsse_version(), SIMDSSE_VERSION_STRING) == 0, "version");
}

int main(void) {
    test_zero_copy();
    test_boundaries();
    test_pause();
    test_limits();
    test_errors_go_on();
    test_allocation();
    test_lifecycle();
    test_messages();
    return check_done();
}
