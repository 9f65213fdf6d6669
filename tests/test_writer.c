/*
 * test_writer.c -- the writer's contract: what it writes for each field,
 * that the parser reads back exactly the events written (data with CR and
 * CRLF normalised to LF) and nothing else, whatever the bytes, the chunking
 * and the kernel; that sizes are exact, small buffers are never overrun,
 * failed calls write nothing, and the writer's buffer obeys its allocator.
 * SPDX-License-Identifier: MIT
 *
 * Expectations come from a model of the standard written here byte by byte,
 * independently of the writer: the random streams are built from hostile
 * tokens (line ends, colons, spaces, NUL, field names, a BOM, invalid
 * UTF-8). The seed is fixed; pass another as argv[1].
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "collect.h"

#define S(lit) lit, sizeof(lit) - 1
#define SPAN(lit) ((simdsse_span){lit, sizeof(lit) - 1})
#define ABSENT ((simdsse_span){NULL, 0})

/* MARK: - Values placed flush against an inaccessible page
 *
 * Every value handed to the writer is first copied there (guard.h), each
 * field to a page of its own, so reading one byte past a value faults.
 * Placing an event's values retires the previous event's. */

static simdsse_span guarded(guard_buf *g, simdsse_span v) {
    simdsse_span out = {v.ptr ? guard_place(g, v.ptr, v.len) : NULL, v.len};
    return out;
}

static simdsse_event guarded_event(const simdsse_event *ev) {
    static guard_buf type, data, id;
    simdsse_event g = *ev;
    g.type = guarded(&type, ev->type);
    g.data = guarded(&data, ev->data);
    g.id = guarded(&id, ev->id);
    return g;
}

static const char *guarded_text(const char *text, size_t n) {
    static guard_buf g;
    return text ? guard_place(&g, text, n) : NULL;
}

/* MARK: - Growable bytes */

typedef struct bytes {
    char *ptr;
    size_t len, cap;
} bytes;

static void add(bytes *b, const void *p, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        b->ptr = realloc(b->ptr, cap);
        if (!b->ptr) abort();
        b->cap = cap;
    }
    if (n) memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = 0;
}
static void add_u64(bytes *b, uint64_t v) { add(b, &v, sizeof v); }
static void add_str(bytes *b, const char *p, size_t n) {
    add_u64(b, n);
    add(b, p, n);
}
/* An event as a transcript record. */
static void add_event(bytes *b, const char *type, size_t tn, const char *data, size_t dn,
                      const char *id, size_t in) {
    add(b, "E", 1);
    add_str(b, type, tn);
    add_str(b, data, dn);
    add_str(b, id, in);
}

/* MARK: - Formatting one thing */

static int eq(const char *p, size_t n, const char *want, size_t wn) {
    return n == wn && (n == 0 || memcmp(p, want, n) == 0);
}

/* The size query of the buffer convention: no room, BUFFER_TOO_SMALL and
 * the exact size (or the call's own error, and size 0). */
static simdsse_status event_size(const simdsse_event *ev, unsigned flags, size_t *size) {
    simdsse_status st = simdsse_format_event(ev, flags, NULL, 0, size);
    return st == SIMDSSE_ERR_BUFFER_TOO_SMALL ? SIMDSSE_OK : st;
}
static simdsse_status comment_size(const char *text, size_t n, unsigned flags, size_t *size) {
    simdsse_status st = simdsse_format_comment(text, n, flags, NULL, 0, size);
    return st == SIMDSSE_ERR_BUFFER_TOO_SMALL ? SIMDSSE_OK : st;
}

/* Formats ev into a guarded buffer of exactly its size and checks that the
 * size query agrees. Returns the status; *got holds the bytes. */
static simdsse_status fmt(const simdsse_event *event, unsigned flags, char *got, size_t cap,
                          size_t *len) {
    size_t size = 12345;
    simdsse_event placed = guarded_event(event), *ev = &placed;
    simdsse_status st = event_size(ev, flags, &size);
    simdsse_status st2 = simdsse_format_event(ev, flags, got, cap, len);
    CHECK(st == st2 || (st == SIMDSSE_OK && st2 == SIMDSSE_ERR_BUFFER_TOO_SMALL),
          "size %d vs format %d", st, st2);
    if (st2 == SIMDSSE_OK) CHECK(size == *len, "size %zu, wrote %zu", size, *len);
    return st2;
}

static void expect_event(int line, const simdsse_event *ev, unsigned flags, const char *want,
                         size_t wn) {
    char got[512];
    size_t len = 0;
    simdsse_status st = fmt(ev, flags, got, sizeof got, &len);
    CHECK(st == SIMDSSE_OK && eq(got, len, want, wn), "line %d: status %d, got '%.*s'", line,
          st, (int)len, got);
}
#define EXPECT_EVENT(ev, flags, lit) expect_event(__LINE__, ev, flags, S(lit))

static void expect_comment(int line, const char *text, size_t n, unsigned flags,
                           const char *want, size_t wn) {
    char got[256];
    size_t len = 0, size = 0;
    text = guarded_text(text, n);
    simdsse_status st = simdsse_format_comment(text, n, flags, got, sizeof got, &len);
    CHECK(st == SIMDSSE_OK && eq(got, len, want, wn), "line %d: status %d, got '%.*s'", line,
          st, (int)len, got);
    CHECK(comment_size(text, n, flags, &size) == SIMDSSE_OK && size == len,
          "line %d: size %zu", line, size);
}
#define EXPECT_COMMENT(text, flags, lit) expect_comment(__LINE__, S(text), flags, S(lit))

static void test_fields(void) {
    simdsse_event ev = {SPAN("delta"), SPAN("{\"t\":\"hi\"}"), SPAN("7"), 0};
    EXPECT_EVENT(&ev, 0, "event: delta\nid: 7\ndata: {\"t\":\"hi\"}\n\n");
    ev.offset = 12345; /* the parser's, ignored by the writer */
    EXPECT_EVENT(&ev, 0, "event: delta\nid: 7\ndata: {\"t\":\"hi\"}\n\n");

    simdsse_event none = {ABSENT, ABSENT, ABSENT, 0};
    EXPECT_EVENT(&none, 0, "\n");
    /* Empty data must still produce a data line, or nothing dispatches. */
    simdsse_event empty = {SPAN(""), SPAN(""), SPAN(""), 0};
    EXPECT_EVENT(&empty, 0, "id: \ndata: \n\n");
    /* A reconnection time is a line of its own. */
    char got[32];
    size_t len = 1;
    CHECK(simdsse_format_retry(0, got, sizeof got, &len) == SIMDSSE_OK &&
              eq(got, len, S("retry: 0\n")),
          "retry 0");
    CHECK(simdsse_format_retry(2500, got, sizeof got, &len) == SIMDSSE_OK &&
              eq(got, len, S("retry: 2500\n")),
          "retry 2500");
    CHECK(simdsse_format_retry(UINT64_MAX, got, sizeof got, &len) == SIMDSSE_OK &&
              eq(got, len, S("retry: 18446744073709551615\n")),
          "retry UINT64_MAX");
    CHECK(simdsse_format_retry(2500, NULL, 0, &len) == SIMDSSE_ERR_BUFFER_TOO_SMALL && len == 12,
          "retry: the size query");
    memset(got, '#', sizeof got);
    CHECK(simdsse_format_retry(2500, got, 5, &len) == SIMDSSE_ERR_BUFFER_TOO_SMALL && len == 12 &&
              (got[0] == '#' || memcmp(got, "retry", 5) == 0) && got[5] == '#',
          "retry: a short buffer holds nothing or a prefix, nothing past cap");
    CHECK(simdsse_format_retry(1, NULL, 4, &len) == SIMDSSE_ERR_INVALID_ARGUMENT &&
              simdsse_format_retry(1, got, sizeof got, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "retry: NULL out with room, NULL len");

    /* Data lines: every CR, LF and CRLF ends one; a leading space is kept. */
    simdsse_event d = {ABSENT, SPAN(" a\r\nb\rc\n\nd\n"), ABSENT, 0};
    EXPECT_EVENT(&d, 0, "data:  a\ndata: b\ndata: c\ndata: \ndata: d\ndata: \n\n");
    d.data = SPAN("\n\r");
    EXPECT_EVENT(&d, 0, "data: \ndata: \ndata: \n\n");
    d.data = SPAN("x:y\0z");
    EXPECT_EVENT(&d, 0, "data: x:y\0z\n\n");

    /* Type and id: refused, or stripped under SIMDSSE_WRITE_SANITIZE. */
    simdsse_event t = {SPAN("a\r\nb"), SPAN("d"), SPAN("1\0" "2\n3"), 0};
    EXPECT_EVENT(&t, SIMDSSE_WRITE_SANITIZE, "event: ab\nid: 123\ndata: d\n\n");
    t.type = SPAN("\r\n\n");
    t.id = SPAN("\n");
    EXPECT_EVENT(&t, SIMDSSE_WRITE_SANITIZE, "id: \ndata: d\n\n");
    t.type = SPAN("ok\0");
    t.id = ABSENT;
    EXPECT_EVENT(&t, 0, "event: ok\0\ndata: d\n\n"); /* NUL is fine in a type */

    EXPECT_COMMENT("", 0, ":\n");
    EXPECT_COMMENT(" keep-alive", 0, ": keep-alive\n");
    EXPECT_COMMENT("a\r\nb\rc\n", 0, ":a\n:b\n:c\n:\n");
    EXPECT_COMMENT("a\r\nb", SIMDSSE_WRITE_ONE_LINE_COMMENT | SIMDSSE_WRITE_SANITIZE, ":ab\n");
    EXPECT_COMMENT("a\r\nb", SIMDSSE_WRITE_SANITIZE, ":a\n:b\n");
    len = 1;
    CHECK(simdsse_format_comment(NULL, 0, 0, got, sizeof got, &len) == SIMDSSE_OK &&
              eq(got, len, S(":\n")),
          "NULL empty comment is a heartbeat");
}

/* MARK: - Failures write nothing */

static void test_refusals(void) {
    static const simdsse_span bad_type[] = {SPAN("a\nb"), SPAN("a\rb"), SPAN("\r\n"),
                                            SPAN("x\n")};
    static const simdsse_span bad_id[] = {SPAN("a\nb"), SPAN("\r"), SPAN("1\0002"), SPAN("\0")};
    char buf[64];
    size_t len, size;
    for (size_t i = 0; i < 4; i++) {
        simdsse_event e[2] = {{bad_type[i], SPAN("d"), ABSENT, 0},
                               {ABSENT, SPAN("d"), bad_id[i], 0}};
        for (int k = 0; k < 2; k++) {
            simdsse_event g = guarded_event(&e[k]), *ev = &g;
            memset(buf, '#', sizeof buf);
            len = 99, size = 99;
            CHECK(simdsse_format_event(ev, 0, buf, sizeof buf, &len) ==
                      SIMDSSE_ERR_INVALID_FIELD && len == 0,
                  "value %zu/%d refused", i, k);
            CHECK(buf[0] == '#' && buf[sizeof buf - 1] == '#', "nothing written %zu/%d", i, k);
            CHECK(event_size(ev, 0, &size) == SIMDSSE_ERR_INVALID_FIELD && size == 0,
                  "size refused %zu/%d", i, k);
        }
    }
    /* Long values, checked by another path than short ones: a bad byte at
     * every offset of a 100-byte type and id. */
    char lv[100];
    for (size_t at = 0; at < sizeof lv; at++) {
        for (int which = 0; which < 3; which++) {
            memset(lv, 'v', sizeof lv);
            lv[at] = "\n\r\0"[which];
            /* (One event's values at a time: placing the next retires them.) */
            simdsse_event lt = {{lv, sizeof lv}, SPAN("d"), ABSENT, 0};
            lt = guarded_event(&lt);
            CHECK(event_size(&lt, 0, &size) ==
                      (which == 2 ? SIMDSSE_OK : SIMDSSE_ERR_INVALID_FIELD),
                  "type, byte %d at %zu", which, at);
            simdsse_event li = {ABSENT, SPAN("d"), {lv, sizeof lv}, 0};
            li = guarded_event(&li);
            CHECK(event_size(&li, 0, &size) == SIMDSSE_ERR_INVALID_FIELD,
                  "id, byte %d at %zu", which, at);
            CHECK(event_size(&li, SIMDSSE_WRITE_SANITIZE, &size) == SIMDSSE_OK &&
                      size == 4 + 99 + 1 + 9,
                  "id sanitised, byte %d at %zu: %zu", which, at, size);
        }
    }
    /* NUL is forbidden in ids only. */
    simdsse_event nul_type = {SPAN("\0"), SPAN("d"), ABSENT, 0};
    CHECK(event_size(&nul_type, 0, &size) == SIMDSSE_OK, "NUL in a type is allowed");

    len = 99;
    CHECK(simdsse_format_comment(S("a\nb"), SIMDSSE_WRITE_ONE_LINE_COMMENT, buf, sizeof buf,
                                 &len) == SIMDSSE_ERR_INVALID_FIELD && len == 0,
          "one-line comment refused");

    simdsse_event ok = {ABSENT, SPAN("d"), ABSENT, 0};
    simdsse_event bad_span = {{NULL, 1}, SPAN("d"), ABSENT, 0};
    CHECK(simdsse_format_event(NULL, 0, buf, sizeof buf, &len) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL event");
    CHECK(simdsse_format_event(&bad_span, 0, buf, sizeof buf, &len) ==
              SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL span with a length");
    CHECK(simdsse_format_event(&ok, 0x100, buf, sizeof buf, &len) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "unknown flag");
    CHECK(simdsse_format_event(&ok, 0, NULL, 5, &len) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL buffer with room");
    CHECK(simdsse_format_event(&ok, 0, NULL, 0, &len) == SIMDSSE_ERR_BUFFER_TOO_SMALL && len == 9,
          "NULL buffer, no room: sizes (%zu)", len);
    CHECK(simdsse_format_comment(NULL, 2, 0, buf, sizeof buf, &len) ==
              SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL comment with a length");
    CHECK(comment_size(S("x"), 0x100, &size) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "unknown comment flag");
    CHECK(simdsse_writer_event(NULL, &ok, 0) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL writer");
    CHECK(simdsse_writer_retry(NULL, 1) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL writer (retry)");
    CHECK(simdsse_format_event(&ok, 0, buf, sizeof buf, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL len");
}

/* MARK: - The model */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r) { /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}
static size_t below(rng *r, size_t n) { return (size_t)(next(r) % n); }

/* Hostile tokens: whatever could end a line, start a field, or confuse a
 * decoder, mixed with ordinary text. */
static const struct {
    const char *p;
    size_t n;
} tokens[] = {
    {S("\r")}, {S("\n")}, {S("\r\n")}, {S("\n\r")}, {S("\r\r")}, {S(":")}, {S(" ")}, {S("  ")},
    {S("\0")}, {S("data")}, {S("data: x")}, {S("event:")}, {S("id: 9")}, {S("retry: 1")},
    {S("\xEF\xBB\xBF")}, {S("\xff\xfe")}, {S("\xc3")}, {S("\xc3\xa9")}, {S("\t")}, {S("a")},
    {S("hello")}, {S("{\"k\":[1,2]}")}, {S("\n\n")}, {S(":\n")},
};
#define N_TOKENS (sizeof tokens / sizeof tokens[0])

static void random_text(rng *r, bytes *b, size_t max_tokens) {
    b->len = 0;
    add(b, "", 0);
    size_t n = below(r, max_tokens + 1);
    for (size_t i = 0; i < n; i++) {
        if (below(r, 5) == 0) {
            char c = (char)next(r);
            add(b, &c, 1);
        } else {
            size_t t = below(r, N_TOKENS);
            add(b, tokens[t].p, tokens[t].n);
        }
    }
}

/* A span over b, or absent / empty now and then. */
static simdsse_span pick(rng *r, bytes *b, size_t max_tokens, unsigned absent_pct) {
    unsigned roll = (unsigned)below(r, 100);
    if (roll < absent_pct) return ABSENT;
    if (roll < absent_pct + 8) return SPAN("");
    random_text(r, b, max_tokens);
    simdsse_span s = {b->ptr, b->len};
    return s;
}

static int is_eol(char c) { return c == '\r' || c == '\n'; }

/* The value with bytes the writer may not write removed. */
static void strip(bytes *out, simdsse_span v, int nul) {
    out->len = 0;
    add(out, "", 0);
    for (size_t i = 0; i < v.len; i++)
        if (!is_eol(v.ptr[i]) && !(nul && v.ptr[i] == 0)) add(out, v.ptr + i, 1);
}
static int has_bad(simdsse_span v, int nul) {
    for (size_t i = 0; i < v.len; i++)
        if (is_eol(v.ptr[i]) || (nul && v.ptr[i] == 0)) return 1;
    return 0;
}

/* What the parser must report, in the transcript format of on_* below. */
typedef struct model {
    bytes transcript;  /* every callback */
    bytes events_only; /* on_event only */
    bytes last_id;
    uint64_t retry, retries, comments, comment_bytes, events;
    size_t data_lines, type_lines, id_lines, retry_lines, comment_lines, blank_lines;
} model;

/* Splits v the way the parser splits lines; calls back per piece. */
static void each_line(simdsse_span v, void (*fn)(void *, const char *, size_t), void *ctx) {
    size_t start = 0;
    for (size_t i = 0; i <= v.len; i++) {
        if (i == v.len || is_eol(v.ptr[i])) {
            fn(ctx, v.ptr + start, i - start);
            if (i < v.len && v.ptr[i] == '\r' && i + 1 < v.len && v.ptr[i + 1] == '\n') i++;
            start = i + 1;
        }
    }
}

static void model_comment_line(void *ctx, const char *p, size_t n) {
    model *m = ctx;
    add(&m->transcript, "C", 1);
    add_str(&m->transcript, p, n);
    m->comments++;
    m->comment_bytes += n;
    m->comment_lines++;
}

static void model_comment(model *m, simdsse_span text, unsigned flags) {
    if ((flags & SIMDSSE_WRITE_ONE_LINE_COMMENT) && has_bad(text, 0)) {
        bytes s = {0};
        strip(&s, text, 0);
        model_comment_line(m, s.ptr, s.len);
        free(s.ptr);
        return;
    }
    each_line(text, model_comment_line, m);
}

typedef struct joiner {
    bytes b;
    int lines;
} joiner;

static void join_line(void *ctx, const char *p, size_t n) {
    joiner *j = ctx;
    if (j->lines++) add(&j->b, "\n", 1);
    add(&j->b, p, n);
}

static void count_line(void *ctx, const char *p, size_t n) {
    (void)p, (void)n;
    (*(size_t *)ctx)++;
}

static void model_retry(model *m, uint64_t ms) {
    add(&m->transcript, "R", 1);
    add_u64(&m->transcript, ms);
    m->retry = ms;
    m->retries++;
    m->retry_lines++;
}

static void model_event(model *m, const simdsse_event *ev) {
    if (ev->type.len) {
        bytes t = {0};
        strip(&t, ev->type, 0);
        if (t.len) m->type_lines++;
        free(t.ptr);
    }
    if (ev->id.ptr) {
        strip(&m->last_id, ev->id, 1);
        m->id_lines++;
    }
    m->blank_lines++;
    if (!ev->data.ptr) return;
    each_line(ev->data, count_line, &m->data_lines);
    joiner data = {{0}, 0};
    add(&data.b, "", 0);
    each_line(ev->data, join_line, &data);
    bytes type = {0};
    strip(&type, ev->type, 0);
    if (type.len == 0) add(&type, "message", 7);
    const char *id = m->last_id.ptr ? m->last_id.ptr : "";
    add_event(&m->transcript, type.ptr, type.len, data.b.ptr, data.b.len, id, m->last_id.len);
    add_event(&m->events_only, type.ptr, type.len, data.b.ptr, data.b.len, id, m->last_id.len);
    m->events++;
    free(type.ptr);
    free(data.b.ptr);
}

/* MARK: - What the parser reports */

static int on_event(void *user, const simdsse_event *e) {
    add_event(user, e->type.ptr, e->type.len, e->data.ptr, e->data.len, e->id.ptr, e->id.len);
    return 0;
}
static int on_retry(void *user, uint64_t ms) {
    add(user, "R", 1);
    add_u64(user, ms);
    return 0;
}
static int on_comment(void *user, simdsse_span text) {
    add(user, "C", 1);
    add_str(user, text.ptr, text.len);
    return 0;
}

/* Every line of the stream is a field the writer writes, or a comment, or
 * the blank line ending an event; counts them by kind. */
static int lines_ok(const char *s, size_t n, const model *m) {
    size_t kinds[6] = {0};
    static const struct {
        const char *p;
        size_t n;
    } prefix[] = {{S("data: ")}, {S("event: ")}, {S("id: ")}, {S("retry: ")}, {S(":")}};
    if (memchr(s, '\r', n)) return 0;
    size_t i = 0;
    while (i < n) {
        const char *e = memchr(s + i, '\n', n - i);
        if (!e) return 0; /* an unterminated line */
        size_t len = (size_t)(e - (s + i));
        size_t k = 0;
        if (len == 0) {
            k = 5;
        } else {
            while (k < 5 && (len < prefix[k].n || memcmp(s + i, prefix[k].p, prefix[k].n) != 0))
                k++;
            if (k == 5) return 0;
            if (k == 3) { /* retry: one or more digits */
                if (len == 7) return 0;
                for (size_t j = 7; j < len; j++)
                    if (s[i + j] < '0' || s[i + j] > '9') return 0;
            }
        }
        kinds[k]++;
        i += len + 1;
    }
    return kinds[0] == m->data_lines && kinds[1] == m->type_lines && kinds[2] == m->id_lines &&
           kinds[3] == m->retry_lines && kinds[4] == m->comment_lines &&
           kinds[5] == m->blank_lines;
}

/* MARK: - Round trips */

static const char *kernel_names[16];
static size_t n_kernels;

static void find_kernels(void) {
    for (size_t i = 0; simdsse_kernel_name_at(i) && n_kernels < 16; i++)
        if (simdsse_kernel_supported(simdsse_kernel_name_at(i)) == SIMDSSE_OK)
            kernel_names[n_kernels++] = simdsse_kernel_name_at(i);
}

/* Checks out[0, cap) for each cap below the event's size: too small, the
 * exact size reported, nothing past cap, and what is written within cap is
 * a prefix of the event (found with two fill bytes, so that a written byte
 * equal to one fill is caught by the other). */
static void check_small_buffers(const simdsse_event *ev, unsigned flags, const char *full,
                                size_t size, rng *r, int every_cap) {
    char *buf = malloc(size + 16);
    if (!buf) abort();
    size_t tries = every_cap ? size : 4;
    for (size_t t = 0; t < tries; t++) {
        size_t cap = every_cap ? t : below(r, size);
        for (int fill = '#'; fill <= '%'; fill += '%' - '#') {
            memset(buf, fill, size + 16);
            size_t len = 0;
            simdsse_status st = simdsse_format_event(ev, flags, buf, cap, &len);
            size_t i = 0;
            while (i < cap && buf[i] == full[i]) i++;
            while (i < size + 16 && buf[i] == fill) i++;
            CHECK(st == SIMDSSE_ERR_BUFFER_TOO_SMALL && len == size && i == size + 16,
                  "cap %zu of %zu: status %d, len %zu, stray byte at %zu", cap, size, st, len, i);
        }
    }
    free(buf);
}

/*
 * One random stream: events and comments, written through a writer on
 * `kernel` and with the one-shot calls, then parsed at every chunk size.
 */
static void round_trip(rng *r, const char *kernel, int sanitize, int n_items, int big) {
    simdsse_writer_options wo;
    simdsse_writer_options_init(&wo);
    wo.kernel = kernel;
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = kernel;
    opt.max_line_length = opt.max_data_length = SIZE_MAX;
    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(&wo, &st);
    CHECK(w && st == SIMDSSE_OK && strcmp(simdsse_writer_kernel(w), kernel) == 0, "writer on %s",
          kernel);
    if (!w) return;
    model m = {0};
    m.retry = SIMDSSE_DEFAULT_RETRY_MS;
    bytes oneshot = {0}, tb = {0}, db = {0}, ib = {0};
    static guard_buf comment_guard;
    add(&oneshot, "", 0);
    for (int item = 0; item < n_items; item++) {
        if (below(r, 6) == 0) {
            simdsse_span text = guarded(&comment_guard, pick(r, &tb, 12, 0));
            unsigned flags = (unsigned)below(r, 4);
            if (!sanitize) flags &= ~(unsigned)SIMDSSE_WRITE_SANITIZE;
            int refused = (flags & SIMDSSE_WRITE_ONE_LINE_COMMENT) &&
                          !(flags & SIMDSSE_WRITE_SANITIZE) && has_bad(text, 0);
            size_t before = simdsse_writer_output(w).len;
            st = simdsse_writer_comment(w, text.ptr, text.len, flags);
            CHECK(st == (refused ? SIMDSSE_ERR_INVALID_FIELD : SIMDSSE_OK), "comment status %d", st);
            if (st != SIMDSSE_OK) {
                CHECK(simdsse_writer_output(w).len == before, "refused comment wrote nothing");
                continue;
            }
            model_comment(&m, text, flags);
            size_t size = 0, len = 0;
            CHECK(comment_size(text.ptr, text.len, flags, &size) == SIMDSSE_OK,
                  "comment size");
            char *buf = malloc(size + 1);
            CHECK(simdsse_format_comment(text.ptr, text.len, flags, buf, size, &len) ==
                      SIMDSSE_OK && len == size && len == simdsse_writer_output(w).len - before,
                  "comment: size %zu, len %zu", size, len);
            add(&oneshot, buf, len);
            free(buf);
            continue;
        }
        if (below(r, 5) == 0) {
            /* A reconnection time, on a line of its own. */
            uint64_t ms = below(r, 3) ? below(r, 100000) : next(r) >> below(r, 64);
            if (below(r, 20) == 0) ms = UINT64_MAX;
            size_t before = simdsse_writer_output(w).len, size = 0, len = 0;
            CHECK(simdsse_writer_retry(w, ms) == SIMDSSE_OK, "writer_retry");
            CHECK(simdsse_format_retry(ms, NULL, 0, &size) == SIMDSSE_ERR_BUFFER_TOO_SMALL,
                  "retry size");
            char buf[32];
            CHECK(simdsse_format_retry(ms, buf, size, &len) == SIMDSSE_OK && len == size &&
                      len == simdsse_writer_output(w).len - before &&
                      memcmp(buf, simdsse_writer_output(w).ptr + before, len) == 0,
                  "retry: writer and format agree");
            add(&oneshot, buf, len);
            model_retry(&m, ms);
            continue;
        }
        simdsse_event ev;
        ev.type = pick(r, &tb, 4, 30);
        ev.id = pick(r, &ib, 4, 40);
        ev.data = pick(r, &db, big ? 3000 : 40, 12);
        ev.offset = next(r); /* ignored */
        ev = guarded_event(&ev);
        unsigned flags = sanitize ? SIMDSSE_WRITE_SANITIZE : 0;
        int refused = !sanitize && (has_bad(ev.type, 0) || has_bad(ev.id, 1));

        size_t before = simdsse_writer_output(w).len, size = 0, len = 0;
        st = simdsse_writer_event(w, &ev, flags);
        CHECK(st == (refused ? SIMDSSE_ERR_INVALID_FIELD : SIMDSSE_OK), "event status %d", st);
        if (st != SIMDSSE_OK) {
            CHECK(simdsse_writer_output(w).len == before, "refused event wrote nothing");
            continue;
        }
        model_event(&m, &ev);
        /* The one-shot calls (default kernel) write the same bytes. */
        CHECK(event_size(&ev, flags, &size) == SIMDSSE_OK, "size");
        char *buf = malloc(size + 1);
        CHECK(simdsse_format_event(&ev, flags, buf, size, &len) == SIMDSSE_OK && len == size,
              "format: size %zu, len %zu", size, len);
        simdsse_span o = simdsse_writer_output(w);
        CHECK(len == o.len - before && memcmp(buf, o.ptr + before, len) == 0,
              "writer on %s and format agree", kernel);
        add(&oneshot, buf, len);
        if (size < 2048) check_small_buffers(&ev, flags, buf, size, r, item < 3);
        free(buf);
    }
    simdsse_span out = simdsse_writer_output(w);
    CHECK(out.len == oneshot.len && memcmp(out.ptr, oneshot.ptr, out.len) == 0,
          "stream from writer and from format calls");
    CHECK(lines_ok(out.ptr, out.len, &m), "every line is a field the writer meant (%s)", kernel);

    /* Whole: every callback, with its values. */
    bytes t = {0};
    add(&t, "", 0);
    simdsse_parser_options po = opt;
    po.on_event = on_event;
    po.on_retry = on_retry;
    po.on_comment = on_comment;
    po.user = &t;
    CHECK(simdsse_parse(out.ptr, out.len, &po) == SIMDSSE_OK, "parse");
    CHECK(eq(t.ptr, t.len, m.transcript.ptr, m.transcript.len),
          "parse(write(stream)) on %s: %zu transcript bytes, want %zu", kernel, t.len,
          m.transcript.len);
    /* Every chunk size: the same events, counts and end state. */
    size_t maxchunk = big ? 8 : 64;
    collected whole;
    CHECK(collect_parse(&whole, out.ptr, out.len, 0, 0, &opt) == 0, "whole parse");
    for (size_t chunk = 0; chunk <= maxchunk; chunk++) {
        collected c;
        CHECK(collect_parse(&c, out.ptr, out.len, chunk, chunk & 7, &opt) == 0 && c.errors == 0,
              "chunked parse");
        int ok = c.n == m.events && c.retries == m.retries && c.comments == m.comments &&
                 c.comment_bytes == m.comment_bytes && c.retry == m.retry &&
                 owned_eq(c.last_id, m.last_id.ptr ? m.last_id.ptr : "", m.last_id.len);
        bytes evs = {0};
        add(&evs, "", 0);
        for (size_t i = 0; i < c.n; i++)
            add_event(&evs, c.ev[i].type.ptr, c.ev[i].type.len, c.ev[i].data.ptr,
                      c.ev[i].data.len, c.ev[i].id.ptr, c.ev[i].id.len);
        ok = ok && eq(evs.ptr, evs.len, m.events_only.ptr, m.events_only.len);
        free(evs.ptr);
        CHECK(ok, "chunk %zu on %s: %zu events, want %" PRIu64, chunk, kernel, c.n, m.events);
        CHECK(collected_eq(&c, &whole), "chunk %zu on %s: offsets as whole", chunk, kernel);
        collected_free(&c);
    }
    collected_free(&whole);
    free(t.ptr);
    free(oneshot.ptr), free(tb.ptr), free(db.ptr), free(ib.ptr);
    free(m.transcript.ptr), free(m.events_only.ptr), free(m.last_id.ptr);
    simdsse_writer_destroy(w);
}

/* MARK: - The writer's buffer */

typedef struct counting {
    size_t live, allocs, fail_after; /* fail the (fail_after+1)th malloc/realloc */
} counting;

static int may_alloc(counting *c) { return c->allocs++ < c->fail_after; }
static void *c_malloc(void *ctx, size_t n) {
    counting *c = ctx;
    if (!may_alloc(c)) return NULL;
    c->live += n;
    return malloc(n);
}
static void *c_realloc(void *ctx, void *p, size_t old, size_t n) {
    counting *c = ctx;
    if (!may_alloc(c)) return NULL;
    void *q = realloc(p, n);
    if (q) c->live += n - old;
    return q;
}
static void c_free(void *ctx, void *p, size_t n) {
    counting *c = ctx;
    c->live -= n;
    free(p);
}

static void test_writer_buffer(void) {
    counting c = {0, 0, SIZE_MAX};
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = c_malloc;
    a.realloc = c_realloc;
    a.free = c_free;
    a.ctx = &c;
    simdsse_writer_options opt;
    simdsse_writer_options_init(&opt);
    opt.allocator = &a;
    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(&opt, &st);
    CHECK(w && st == SIMDSSE_OK, "create");
    CHECK(simdsse_writer_output(w).len == 0, "starts empty");
    CHECK(simdsse_writer_memory(w) == c.live, "memory %zu, allocator %zu",
          simdsse_writer_memory(w), c.live);

    /* Append, consume part, append: output is what is left, in order. */
    simdsse_event ev = {SPAN("t"), SPAN("0123456789"), ABSENT, 0};
    bytes want = {0};
    add(&want, "", 0);
    for (int i = 0; i < 40; i++) {
        CHECK(simdsse_writer_event(w, &ev, 0) == SIMDSSE_OK, "append %d", i);
        add(&want, S("event: t\ndata: 0123456789\n\n"));
        if (i % 7 == 3) {
            simdsse_writer_consume(w, 10);
            memmove(want.ptr, want.ptr + 10, want.len - 10);
            want.len -= 10;
        }
        simdsse_span o = simdsse_writer_output(w);
        CHECK(eq(o.ptr, o.len, want.ptr, want.len), "output after %d", i);
    }
    CHECK(simdsse_writer_memory(w) == c.live, "memory tracks the allocator");

    /* Out of memory: output unchanged, and the writer still works. */
    simdsse_span o = simdsse_writer_output(w);
    simdsse_writer_consume(w, 5); /* so growing would first move bytes */
    want.len -= 5;
    memmove(want.ptr, want.ptr + 5, want.len);
    c.fail_after = c.allocs;
    char big[20000];
    memset(big, 'x', sizeof big);
    simdsse_event huge = {ABSENT, {big, sizeof big}, ABSENT, 0};
    st = simdsse_writer_event(w, &huge, 0);
    o = simdsse_writer_output(w);
    CHECK(st == SIMDSSE_ERR_NO_MEMORY && eq(o.ptr, o.len, want.ptr, want.len),
          "no memory: status %d, output unchanged", st);
    c.fail_after = SIZE_MAX;
    CHECK(simdsse_writer_event(w, &huge, 0) == SIMDSSE_OK, "then it grows");
    CHECK(simdsse_writer_output(w).len == want.len + 6 + sizeof big + 2, "big event appended");

    simdsse_writer_clear(w);
    CHECK(simdsse_writer_output(w).len == 0, "clear");
    size_t held = simdsse_writer_memory(w);
    CHECK(held > 20000, "clear keeps capacity (%zu)", held);
    CHECK(simdsse_writer_retry(w, 10) == SIMDSSE_OK && simdsse_writer_output(w).len == 10,
          "retry");
    simdsse_writer_clear(w);
    CHECK(simdsse_writer_comment(w, S("ping"), 0) == SIMDSSE_OK, "comment");
    simdsse_writer_trim(w);
    o = simdsse_writer_output(w);
    CHECK(eq(o.ptr, o.len, S(":ping\n")) && simdsse_writer_memory(w) < 200,
          "trim keeps output, frees the rest (%zu)", simdsse_writer_memory(w));
    simdsse_writer_consume(w, 100);
    simdsse_writer_trim(w);
    CHECK(simdsse_writer_output(w).len == 0, "consume past the end empties");
    CHECK(simdsse_writer_comment(w, S("again"), 0) == SIMDSSE_OK, "usable after trim");
    simdsse_writer_destroy(w);
    CHECK(c.live == 0, "destroy frees everything (%zu left)", c.live);
    free(want.ptr);

    /* Creation failures. */
    c.fail_after = c.allocs;
    CHECK(!simdsse_writer_create(&opt, &st) && st == SIMDSSE_ERR_NO_MEMORY, "create: no memory");
    simdsse_allocator half = a;
    half.realloc = NULL;
    opt.allocator = &half;
    CHECK(!simdsse_writer_create(&opt, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "incomplete allocator");
    opt.allocator = NULL;
    opt.kernel = "no-such-kernel";
    CHECK(!simdsse_writer_create(&opt, &st) && st == SIMDSSE_ERR_UNKNOWN_KERNEL, "unknown kernel");
    w = simdsse_writer_create(NULL, NULL);
    CHECK(w && strcmp(simdsse_writer_kernel(w), simdsse_kernel_default()) == 0, "default kernel");
    simdsse_writer_destroy(w);
    simdsse_writer_destroy(NULL);
}

/* Data far longer than a kernel's vector, with line ends at every offset
 * around vector boundaries, comes back intact on every kernel. */
static void test_line_ends_everywhere(void) {
    char data[300];
    for (size_t k = 0; k < n_kernels; k++) {
        simdsse_writer_options opt;
        simdsse_writer_options_init(&opt);
        opt.kernel = kernel_names[k];
        simdsse_writer *w = simdsse_writer_create(&opt, NULL);
        int bad = 0;
        for (size_t at = 0; at < sizeof data && w; at++) {
            static const char *const ends[] = {"\n", "\r", "\r\n"};
            for (int e = 0; e < 3; e++) {
                memset(data, 'z', sizeof data);
                size_t el = strlen(ends[e]);
                if (at + el > sizeof data) continue;
                memcpy(data + at, ends[e], el);
                simdsse_event ev = {ABSENT, {data, sizeof data}, ABSENT, 0};
                ev = guarded_event(&ev);
                simdsse_writer_clear(w);
                if (simdsse_writer_event(w, &ev, 0) != SIMDSSE_OK) bad++;
                simdsse_span o = simdsse_writer_output(w);
                /* "data: " + at bytes + LF + "data: " + rest + LF + LF */
                size_t rest = sizeof data - at - el;
                if (o.len != 6 + at + 1 + 6 + rest + 2 || o.ptr[6 + at] != '\n' ||
                    memcmp(o.ptr + 6 + at + 1, "data: ", 6) != 0)
                    bad++;
            }
        }
        CHECK(bad == 0, "kernel %s: %d line ends misplaced", kernel_names[k], bad);
        simdsse_writer_destroy(w);
    }
}

int main(int argc, char **argv) {
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed5eedull;
    find_kernels();
    CHECK(n_kernels >= 1, "at least the scalar kernel");
    test_fields();
    test_refusals();
    test_writer_buffer();
    test_line_ends_everywhere();
    for (size_t k = 0; k < n_kernels; k++) {
        rng r = {seed + 0x9e3779b97f4a7c15ull * (k + 1)};
        if (!r.s) r.s = 1; /* xorshift never leaves 0 */
        for (int i = 0; i < 60; i++) round_trip(&r, kernel_names[k], i & 1, 12, 0);
        for (int i = 0; i < 4; i++) round_trip(&r, kernel_names[k], i & 1, 6, 1);
    }
    printf("seed %#" PRIx64 ", kernels:", seed);
    for (size_t k = 0; k < n_kernels; k++) printf(" %s", kernel_names[k]);
    printf("\n");
    return check_done();
}
