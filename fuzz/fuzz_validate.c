/*
 * fuzz_validate.c -- the validator never crashes, keeps to its options,
 * says the same whatever the chunking, and agrees with the parser about
 * how many events dispatch.
 * SPDX-License-Identifier: MIT
 *
 * Input: an 8-byte header, then the stream.
 *   h[0]  flags: 1 small long_line, 2 small max_retry_ms, 4 small
 *         max_diagnostics, 8 the callback stops the reporting
 *   h[1]  long_line choice      h[2]  max_retry_ms / max_diagnostics choice
 *   h[3]  after how many diagnostics the callback returns non-zero
 *   h[4..8) seed of the chunk-size sequence
 * simdsse_validate on the whole stream is the reference. A validator fed
 * the stream in chunks (its only allocation made by create) must report
 * the same diagnostics, in the same order, with the same counts; after
 * every chunk the validator's event count (simdsse_validator_result) must
 * equal the events a parser with no limits, fed the same chunks, has
 * dispatched. Independently of the
 * validator's code, the harness computes each byte's line and column, the
 * long-line positions and the WHATWG decoder's U+FFFD positions, and the
 * retry values above max_retry_ms (through the parser), and holds the
 * diagnostics to them.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (tests/guard.h) */
#include "fuzz_util.h"

enum { F_LONG_LINE = 1, F_MAX_RETRY = 2, F_MAX_DIAG = 4, F_STOP = 8 };

static const size_t long_lines[8] = {0, 1, 2, 3, 7, 16, 64, 1000};
static const uint64_t retries[8] = {0, 1, 9, 10, 99, 1000, 2147483647, UINT64_MAX};

/* MARK: - Collected diagnostics */

typedef struct diag {
    int code, severity;
    uint64_t line, column, offset;
    const char *message, *suggestion;
} diag;

typedef struct diags {
    diag *d;
    size_t n, cap;
    size_t stop_after; /* return non-zero from this call on (1-based); 0 never */
} diags;

static int on_diag(void *user, const simdsse_diagnostic *x) {
    diags *l = user;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->d = realloc(l->d, l->cap * sizeof *l->d);
        FZ_ASSERT(l->d, "harness out of memory");
    }
    diag *d = &l->d[l->n++];
    d->code = x->code;
    d->severity = x->severity;
    d->line = x->line;
    d->column = x->column;
    d->offset = x->offset;
    d->message = x->message;
    d->suggestion = x->suggestion;
    FZ_ASSERT(x->message && *x->message, "a diagnostic without a message");
    FZ_ASSERT(simdsse_diagnostic_code_name(x->code) != NULL, "unknown code %d", x->code);
    FZ_ASSERT(simdsse_diagnostic_code_severity(x->code) == x->severity, "code %d severity %d",
              x->code, x->severity);
    FZ_ASSERT(simdsse_severity_name(x->severity) != NULL, "severity %d has no name", x->severity);
    return l->stop_after && l->n >= l->stop_after;
}

static int same_diag(const diag *a, const diag *b) {
    return a->code == b->code && a->severity == b->severity && a->line == b->line &&
           a->column == b->column && a->offset == b->offset && strcmp(a->message, b->message) == 0 &&
           (a->suggestion == NULL) == (b->suggestion == NULL) &&
           (!a->suggestion || strcmp(a->suggestion, b->suggestion) == 0);
}

/* MARK: - The parser's count of events, and its retry values */

typedef struct pcount {
    uint64_t events, retries_over;
    uint64_t max_retry;
} pcount;

static int p_event(void *user, const simdsse_event *e) {
    (void)e;
    ((pcount *)user)->events++;
    return 0;
}
static int p_retry(void *user, uint64_t ms) {
    pcount *c = user;
    if (ms > c->max_retry) c->retries_over++;
    return 0;
}

/* MARK: - An independent model of positions */

typedef struct model {
    uint64_t *line_start; /* line_start[i]: offset of line i + 1's first byte */
    size_t lines;
    uint64_t *line_len;   /* bytes, terminator excluded */
    fz_buf fffd;          /* uint64_t offsets of each U+FFFD's first byte */
} model;

/* "a CRLF pair, a single LF not preceded by CR, and a single CR not followed
 * by LF" end lines; the stream-start BOM is not part of line 1. */
static void build_model(const uint8_t *s, size_t n, model *m) {
    size_t bom = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    m->line_start = malloc((n + 2) * sizeof *m->line_start);
    m->line_len = malloc((n + 2) * sizeof *m->line_len);
    FZ_ASSERT(m->line_start && m->line_len, "harness out of memory");
    m->lines = 0;
    m->line_start[m->lines] = bom;
    for (size_t i = bom; i < n; i++) {
        if (s[i] != '\r' && s[i] != '\n') continue;
        m->line_len[m->lines] = i - m->line_start[m->lines];
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') i++;
        m->line_start[++m->lines] = i + 1;
    }
    m->line_len[m->lines] = n - m->line_start[m->lines];
    m->lines++; /* the last (possibly empty, unterminated) line */

    /* The Encoding standard's UTF-8 decoder, recording where each error's
     * sequence began. */
    memset(&m->fffd, 0, sizeof m->fffd);
    unsigned needed = 0, seen = 0;
    uint8_t lower = 0x80, upper = 0xBF;
    uint64_t seq = 0;
    for (size_t i = bom; i < n; i++) {
        uint8_t b = s[i];
        if (needed == 0) {
            seq = i;
            if (b <= 0x7F) continue;
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0) lower = 0xA0;
                if (b == 0xED) upper = 0x9F;
                needed = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0) lower = 0x90;
                if (b == 0xF4) upper = 0x8F;
                needed = 3;
            } else {
                fz_put_u64(&m->fffd, seq);
            }
            continue;
        }
        if (b < lower || b > upper) {
            needed = seen = 0, lower = 0x80, upper = 0xBF;
            i--; /* "Restore byte to ioQueue." */
            fz_put_u64(&m->fffd, seq);
            continue;
        }
        lower = 0x80, upper = 0xBF;
        if (++seen == needed) needed = seen = 0;
    }
    if (needed) fz_put_u64(&m->fffd, seq);
}

/* Line (from 1) and column (from 1) of stream offset o. */
static void position(const model *m, uint64_t o, uint64_t *line, uint64_t *col) {
    size_t lo = 0, hi = m->lines; /* last line whose start is <= o */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->line_start[mid] <= o) lo = mid;
        else hi = mid;
    }
    *line = lo + 1;
    *col = o - m->line_start[lo] + 1;
}

static void free_model(model *m) {
    free(m->line_start);
    free(m->line_len);
    fz_free(&m->fffd);
}

/* MARK: - The target */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_in in = {data, size};
    uint8_t flags = fz_u8(&in), h1 = fz_u8(&in), h2 = fz_u8(&in), h3 = fz_u8(&in);
    uint64_t seed = fz_u32(&in) | 1;
    const uint8_t *s = in.p;
    size_t n = in.len;
    /* What the validator reads lies flush against an inaccessible page. */
    static guard_buf whole_guard, chunk_guard;
    const char *whole = guard_place(&whole_guard, s, n);

    simdsse_validator_options o;
    simdsse_validator_options_init(&o);
    if (flags & F_LONG_LINE) o.long_line = long_lines[h1 & 7];
    if (flags & F_MAX_RETRY) o.max_retry_ms = retries[h2 & 7];
    if (flags & F_MAX_DIAG) o.max_diagnostics = h2 >> 3 & 7; /* 0..7 */
    else o.max_diagnostics = UINT64_MAX;
    size_t stop_after = flags & F_STOP ? 1 + (size_t)(h3 % 8) : 0;

    /* The reference: one call. */
    diags ref = {NULL, 0, 0, stop_after};
    simdsse_validation r;
    simdsse_validation_init(&r);
    o.on_diagnostic = on_diag;
    o.user = &ref;
    FZ_ASSERT(simdsse_validate(whole, n, &o, &r) == SIMDSSE_OK, "validate");
    FZ_ASSERT(r.reported == ref.n, "reported %llu, callbacks %zu", (unsigned long long)r.reported,
              ref.n);
    FZ_ASSERT(r.reported <= o.max_diagnostics, "reported %llu of at most %llu",
              (unsigned long long)r.reported, (unsigned long long)o.max_diagnostics);
    FZ_ASSERT(!stop_after || ref.n <= stop_after, "reported after the callback said stop");
    FZ_ASSERT(r.errors + r.warnings >= r.reported, "counts below what was reported");

    /* Chunked, through the counting allocator, next to a parser. */
    fz_alloc a = {0, 0, 0, 0, 0};
    simdsse_allocator al = fz_allocator(&a);
    diags got = {NULL, 0, 0, stop_after};
    o.on_diagnostic = on_diag;
    o.user = &got;
    o.allocator = &al;
    simdsse_status st;
    simdsse_validator *v = simdsse_validator_create(&o, &st);
    FZ_ASSERT(v && st == SIMDSSE_OK, "validator_create: %s", simdsse_strerror(st));
    size_t after_create = a.calls, held = a.live;

    pcount pc = {0, 0, o.max_retry_ms};
    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    po.on_event = p_event;
    po.on_retry = p_retry;
    po.user = &pc;
    po.max_line_length = po.max_data_length = po.max_type_length = po.max_id_length = SIZE_MAX;
    simdsse_parser *p = simdsse_parser_create(&po, NULL);
    FZ_ASSERT(p, "parser_create");

    size_t at = 0;
    while (at < n) {
        uint64_t x = fz_rand(&seed);
        size_t c = x % 3 == 0 ? 1 + (size_t)(x >> 8) % 4 : 1 + (size_t)(x >> 8) % 200;
        if (x % 11 == 0) c = 0;
        if (c > n - at) c = n - at;
        /* Flush against an inaccessible page, so a read past the chunk
         * faults. Empty feeds pass NULL half the time: allowed with length 0. */
        const char *chunk = guard_place(&chunk_guard, s + at, c);
        const char *src = (c || (x >> 40 & 1)) ? chunk : NULL;
        FZ_ASSERT(simdsse_validator_feed(v, src, c) == SIMDSSE_OK, "validator_feed");
        FZ_ASSERT(simdsse_parser_feed(p, src, c, NULL) == SIMDSSE_OK, "parser_feed");
        at += c;
        /* "`events` equals what a parser fed the same bytes (with no limit
         *  tripped) has dispatched, after every feed, whatever the chunks." */
        simdsse_validation now;
        simdsse_validation_init(&now);
        FZ_ASSERT(simdsse_validator_result(v, &now) == SIMDSSE_OK, "result");
        FZ_ASSERT(now.events == pc.events,
                  "after %zu bytes: validator says %llu events, the parser dispatched %llu", at,
                  (unsigned long long)now.events, (unsigned long long)pc.events);
    }
    FZ_ASSERT(simdsse_validator_finish(v) == SIMDSSE_OK, "finish");
    FZ_ASSERT(simdsse_validator_feed(v, "x", 1) == SIMDSSE_ERR_NEEDS_RESET, "feed after finish");
    FZ_ASSERT(a.calls == after_create && a.live == held,
              "the validator allocated after create (%zu calls, %zu bytes)", a.calls - after_create,
              a.live - held);
    simdsse_validation g;
    simdsse_validation_init(&g);
    FZ_ASSERT(simdsse_validator_result(v, &g) == SIMDSSE_OK, "result");
    FZ_ASSERT(g.errors == r.errors && g.warnings == r.warnings && g.events == r.events &&
                  g.reported == r.reported,
              "chunked counts differ: %llu/%llu/%llu/%llu vs %llu/%llu/%llu/%llu",
              (unsigned long long)g.errors, (unsigned long long)g.warnings,
              (unsigned long long)g.events, (unsigned long long)g.reported,
              (unsigned long long)r.errors, (unsigned long long)r.warnings,
              (unsigned long long)r.events, (unsigned long long)r.reported);
    FZ_ASSERT(got.n == ref.n, "chunked: %zu diagnostics, one call: %zu", got.n, ref.n);
    for (size_t i = 0; i < got.n; i++)
        FZ_ASSERT(same_diag(&got.d[i], &ref.d[i]), "diagnostic %zu differs when chunked", i);
    FZ_ASSERT(r.events == pc.events, "validate counts %llu events, the parser %llu",
              (unsigned long long)r.events, (unsigned long long)pc.events);

    /* Reset: a new stream, same options; the same again. */
    simdsse_validator_reset(v);
    got.n = 0;
    FZ_ASSERT(simdsse_validator_feed(v, whole, n) == SIMDSSE_OK, "feed after reset");
    simdsse_validator_finish(v);
    FZ_ASSERT(simdsse_validator_result(v, &g) == SIMDSSE_OK, "result after reset");
    FZ_ASSERT(g.errors == r.errors && g.warnings == r.warnings && g.events == r.events &&
                  got.n == ref.n,
              "after reset the counts differ");
    simdsse_validator_destroy(v);
    FZ_ASSERT(a.live == 0, "validator leaked %zu bytes", a.live);
    simdsse_parser_destroy(p);

    /* Positions and the diagnostics the harness can predict on its own. */
    model m;
    build_model(s, n, &m);
    uint64_t long_seen = 0, fffd_seen = 0, errors = 0, warnings = 0, retry_over = 0;
    size_t fffd_n = m.fffd.len / 8;
    for (size_t i = 0; i < ref.n; i++) {
        const diag *d = &ref.d[i];
        FZ_ASSERT(d->offset <= n, "diagnostic %zu at %llu past the stream (%zu)", i,
                  (unsigned long long)d->offset, n);
        uint64_t line, col;
        position(&m, d->offset, &line, &col);
        FZ_ASSERT(d->line == line && d->column == col,
                  "diagnostic %zu (%s) at offset %llu says %llu:%llu, the byte is at %llu:%llu", i,
                  simdsse_diagnostic_code_name(d->code), (unsigned long long)d->offset,
                  (unsigned long long)d->line, (unsigned long long)d->column,
                  (unsigned long long)line, (unsigned long long)col);
        if (d->severity == SIMDSSE_SEVERITY_ERROR) errors++;
        else warnings++;
        if (d->code == SIMDSSE_DIAG_LONG_LINE) {
            FZ_ASSERT(m.line_len[line - 1] > o.long_line && col == o.long_line + 1,
                      "long-line at %llu:%llu, line of %llu bytes, threshold %zu",
                      (unsigned long long)line, (unsigned long long)col,
                      (unsigned long long)m.line_len[line - 1], o.long_line);
            long_seen++;
        }
        if (d->code == SIMDSSE_DIAG_INVALID_UTF8) {
            uint64_t want = 0;
            if (fffd_seen < fffd_n) memcpy(&want, m.fffd.p + 8 * fffd_seen, 8);
            FZ_ASSERT(fffd_seen < fffd_n && d->offset == want,
                      "invalid-utf8 #%llu at %llu; the decoder's U+FFFD #%llu is at %llu of %zu",
                      (unsigned long long)fffd_seen, (unsigned long long)d->offset,
                      (unsigned long long)fffd_seen, (unsigned long long)want, fffd_n);
            fffd_seen++;
        }
        if (d->code == SIMDSSE_DIAG_RETRY_TOO_LARGE) retry_over++;
    }
    /* With everything reported, the predictions are complete. */
    if (!stop_after && r.reported == r.errors + r.warnings) {
        FZ_ASSERT(errors == r.errors && warnings == r.warnings, "severities do not add up");
        uint64_t long_want = 0;
        for (size_t i = 0; i < m.lines; i++) long_want += m.line_len[i] > o.long_line;
        FZ_ASSERT(long_seen == long_want, "%llu long-line diagnostics, %llu lines are long",
                  (unsigned long long)long_seen, (unsigned long long)long_want);
        FZ_ASSERT(fffd_seen == fffd_n, "%llu invalid-utf8 diagnostics, the decoder makes %zu U+FFFD",
                  (unsigned long long)fffd_seen, fffd_n);
        FZ_ASSERT(retry_over == pc.retries_over, "%llu retry-too-large, the parser saw %llu above",
                  (unsigned long long)retry_over, (unsigned long long)pc.retries_over);
    }
    free_model(&m);
    free(ref.d);
    free(got.d);
    return 0;
}
