/*
 * test_helpers.c -- the C the bindings add to the library, tested in C, so
 * that every build runs it: sanitizers, valgrind and the qemu-user cross
 * builds, where no Python or Node runs.
 * SPDX-License-Identifier: MIT
 *
 *  - sse_utf8_to_utf16 (node/src/text.c) against the library's own decoder:
 *    simdsse_format_json_string decodes as a browser does, and for text
 *    without controls, '"' and '\' its output is that decoding as UTF-8.
 *  - sse_text: values in the narrow string exactly when they are ASCII.
 *  - sse_batch_pull and sse_batch_run (common/batch.h) against the items of
 *    the plain pull loop, every chunking, and the type and id flags.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/check.h"
#include "batch.h"
#include "simdsse.h"
#include "text.h"

static uint64_t seed = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n) {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return (unsigned)(seed % n);
}

/* UTF-16 to UTF-8 (the test's own, for valid UTF-16 only). */
static size_t to_utf8(const uint16_t *u, size_t n, unsigned char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
        if (c < 0x80) {
            out[o++] = (unsigned char)c;
        } else if (c < 0x800) {
            out[o++] = (unsigned char)(0xC0 | c >> 6);
            out[o++] = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (unsigned char)(0xE0 | c >> 12);
            out[o++] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (unsigned char)(0xF0 | c >> 18);
            out[o++] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    return o;
}

/* Bytes biased towards UTF-8's edges, with no control, '"' or '\'. */
static void random_text(unsigned char *s, size_t n) {
    static const unsigned char pool[] = {0x41, 0x7E, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                         0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                         0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = rnd(3) ? pool[rnd(sizeof pool)] : (unsigned char)rnd(256);
        if (c < 0x20 || c == '"' || c == '\\') c = 'a' + (unsigned char)rnd(26);
        s[i] = c;
    }
}

static void test_decoder(void) {
    unsigned char in[200], ref[1024], got8[1024];
    uint16_t got[200];
    char json[1024];
    for (int round = 0; round < 20000; round++) {
        size_t n = rnd(round < 10000 ? 12 : 200);
        random_text(in, n);
        /* A long ASCII run now and then, for the SIMD paths. */
        if (n > 40 && rnd(2)) memset(in + rnd(20), 'x', 20);
        size_t len;
        simdsse_status st = simdsse_format_json_string((const char *)in, n, json, sizeof json, &len);
        CHECK(st == SIMDSSE_OK && len >= 2, "format_json_string status %d", (int)st);
        size_t rn = len - 2;
        memcpy(ref, json + 1, rn);
        size_t units = sse_utf8_to_utf16(in, n, got);
        CHECK(units <= n, "%zu units from %zu bytes", units, n);
        size_t gn = to_utf8(got, units, got8);
        CHECK(gn == rn && memcmp(got8, ref, rn) == 0, "round %d: %zu bytes decode differently", round,
              n);
    }
}

static void test_text(void) {
    sse_text t = {0};
    static const char *values[] = {"", "a", "abcd", "0123456789abcdef", "0123456789abcdefg",
                                   "caf\xC3\xA9", "\xE6\x9D\xB1", "x\xFF", "plain ascii words"};
    size_t narrow = 0, wide = 0;
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            const char *v = values[i];
            size_t n = strlen(v), a, b;
            int w, ascii = 1;
            for (size_t k = 0; k < n; k++) ascii &= (unsigned char)v[k] < 0x80;
            CHECK(sse_text_append(&t, v, n, &a, &b, &w) == 0, "append");
            CHECK(w == !ascii, "value %zu in the %s string", i, w ? "wide" : "narrow");
            if (!w) {
                CHECK(a == narrow && b == narrow + n && memcmp(t.narrow + a, v, n) == 0,
                      "narrow value %zu", i);
                narrow = b;
            } else {
                uint16_t ref[32];
                size_t m = sse_utf8_to_utf16((const unsigned char *)v, n, ref);
                CHECK(a == wide && b == wide + m && memcmp(t.wide + a, ref, m * 2) == 0,
                      "wide value %zu", i);
                wide = b;
            }
        }
    }
    CHECK(t.nlen == narrow && t.wlen == wide, "lengths");
    sse_text_clear(&t);
    CHECK(t.nlen == 0 && t.wlen == 0, "cleared");
    sse_text_free(&t);
}

/* Items flattened to bytes: kind, flags, the spans, the numbers. */
typedef struct item_log {
    char *p;
    size_t len, cap;
} item_log;

static void put(item_log *l, const void *p, size_t n) {
    if (n == 0) return;
    if (l->len + n > l->cap) {
        l->cap = (l->len + n) * 2;
        l->p = realloc(l->p, l->cap);
        if (!l->p) abort();
    }
    memcpy(l->p + l->len, p, n);
    l->len += n;
}

static void put_span(item_log *l, simdsse_span s) {
    put(l, &s.len, sizeof s.len);
    put(l, s.ptr, s.len);
}

static void put_item(item_log *l, int kind, unsigned flags, simdsse_span text, simdsse_span type,
                     simdsse_span id, uint64_t number) {
    put(l, &kind, sizeof kind);
    put(l, &flags, sizeof flags);
    put_span(l, text);
    put_span(l, (flags & SSE_BATCH_TYPE_SAME) ? (simdsse_span){"", 0} : type);
    put_span(l, (flags & SSE_BATCH_ID_SAME) ? (simdsse_span){"", 0} : id);
    put(l, &number, sizeof number);
}

/* The reference: the plain loop, flags worked out here. */
static void reference(const char *s, size_t n, size_t chunk, item_log *l) {
    simdsse_parser *p = simdsse_parser_create(NULL, NULL);
    char type[64] = "", id[64] = "";
    size_t type_len = 0, id_len = 0;
    int have = 0;
    for (size_t at = 0; at < n; at += chunk) {
        size_t k = n - at < chunk ? n - at : chunk;
        simdsse_parser_push(p, s + at, k);
        const simdsse_item *it;
        while (simdsse_parser_next(p, &it) == SIMDSSE_OK) {
            const simdsse_event *e = &it->event;
            unsigned flags = 0;
            uint64_t number = it->kind == SIMDSSE_ITEM_RETRY ? it->retry
                              : it->kind == SIMDSSE_ITEM_ERROR ? it->error.offset
                                                               : 0;
            if (it->kind == SIMDSSE_ITEM_EVENT) {
                if (have && e->type.len == type_len && !memcmp(e->type.ptr, type, type_len)) flags |= 1;
                if (have && e->id.len == id_len && !memcmp(e->id.ptr, id, id_len)) flags |= 2;
                memcpy(type, e->type.ptr, type_len = e->type.len);
                memcpy(id, e->id.ptr, id_len = e->id.len);
                have = 1;
            }
            simdsse_span text = it->kind == SIMDSSE_ITEM_COMMENT ? it->comment
                                : it->kind == SIMDSSE_ITEM_EVENT ? e->data
                                                                 : (simdsse_span){"", 0};
            put_item(l, it->kind, flags, text, it->kind == SIMDSSE_ITEM_EVENT ? e->type : (simdsse_span){"", 0},
                     it->kind == SIMDSSE_ITEM_EVENT ? e->id : (simdsse_span){"", 0}, number);
        }
    }
    simdsse_parser_destroy(p);
}

static int logged(void *ctx, const simdsse_item *it, unsigned flags) {
    const simdsse_event *e = &it->event;
    uint64_t number = it->kind == SIMDSSE_ITEM_RETRY ? it->retry
                      : it->kind == SIMDSSE_ITEM_ERROR ? it->error.offset
                                                       : 0;
    int ev = it->kind == SIMDSSE_ITEM_EVENT;
    simdsse_span none = {"", 0};
    put_item(ctx, it->kind, flags, ev ? e->data : it->kind == SIMDSSE_ITEM_COMMENT ? it->comment : none,
             ev ? e->type : none, ev ? e->id : none, number);
    return 0;
}

static void test_batch(void) {
    /* Every kind of item, lines cut anywhere, data joined from several
     * lines, a type and an id that repeat and change. */
    static const char stream[] =
        "retry: 100\r\n: hello\nevent: delta\nid: 1\ndata: a\n\nevent: delta\ndata: b\ndata: c\n\n"
        "data: " "0123456789012345678901234567890123456789" "\r\rid: 2\nevent: x\ndata: d\n\n"
        ":\ndata: e\n\nid:\ndata: f\n\ndata: \xE6\x9D\xB1\n\n";
    size_t n = sizeof stream - 1;
    unsigned all = SSE_BATCH_KEEP(SIMDSSE_ITEM_EVENT) | SSE_BATCH_KEEP(SIMDSSE_ITEM_COMMENT) |
                   SSE_BATCH_KEEP(SIMDSSE_ITEM_RETRY) | SSE_BATCH_KEEP(SIMDSSE_ITEM_ERROR);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        item_log want = {0}, pulled = {0}, collected = {0};
        reference(stream, n, chunk, &want);
        simdsse_parser *p = simdsse_parser_create(NULL, NULL), *q = simdsse_parser_create(NULL, NULL);
        sse_batch a, b;
        sse_batch_init(&a, all);
        sse_batch_init(&b, all);
        for (size_t at = 0; at < n; at += chunk) {
            size_t k = n - at < chunk ? n - at : chunk;
            /* A copy, so that spans the collector kept as pointers into the
             * chunk are read from memory that is then overwritten. */
            char *copy = malloc(k);
            memcpy(copy, stream + at, k);
            CHECK(sse_batch_pull(&a, p, copy, k, logged, &pulled) == SIMDSSE_OK, "pull");
            CHECK(sse_batch_run(&b, q, copy, k) == SIMDSSE_OK, "run");
            for (size_t i = 0; i < b.count; i++) {
                const sse_batch_item *it = &b.items[i];
                put_item(&collected, it->kind, it->flags, it->text, it->type, it->id, it->number);
            }
            memset(copy, '#', k);
            free(copy);
        }
        CHECK(pulled.len == want.len && memcmp(pulled.p, want.p, want.len) == 0,
              "chunk %zu: sse_batch_pull's items", chunk);
        CHECK(collected.len == want.len && memcmp(collected.p, want.p, want.len) == 0,
              "chunk %zu: sse_batch_run's items", chunk);
        sse_batch_free(&a);
        sse_batch_free(&b);
        simdsse_parser_destroy(p);
        simdsse_parser_destroy(q);
        free(want.p), free(pulled.p), free(collected.p);
    }
    /* Only the kinds asked for; a limit error is an item, and goes on. */
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.max_line_length = 12;
    simdsse_parser *p = simdsse_parser_create(&o, NULL);
    sse_batch b;
    sse_batch_init(&b, SSE_BATCH_KEEP(SIMDSSE_ITEM_EVENT) | SSE_BATCH_KEEP(SIMDSSE_ITEM_ERROR));
    static const char limited[] = ": comment\nretry: 5\ndata: 1\n\ndata: too long\n\ndata: 2\n\n";
    CHECK(sse_batch_run(&b, p, limited, sizeof limited - 1) == SIMDSSE_OK, "run");
    CHECK(b.count == 3 && b.items[0].kind == SIMDSSE_ITEM_EVENT &&
              b.items[1].kind == SIMDSSE_ITEM_ERROR && b.items[2].kind == SIMDSSE_ITEM_EVENT,
          "%zu items", b.count);
    CHECK(b.count == 3 && b.items[1].status == SIMDSSE_ERR_LINE_TOO_LONG &&
              b.items[1].number == 28 + 12,
          "the error and its offset");
    /* After finish, a run reports what push said. */
    simdsse_parser_finish(p);
    CHECK(sse_batch_run(&b, p, "data: x\n\n", 9) == SIMDSSE_ERR_NEEDS_RESET, "after finish");
    sse_batch_free(&b);
    simdsse_parser_destroy(p);
}

int main(void) {
    test_decoder();
    test_text();
    test_batch();
    return check_done();
}
