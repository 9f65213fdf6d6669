/*
 * test_sse_filter.c -- the module's stream logic (nginx/sse_filter.c)
 * without nginx: what reaches the client, what is counted and where a limit
 * cuts, for hand-written streams, random hostile ones and the corpora, at
 * every chunking from whole to one byte.
 * SPDX-License-Identifier: MIT
 *
 * The caller side (the module's carry and ranges) is simulated here: held
 * hbuf are copied, emitted ranges are appended to the output. Expectations
 * come from a model written here line by line from the standard, which
 * knows nothing of chunks: the filter must agree with it whatever the
 * chunking. The seed is fixed; pass another as argv[1].
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "corpus.h"
#include "hbuf.h"
#include "sse_filter.h"

#define S(lit) lit, sizeof(lit) - 1

static int same(const hbuf *b, const char *p, size_t n) {
    return b->len == n && (n == 0 || memcmp(b->ptr, p, n) == 0);
}

/* MARK: - Options */

typedef struct opts {
    size_t max_line, max_event;
    const simdsse_span *drop;
    size_t ndrop;
} opts;

static const simdsse_span ping[] = {{"ping", 4}};
static const simdsse_span ping_message[] = {{"ping", 4}, {"message", 7}};

static int dropped_type(const opts *o, const char *t, size_t n) {
    for (size_t i = 0; i < o->ndrop; i++)
        if (o->drop[i].len == n && memcmp(o->drop[i].ptr, t, n) == 0) return 1;
    return 0;
}

/* MARK: - What the client should get: the model */

typedef struct result {
    hbuf out;
    uint64_t events, dropped;
    sse_filter_state state;
    uint64_t cut_offset, limit_offset, unterminated;
    hbuf last_id;
} result;

static void result_free(result *r) {
    free(r->out.ptr);
    free(r->last_id.ptr);
}

/* A line of the stream: [start, end) content, then `eol` hbuf of line end
 * (0 for an unterminated last line). */
typedef struct line {
    size_t start, end, eol;
} line;

static size_t next_line(const char *s, size_t n, size_t at, line *l) {
    l->start = at;
    while (at < n && s[at] != '\r' && s[at] != '\n') at++;
    l->end = at;
    l->eol = at == n ? 0 : (s[at] == '\r' && at + 1 < n && s[at + 1] == '\n') ? 2 : 1;
    return at + l->eol;
}

/*
 * The stream as a client reads it, and as the module must pass it: lines
 * and fields by the standard's steps ("If the line is empty, dispatch the
 * event"; "If the line starts with a U+003A COLON character, ignore the
 * line"; "Collect the characters on the line before the first U+003A
 * COLON ... field name ... value, removing one leading U+0020 SPACE");
 * the places after which nothing is pending (blank lines; comments
 * outside events), the spans between them and the limits on them.
 */
static void model(const char *s, size_t n, const opts *o, result *r) {
    memset(r, 0, sizeof *r);
    hbuf_add(&r->out, "", 0);
    hbuf_add(&r->last_id, "", 0);
    hbuf type = {0}, id_buf = {0}, last_id = {0}, delivered_id = {0};
    hbuf_add(&type, "", 0);
    hbuf_add(&id_buf, "", 0);
    hbuf_add(&last_id, "", 0);
    hbuf_add(&delivered_id, "", 0);
    int has_data = 0, pending = 0;
    size_t at = 0, safe = 0, kept = 0; /* output is s[kept, safe) minus drops */
    size_t drop_from[4096], drop_to[4096], ndrops = 0;
    /* "The UTF-8 decode algorithm strips one leading UTF-8 BOM." */
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) at = 3;
    uint64_t trip = UINT64_MAX;
    sse_filter_state why = SSE_FILTER_OPEN;
    size_t cut_at = 0;
    while (at < n) {
        line l;
        at = next_line(s, n, at, &l);
        size_t len = l.end - l.start;
        int blank = l.eol && len == 0;
        int comment = len && s[l.start] == ':';
        /* Limits: a line longer than max_line trips at its first byte
         * past the limit; the span since the last safe point at its
         * (max_event + 1)th byte. A safe point's span counts up to the
         * first byte of its line end. */
        int makes_safe = l.eol && (blank || (comment && !pending));
        size_t span = (makes_safe ? l.end + 1 : at) - safe;
        uint64_t line_trip = len > o->max_line ? l.start + o->max_line : UINT64_MAX;
        uint64_t span_trip = span > o->max_event ? safe + o->max_event : UINT64_MAX;
        if (span_trip < line_trip) {
            trip = span_trip;
            why = SSE_FILTER_EVENT_TOO_LONG;
        } else if (line_trip != UINT64_MAX) {
            trip = line_trip;
            why = SSE_FILTER_LINE_TOO_LONG;
        }
        if (why != SSE_FILTER_OPEN) {
            cut_at = safe;
            break;
        }
        if (!l.eol) break; /* unterminated: never dispatched, never sent */
        if (blank) {
            hbuf_set(&last_id, id_buf.ptr, id_buf.len);
            if (has_data) {
                const char *t = type.len ? type.ptr : "message";
                size_t tl = type.len ? type.len : 7;
                r->events++;
                hbuf_set(&delivered_id, last_id.ptr, last_id.len);
                if (dropped_type(o, t, tl)) {
                    r->dropped++;
                    drop_from[ndrops] = safe;
                    drop_to[ndrops++] = at;
                }
            }
            has_data = pending = 0;
            type.len = 0;
            safe = at;
            continue;
        }
        if (comment) {
            if (!pending) safe = at;
            continue;
        }
        pending = 1;
        size_t colon = l.start;
        while (colon < l.end && s[colon] != ':') colon++;
        size_t v = colon < l.end ? colon + 1 : l.end;
        if (v < l.end && s[v] == ' ') v++;
        size_t name_len = colon - l.start;
        const char *name = s + l.start;
        if (name_len == 4 && memcmp(name, "data", 4) == 0) {
            has_data = 1;
        } else if (name_len == 5 && memcmp(name, "event", 5) == 0) {
            hbuf_set(&type, s + v, l.end - v);
        } else if (name_len == 2 && memcmp(name, "id", 2) == 0) {
            if (!memchr(s + v, '\0', l.end - v)) hbuf_set(&id_buf, s + v, l.end - v);
        }
    }
    size_t end = why != SSE_FILTER_OPEN ? cut_at : safe;
    for (size_t i = 0; i < ndrops && drop_to[i] <= end; i++) {
        hbuf_add(&r->out, s + kept, drop_from[i] - kept);
        kept = drop_to[i];
    }
    if (end > kept) hbuf_add(&r->out, s + kept, end - kept);
    r->state = why != SSE_FILTER_OPEN ? why : SSE_FILTER_DONE;
    if (why != SSE_FILTER_OPEN) {
        r->cut_offset = cut_at;
        r->limit_offset = trip;
        hbuf_set(&r->last_id, delivered_id.ptr, delivered_id.len);
    } else {
        r->unterminated = n - safe;
        hbuf_set(&r->last_id, last_id.ptr, last_id.len);
    }
    free(type.ptr);
    free(id_buf.ptr);
    free(last_id.ptr);
    free(delivered_id.ptr);
}

/* MARK: - What the client gets: the filter, with a simulated caller */

typedef struct sim {
    sse_filter f;
    hbuf out;
    hbuf held; /* stream hbuf [held_from, base) */
    uint64_t held_from;
    const char *chunk;
    uint64_t base;
    uint64_t emitted; /* end of the last range */
    int bad_range;
    uint64_t events_seen;
} sim;

static void sim_emit(void *user, uint64_t from, uint64_t to) {
    sim *m = user;
    if (from < m->emitted || to <= from || to > m->base + m->f.len) m->bad_range = 1;
    m->emitted = to;
    if (from < m->base) {
        if (from < m->held_from) {
            m->bad_range = 1;
            return;
        }
        uint64_t upto = to < m->base ? to : m->base;
        hbuf_add(&m->out, m->held.ptr + (from - m->held_from), (size_t)(upto - from));
        from = upto;
    }
    if (from < to) hbuf_add(&m->out, m->chunk + (from - m->base), (size_t)(to - from));
}

static void sim_event(void *user, const simdsse_event *ev, int dropped) {
    (void)ev;
    (void)dropped;
    ((sim *)user)->events_seen++;
}

/* Feeds s in chunks of the sizes `sizes` cycles through (0: random). */
static void run(const char *s, size_t n, const opts *o, const size_t *sizes, size_t nsizes,
                uint64_t seed, result *r) {
    sim m;
    memset(&m, 0, sizeof m);
    sse_filter_options fo = {o->max_line, o->max_event, o->drop, o->ndrop, sim_event, sim_emit, &m};
    CHECK(sse_filter_init(&m.f, &fo) == SIMDSSE_OK, "init");
    hbuf_add(&m.out, "", 0);
    hbuf_add(&m.held, "", 0);
    size_t at = 0, k = 0;
    int clean = 1, bounded = 1;
    while (at < n) {
        size_t c = sizes[k++ % nsizes];
        if (c == 0) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            c = 1 + (size_t)((seed >> 33) % 97);
        }
        if (c > n - at) c = n - at;
        m.chunk = s + at;
        m.base = at;
        sse_filter_state st = sse_filter_feed(&m.f, s + at, c);
        if (m.f.whole) {
            if (m.emitted > m.base) m.bad_range = 1;
            hbuf_add(&m.out, s + at, c);
            m.emitted = at + c;
        }
        at += c;
        if (st != SSE_FILTER_OPEN) break;
        /* Hold what the filter did not resolve, as the module does. */
        uint64_t safe = m.f.safe;
        if (safe >= m.base) {
            hbuf_set(&m.held, s + safe, (size_t)(at - safe));
            m.held_from = safe;
        } else {
            hbuf_add(&m.held, s + m.base, c);
        }
        if (m.held.len != at - safe || m.held_from != safe) clean = 0;
        if (m.held.len > o->max_event) bounded = 0;
        /* What went out ends on a line end: nothing half sent. */
        if (m.out.len && m.out.ptr[m.out.len - 1] != '\n' && m.out.ptr[m.out.len - 1] != '\r')
            clean = 0;
    }
    memset(r, 0, sizeof *r);
    r->unterminated = sse_filter_finish(&m.f);
    r->out = m.out;
    r->events = m.f.events;
    r->dropped = m.f.dropped;
    r->state = m.f.state;
    if (r->state != SSE_FILTER_DONE) {
        r->cut_offset = m.f.cut_offset;
        r->limit_offset = m.f.limit_offset;
        r->unterminated = 0;
    }
    simdsse_span id = sse_filter_last_event_id(&m.f);
    hbuf_add(&r->last_id, id.ptr, id.len);
    CHECK(!m.bad_range, "emit ranges out of order or out of bounds");
    CHECK(clean, "held hbuf do not match [safe, end), or output ends inside a line");
    CHECK(bounded, "held more than max_event");
    CHECK(m.events_seen == m.f.events, "on_event %" PRIu64 " times for %" PRIu64 " events",
          m.events_seen, m.f.events);
    sse_filter_free(&m.f);
    free(m.held.ptr);
}

static void show(const char *what, const char *s, size_t n) {
    fprintf(stderr, "  %s (%zu): \"", what, n);
    for (size_t i = 0; i < n && i < 400; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '\r')
            fputs("\\r", stderr);
        else if (c < 32 || c > 126)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputs("\"\n", stderr);
}

/* The filter agrees with the model at every chunking. */
static int agrees(const char *name, const char *s, size_t n, const opts *o) {
    static const size_t chunkings[][3] = {{1 << 30}, {1}, {2}, {3}, {5}, {7}, {13}, {64},
                                          {1, 2, 3}, {0}};
    result want;
    model(s, n, o, &want);
    int ok = 1;
    for (size_t c = 0; c < sizeof chunkings / sizeof chunkings[0] && ok; c++) {
        size_t nsizes = chunkings[c][1] ? 3 : 1;
        result got;
        run(s, n, o, chunkings[c], nsizes, 99 + c, &got);
        int eq = same(&got.out, want.out.ptr, want.out.len) && got.events == want.events &&
                 got.dropped == want.dropped && got.state == want.state &&
                 got.cut_offset == want.cut_offset && got.limit_offset == want.limit_offset &&
                 got.unterminated == want.unterminated &&
                 same(&got.last_id, want.last_id.ptr, want.last_id.len);
        CHECK(eq,
              "%s, chunks of %zu: events %" PRIu64 "/%" PRIu64 ", dropped %" PRIu64 "/%" PRIu64
              ", state %d/%d, cut %" PRIu64 "/%" PRIu64 ", limit %" PRIu64 "/%" PRIu64
              ", unterminated %" PRIu64 "/%" PRIu64 " (got/model)",
              name, chunkings[c][0], got.events, want.events, got.dropped, want.dropped,
              got.state, want.state, got.cut_offset, want.cut_offset, got.limit_offset,
              want.limit_offset, got.unterminated, want.unterminated);
        if (!eq) {
            show("stream", s, n);
            show("got", got.out.ptr, got.out.len);
            show("model", want.out.ptr, want.out.len);
            show("got id", got.last_id.ptr, got.last_id.len);
            show("model id", want.last_id.ptr, want.last_id.len);
            ok = 0;
        }
        result_free(&got);
    }
    result_free(&want);
    return ok;
}

/* MARK: - Streams written by hand, with what the client gets */

#define OPEN_OPTS {1 << 20, 1 << 20, NULL, 0}
#define DROP_PING {1 << 20, 1 << 20, ping, 1}
static const opts open_opts = OPEN_OPTS;
static const opts drop_ping = DROP_PING;

typedef struct hand {
    const char *name;
    const char *in;
    size_t in_len;
    const char *out;
    size_t out_len;
    opts o;
    sse_filter_state state;
    uint64_t events, dropped;
} hand;

/* The options last: H(name, in, out, state, events, dropped, max_line,
 * max_event, drop types, their count). */
#define H(name, in, out, state, events, dropped, ...) \
    {name, S(in), S(out), {__VA_ARGS__}, state, events, dropped}
#define BIG (1 << 20)

static const hand hands[] = {
    H("pass-through", "data: a\n\ndata: b\n\n", "data: a\n\ndata: b\n\n", SSE_FILTER_DONE, 2, 0,
      BIG, BIG, NULL, 0),
    H("crlf", "data: a\r\n\r\ndata: b\r\n\r\n", "data: a\r\n\r\ndata: b\r\n\r\n", SSE_FILTER_DONE, 2,
      0, BIG, BIG, NULL, 0),
    H("cr", "data: a\r\rdata: b\r\r", "data: a\r\rdata: b\r\r", SSE_FILTER_DONE, 2, 0, BIG, BIG,
      NULL, 0),
    H("unterminated event held back", "data: a\n\ndata: b\n", "data: a\n\n", SSE_FILTER_DONE, 1, 0,
      BIG, BIG, NULL, 0),
    H("unterminated comment held back", "data: a\n\n: hb", "data: a\n\n", SSE_FILTER_DONE, 1, 0,
      BIG, BIG, NULL, 0),
    H("heartbeat passes", "data: a\n\n: ping\n", "data: a\n\n: ping\n", SSE_FILTER_DONE, 1, 0, BIG,
      BIG, NULL, 0),
    H("drop", "event: ping\ndata: p\n\ndata: a\n\n", "data: a\n\n", SSE_FILTER_DONE, 2, 1, BIG, BIG,
      ping, 1),
    H("comment before a dropped event stays", ": c\nevent: ping\ndata: p\n\n", ": c\n",
      SSE_FILTER_DONE, 1, 1, BIG, BIG, ping, 1),
    H("comment inside a dropped event goes", "event: ping\n: c\ndata: p\n\n", "", SSE_FILTER_DONE, 1,
      1, BIG, BIG, ping, 1),
    H("a block without data is not an event", "id: 7\n\nevent: ping\ndata: p\n\n", "id: 7\n\n",
      SSE_FILTER_DONE, 1, 1, BIG, BIG, ping, 1),
    H("event: without data dispatches nothing", "event: ping\n\ndata: a\n\n",
      "event: ping\n\ndata: a\n\n", SSE_FILTER_DONE, 1, 0, BIG, BIG, ping, 1),
    H("drop crlf", "event: ping\r\ndata: p\r\n\r\ndata: a\r\n\r\n", "data: a\r\n\r\n",
      SSE_FILTER_DONE, 2, 1, BIG, BIG, ping, 1),
    H("drop cr", "event: ping\rdata: p\r\rdata: a\r\r", "data: a\r\r", SSE_FILTER_DONE, 2, 1, BIG,
      BIG, ping, 1),
    H("bom, then a comment", "\xEF\xBB\xBF: hi\ndata: a\n", "\xEF\xBB\xBF: hi\n", SSE_FILTER_DONE,
      0, 0, BIG, BIG, NULL, 0),
    H("event too long", "data: a\n\ndata: 0123456789012345678901234567890\n\ndata: b\n\n",
      "data: a\n\n", SSE_FILTER_EVENT_TOO_LONG, 1, 0, BIG, 20, NULL, 0),
    H("the limit counts the event, not what came before it",
      "data: a\n\n: 0123456789\n: 0123456789\ndata: 01234567\n\n",
      "data: a\n\n: 0123456789\n: 0123456789\ndata: 01234567\n\n", SSE_FILTER_DONE, 2, 0, BIG, 16,
      NULL, 0),
    H("comments before a too long event go out", ": c\ndata: 0123456789012345678901234567890\n\n",
      ": c\n", SSE_FILTER_EVENT_TOO_LONG, 0, 0, BIG, 20, NULL, 0),
    H("line too long", "data: a\n\n: 0123456789abc\ndata: b\n\n", "data: a\n\n",
      SSE_FILTER_LINE_TOO_LONG, 1, 0, 10, BIG, NULL, 0),
    H("an event as long as the limit passes", "data: ab\n\n", "data: ab\n\n", SSE_FILTER_DONE, 1, 0,
      BIG, 10, NULL, 0),
    H("one byte more does not", "data: abc\n\n", "", SSE_FILTER_EVENT_TOO_LONG, 0, 0, BIG, 10, NULL,
      0),
};

/* MARK: - Random hostile streams */

static uint64_t rng;
static uint32_t below(uint32_t n) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng >> 33) % n);
}

static void random_stream(hbuf *b) {
    static const char *const lines[] = {
        "data: x", "data:yy", "data", "data: ", "event: ping", "event:ping", "event: a", "event",
        "id: 7", "id: 8", "id", "id: a\0b", "retry: 10", ": c", ":", "", "", "", "", "foo: bar",
        " data: lead", "data: 0123456789012345678901234567890123456789", ": 01234567890123456789",
        ("\xEF\xBB\xBF" "data: bom"),
    };
    static const size_t lens[] = {7, 7, 4, 6, 11, 10, 8, 5, 5, 5, 2, 7, 9, 3, 1, 0, 0, 0, 0, 8,
                                  11, 46, 22, 12};
    static const char *const eols[] = {"\n", "\r", "\r\n"};
    b->len = 0;
    hbuf_add(b, "", 0);
    if (below(8) == 0) hbuf_add(b, "\xEF\xBB\xBF", 3);
    int n = 1 + (int)below(30);
    for (int i = 0; i < n; i++) {
        size_t k = below(sizeof lines / sizeof lines[0]);
        hbuf_add(b, lines[k], lens[k]);
        const char *e = eols[below(3)];
        hbuf_add(b, e, strlen(e));
    }
    if (below(4) == 0) hbuf_add(b, "data: unterminated", 18);
}

int main(int argc, char **argv) {
    rng = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261201;
    /* SIMDSSE_TEST_QUICK (valgrind, .ci/valgrind.sh): fewer random streams
     * and a smaller corpus, every chunking still. */
    int quick = getenv("SIMDSSE_TEST_QUICK") != NULL;
    int nrandom = quick ? 60 : 400;
    size_t corpus_size = quick ? 4 << 10 : 24 << 10;

    for (size_t i = 0; i < sizeof hands / sizeof hands[0]; i++) {
        const hand *h = &hands[i];
        result want;
        model(h->in, h->in_len, &h->o, &want);
        /* The model says what the hand says ... */
        CHECK(same(&want.out, h->out, h->out_len) && want.state == h->state &&
                  want.events == h->events && want.dropped == h->dropped,
              "model, %s", h->name);
        if (!same(&want.out, h->out, h->out_len)) show("model", want.out.ptr, want.out.len);
        result_free(&want);
        /* ... and the filter what the model says, whatever the chunks. */
        agrees(h->name, h->in, h->in_len, &h->o);
    }

    /* The last event ID: the stream's, or after a cut the last event's. */
    {
        result r;
        static const size_t whole[] = {1 << 30};
        run(S("id: 1\ndata: a\n\nid: 2\n\n"), &open_opts, whole, 1, 0, &r);
        CHECK(same(&r.last_id, S("2")), "an id-only block sets the last event ID");
        result_free(&r);
        run(S("id: 1\ndata: a\n\nid: 2\ndata: 0123456789012345678901234567890\n\n"),
            &(opts){1 << 20, 20, NULL, 0}, whole, 1, 0, &r);
        CHECK(same(&r.last_id, S("1")) && r.state == SSE_FILTER_EVENT_TOO_LONG,
              "a refused event's id does not count");
        result_free(&r);
    }

    /* Random streams under every kind of option. */
    const opts variants[] = {
        open_opts,
        drop_ping,
        {1 << 20, 1 << 20, ping_message, 2},
        {1 << 20, 40, ping, 1},
        {20, 1 << 20, NULL, 0},
        {30, 35, ping, 1},
        {8, 12, ping_message, 2},
    };
    hbuf b = {0};
    int failures = 0;
    for (int i = 0; i < nrandom && failures < 3; i++) {
        random_stream(&b);
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            char name[64];
            snprintf(name, sizeof name, "random %d, options %zu", i, v);
            if (!agrees(name, b.ptr, b.len, &variants[v])) failures++;
        }
    }
    free(b.ptr);

    /* The corpora, passed through whole, and with drops and limits. */
    const corpus_shape shapes[] = {CORPUS_LLM, CORPUS_MIXED, CORPUS_TINY};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        size_t len;
        char *s = corpus_make(shapes[i], corpus_size, 7, &len, NULL);
        if (!s) abort();
        char name[64];
        snprintf(name, sizeof name, "corpus %s", corpus_shape_name(shapes[i]));
        result r;
        static const size_t sevens[] = {7};
        run(s, len, &open_opts, sevens, 1, 0, &r);
        CHECK(same(&r.out, s, len) && r.state == SSE_FILTER_DONE,
              "%s: not passed through byte for byte", name);
        result_free(&r);
        agrees(name, s, len, &open_opts);
        agrees(name, s, len, &drop_ping);
        agrees(name, s, len, &(opts){200, 300, ping, 1});
        free(s);
    }
    return check_done();
}
