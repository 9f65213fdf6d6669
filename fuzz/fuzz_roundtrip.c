/*
 * fuzz_roundtrip.c -- whatever the writer writes, the parser reads back as
 * the events and comments written, as include/simdsse.h promises.
 * SPDX-License-Identifier: MIT
 *
 * Input: h[0] flags (1 SIMDSSE_WRITE_SANITIZE, 2 SIMDSSE_WRITE_ONE_LINE_COMMENT),
 * h[1..5) a seed for chunkings, then items until the input ends. Each item
 * is a control byte c and its values, each length-prefixed:
 *   c & 3 == 3        a comment: text
 *   otherwise         an event: type if c & 4, data if c & 8, id if c & 16,
 *                     after a retry line if c & 32 (one byte, or eight if
 *                     c & 64)
 * Every item is written with simdsse_format_event/_retry/_comment into an
 * exact buffer sized by a call with no room (SIMDSSE_ERR_BUFFER_TOO_SMALL
 * and the size), once more into a buffer too small by a few bytes, which
 * must hold the same prefix, and appended to one writer per kernel, whose
 * output is consumed in uneven pieces: all of them must produce the same
 * bytes. The stream is parsed
 * back in chunks and must give exactly the model's callbacks:
 *  - data: CR and CRLF read back as LF ("each CR and CRLF in it comes back
 *    as LF"), absent data dispatches nothing;
 *  - type: empty or absent reads back "message"; with CR/LF (and an id
 *    with CR, LF or NUL) the call fails with SIMDSSE_ERR_INVALID_FIELD and
 *    writes nothing, or under SANITIZE loses those bytes;
 *  - comments: one on_comment per line of the text (split at CR, LF, CRLF),
 *    or under ONE_LINE_COMMENT refused / stripped like a type.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (tests/guard.h) */
#include "fuzz_util.h"

#define MAX_WRITERS 16

/* MARK: - The model */

static int is_eol(uint8_t c) { return c == '\r' || c == '\n'; }

/* v without the bytes `bad` rejects. */
static fz_buf strip(simdsse_span v, int nul) {
    fz_buf b = {0};
    for (size_t i = 0; i < v.len; i++) {
        uint8_t c = (uint8_t)v.ptr[i];
        if (is_eol(c) || (nul && c == 0)) continue;
        fz_put(&b, &c, 1);
    }
    return b;
}

static int has_bad(simdsse_span v, int nul) {
    for (size_t i = 0; i < v.len; i++) {
        uint8_t c = (uint8_t)v.ptr[i];
        if (is_eol(c) || (nul && c == 0)) return 1;
    }
    return 0;
}

static simdsse_span span_of(const fz_buf *b) {
    simdsse_span s = {b->len ? (const char *)b->p : "", b->len};
    return s;
}

/* Expected log records, in the format the parser callbacks below write. */
static void expect_event(fz_buf *log, simdsse_span type, simdsse_span data, simdsse_span id,
                         uint64_t offset) {
    fz_put(log, "E", 1);
    fz_put_span(log, type);
    fz_put_span(log, data);
    fz_put_span(log, id);
    fz_put_u64(log, offset);
}

static void expect_comment(fz_buf *log, const char *s, size_t n) {
    simdsse_span t = {s, n};
    fz_put(log, "C", 1);
    fz_put_span(log, t);
}

/* Data with every CRLF and lone CR turned into LF. */
static fz_buf normalise(simdsse_span d) {
    fz_buf b = {0};
    for (size_t i = 0; i < d.len; i++) {
        uint8_t c = (uint8_t)d.ptr[i];
        if (c == '\r') {
            if (i + 1 < d.len && d.ptr[i + 1] == '\n') i++;
            c = '\n';
        }
        fz_put(&b, &c, 1);
    }
    return b;
}

/* One comment per line of the text: split at CR, LF and CRLF. */
static void expect_comment_lines(fz_buf *log, simdsse_span t) {
    size_t start = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (!is_eol((uint8_t)t.ptr[i])) continue;
        expect_comment(log, t.ptr + start, i - start);
        if (t.ptr[i] == '\r' && i + 1 < t.len && t.ptr[i + 1] == '\n') i++;
        start = i + 1;
    }
    expect_comment(log, t.ptr + start, t.len - start);
}

/* MARK: - Parsing back */

static int on_event(void *user, const simdsse_event *e) {
    fz_buf *log = user;
    expect_event(log, e->type, e->data, e->id, e->offset);
    return 0;
}

static int on_retry(void *user, uint64_t ms) {
    fz_buf *log = user;
    fz_put(log, "R", 1);
    fz_put_u64(log, ms);
    return 0;
}

static int on_comment(void *user, simdsse_span text) {
    fz_buf *log = user;
    expect_comment(log, text.ptr, text.len);
    return 0;
}

static size_t diverge(const fz_buf *a, const fz_buf *b) {
    size_t i = 0;
    while (i < a->len && i < b->len && a->p[i] == b->p[i]) i++;
    return i;
}

static void parse_back(const fz_buf *stream, uint64_t seed, const fz_buf *want,
                       simdsse_span want_id, uint64_t want_retry) {
    fz_buf got = {0};
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = on_event;
    o.on_retry = on_retry;
    o.on_comment = on_comment;
    o.user = &got;
    /* The writer sets no limits; neither does this reader. */
    o.max_line_length = o.max_data_length = o.max_type_length = o.max_id_length = SIZE_MAX;
    o.initial_retry_ms = 777;
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    FZ_ASSERT(p, "create");
    static guard_buf guard;
    size_t at = 0;
    while (at < stream->len) {
        uint64_t r = fz_rand(&seed);
        size_t n = r % 4 == 0 ? stream->len - at : 1 + (size_t)(r >> 8) % 64;
        if (n > stream->len - at) n = stream->len - at;
        simdsse_status st = simdsse_parser_feed(p, guard_place(&guard, stream->p + at, n), n, NULL);
        FZ_ASSERT(st == SIMDSSE_OK, "parsing the writer's output: %s", simdsse_strerror(st));
        at += n;
    }
    FZ_ASSERT(got.len == want->len && diverge(&got, want) == want->len,
              "read back differs from what was written at log byte %zu (lengths %zu, %zu)",
              diverge(&got, want), got.len, want->len);
    simdsse_span id = simdsse_parser_last_event_id(p);
    FZ_ASSERT(id.len == want_id.len && (!id.len || memcmp(id.ptr, want_id.ptr, id.len) == 0),
              "last event ID");
    FZ_ASSERT(simdsse_parser_retry(p) == want_retry, "retry %llu, wrote %llu",
              (unsigned long long)simdsse_parser_retry(p), (unsigned long long)want_retry);
    simdsse_parser_destroy(p);
    fz_free(&got);
}

/* MARK: - Writing */

typedef struct sink {
    simdsse_writer *w;
    fz_buf out; /* what was taken from the writer so far */
} sink;

/* Takes some of a writer's output, as a sender that sends in pieces. */
static void drain(sink *s, uint64_t *rng, int all) {
    simdsse_span o = simdsse_writer_output(s->w);
    size_t n = all ? o.len : (size_t)(fz_rand(rng) % (o.len + 1));
    FZ_ASSERT(o.ptr != NULL, "writer output span");
    fz_put(&s->out, o.ptr, n);
    simdsse_writer_consume(s->w, n);
    simdsse_span rest = simdsse_writer_output(s->w);
    FZ_ASSERT(rest.len == o.len - n, "consume(%zu) of %zu left %zu", n, o.len, rest.len);
    if (fz_rand(rng) % 8 == 0) simdsse_writer_trim(s->w);
    FZ_ASSERT(simdsse_writer_memory(s->w) >= simdsse_writer_output(s->w).len, "writer memory");
}

/* Formats one item with the fixed-buffer calls: the size first (no room),
 * then the exact buffer, then one too small. Appends the bytes to
 * `stream`. */
typedef simdsse_status (*format_fn)(const void *item, unsigned flags, char *out, size_t cap,
                                    size_t *len);

typedef struct comment_item {
    const char *text;
    size_t len;
} comment_item;

static simdsse_status fmt_event(const void *item, unsigned flags, char *out, size_t cap,
                                size_t *len) {
    return simdsse_format_event(item, flags, out, cap, len);
}
static simdsse_status fmt_retry(const void *item, unsigned flags, char *out, size_t cap,
                                size_t *len) {
    (void)flags;
    return simdsse_format_retry(*(const uint64_t *)item, out, cap, len);
}
static simdsse_status fmt_comment(const void *item, unsigned flags, char *out, size_t cap,
                                  size_t *len) {
    const comment_item *c = item;
    return simdsse_format_comment(c->text, c->len, flags, out, cap, len);
}
static simdsse_status format_fixed(const void *item, unsigned flags, format_fn fmt,
                                   size_t short_by, fz_buf *stream) {
    size_t need = 12345;
    simdsse_status st = fmt(item, flags, NULL, 0, &need);
    if (st != SIMDSSE_ERR_BUFFER_TOO_SMALL) {
        FZ_ASSERT(st != SIMDSSE_OK, "an item is never empty");
        FZ_ASSERT(need == 0, "size on error is %zu", need);
        size_t len = 999;
        char probe[8];
        FZ_ASSERT(fmt(item, flags, probe, sizeof probe, &len) == st && len == 0,
                  "the size query and the format disagree on the error");
        return st;
    }
    FZ_ASSERT(need > 0, "an item is never empty");
    char *exact = malloc(need);
    FZ_ASSERT(exact, "harness out of memory");
    size_t len = 0;
    st = fmt(item, flags, exact, need, &len);
    FZ_ASSERT(st == SIMDSSE_OK && len == need, "format: %s, %zu of %zu", simdsse_strerror(st), len,
              need);
    /* Too small: BUFFER_TOO_SMALL, the exact size, and "out[0, cap) may
     * then hold the first bytes of the event": each byte of the buffer,
     * prefilled with the complement of the right one, is either still that
     * or the right byte, and the right ones come first. */
    size_t cap = short_by < need ? need - short_by : 0;
    char *small = malloc(cap ? cap : 1);
    FZ_ASSERT(small, "harness out of memory");
    for (size_t i = 0; i < cap; i++) small[i] = (char)~exact[i];
    size_t got = 0;
    st = fmt(item, flags, cap ? small : NULL, cap, &got);
    FZ_ASSERT(st == SIMDSSE_ERR_BUFFER_TOO_SMALL && got == need,
              "cap %zu of %zu: %s, len %zu", cap, need, simdsse_strerror(st), got);
    size_t i = 0;
    while (i < cap && small[i] == exact[i]) i++;
    for (size_t j = i; j < cap; j++)
        FZ_ASSERT(small[j] == (char)~exact[j], "byte %zu of a too-small buffer is neither", j);
    free(small);
    fz_put(stream, exact, need);
    free(exact);
    return SIMDSSE_OK;
}

/* MARK: - The target */

/* The next value, copied flush against an inaccessible page of its own
 * (one guard per kind of value: an item's values are all live at once). */
static simdsse_span take(fz_in *in, uint8_t c, guard_buf *g) {
    size_t n = fz_u8(in);
    if (n == 255 && (c & 128)) n = 255 + (size_t)fz_u8(in) * 16; /* long values: SIMD paths */
    return fz_guarded(g, fz_bytes(in, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_in in = {data, size};
    unsigned flags = fz_u8(&in) & (SIMDSSE_WRITE_SANITIZE | SIMDSSE_WRITE_ONE_LINE_COMMENT);
    uint64_t seed = fz_u32(&in) | 1;
    int sanitize = flags & SIMDSSE_WRITE_SANITIZE;

    /* One writer per kernel the CPU runs, each its own sink. */
    const char *kernels[MAX_WRITERS];
    size_t nk = fz_kernels(kernels, MAX_WRITERS);
    sink sinks[MAX_WRITERS];
    for (size_t k = 0; k < nk; k++) {
        simdsse_writer_options o;
        simdsse_writer_options_init(&o);
        o.kernel = kernels[k];
        simdsse_status st;
        sinks[k].w = simdsse_writer_create(&o, &st);
        FZ_ASSERT(sinks[k].w && st == SIMDSSE_OK, "writer_create(%s)", kernels[k]);
        FZ_ASSERT(strcmp(simdsse_writer_kernel(sinks[k].w), kernels[k]) == 0, "writer kernel");
        memset(&sinks[k].out, 0, sizeof sinks[k].out);
    }

    fz_buf stream = {0}, want = {0}, last_id = {0};
    uint64_t retry = 777;
    uint64_t rng = seed;
    static guard_buf guards[3]; /* type or comment, data, id */
    while (in.len) {
        uint8_t c = fz_u8(&in);
        size_t short_by = 1 + (c >> 5);
        simdsse_status st, want_st = SIMDSSE_OK;
        size_t before = stream.len;
        fz_buf expected = {0}; /* what this item adds to the log */
        if ((c & 3) == 3) {
            comment_item ci;
            simdsse_span t = take(&in, c, &guards[0]);
            ci.text = t.len ? t.ptr : (c & 4 ? NULL : t.ptr); /* NULL text with len 0 is allowed */
            ci.len = t.len;
            if (flags & SIMDSSE_WRITE_ONE_LINE_COMMENT) {
                if (has_bad(t, 0) && !sanitize) {
                    want_st = SIMDSSE_ERR_INVALID_FIELD;
                } else {
                    fz_buf s = strip(t, 0);
                    expect_comment(&expected, s.len ? (const char *)s.p : "", s.len);
                    fz_free(&s);
                }
            } else {
                expect_comment_lines(&expected, t);
            }
            st = format_fixed(&ci, flags, fmt_comment, short_by, &stream);
            for (size_t k = 0; k < nk; k++) {
                simdsse_span o = simdsse_writer_output(sinks[k].w);
                simdsse_status ws = simdsse_writer_comment(sinks[k].w, ci.text, ci.len, flags);
                FZ_ASSERT(ws == st, "writer_comment(%s) %d, format_comment %d", kernels[k], ws, st);
                if (ws != SIMDSSE_OK)
                    FZ_ASSERT(simdsse_writer_output(sinks[k].w).len == o.len, "output changed on error");
            }
        } else {
            simdsse_event ev;
            memset(&ev, 0, sizeof ev);
            simdsse_span none = {NULL, 0};
            ev.type = c & 4 ? take(&in, c, &guards[0]) : none;
            ev.data = c & 8 ? take(&in, c, &guards[1]) : none;
            ev.id = c & 16 ? take(&in, c, &guards[2]) : none;
            if (c & 32) {
                /* A retry line first: it cannot fail, and reads back before
                 * the event's own lines. */
                uint64_t ms = fz_u8(&in);
                if (c & 64)
                    for (int i = 0; i < 7; i++) ms = ms << 8 | fz_u8(&in);
                FZ_ASSERT(format_fixed(&ms, flags, fmt_retry, short_by, &stream) == SIMDSSE_OK,
                          "format_retry");
                for (size_t k = 0; k < nk; k++)
                    FZ_ASSERT(simdsse_writer_retry(sinks[k].w, ms) == SIMDSSE_OK,
                              "writer_retry(%s)", kernels[k]);
                fz_put(&expected, "R", 1);
                fz_put_u64(&expected, ms);
                retry = ms;
                before = stream.len;
            }
            if (!sanitize && (has_bad(ev.type, 0) || (ev.id.ptr && has_bad(ev.id, 1)))) {
                want_st = SIMDSSE_ERR_INVALID_FIELD;
            } else if (ev.id.ptr) {
                fz_free(&last_id);
                last_id = strip(ev.id, 1);
            }
            st = format_fixed(&ev, flags, fmt_event, short_by, &stream);
            if (st == SIMDSSE_OK && ev.data.ptr) {
                fz_buf type = strip(ev.type, 0);
                fz_buf d = normalise(ev.data);
                simdsse_span t = type.len ? span_of(&type) : (simdsse_span){"message", 7};
                /* The blank line that dispatches it is the item's last byte. */
                expect_event(&expected, t, span_of(&d), span_of(&last_id), stream.len - 1);
                fz_free(&type);
                fz_free(&d);
            }
            for (size_t k = 0; k < nk; k++) {
                simdsse_span o = simdsse_writer_output(sinks[k].w);
                simdsse_status ws = simdsse_writer_event(sinks[k].w, &ev, flags);
                FZ_ASSERT(ws == st, "writer_event(%s) %d, format_event %d", kernels[k], ws, st);
                if (ws != SIMDSSE_OK)
                    FZ_ASSERT(simdsse_writer_output(sinks[k].w).len == o.len, "output changed on error");
            }
        }
        FZ_ASSERT(st == want_st, "wrote with %s, expected %s", simdsse_strerror(st),
                  simdsse_strerror(want_st));
        if (st != SIMDSSE_OK) FZ_ASSERT(stream.len == before, "bytes written on error");
        fz_put(&want, expected.p, expected.len);
        fz_free(&expected);
        for (size_t k = 0; k < nk; k++) drain(&sinks[k], &rng, 0);
    }

    for (size_t k = 0; k < nk; k++) {
        drain(&sinks[k], &rng, 1);
        FZ_ASSERT(sinks[k].out.len == stream.len && diverge(&sinks[k].out, &stream) == stream.len,
                  "writer(%s) output differs from format_* at byte %zu", kernels[k],
                  diverge(&sinks[k].out, &stream));
        simdsse_writer_destroy(sinks[k].w);
        fz_free(&sinks[k].out);
    }
    /* No output can begin with the BOM a parser would strip. */
    FZ_ASSERT(stream.len < 3 || memcmp(stream.p, "\xEF\xBB\xBF", 3) != 0, "output starts with a BOM");
    parse_back(&stream, seed, &want, span_of(&last_id), retry);
    fz_free(&stream);
    fz_free(&want);
    fz_free(&last_id);
    return 0;
}
