/*
 * fuzz_json.c -- simdsse_format_json_string and simdsse_format_json always emit
 * valid JSON, in valid UTF-8, whose strings decode to what a browser's
 * EventSource would show for the same bytes; simdsse_utf8_repair emits
 * valid UTF-8 that decodes to the same.
 * SPDX-License-Identifier: MIT
 *
 * Input: h[0] chooses the call (bit 0: format_json, else format_json_string)
 * and how much too small the short buffer is (h[0] >> 1). For an event,
 * type, data and id are each a length byte and that many bytes; for a
 * string, the rest of the input is the text, also given to
 * simdsse_utf8_repair.
 *
 * The output is checked by a strict JSON reader written here: structure
 * exactly as documented ({"event":..,"data":..,"id":..}), escapes exactly
 * as documented (\" \\ \b \f \n \r \t, \u00xx for the other controls and
 * for nothing else), and UTF-8 with no overlong form, no surrogate and
 * nothing past U+10FFFF. Its strings are compared code point by code point
 * with an independent implementation of the WHATWG Encoding standard's
 * UTF-8 decoder (U+FFFD per maximal subpart). The buffer convention is
 * checked too: SIMDSSE_ERR_BUFFER_TOO_SMALL and the exact size from cap 0
 * and from a short buffer, which holds a prefix; nothing written past the
 * rendering when the buffer is long.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (tests/guard.h) */
#include "fuzz_util.h"

/* MARK: - WHATWG UTF-8 decode (Encoding standard, "UTF-8 decoder") */

typedef struct cps {
    uint32_t *p;
    size_t len, cap;
} cps;

static void cp_put(cps *c, uint32_t v) {
    if (c->len == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->p = realloc(c->p, c->cap * sizeof *c->p);
        FZ_ASSERT(c->p, "harness out of memory");
    }
    c->p[c->len++] = v;
}

/* The standard's algorithm, state for state: bytes needed, bytes seen,
 * code point, lower and upper boundary; an out-of-range byte is "restored
 * to the stream" (read again) after the error. */
static void whatwg_utf8_decode(const uint8_t *s, size_t n, cps *out) {
    uint32_t cp = 0;
    unsigned needed = 0, seen = 0;
    uint8_t lower = 0x80, upper = 0xBF;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = s[i];
        if (needed == 0) {
            if (b <= 0x7F) {
                cp_put(out, b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0) lower = 0xA0;
                if (b == 0xED) upper = 0x9F;
                needed = 2;
                cp = b & 0xF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0) lower = 0x90;
                if (b == 0xF4) upper = 0x8F;
                needed = 3;
                cp = b & 0x7;
            } else {
                cp_put(out, 0xFFFD);
            }
            continue;
        }
        if (b < lower || b > upper) {
            cp = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
            i--; /* "Restore byte to ioQueue." */
            cp_put(out, 0xFFFD);
            continue;
        }
        lower = 0x80, upper = 0xBF;
        cp = cp << 6 | (b & 0x3F);
        if (++seen == needed) {
            cp_put(out, cp);
            cp = 0, needed = 0, seen = 0;
        }
    }
    /* End of queue with bytes needed: one error. */
    if (needed) cp_put(out, 0xFFFD);
}

/* MARK: - A strict JSON reader for what the renderer may produce */

typedef struct rd {
    const uint8_t *s;
    size_t n, i;
} rd;

static int hexval(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One UTF-8 encoded scalar value at r->i (lead byte >= 0x80), strictly. */
static uint32_t read_utf8(rd *r) {
    const uint8_t *s = r->s + r->i;
    size_t left = r->n - r->i;
    uint8_t b = s[0];
    size_t len;
    uint32_t cp, min;
    if (b >= 0xC0 && b <= 0xDF) len = 2, cp = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF) len = 3, cp = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF7) len = 4, cp = b & 0x07, min = 0x10000;
    else FZ_ASSERT(0, "byte 0x%02x at %zu cannot start UTF-8", b, r->i);
    FZ_ASSERT(left >= len, "UTF-8 sequence cut at %zu", r->i);
    for (size_t k = 1; k < len; k++) {
        FZ_ASSERT((s[k] & 0xC0) == 0x80, "bad continuation byte at %zu", r->i + k);
        cp = cp << 6 | (s[k] & 0x3F);
    }
    FZ_ASSERT(cp >= min, "overlong UTF-8 at %zu", r->i);
    FZ_ASSERT(cp < 0xD800 || cp > 0xDFFF, "UTF-8 encoded surrogate at %zu", r->i);
    FZ_ASSERT(cp <= 0x10FFFF, "UTF-8 past U+10FFFF at %zu", r->i);
    r->i += len;
    return cp;
}

/* A JSON string literal at r->i, decoded into `out`. Beyond JSON's own
 * rules it enforces the documented escaping: nothing is escaped that the
 * renderer says it writes as is. */
static void read_string(rd *r, cps *out) {
    FZ_ASSERT(r->i < r->n && r->s[r->i] == '"', "string expected at %zu", r->i);
    r->i++;
    for (;;) {
        FZ_ASSERT(r->i < r->n, "unterminated string");
        uint8_t c = r->s[r->i];
        if (c == '"') {
            r->i++;
            return;
        }
        FZ_ASSERT(c >= 0x20, "raw control 0x%02x at %zu", c, r->i);
        if (c >= 0x80) {
            cp_put(out, read_utf8(r));
            continue;
        }
        if (c != '\\') {
            cp_put(out, c);
            r->i++;
            continue;
        }
        FZ_ASSERT(r->i + 1 < r->n, "escape cut");
        uint8_t e = r->s[r->i + 1];
        r->i += 2;
        switch (e) {
        case '"': cp_put(out, '"'); break;
        case '\\': cp_put(out, '\\'); break;
        case 'b': cp_put(out, '\b'); break;
        case 'f': cp_put(out, '\f'); break;
        case 'n': cp_put(out, '\n'); break;
        case 'r': cp_put(out, '\r'); break;
        case 't': cp_put(out, '\t'); break;
        case 'u': {
            FZ_ASSERT(r->i + 4 <= r->n, "\\u cut");
            uint32_t v = 0;
            for (int k = 0; k < 4; k++) {
                int h = hexval(r->s[r->i + k]);
                FZ_ASSERT(h >= 0, "bad hex digit in \\u at %zu", r->i + k);
                v = v << 4 | (uint32_t)h;
            }
            r->i += 4;
            /* "other controls as \u00xx": only those. */
            FZ_ASSERT(v < 0x20 && v != '\b' && v != '\f' && v != '\n' && v != '\r' && v != '\t',
                      "\\u%04x where the renderer writes a short escape or the character", v);
            cp_put(out, v);
            break;
        }
        default: FZ_ASSERT(0, "escape \\%c (0x%02x) is not JSON or not the renderer's", e, e);
        }
    }
}

static void expect_lit(rd *r, const char *lit) {
    size_t n = strlen(lit);
    FZ_ASSERT(r->n - r->i >= n && memcmp(r->s + r->i, lit, n) == 0, "expected %s at %zu", lit, r->i);
    r->i += n;
}

static void same_text(const cps *json, const uint8_t *bytes, size_t n, const char *what) {
    cps want = {0};
    whatwg_utf8_decode(bytes, n, &want);
    size_t i = 0;
    while (i < want.len && i < json->len && want.p[i] == json->p[i]) i++;
    FZ_ASSERT(i == want.len && i == json->len,
              "%s: JSON decodes to %zu code points, the browser sees %zu; first difference at %zu "
              "(U+%04X vs U+%04X)",
              what, json->len, want.len, i, i < json->len ? json->p[i] : 0,
              i < want.len ? want.p[i] : 0);
    free(want.p);
}

/* MARK: - The buffer convention */

typedef simdsse_status (*render_fn)(const void *arg, char *out, size_t cap, size_t *len);

static simdsse_status r_string(const void *arg, char *out, size_t cap, size_t *len) {
    const simdsse_span *s = arg;
    return simdsse_format_json_string(s->ptr, s->len, out, cap, len);
}
static simdsse_status r_repair(const void *arg, char *out, size_t cap, size_t *len) {
    const simdsse_span *s = arg;
    return simdsse_utf8_repair(s->ptr, s->len, out, cap, len);
}
static simdsse_status r_event(const void *arg, char *out, size_t cap, size_t *len) {
    return simdsse_format_json(arg, out, cap, len);
}

/* The size a call reports into a buffer of `cap` bytes, checking its
 * status: OK exactly when it fits. */
static size_t rendered(render_fn f, const void *arg, char *out, size_t cap) {
    size_t n = 12345;
    simdsse_status st = f(arg, out, cap, &n);
    FZ_ASSERT(st == (n <= cap ? SIMDSSE_OK : SIMDSSE_ERR_BUFFER_TOO_SMALL),
              "cap %zu, size %zu: %s", cap, n, simdsse_strerror(st));
    return n;
}

/* Renders into an exact buffer (returned, caller frees) and checks the
 * short and the long buffer. */
static char *render(render_fn f, const void *arg, size_t short_by, size_t *len) {
    size_t n = rendered(f, arg, NULL, 0);
    char *exact = malloc(n + 1); /* (+1: malloc(0) may be NULL) */
    FZ_ASSERT(exact, "harness out of memory");
    FZ_ASSERT(rendered(f, arg, exact, n) == n, "size changed between calls");
    /* Short: exactly cap bytes, those of the full rendering. */
    size_t cap = short_by < n ? n - short_by : 0;
    char *small = malloc(cap + 1);
    FZ_ASSERT(small, "harness out of memory");
    FZ_ASSERT(rendered(f, arg, cap ? small : NULL, cap) == n, "short buffer: size");
    FZ_ASSERT(cap == 0 || memcmp(small, exact, cap) == 0, "short buffer: not a prefix");
    free(small);
    /* Long: nothing written past the rendering, no NUL added. */
    char *big = malloc(n + 8);
    FZ_ASSERT(big, "harness out of memory");
    memset(big, 0x5A, n + 8);
    FZ_ASSERT(rendered(f, arg, big, n + 8) == n, "long buffer: size");
    FZ_ASSERT(memcmp(big, exact, n) == 0, "long buffer: differs");
    for (size_t i = n; i < n + 8; i++) FZ_ASSERT(big[i] == 0x5A, "byte %zu past the end written", i);
    free(big);
    *len = n;
    return exact;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_in in = {data, size};
    uint8_t h = fz_u8(&in);
    size_t short_by = 1 + (h >> 1);
    size_t n;
    cps got = {0};
    if (h & 1) {
        /* Each value flush against an inaccessible page of its own. */
        static guard_buf guards[3];
        simdsse_event ev;
        ev.type = fz_guarded(&guards[0], fz_bytes(&in, fz_u8(&in)));
        ev.data = fz_guarded(&guards[1], fz_bytes(&in, fz_u8(&in)));
        ev.id = fz_guarded(&guards[2], fz_bytes(&in, in.len));
        ev.offset = size;
        char *out = render(r_event, &ev, short_by, &n);
        FZ_ASSERT(n >= 2, "a rendering is at least a pair of quotes");
        rd r = {(const uint8_t *)out, n, 0};
        const char *keys[3] = {"{\"event\":", ",\"data\":", ",\"id\":"};
        const simdsse_span *vals[3] = {&ev.type, &ev.data, &ev.id};
        for (int k = 0; k < 3; k++) {
            expect_lit(&r, keys[k]);
            got.len = 0;
            read_string(&r, &got);
            same_text(&got, (const uint8_t *)vals[k]->ptr, vals[k]->len, keys[k]);
        }
        expect_lit(&r, "}");
        FZ_ASSERT(r.i == n, "%zu bytes after the object", n - r.i);
        free(out);
    } else {
        static guard_buf guard;
        simdsse_span text = fz_guarded(&guard, fz_bytes(&in, in.len));
        char *out = render(r_string, &text, short_by, &n);
        FZ_ASSERT(n >= 2, "a rendering is at least a pair of quotes");
        rd r = {(const uint8_t *)out, n, 0};
        read_string(&r, &got);
        FZ_ASSERT(r.i == n, "%zu bytes after the string", n - r.i);
        same_text(&got, (const uint8_t *)text.ptr, text.len, "string");
        free(out);
        /* The repair: strict UTF-8 (read_utf8), the same code points. */
        out = render(r_repair, &text, short_by, &n);
        rd u = {(const uint8_t *)out, n, 0};
        got.len = 0;
        while (u.i < u.n) {
            if (u.s[u.i] < 0x80)
                cp_put(&got, u.s[u.i++]);
            else
                cp_put(&got, read_utf8(&u));
        }
        same_text(&got, (const uint8_t *)text.ptr, text.len, "repair");
        free(out);
    }
    free(got.p);
    return 0;
}
