/*
 * test_validator.c -- every diagnostic code, at its exact line, column and
 * offset, for every chunk size and with LF, CR and CRLF line ends; clean
 * streams clean; event counts equal to the parser's and the browser's.
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guard.h"
#include "simdsse.h"

/* Every byte the validator reads lies flush against an inaccessible page
 * (guard.h): one read past what it was given faults. */
static guard_buf guard;

static simdsse_status feed_guarded(simdsse_validator *v, const char *data, size_t len) {
    return simdsse_validator_feed(v, data ? guard_place(&guard, data, len) : NULL, len);
}

#ifndef SIMDSSE_SOURCE_DIR
#  define SIMDSSE_SOURCE_DIR "."
#endif

/* MARK: - Collecting diagnostics */

typedef struct want {
    int code;
    uint64_t line, col, off;
    const char *suggestion;
} want;

#define MAX_GOT 256
typedef struct got {
    want d[MAX_GOT];
    size_t n;
    unsigned bad; /* callback saw something malformed */
} got;

static int collect(void *user, const simdsse_diagnostic *d) {
    got *g = user;
    if (!d->message || !d->message[0] || d->severity != simdsse_diagnostic_code_severity((int)d->code) ||
        d->line == 0 || d->column == 0)
        g->bad++;
    if (g->n < MAX_GOT) {
        want *w = &g->d[g->n];
        w->code = (int)d->code;
        w->line = d->line;
        w->col = d->column;
        w->off = d->offset;
        w->suggestion = d->suggestion;
    }
    g->n++;
    return 0;
}

/* The counts so far. */
static simdsse_validation counts(const simdsse_validator *v) {
    simdsse_validation r;
    simdsse_validation_init(&r);
    if (simdsse_validator_result(v, &r) != SIMDSSE_OK) abort();
    return r;
}

/* Validates in[0, len) fed `chunk` bytes at a time (0: all at once). */
static simdsse_validation run(const char *in, size_t len, size_t chunk,
                              const simdsse_validator_options *base, got *g) {
    simdsse_validator_options opt;
    if (base)
        opt = *base;
    else
        simdsse_validator_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.user = g;
    memset(g, 0, sizeof *g);
    simdsse_status st;
    simdsse_validator *v = simdsse_validator_create(&opt, &st);
    if (!v) abort();
    if (!chunk) chunk = len ? len : 1;
    for (size_t i = 0; i < len; i += chunk) {
        size_t n = len - i < chunk ? len - i : chunk;
        if (feed_guarded(v, in + i, n) != SIMDSSE_OK) g->bad++;
    }
    if (simdsse_validator_finish(v) != SIMDSSE_OK) g->bad++;
    simdsse_validation r = counts(v);
    simdsse_validator_destroy(v);
    return r;
}

/* MARK: - Line ends */

/* in with each LF replaced by `eol` (malloc'd; *outlen its length). */
static char *with_eol(const char *in, size_t len, const char *eol, size_t *outlen) {
    size_t el = strlen(eol);
    char *out = malloc(len * el + 1);
    if (!out) abort();
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '\n') {
            memcpy(out + o, eol, el);
            o += el;
        } else {
            out[o++] = in[i];
        }
    }
    *outlen = o;
    return out;
}

/* Stream offset of (line, col), counting lines as the standard does,
 * computed independently of the validator. */
static uint64_t offset_of(const char *in, size_t len, uint64_t line, uint64_t col) {
    size_t i = 0, l = 1;
    if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (l < line && i < len) {
        if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n') i++;
        if (in[i] == '\r' || in[i] == '\n') l++;
        i++;
    }
    return i + col - 1;
}

/* MARK: - One case per finding */

#define MAXW 16
typedef struct vcase {
    const char *name;
    const char *in;
    size_t len;
    int eol;          /* also with CR and with CRLF line ends */
    size_t long_line; /* 0: the default */
    uint64_t events;
    want w[MAXW];     /* ends at code 0 */
} vcase;

#define IN(s) s, sizeof(s) - 1
enum {
    UNTERM = SIMDSSE_DIAG_UNTERMINATED_EVENT,
    UTF8 = SIMDSSE_DIAG_INVALID_UTF8,
    UNKNOWN = SIMDSSE_DIAG_UNKNOWN_FIELD,
    LEADSP = SIMDSSE_DIAG_FIELD_LEADING_SPACE,
    WSLINE = SIMDSSE_DIAG_WHITESPACE_LINE,
    BOMNAME = SIMDSSE_DIAG_BOM_IN_FIELD_NAME,
    IDNUL = SIMDSSE_DIAG_ID_CONTAINS_NUL,
    RETRY = SIMDSSE_DIAG_INVALID_RETRY,
    NODATA = SIMDSSE_DIAG_EVENT_WITHOUT_DATA,
    MIXED = SIMDSSE_DIAG_MIXED_LINE_ENDS,
    LONG = SIMDSSE_DIAG_LONG_LINE,
    EMPTYTYPE = SIMDSSE_DIAG_EMPTY_EVENT_TYPE,
    NULVAL = SIMDSSE_DIAG_NUL_IN_VALUE,
    BOMVAL = SIMDSSE_DIAG_BOM_IN_VALUE,
    BIGRETRY = SIMDSSE_DIAG_RETRY_TOO_LARGE,
};

static const vcase cases[] = {
    /* Clean streams. */
    {"clean", IN("data: a\n\nevent: e\ndata: b\nid: 1\nretry: 10\n\n: c\n\nid: 2\n\nretry: 5\n\n"),
     1, 0, 2, {{0}}},
    {"clean-no-space", IN("data:a\nevent:e\nid:1\nretry:10\n\n"), 1, 0, 1, {{0}}},
    {"clean-empty-data", IN("data\n\ndata:\n\n"), 1, 0, 2, {{0}}},
    {"clean-trailing-retry-comment", IN("retry: 5\n: c\n"), 1, 0, 0, {{0}}},
    {"clean-empty", IN(""), 1, 0, 0, {{0}}},
    {"clean-bom-only", IN("\xEF\xBB\xBF"), 1, 0, 0, {{0}}},
    {"clean-bom", IN("\xEF\xBB\xBF" "data: x\n\n"), 1, 0, 1, {{0}}},
    {"clean-utf8", IN("data: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBD\n\n"), 1, 0, 1,
     {{0}}},
    {"clean-colons", IN("data: a:b: c\nid: x:y\n\n"), 1, 0, 1, {{0}}},
    {"clean-bom-in-comment", IN(":\xEF\xBB\xBF\n"), 1, 0, 0, {{0}}},

    /* unterminated-event */
    {"unterminated-data", IN("data: x\n"), 1, 0, 0, {{UNTERM, 2, 1, 8, NULL}}},
    {"unterminated-line", IN("data: a\n\ndata: b"), 1, 0, 1, {{UNTERM, 3, 8, 16, NULL}}},
    {"unterminated-id", IN("id: 7\n"), 1, 0, 0, {{UNTERM, 2, 1, 6, NULL}}},
    {"unterminated-event-type", IN("event: e\n"), 1, 0, 0, {{UNTERM, 2, 1, 9, NULL}}},
    {"unterminated-comment", IN("data: a\n\n: c"), 1, 0, 1, {{UNTERM, 3, 4, 12, NULL}}},
    {"unterminated-half-bom", IN("\xEF\xBB"), 1, 0, 0, {{UTF8, 1, 1, 0, NULL}, {UNTERM, 1, 3, 2, NULL}}},
    {"unterminated-after-bom", IN("\xEF\xBB\xBF" "data: x"), 1, 0, 0, {{UNTERM, 1, 8, 10, NULL}}},

    /* invalid-utf8 */
    {"utf8-continuation", IN("data: \x80\n\n"), 1, 0, 1, {{UTF8, 1, 7, 6, NULL}}},
    {"utf8-e0-low", IN("data: \xE0\x80z\n\n"), 1, 0, 1, {{UTF8, 1, 7, 6, NULL}, {UTF8, 1, 8, 7, NULL}}},
    {"utf8-truncated-4", IN("data: \xF0\x9F\x98z\n\n"), 1, 0, 1, {{UTF8, 1, 7, 6, NULL}}},
    {"utf8-surrogate", IN("data: \xED\xA0\x80\n\n"), 1, 0, 1,
     {{UTF8, 1, 7, 6, NULL}, {UTF8, 1, 8, 7, NULL}, {UTF8, 1, 9, 8, NULL}}},
    {"utf8-cut-by-line-end", IN("data: \xE2\x82\n\n"), 1, 0, 1, {{UTF8, 1, 7, 6, NULL}}},
    {"utf8-above-max", IN("data: \xF4\x90\x80\x80\n\n"), 1, 0, 1,
     {{UTF8, 1, 7, 6, NULL}, {UTF8, 1, 8, 7, NULL}, {UTF8, 1, 9, 8, NULL}, {UTF8, 1, 10, 9, NULL}}},
    {"utf8-bad-leads", IN("data: \xF5\xFF\xC0\xC1\n\n"), 1, 0, 1,
     {{UTF8, 1, 7, 6, NULL}, {UTF8, 1, 8, 7, NULL}, {UTF8, 1, 9, 8, NULL}, {UTF8, 1, 10, 9, NULL}}},
    {"utf8-at-end", IN("data: a\n\n:\xE2\x82"), 1, 0, 1, {{UTF8, 3, 2, 10, NULL}, {UNTERM, 3, 4, 12, NULL}}},
    {"utf8-in-comment", IN(": \xFF\n"), 1, 0, 0, {{UTF8, 1, 3, 2, NULL}}},
    {"utf8-in-name", IN("d\xFFta: x\n\n"), 1, 0, 0, {{UTF8, 1, 2, 1, NULL}, {UNKNOWN, 1, 1, 0, NULL}}},

    /* unknown-field */
    {"unknown-case", IN("Data: x\n\n"), 1, 0, 0, {{UNKNOWN, 1, 1, 0, "data"}}},
    {"unknown-misspelt", IN("dat: x\n\n"), 1, 0, 0, {{UNKNOWN, 1, 1, 0, NULL}}},
    {"unknown-space", IN("data : x\n\n"), 1, 0, 0, {{UNKNOWN, 1, 1, 0, "data"}}},
    {"unknown-event-case", IN("EVENT: a\ndata: x\n\n"), 1, 0, 1, {{UNKNOWN, 1, 1, 0, "event"}}},
    {"unknown-no-colon", IN("data: x\nfoo\n\n"), 1, 0, 1, {{UNKNOWN, 2, 1, 8, NULL}}},
    {"unknown-case-and-tab", IN("Retry\t: 5\n\n"), 1, 0, 0, {{UNKNOWN, 1, 1, 0, "retry"}}},
    {"unknown-id-case", IN("ID: 1\ndata: x\n\n"), 1, 0, 1, {{UNKNOWN, 1, 1, 0, "id"}}},
    {"unknown-long-name",
     IN("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: v\n\n"), 1,
     0, 0, {{UNKNOWN, 1, 1, 0, NULL}}},
    {"unknown-many-spaces",
     IN("data                                                                      :x\n\n"), 1, 0, 0,
     {{UNKNOWN, 1, 1, 0, "data"}}},
    {"unknown-prefix", IN("datas: x\ndata: y\n\n"), 1, 0, 1, {{UNKNOWN, 1, 1, 0, NULL}}},

    /* field-leading-space */
    {"leading-space", IN(" data: x\n\n"), 1, 0, 0, {{LEADSP, 1, 1, 0, "data"}}},
    {"leading-tab-unknown", IN("\tfoo: x\n\n"), 1, 0, 0, {{LEADSP, 1, 1, 0, NULL}}},
    {"leading-space-comment", IN("  : c\n\n"), 1, 0, 0, {{LEADSP, 1, 1, 0, NULL}}},
    {"leading-space-case", IN("data: a\n  Event: e\n\n"), 1, 0, 1, {{LEADSP, 2, 1, 8, "event"}}},

    /* whitespace-line */
    {"whitespace-line", IN("data: x\n \n\n"), 1, 0, 1, {{WSLINE, 2, 1, 8, NULL}}},
    {"whitespace-line-tabs", IN("data: x\n\t \t\n\n"), 1, 0, 1, {{WSLINE, 2, 1, 8, NULL}}},
    {"whitespace-line-last", IN("data: x\n \n"), 1, 0, 0, {{WSLINE, 2, 1, 8, NULL}, {UNTERM, 3, 1, 10, NULL}}},

    /* bom-in-field-name */
    {"bom-concatenated", IN("data: a\n\n\xEF\xBB\xBF" "data: b\n\n"), 1, 0, 1, {{BOMNAME, 3, 1, 9, NULL}}},
    {"bom-twice-at-start", IN("\xEF\xBB\xBF\xEF\xBB\xBF" "data: b\n\n"), 1, 0, 0, {{BOMNAME, 1, 1, 3, NULL}}},
    {"bom-inside-name", IN("da\xEF\xBB\xBFta: x\n\n"), 1, 0, 0, {{BOMNAME, 1, 3, 2, NULL}}},

    /* bom-in-value */
    {"bom-in-data", IN("data: \xEF\xBB\xBFx\n\n"), 1, 0, 1, {{BOMVAL, 1, 7, 6, NULL}}},
    {"bom-in-event", IN("event: \xEF\xBB\xBF\ndata: x\n\n"), 1, 0, 1, {{BOMVAL, 1, 8, 7, NULL}}},
    {"bom-in-id", IN("id:\xEF\xBB\xBF\n\n"), 1, 0, 0, {{BOMVAL, 1, 4, 3, NULL}}},
    {"bom-in-unknown-value", IN("foo: \xEF\xBB\xBF\n\n"), 1, 0, 0, {{UNKNOWN, 1, 1, 0, NULL}}},

    /* id-contains-nul */
    {"id-nul", IN("id: a\0b\0\ndata: x\n\n"), 1, 0, 1, {{IDNUL, 1, 6, 5, NULL}}},
    {"id-nul-not-pending", IN("id: \0\n"), 1, 0, 0, {{IDNUL, 1, 5, 4, NULL}}},

    /* invalid-retry */
    {"retry-letters", IN("retry: 10s\n\n"), 1, 0, 0, {{RETRY, 1, 10, 9, NULL}}},
    {"retry-empty", IN("retry:\n\n"), 1, 0, 0, {{RETRY, 1, 7, 6, NULL}}},
    {"retry-space-only", IN("retry: \n\n"), 1, 0, 0, {{RETRY, 1, 8, 7, NULL}}},
    {"retry-two-spaces", IN("retry:  5\n\n"), 1, 0, 0, {{RETRY, 1, 8, 7, NULL}}},
    {"retry-no-colon", IN("retry\n\n"), 1, 0, 0, {{RETRY, 1, 6, 5, NULL}}},
    {"retry-negative", IN("retry: -1\n\n"), 1, 0, 0, {{RETRY, 1, 8, 7, NULL}}},
    {"retry-bom", IN("retry: \xEF\xBB\xBF" "5\n\n"), 1, 0, 0, {{RETRY, 1, 8, 7, NULL}}},

    /* event-without-data */
    {"event-no-data", IN("event: ping\n\n"), 1, 0, 0, {{NODATA, 2, 1, 12, NULL}}},
    {"event-id-no-data", IN("event: a\nid: 2\n\n"), 1, 0, 0, {{NODATA, 3, 1, 15, NULL}}},
    {"id-retry-no-data-is-fine", IN("id: 1\n\nretry: 5\n\n"), 1, 0, 0, {{0}}},
    {"data-then-event", IN("data: x\nevent: a\n\n"), 1, 0, 1, {{0}}},
    {"event-unknown-data", IN("event: a\nDATA: x\n\n"), 1, 0, 0,
     {{UNKNOWN, 2, 1, 9, "data"}, {NODATA, 3, 1, 17, NULL}}},

    /* mixed-line-ends: the input's own line ends matter, so no variants. */
    {"mixed-lf-crlf", IN("data: a\n\r\n"), 0, 0, 1, {{MIXED, 2, 1, 8, NULL}}},
    {"mixed-crlf-lf", IN("data: a\r\ndata: b\n\n"), 0, 0, 1, {{MIXED, 2, 8, 16, NULL}}},
    {"mixed-crlf-cr", IN("data: a\r\n\r\r\n"), 0, 0, 1, {{MIXED, 2, 1, 9, NULL}}},
    {"mixed-cr-crlf", IN("data: a\r\r\n"), 0, 0, 1, {{MIXED, 2, 1, 8, NULL}}},
    {"mixed-cr-at-end", IN("data: a\n\n\r"), 0, 0, 1, {{MIXED, 3, 1, 9, NULL}}},
    {"same-crlf", IN("data: a\r\n\r\n"), 0, 0, 1, {{0}}},
    {"same-cr", IN("data: a\r\r"), 0, 0, 1, {{0}}},

    /* long-line, at a threshold of 8 bytes */
    {"long-line", IN("data: 123\n\n"), 1, 8, 1, {{LONG, 1, 9, 8, NULL}}},
    {"long-line-at-threshold", IN("data: 12\n\n"), 1, 8, 1, {{0}}},
    {"long-lines", IN("data: 12345678\n: 123456789\n\n"), 1, 8, 1,
     {{LONG, 1, 9, 8, NULL}, {LONG, 2, 9, 23, NULL}}},

    /* empty-event-type */
    {"empty-event", IN("event:\ndata: x\n\n"), 1, 0, 1, {{EMPTYTYPE, 1, 1, 0, NULL}}},
    {"empty-event-no-colon", IN("event\ndata: x\n\n"), 1, 0, 1, {{EMPTYTYPE, 1, 1, 0, NULL}}},
    {"empty-event-space", IN("data: x\nevent: \n\n"), 1, 0, 1, {{EMPTYTYPE, 2, 1, 8, NULL}}},

    /* nul-in-value */
    {"nul-in-data", IN("data: a\0b\0\n\n"), 1, 0, 1, {{NULVAL, 1, 8, 7, NULL}}},
    {"nul-in-event", IN("event: \0\ndata: x\n\n"), 1, 0, 1, {{NULVAL, 1, 8, 7, NULL}}},
    {"nul-ignored-places", IN(": \0\nfoo: \0\n"), 1, 0, 0, {{UNKNOWN, 2, 1, 4, NULL}}},

    /* retry-too-large */
    {"retry-large", IN("retry: 2147483648\n\n"), 1, 0, 0, {{BIGRETRY, 1, 8, 7, NULL}}},
    {"retry-largest-fine", IN("retry: 2147483647\n\n"), 1, 0, 0, {{0}}},
    {"retry-huge", IN("retry: 99999999999999999999999999\n\n"), 1, 0, 0, {{BIGRETRY, 1, 8, 7, NULL}}},
    {"retry-large-no-space", IN("retry:2147483648\n\n"), 1, 0, 0, {{BIGRETRY, 1, 7, 6, NULL}}},

    /* Several at once: the order is the order they are found in. */
    {"several",
     IN("Data: x\n \n\xEF\xBB\xBF" "data: y\nevent:\nretry: 1x\nid: a\0b\n\nevent: ping\n\n data: z\n"
        "data: \xE0\x80\nretry: 99999999999\n\ndata: q"),
     1, 0, 1,
     {{UNKNOWN, 1, 1, 0, "data"}, {WSLINE, 2, 1, 8, NULL}, {BOMNAME, 3, 1, 10, NULL},
      {EMPTYTYPE, 4, 1, 21, NULL}, {RETRY, 5, 9, 36, NULL}, {IDNUL, 6, 6, 43, NULL},
      {NODATA, 7, 1, 46, NULL}, {NODATA, 9, 1, 59, NULL}, {LEADSP, 10, 1, 60, "data"},
      {UTF8, 11, 7, 75, NULL}, {UTF8, 11, 8, 76, NULL}, {BIGRETRY, 12, 8, 85, NULL},
      {UNTERM, 14, 8, 105, NULL}}},
};

static int same(const want *a, const want *b) {
    if (a->code != b->code || a->line != b->line || a->col != b->col || a->off != b->off) return 0;
    if (!a->suggestion || !b->suggestion) return a->suggestion == b->suggestion;
    return strcmp(a->suggestion, b->suggestion) == 0;
}

static void describe(const char *what, const want *w, size_t n) {
    fprintf(stderr, "  %s:", what);
    for (size_t i = 0; i < n && i < MAX_GOT; i++)
        fprintf(stderr, " %s@%llu:%llu+%llu%s%s", simdsse_diagnostic_code_name(w[i].code),
                (unsigned long long)w[i].line, (unsigned long long)w[i].col,
                (unsigned long long)w[i].off, w[i].suggestion ? "~" : "",
                w[i].suggestion ? w[i].suggestion : "");
    fputc('\n', stderr);
}

/* Checks one input against its expectations at every chunk size. */
static void check_input(const char *name, const char *variant, const char *in, size_t len,
                        const simdsse_validator_options *opt, const want *w, size_t nw,
                        uint64_t events) {
    uint64_t errors = 0, warnings = 0;
    for (size_t i = 0; i < nw; i++) {
        if (simdsse_diagnostic_code_severity(w[i].code) == SIMDSSE_SEVERITY_ERROR)
            errors++;
        else
            warnings++;
    }
    int reported = 0;
    for (size_t chunk = 0; chunk <= len; chunk++) {
        got g;
        simdsse_validation r = run(in, len, chunk, opt, &g);
        int ok = g.n == nw && !g.bad && r.events == events && r.errors == errors &&
                 r.warnings == warnings && r.reported == nw;
        for (size_t i = 0; ok && i < nw; i++) ok = same(&g.d[i], &w[i]);
        CHECK(ok, "%s (%s) at chunk %zu: events %llu want %llu", name, variant, chunk,
              (unsigned long long)r.events, (unsigned long long)events);
        if (!ok && !reported++) {
            describe("got ", g.d, g.n);
            describe("want", w, nw);
        }
    }
}

static void test_cases(void) {
    static const struct {
        const char *name, *eol;
    } variants[] = {{"LF", "\n"}, {"CR", "\r"}, {"CRLF", "\r\n"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const vcase *c = &cases[k];
        size_t nw = 0;
        while (nw < MAXW && c->w[nw].code) nw++;
        simdsse_validator_options opt;
        simdsse_validator_options_init(&opt);
        if (c->long_line) opt.long_line = c->long_line;
        /* The table's offsets agree with its lines and columns. */
        for (size_t i = 0; i < nw; i++)
            CHECK(offset_of(c->in, c->len, c->w[i].line, c->w[i].col) == c->w[i].off,
                  "%s: table entry %zu: offset %llu does not match line %llu column %llu", c->name, i,
                  (unsigned long long)c->w[i].off, (unsigned long long)c->w[i].line,
                  (unsigned long long)c->w[i].col);
        for (size_t vi = 0; vi < (c->eol ? 3u : 1u); vi++) {
            size_t len;
            char *in = with_eol(c->in, c->len, c->eol ? variants[vi].eol : "\n", &len);
            want w[MAXW];
            for (size_t i = 0; i < nw; i++) {
                w[i] = c->w[i];
                w[i].off = offset_of(in, len, w[i].line, w[i].col);
            }
            check_input(c->name, c->eol ? variants[vi].name : "as is", in, len, &opt, w, nw,
                        c->events);
            free(in);
        }
    }
}

/* Every code has a case above (so a new code cannot go untested). */
static void test_every_code_has_a_case(void) {
    for (int code = 1; simdsse_diagnostic_code_name(code); code++) {
        int found = 0;
        for (size_t k = 0; k < sizeof cases / sizeof cases[0] && !found; k++)
            for (size_t i = 0; i < MAXW && cases[k].w[i].code; i++)
                if (cases[k].w[i].code == code) found = 1;
        CHECK(found, "code %d (%s) has no test case", code, simdsse_diagnostic_code_name(code));
    }
}

/* MARK: - The default long-line threshold */

static void test_default_long_line(void) {
    size_t n = SIMDSSE_DEFAULT_LONG_LINE;
    char *in = malloc(n + 16);
    if (!in) abort();
    memcpy(in, "data: ", 6);
    memset(in + 6, 'x', n - 6);
    memcpy(in + n, "\n\n", 2); /* exactly at the threshold: fine */
    static const size_t chunks[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        got g;
        simdsse_validation r = run(in, n + 2, chunks[i], NULL, &g);
        CHECK(g.n == 0 && r.events == 1, "a line of exactly the threshold is fine (chunk %zu)", chunks[i]);
    }
    memcpy(in + n, "y\n\n", 3); /* one byte more */
    want w = {LONG, 1, (uint64_t)n + 1, (uint64_t)n, NULL};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        got g;
        simdsse_validation r = run(in, n + 3, chunks[i], NULL, &g);
        CHECK(g.n == 1 && same(&g.d[0], &w) && r.events == 1 && r.warnings == 1,
              "a line one byte over the threshold (chunk %zu)", chunks[i]);
    }
    free(in);
}

/* MARK: - API behaviour */

static int stop_at_first(void *user, const simdsse_diagnostic *d) {
    (void)d;
    (*(int *)user)++;
    return 1;
}

typedef struct counting_alloc {
    int mallocs, frees;
} counting_alloc;
static void *ca_malloc(void *ctx, size_t n) {
    ((counting_alloc *)ctx)->mallocs++;
    return malloc(n);
}
static void *ca_realloc(void *ctx, void *p, size_t o, size_t n) {
    (void)ctx, (void)o;
    return realloc(p, n);
}
static void ca_free(void *ctx, void *p, size_t n) {
    (void)n;
    ((counting_alloc *)ctx)->frees++;
    free(p);
}

static void test_api(void) {
    static const char bad[] = "Data: 1\nDATA: 2\ndat: 3\n dat: 4\nevent: e\n\n";
    got g;
    simdsse_validator_options opt;
    simdsse_validator_options_init(&opt);
    CHECK(opt.on_diagnostic == NULL && opt.long_line == SIMDSSE_DEFAULT_LONG_LINE &&
              opt.max_retry_ms == SIMDSSE_DEFAULT_MAX_RETRY_MS &&
              opt.max_diagnostics == SIMDSSE_DEFAULT_MAX_DIAGNOSTICS && opt.allocator == NULL,
          "options_init gives the defaults");

    /* The cap: the first two are reported, all five counted. */
    opt.max_diagnostics = 2;
    simdsse_validation r = run(bad, sizeof bad - 1, 0, &opt, &g);
    CHECK(g.n == 2 && r.reported == 2 && r.errors == 5 && r.warnings == 0,
          "max_diagnostics caps reports, not counts (%zu reported, %llu errors)", g.n,
          (unsigned long long)r.errors);
    opt.max_diagnostics = 0;
    r = run(bad, sizeof bad - 1, 0, &opt, &g);
    CHECK(g.n == 0 && r.reported == 0 && r.errors == 5, "max_diagnostics 0 reports nothing");

    /* A callback returning non-zero stops the reports; counting goes on. */
    int calls = 0;
    simdsse_validation_init(&r);
    const char *placed = guard_place(&guard, bad, sizeof bad - 1);
    simdsse_validator_options_init(&opt);
    opt.on_diagnostic = stop_at_first;
    opt.user = &calls;
    CHECK(simdsse_validate(placed, sizeof bad - 1, &opt, &r) == SIMDSSE_OK, "one-shot validates");
    CHECK(calls == 1 && r.reported == 1 && r.errors == 5, "non-zero return stops the reports (%d)", calls);

    /* One-shot equals streaming, and NULL options only count. */
    got g1, g2;
    simdsse_validation r1 = run(bad, sizeof bad - 1, 3, NULL, &g1), r2;
    simdsse_validation_init(&r2);
    memset(&g2, 0, sizeof g2);
    placed = guard_place(&guard, bad, sizeof bad - 1);
    simdsse_validator_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.user = &g2;
    CHECK(simdsse_validate(placed, sizeof bad - 1, &opt, &r2) == SIMDSSE_OK, "one-shot");
    CHECK(g1.n == g2.n && r1.errors == r2.errors && r1.events == r2.events, "one-shot = streaming");
    for (size_t i = 0; i < g1.n && i < g2.n; i++) CHECK(same(&g1.d[i], &g2.d[i]), "diagnostic %zu", i);
    simdsse_validator *v = simdsse_validator_create(NULL, NULL);
    CHECK(v != NULL, "create with NULL options");
    CHECK(feed_guarded(v, bad, sizeof bad - 1) == SIMDSSE_OK, "feed");
    CHECK(simdsse_validator_finish(v) == SIMDSSE_OK, "finish");
    r = counts(v);
    CHECK(r.errors == 5 && r.reported == 0, "no callback: counts only");
    CHECK(feed_guarded(v, "x", 1) == SIMDSSE_ERR_NEEDS_RESET, "feed after finish");
    CHECK(simdsse_validator_finish(v) == SIMDSSE_ERR_NEEDS_RESET, "finish twice");
    simdsse_validator_reset(v);
    r = counts(v);
    CHECK(r.errors == 0 && r.events == 0, "reset clears the counts");
    CHECK(feed_guarded(v, "data: x\n\n", 9) == SIMDSSE_OK, "feed after reset");
    CHECK(counts(v).events == 1, "events after reset");
    CHECK(simdsse_validator_feed(v, NULL, 0) == SIMDSSE_OK, "NULL, 0 is an empty feed");
    CHECK(simdsse_validator_feed(v, NULL, 1) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL data with a length");
    CHECK(simdsse_validator_feed(NULL, "x", 1) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL validator");
    CHECK(simdsse_validator_finish(NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "finish NULL");
    CHECK(simdsse_validator_result(NULL, &r) == SIMDSSE_ERR_INVALID_ARGUMENT, "result of NULL");
    CHECK(simdsse_validator_result(v, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "result into NULL");
    simdsse_validation unset;
    memset(&unset, 0, sizeof unset);
    CHECK(simdsse_validator_result(v, &unset) == SIMDSSE_ERR_INVALID_ARGUMENT && unset.events == 0,
          "result into a struct not made by simdsse_validation_init: refused, nothing written");
    simdsse_validator_destroy(v);
    simdsse_validator_destroy(NULL);
    CHECK(simdsse_validate(NULL, 1, NULL, &r) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "one-shot: NULL data with a length");
    CHECK(simdsse_validate(NULL, 0, NULL, &r) == SIMDSSE_OK && r.errors == 0,
          "one-shot: empty stream");
    CHECK(simdsse_validate("data: x\n\n", 9, NULL, NULL) == SIMDSSE_OK, "one-shot: no counts");

    /* The allocator: one allocation, freed by destroy; incomplete ones refused. */
    counting_alloc ctx = {0, 0};
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = ca_malloc;
    a.realloc = ca_realloc;
    a.free = ca_free;
    a.ctx = &ctx;
    simdsse_validator_options_init(&opt);
    opt.allocator = &a;
    simdsse_status st = SIMDSSE_ERR_NO_MEMORY;
    v = simdsse_validator_create(&opt, &st);
    CHECK(v && st == SIMDSSE_OK, "create with an allocator");
    feed_guarded(v, bad, sizeof bad - 1);
    simdsse_validator_finish(v);
    simdsse_validator_destroy(v);
    CHECK(ctx.mallocs == 1 && ctx.frees == 1, "one allocation (%d), freed (%d)", ctx.mallocs, ctx.frees);
    a.realloc = NULL;
    v = simdsse_validator_create(&opt, &st);
    CHECK(!v && st == SIMDSSE_ERR_INVALID_ARGUMENT, "an incomplete allocator is refused");

    /* Names and severities. */
    static const char *const names[] = {
        NULL, "unterminated-event", "invalid-utf8", "unknown-field", "field-leading-space",
        "whitespace-line", "bom-in-field-name", "id-contains-nul", "invalid-retry",
        "event-without-data", "mixed-line-ends", "long-line", "empty-event-type", "nul-in-value",
        "bom-in-value", "retry-too-large"};
    int n = (int)(sizeof names / sizeof names[0]);
    for (int code = 1; code < n; code++) {
        const char *name = simdsse_diagnostic_code_name(code);
        CHECK(name && strcmp(name, names[code]) == 0, "code %d is named %s", code, name ? name : "NULL");
        simdsse_severity sev = simdsse_diagnostic_code_severity(code);
        CHECK(sev == (code <= SIMDSSE_DIAG_EVENT_WITHOUT_DATA ? SIMDSSE_SEVERITY_ERROR
                                                               : SIMDSSE_SEVERITY_WARNING),
              "code %d's severity", code);
    }
    CHECK(simdsse_diagnostic_code_name(0) == NULL && simdsse_diagnostic_code_name(n) == NULL &&
              simdsse_diagnostic_code_name(-1) == NULL,
          "no names outside the codes");
    CHECK(simdsse_diagnostic_code_severity(0) == 0 && simdsse_diagnostic_code_severity(n) == 0,
          "no severity outside the codes");
    CHECK(strcmp(simdsse_severity_name(SIMDSSE_SEVERITY_ERROR), "error") == 0 &&
              strcmp(simdsse_severity_name(SIMDSSE_SEVERITY_WARNING), "warning") == 0 &&
              simdsse_severity_name(0) == NULL,
          "severity names");
}

/* MARK: - Agreement with the parser, the browser and the JSON decoder */

static int count_event(void *user, const simdsse_event *ev) {
    (void)ev;
    (*(uint64_t *)user)++;
    return 0;
}

static void unlimited(simdsse_parser_options *o) {
    simdsse_parser_options_init(o);
    o->max_line_length = o->max_data_length = o->max_type_length = o->max_id_length = SIZE_MAX;
}

static uint64_t parser_events(const char *in, size_t len) {
    uint64_t n = 0;
    simdsse_parser_options o;
    unlimited(&o);
    o.on_event = count_event;
    o.user = &n;
    CHECK(simdsse_parse(in, len, &o) == SIMDSSE_OK, "parse");
    return n;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap);
    if (!buf) abort();
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap && !(buf = realloc(buf, cap *= 2))) abort();
    }
    fclose(f);
    *len = n;
    return buf;
}

static void test_sample(void) {
    size_t len;
    char *in = read_file(SIMDSSE_SOURCE_DIR "/corpus/sample.sse", &len);
    CHECK(in != NULL, "read corpus/sample.sse");
    if (!in) return;
    for (size_t chunk = 0; chunk <= len; chunk += chunk < 16 ? 1 : 37) {
        got g;
        simdsse_validation r = run(in, len, chunk, NULL, &g);
        CHECK(g.n == 0 && r.errors == 0 && r.warnings == 0, "sample.sse is clean (chunk %zu)", chunk);
        CHECK(r.events == parser_events(in, len) && r.events == 5, "sample.sse: %llu events",
              (unsigned long long)r.events);
    }
    free(in);
}

/* The 300 browser-recorded streams: the validator counts the events the
 * browser dispatched (one JSON line each in expected/). */
static void test_conformance(void) {
    int ncases = 0;
    for (int i = 0; i < 1000; i++) {
        char path[512];
        snprintf(path, sizeof path, SIMDSSE_SOURCE_DIR "/tests/conformance/cases/case-%04d.sse", i);
        size_t len, elen;
        char *in = read_file(path, &len);
        if (!in) break;
        snprintf(path, sizeof path, SIMDSSE_SOURCE_DIR "/tests/conformance/expected/case-%04d.jsonl", i);
        char *exp = read_file(path, &elen);
        CHECK(exp != NULL, "expected output of case %d", i);
        uint64_t browser = 0;
        for (size_t k = 0; exp && k < elen; k++) browser += exp[k] == '\n';
        static const size_t chunks[] = {0, 1, 3, 64};
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            simdsse_validation r;
            simdsse_validator_options opt;
            simdsse_validator_options_init(&opt);
            got g;
            r = run(in, len, chunks[c], &opt, &g);
            CHECK(r.events == browser, "case %d (chunk %zu): %llu events, the browser %llu", i, chunks[c],
                  (unsigned long long)r.events, (unsigned long long)browser);
        }
        CHECK(parser_events(in, len) == browser, "case %d: parser", i);
        free(in);
        free(exp);
        ncases++;
    }
    CHECK(ncases == 300, "read %d conformance cases", ncases);
}

static uint64_t rng_state;
static uint32_t rnd(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

/* A stream of pieces that hit every rule: fields, variants, line ends,
 * BOMs, NULs, broken and whole UTF-8. */
static size_t random_stream(char *out, size_t cap) {
    static const char *const pieces[] = {
        "data", "data:", "data: ", "event:", "event: x", "id:", "id: 1", "retry:", "retry: 5",
        "Data:", " data:", ":", ": c", "x", " ", "\t", "\n", "\n", "\n", "\r", "\r\n", "\r\n",
        "\0", "\xEF\xBB\xBF", "\xEF", "\xBB", "\xBF", "\xC3\xA9", "\xC3", "\xE2\x82", "\xF0\x9F\x98\x80",
        "\x80", "\xFF", "9", "dat", "event", "id", "retry"};
    static const size_t lens[] = {4, 5, 6, 6, 8, 3, 5, 6, 8, 5, 6, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 2,
                                  1, 3, 1, 1, 1, 2, 1, 2, 4, 1, 1, 1, 3, 5, 2, 5};
    size_t np = sizeof lens / sizeof lens[0];
    size_t n = 0, target = rnd() % cap;
    while (n < target) {
        size_t k = rnd() % np;
        if (n + lens[k] > cap) break;
        memcpy(out + n, pieces[k], lens[k]);
        n += lens[k];
    }
    return n;
}

static void test_random(void) {
    simdsse_parser_options po;
    unlimited(&po);
    po.on_event = count_event;
    char in[256];
    for (int iter = 0; iter < 3000; iter++) {
        rng_state = (uint64_t)iter * 0x9E3779B97F4A7C15ULL + 1;
        size_t len = random_stream(in, sizeof in);
        got whole;
        simdsse_validation rw = run(in, len, 0, NULL, &whole);
        CHECK(rw.events == parser_events(in, len), "random %d: events %llu vs parser", iter,
              (unsigned long long)rw.events);
        /* Random chunks: the same diagnostics, and after every feed the
         * same event count as a parser fed the same chunks. */
        uint64_t pn = 0;
        po.user = &pn;
        simdsse_parser *p = simdsse_parser_create(&po, NULL);
        simdsse_validator_options vo;
        simdsse_validator_options_init(&vo);
        got g;
        memset(&g, 0, sizeof g);
        vo.on_diagnostic = collect;
        vo.user = &g;
        simdsse_validator *v = simdsse_validator_create(&vo, NULL);
        if (!p || !v) abort();
        int agree = 1;
        for (size_t i = 0; i < len;) {
            size_t c = 1 + rnd() % 9;
            if (c > len - i) c = len - i;
            const char *piece = guard_place(&guard, in + i, c);
            simdsse_parser_feed(p, piece, c, NULL);
            simdsse_validator_feed(v, piece, c);
            if (counts(v).events != pn) agree = 0;
            i += c;
        }
        simdsse_validator_finish(v);
        simdsse_parser_finish(p);
        CHECK(agree, "random %d: event counts agree after every feed", iter);
        int same_diags = g.n == whole.n;
        for (size_t i = 0; same_diags && i < g.n && i < MAX_GOT; i++) same_diags = same(&g.d[i], &whole.d[i]);
        CHECK(same_diags, "random %d: chunking changes nothing", iter);
        simdsse_validator_destroy(v);
        simdsse_parser_destroy(p);
    }
}

/* invalid-utf8 fires once per U+FFFD the WHATWG decoder produces, which
 * simdsse_format_json_string (tested against the browser) shows. Inputs never
 * hold a real U+FFFD: byte 0xBD is left out. */
static void test_utf8_against_decoder(void) {
    unsigned char in[64];
    char out[1024];
    for (int iter = 0; iter < 20000; iter++) {
        rng_state = (uint64_t)iter * 0xD1B54A32D192ED03ULL + 7;
        size_t len = rnd() % sizeof in;
        for (size_t i = 0; i < len; i++) {
            unsigned b = rnd() % 4 ? 0x80 + rnd() % 0x80 : rnd() % 0x80;
            in[i] = (unsigned char)(b == 0xBD ? 'x' : b);
        }
        size_t n = 0;
        if (simdsse_format_json_string((const char *)in, len, out, sizeof out, &n) != SIMDSSE_OK)
            n = sizeof out + 1; /* (fails the check below) */
        uint64_t fffd = 0;
        for (size_t i = 0; i + 2 < n && n <= sizeof out; i++)
            if (memcmp(out + i, "\xEF\xBF\xBD", 3) == 0) fffd++;
        got g;
        run((const char *)in, len, 1 + iter % 5, NULL, &g);
        uint64_t bad = 0;
        for (size_t i = 0; i < g.n && i < MAX_GOT; i++) bad += g.d[i].code == UTF8;
        CHECK(n <= sizeof out && bad == fffd && g.n < MAX_GOT, "random bytes %d: %llu invalid-utf8, %llu U+FFFD",
              iter, (unsigned long long)bad, (unsigned long long)fffd);
    }
}

int main(void) {
    test_cases();
    test_every_code_has_a_case();
    test_default_long_line();
    test_api();
    test_sample();
    test_conformance();
    test_random();
    test_utf8_against_decoder();
    return check_done();
}
