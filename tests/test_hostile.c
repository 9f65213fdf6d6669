/*
 * test_hostile.c -- streams built to hurt: each is generated on the fly,
 * fed to a parser with a counting allocator, and must end with the status
 * and error offset the limits documented in include/simdsse.h say, hold no
 * more memory than those limits allow, and leave the parser usable.
 * SPDX-License-Identifier: MIT
 *
 * Usage: test_hostile [SCALE], or SIMDSSE_HOSTILE_SCALE in the environment.
 * Sizes are divided by SCALE (default 1): the sanitizer, Debug and valgrind
 * builds use a larger one (tests/hostile.cmake)
 * so that they stay fast, since what is tested is the same at any size past
 * the limits. At scale 1 the big cases are a 1 GiB line, 10 million data
 * lines, 100 MB of CRs and 100 MB fed one byte per call.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guard.h"

#include "simdsse.h"

#define MiB ((size_t)1 << 20)
#define CHUNK ((size_t)64 << 10)

static size_t scale = 1;

/* n / scale, but at least `floor` so a case still crosses its limit. */
static size_t scaled(size_t n, size_t floor) {
    size_t s = n / scale;
    return s < floor ? floor : s;
}

/* MARK: - A parser with a counting allocator and counting callbacks */

typedef struct hostile {
    simdsse_parser *p;
    simdsse_parser_options opt;
    simdsse_allocator al;
    size_t live, peak, base; /* bytes held; base: the parser alone */
    uint64_t events, retries, comments;
    uint64_t data_bytes;     /* over all events */
    uint64_t last_retry;
    char last_data[64];      /* first bytes of the last event's data */
    size_t last_data_len;
    uint64_t last_offset;
    int first_error;         /* the first limit error (on_error) */
    uint64_t error_offset;   /* and its offset */
    uint64_t errors;         /* on_error calls */
    uint64_t last_error_offset;
    int call_first;          /* the first limit error of the running feed */
} hostile;

static void *h_malloc(void *ctx, size_t n) {
    hostile *h = ctx;
    void *p = malloc(n);
    if (p && (h->live += n) > h->peak) h->peak = h->live;
    return p;
}
static void *h_realloc(void *ctx, void *ptr, size_t old, size_t n) {
    hostile *h = ctx;
    void *p = realloc(ptr, n);
    if (p && (h->live += n - old) > h->peak) h->peak = h->live;
    return p;
}
static void h_free(void *ctx, void *ptr, size_t n) {
    hostile *h = ctx;
    h->live -= n;
    free(ptr);
}

static int on_event(void *user, const simdsse_event *e) {
    hostile *h = user;
    h->events++;
    h->data_bytes += e->data.len;
    h->last_data_len = e->data.len;
    memcpy(h->last_data, e->data.ptr, e->data.len < 64 ? e->data.len : 64);
    h->last_offset = e->offset;
    return 0;
}
static int on_retry(void *user, uint64_t ms) {
    hostile *h = user;
    h->retries++;
    h->last_retry = ms;
    return 0;
}
static int on_comment(void *user, simdsse_span text) {
    hostile *h = user;
    (void)text;
    h->comments++;
    return 0;
}
static int on_error(void *user, const simdsse_error *e) {
    hostile *h = user;
    if (!h->errors++) {
        h->first_error = e->status;
        h->error_offset = e->offset;
    }
    if (!h->call_first) h->call_first = e->status;
    h->last_error_offset = e->offset;
    return 0;
}

static void set_callbacks(simdsse_parser_options *o, hostile *h) {
    o->on_event = on_event;
    o->on_retry = on_retry;
    o->on_comment = on_comment;
    o->on_error = on_error;
    o->user = h;
}

/* Starts a parser with the default limits, changed by the case before
 * h_start; `opt` must be set first (h_init). */
static void h_init(hostile *h) {
    memset(h, 0, sizeof *h);
    simdsse_parser_options_init(&h->opt);
    simdsse_allocator_init(&h->al);
    h->al.malloc = h_malloc;
    h->al.realloc = h_realloc;
    h->al.free = h_free;
    h->al.ctx = h;
    h->opt.allocator = &h->al;
    set_callbacks(&h->opt, h);
}

static void h_start(hostile *h) {
    h->p = simdsse_parser_create(&h->opt, NULL);
    if (!h->p) {
        fprintf(stderr, "cannot create a parser\n");
        exit(1);
    }
    h->base = h->live;
}

/* Feeds all of buf: feed reads it whole, going on past limit errors (each
 * reported to on_error), and returns the first of them. buf should lie
 * flush against an inaccessible page (guard.h). */
static void h_feed_placed(hostile *h, const char *s, size_t len) {
    size_t used;
    h->call_first = 0;
    simdsse_status st = simdsse_parser_feed(h->p, s, len, &used);
    if (st == SIMDSSE_ERR_NO_MEMORY || st == SIMDSSE_ERR_NEEDS_RESET) {
        if (!h->first_error) h->first_error = st;
        h->errors++;
        return;
    }
    if (used != len || st != h->call_first)
        CHECK(0, "feed read %zu of %zu and returned %s, its first limit error %s", used, len,
              simdsse_strerror(st), simdsse_strerror(h->call_first));
}

/* The same for any buffer: it is copied flush against that page first. */
static void h_feed(hostile *h, const void *buf, size_t len) {
    static guard_buf guard;
    h_feed_placed(h, guard_place(&guard, buf, len), len);
}

/* Feeds `total` bytes of `pattern` repeated, in 64 KiB chunks: the pattern
 * runs on across chunks, so chunk boundaries cut its lines anywhere. */
static void h_feed_repeat(hostile *h, const char *pattern, size_t pattern_len, uint64_t total) {
    static char buf[CHUNK + 256];
    if (pattern_len > 256) abort();
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = pattern[i % pattern_len];
    size_t phase = 0;
    while (total) {
        size_t n = total < CHUNK ? (size_t)total : CHUNK;
        h_feed(h, buf + phase, n);
        phase = (phase + n) % pattern_len;
        total -= n;
    }
}

/* The parser is usable: a line end (closing any line being skipped), a
 * blank line (closing any event being skipped) and a good event, which is
 * the only one dispatched. Then the memory checks and the end. */
static void h_finish(hostile *h, const char *name, size_t bound) {
    uint64_t before = h->events, errors = h->errors;
    uint64_t at = simdsse_parser_offset(h->p);
    h_feed(h, "\n\ndata: ok\n\n", 12);
    CHECK(h->errors == errors, "%s: the parser recovers (%s)", name,
          simdsse_strerror(h->first_error));
    CHECK(h->events == before + 1 && h->last_data_len == 2 && memcmp(h->last_data, "ok", 2) == 0,
          "%s: a good event after it is dispatched (%llu events)", name,
          (unsigned long long)(h->events - before));
    CHECK(h->last_offset == at + 11, "%s: at offset %llu", name,
          (unsigned long long)h->last_offset);
    CHECK(h->peak <= bound, "%s: peak %zu bytes, bound %zu from the limits", name, h->peak, bound);
    CHECK(simdsse_parser_memory(h->p) == h->live, "%s: parser_memory agrees with the allocator",
          name);
    printf("%-24s peak %9zu bytes (bound %9zu), %llu events\n", name, h->peak, bound,
           (unsigned long long)h->events);
    CHECK(simdsse_parser_finish(h->p) == SIMDSSE_OK, "%s: finish", name);
    simdsse_parser_destroy(h->p);
    CHECK(h->live == 0, "%s: %zu bytes not freed", name, h->live);
}

/* MARK: - The cases */

/* A 1 GiB line with no line end, in 64 KiB chunks: one LINE_TOO_LONG at
 * "the first byte past max_line_length", and only max_line_length held. */
static void line_without_end(void) {
    hostile h;
    h_init(&h);
    h_start(&h);
    uint64_t total = scaled((size_t)1 << 30, 4 * MiB);
    h_feed_repeat(&h, "xxxxxxxxxxxxxxxx", 16, total);
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_LINE_TOO_LONG, "long line: %s x%llu",
          simdsse_strerror(h.first_error), (unsigned long long)h.errors);
    CHECK(h.error_offset == h.opt.max_line_length, "long line: error at %llu",
          (unsigned long long)h.error_offset);
    CHECK(simdsse_parser_offset(h.p) == total, "long line: all consumed");
    h_finish(&h, "1 GiB line", h.base + h.opt.max_line_length);
}

/* 10 million `data` lines in one event: DATA_TOO_LONG at the value of the
 * first line that would take the joined data past max_data_length. */
static void ten_million_data_lines(void) {
    hostile h;
    h_init(&h);
    h.opt.max_line_length = 64; /* the lines are short: hold the bound tight */
    /* Scaled down, the data limit shrinks with the stream. */
    h.opt.max_data_length = scaled(SIMDSSE_DEFAULT_MAX_DATA_LENGTH, 4096);
    h_start(&h);
    uint64_t lines = scaled(10000000, h.opt.max_data_length);
    h_feed_repeat(&h, "data: x\n", 8, lines * 8);
    /* After k lines the data is 2k - 1 bytes ("x", LF, "x", ...); line k
     * (from 0) would make it 2k + 1: the first k with 2k + 1 > max fails. */
    uint64_t k = (h.opt.max_data_length - 1) / 2 + 1;
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_DATA_TOO_LONG, "data lines: %s x%llu",
          simdsse_strerror(h.first_error), (unsigned long long)h.errors);
    CHECK(h.error_offset == k * 8 + 6, "data lines: error at %llu, expected %llu",
          (unsigned long long)h.error_offset, (unsigned long long)(k * 8 + 6));
    CHECK(h.events == 0, "data lines: the event is dropped");
    h_finish(&h, "10M data lines", h.base + h.opt.max_data_length + h.opt.max_line_length);
}

/* Only CRs: every CR is a blank line, which dispatches nothing; no error,
 * no allocation at all. A CR ending a chunk and one starting the next are
 * two line ends, so the count must not depend on the chunking. */
static void only_crs(void) {
    hostile h;
    h_init(&h);
    h_start(&h);
    uint64_t total = scaled(100 * 1000 * 1000, 3 * CHUNK);
    h_feed_repeat(&h, "\r", 1, total);
    h_feed_repeat(&h, "\r\n", 2, scaled(10 * MiB, 2 * CHUNK));
    CHECK(h.errors == 0 && h.events == 0, "CRs: %s, %llu events", simdsse_strerror(h.first_error),
          (unsigned long long)h.events);
    CHECK(h.live == h.base, "CRs: no allocation (%zu bytes)", h.live - h.base);
    h_finish(&h, "only CRs", h.base);
}

/* Only comments: each reported, nothing dispatched; a comment longer than
 * max_line_length is a line like any other. */
static void only_comments(void) {
    hostile h;
    h_init(&h);
    h.opt.max_line_length = 4096;
    h_start(&h);
    static const char c[] = ": heartbeat 0123456789abcdef\n"; /* 29 bytes: cut anywhere */
    uint64_t n = scaled(4000000, 10000);
    h_feed_repeat(&h, c, sizeof c - 1, n * (sizeof c - 1));
    CHECK(h.comments == n && h.events == 0 && h.errors == 0, "comments: %llu of %llu",
          (unsigned long long)h.comments, (unsigned long long)n);
    uint64_t at = simdsse_parser_offset(h.p);
    h_feed(&h, ":", 1);
    h_feed_repeat(&h, "-", 1, 3 * h.opt.max_line_length);
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_LINE_TOO_LONG, "long comment: %s",
          simdsse_strerror(h.first_error));
    CHECK(h.error_offset == at + h.opt.max_line_length, "long comment: error at %llu",
          (unsigned long long)h.error_offset);
    h_finish(&h, "only comments", h.base + h.opt.max_line_length);
}

/* BOMs: only the first, at stream start, is stripped ("one leading BOM").
 * The rest, each on its own line, are a field named U+FEFF, ignored; with
 * no line ends they are one line, too long. */
static void repeated_boms(void) {
    hostile h;
    h_init(&h);
    h.opt.max_line_length = 64 << 10;
    h_start(&h);
    static const char bom_lf[] = "\xEF\xBB\xBF\n";
    h_feed_repeat(&h, bom_lf, 4, scaled(40 * MiB, 1 * MiB));
    CHECK(h.errors == 0 && h.events == 0, "BOM lines: %s", simdsse_strerror(h.first_error));
    h_finish(&h, "BOM lines", h.base + h.opt.max_line_length);

    h_init(&h);
    h.opt.max_line_length = 64 << 10;
    h_start(&h);
    h_feed_repeat(&h, "\xEF\xBB\xBF", 3, scaled(30 * MiB, 1 * MiB));
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_LINE_TOO_LONG, "BOMs: %s",
          simdsse_strerror(h.first_error));
    /* The line starts after the stripped BOM, at offset 3. */
    CHECK(h.error_offset == 3 + h.opt.max_line_length, "BOMs: error at %llu",
          (unsigned long long)h.error_offset);
    h_finish(&h, "BOMs, no line end", h.base + h.opt.max_line_length);
}

/* retry with 40 digits saturates at UINT64_MAX; one with max_line_length
 * digits too, in time linear in its length; leading zeros are digits. */
static void huge_retry(void) {
    hostile h;
    h_init(&h);
    h_start(&h);
    h_feed(&h, "retry: 1234567890123456789012345678901234567890\n", 48);
    CHECK(h.retries == 1 && h.last_retry == UINT64_MAX, "40 digits: %llu",
          (unsigned long long)h.last_retry);
    h_feed(&h, "retry: 0000000000000000000000000000000000000042\n", 48);
    CHECK(h.retries == 2 && h.last_retry == 42, "leading zeros: %llu",
          (unsigned long long)h.last_retry);
    h_feed(&h, "retry: ", 7);
    h_feed_repeat(&h, "9", 1, h.opt.max_line_length - 7);
    h_feed(&h, "\n", 1);
    CHECK(h.errors == 0 && h.retries == 3 && h.last_retry == UINT64_MAX,
          "a retry as long as a line: %s, %llu", simdsse_strerror(h.first_error),
          (unsigned long long)h.last_retry);
    h_feed(&h, "retry: 18446744073709551616\n", 28);
    CHECK(h.last_retry == UINT64_MAX && simdsse_parser_retry(h.p) == UINT64_MAX, "2^64");
    h_feed(&h, "retry: 18446744073709551615\n", 28);
    CHECK(h.retries == 5 && h.last_retry == UINT64_MAX, "2^64 - 1");
    h_finish(&h, "retry: 40 digits", h.base + h.opt.max_line_length);
}

/* A 1 MiB id: ID_TOO_LONG at its value; the event is dropped and the last
 * event ID stays what it was. */
static void huge_id(void) {
    hostile h;
    h_init(&h);
    h.opt.max_line_length = 2 * MiB; /* so the id, not the line, is too long */
    h_start(&h);
    h_feed(&h, "id: 7\ndata: a\n\n", 15);
    h_feed(&h, "id: ", 4);
    h_feed_repeat(&h, "0123456789abcdef", 16, MiB);
    h_feed(&h, "\ndata: b\n\n", 10);
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_ID_TOO_LONG, "1 MiB id: %s",
          simdsse_strerror(h.first_error));
    CHECK(h.error_offset == 15 + 4, "1 MiB id: error at %llu", (unsigned long long)h.error_offset);
    CHECK(h.events == 1, "1 MiB id: its event is dropped");
    simdsse_span id = simdsse_parser_last_event_id(h.p);
    CHECK(id.len == 1 && id.ptr[0] == '7', "1 MiB id: the last event ID is still 7");
    h_finish(&h, "1 MiB id", h.base + h.opt.max_line_length + 2 * h.opt.max_id_length);
}

/* 100 MB, one byte per feed: every line is carried byte by byte. Nothing
 * is lost, nothing grows. */
static void one_byte_at_a_time(void) {
    hostile h;
    h_init(&h);
    h_start(&h);
    static const char ev[] = "event: tick\r\nid: 12\ndata: {\"n\":1}\rdata: 2\n: c\r\n\r\n"; /* 49 */
    size_t n = sizeof ev - 1;
    uint64_t total = scaled(100 * 1000 * 1000, 100 * n);
    uint64_t reps = total / n;
    /* Each byte placed once, flush against a page of its own, and fed from
     * there for the first MiB; the rest from `ev` itself: on Intel, each
     * AVX-512 masked load whose masked-off bytes lie on an inaccessible
     * page takes a fault-suppression assist (~200 ns), more than the
     * parsing, and 100 MB of them would take 20 s. */
    static guard_buf guards[sizeof ev - 1];
    const char *guarded[sizeof ev - 1], *plain[sizeof ev - 1];
    for (size_t i = 0; i < n; i++) {
        guarded[i] = guard_place(&guards[i], ev + i, 1);
        plain[i] = ev + i;
    }
    for (uint64_t r = 0; r < reps; r++) {
        const char *const *bytes = r * n < MiB ? guarded : plain;
        for (size_t i = 0; i < n; i++) h_feed_placed(&h, bytes[i], 1);
    }
    for (size_t i = 0; i < n; i++) guard_free(&guards[i]);
    CHECK(h.errors == 0 && h.events == reps && h.comments == reps, "bytewise: %llu events of %llu",
          (unsigned long long)h.events, (unsigned long long)reps);
    CHECK(h.data_bytes == reps * 9, "bytewise: data intact");
    /* The line buffer grows to the longest line, the data and type
     * stores to their values, the id buffers to the id: all tiny. */
    h_finish(&h, "100 MB bytewise", h.base + 4 * 64 + 64);
}

/* NUL floods: NUL is an ordinary byte in names and values (only an id with
 * NUL is ignored), and a NUL line with no end is too long like any other. */
static void nul_floods(void) {
    hostile h;
    h_init(&h);
    h_start(&h);
    static char nuls[CHUNK];
    h_feed(&h, "data: ", 6);
    h_feed(&h, nuls, sizeof nuls);
    h_feed(&h, "\n\n", 2);
    CHECK(h.events == 1 && h.last_data_len == CHUNK && h.errors == 0, "NUL data: %llu bytes",
          (unsigned long long)h.data_bytes);
    h_feed(&h, "id: a\0b\ndata: x\n\n", 17);
    CHECK(simdsse_parser_last_event_id(h.p).len == 0, "an id with NUL is ignored");
    uint64_t at = simdsse_parser_offset(h.p);
    h_feed_repeat(&h, "\0", 1, scaled(64 * MiB, 4 * MiB));
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_LINE_TOO_LONG, "NUL flood: %s",
          simdsse_strerror(h.first_error));
    CHECK(h.error_offset == at + h.opt.max_line_length, "NUL flood: error at %llu",
          (unsigned long long)h.error_offset);
    h_finish(&h, "NUL floods", h.base + h.opt.max_line_length + h.opt.max_data_length);
}

/* Invalid UTF-8 everywhere: the parser works on bytes, so values pass
 * through exactly and nothing trips; a line of it with no end is too long. */
static void invalid_utf8(void) {
    hostile h;
    h_init(&h);
    h.opt.max_line_length = 256 << 10;
    h_start(&h);
    /* Bytes 0x80..0xFF in every position: names, values, types, ids. */
    static const char bad[] = "\xff\xfe: \xc0\xaf\n"
                              "event: \xed\xa0\x80\xf4\x90\x80\x80\n"
                              "id: \xc3\x28\xa0\xa1\n"
                              "data: \xe2\x28\xa1\xf0\x28\x8c\xbc\x80\n"
                              "d\xe1ta: no\n"
                              "\n";
    size_t n = sizeof bad - 1;
    uint64_t reps = scaled(200000, 1000);
    h_feed_repeat(&h, bad, n, reps * n);
    CHECK(h.errors == 0 && h.events == reps, "invalid UTF-8: %llu events of %llu",
          (unsigned long long)h.events, (unsigned long long)reps);
    CHECK(h.last_data_len == 8 && memcmp(h.last_data, "\xe2\x28\xa1\xf0\x28\x8c\xbc\x80", 8) == 0,
          "invalid UTF-8 data passes through");
    simdsse_span id = simdsse_parser_last_event_id(h.p);
    CHECK(id.len == 4 && memcmp(id.ptr, "\xc3\x28\xa0\xa1", 4) == 0, "invalid UTF-8 id kept");
    uint64_t at = simdsse_parser_offset(h.p);
    static char high[256];
    for (int i = 0; i < 256; i++) high[i] = (char)(0x80 | (i & 0x7F));
    h_feed_repeat(&h, high, sizeof high, scaled(16 * MiB, 1 * MiB));
    CHECK(h.errors == 1 && h.first_error == SIMDSSE_ERR_LINE_TOO_LONG, "high bytes: %s",
          simdsse_strerror(h.first_error));
    CHECK(h.error_offset == at + h.opt.max_line_length, "high bytes: error at %llu",
          (unsigned long long)h.error_offset);
    /* The line buffer may reach the line limit; the data, type and two id
     * buffers hold values of a few bytes (64, the smallest capacity). */
    h_finish(&h, "invalid UTF-8", h.base + h.opt.max_line_length + 4 * 64);
}

/* The event type limit too, and a limit error in every event of a long
 * stream: each reported once, at its own offset, none leaking memory. */
static void type_too_long_each_event(void) {
    hostile h;
    h_init(&h);
    h.opt.max_type_length = 8;
    h_start(&h);
    static const char ev[] = "event: 123456789\ndata: x\n\nevent: 12345678\ndata: y\n\n"; /* 51 */
    uint64_t reps = scaled(100000, 100);
    for (uint64_t r = 0; r < reps; r++) h_feed(&h, ev, sizeof ev - 1);
    CHECK(h.errors == reps && h.first_error == SIMDSSE_ERR_TYPE_TOO_LONG, "types: %llu errors",
          (unsigned long long)h.errors);
    CHECK(h.error_offset == 7, "types: first error at %llu", (unsigned long long)h.error_offset);
    CHECK(h.last_error_offset == (reps - 1) * 51 + 7, "types: last error at %llu",
          (unsigned long long)h.last_error_offset);
    CHECK(h.events == reps, "types: the good half dispatched");
    h_finish(&h, "type too long, each event", h.base + 64 + 64);
}

/* NO_MEMORY is the one error that needs a reset, as documented. */
typedef struct failing {
    int fail;
} failing;
static void *f_malloc(void *ctx, size_t n) {
    failing *f = ctx;
    return f->fail ? NULL : malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t old, size_t n) {
    failing *f = ctx;
    (void)old;
    return f->fail ? NULL : realloc(p, n);
}
static void f_free(void *ctx, void *p, size_t n) {
    (void)ctx, (void)n;
    free(p);
}
static void no_memory_needs_reset(void) {
    failing f = {0};
    simdsse_allocator al;
    simdsse_allocator_init(&al);
    al.malloc = f_malloc;
    al.realloc = f_realloc;
    al.free = f_free;
    al.ctx = &f;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.allocator = &al;
    hostile h;
    memset(&h, 0, sizeof h);
    set_callbacks(&o, &h);
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    CHECK(p != NULL, "create");
    f.fail = 1;
    simdsse_status st = simdsse_parser_feed(p, "id: 1\n", 6, NULL);
    CHECK(st == SIMDSSE_ERR_NO_MEMORY, "an id needs memory: %s", simdsse_strerror(st));
    st = simdsse_parser_feed(p, "data: x\n\n", 9, NULL);
    CHECK(st == SIMDSSE_ERR_NEEDS_RESET, "then NEEDS_RESET: %s", simdsse_strerror(st));
    CHECK(simdsse_parser_finish(p) == SIMDSSE_ERR_NEEDS_RESET, "finish too");
    f.fail = 0;
    simdsse_parser_reset(p);
    st = simdsse_parser_feed(p, "data: x\n\n", 9, NULL);
    CHECK(st == SIMDSSE_OK && h.events == 1, "usable after reset: %s", simdsse_strerror(st));
    simdsse_parser_destroy(p);
}

int main(int argc, char **argv) {
    const char *env = getenv("SIMDSSE_HOSTILE_SCALE");
    if (env && *env) scale = (size_t)strtoull(env, NULL, 10);
    if (argc > 1) scale = (size_t)strtoull(argv[1], NULL, 10);
    if (scale < 1) scale = 1;
    printf("scale 1/%zu\n", scale);
    line_without_end();
    ten_million_data_lines();
    only_crs();
    only_comments();
    repeated_boms();
    huge_retry();
    huge_id();
    one_byte_at_a_time();
    nul_floods();
    invalid_utf8();
    type_too_long_each_event();
    no_memory_needs_reset();
    return check_done();
}
