/*
 * test_json.c -- JSON rendering and simdsse_utf8_repair: the browser's UTF-8
 * decoding (U+FFFD per the WHATWG Encoding standard), the escaping, and the
 * buffer convention.
 * SPDX-License-Identifier: MIT
 *
 * Beside hand-written cases, an independent decoder written straight from
 * the Encoding standard's "UTF-8 decoder" steps (a state machine over
 * "bytes needed/seen" and the boundaries, code points out) is compared with
 * the library on every 1- and 2-byte input, on every 3- and 4-byte input
 * drawn from the bytes where the rules change, and on random strings.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "simdsse.h"

/* MARK: - Reference: the Encoding standard's UTF-8 decoder, verbatim */

/* Decodes s[0, n) to code points; returns how many. */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    size_t out = 0;
    uint32_t code_point = 0;
    unsigned needed = 0, seen = 0;
    unsigned lower = 0x80, upper = 0xBF;
    for (size_t i = 0; i <= n; i++) {
        if (i == n) {
            /* end-of-queue with bytes needed != 0: error */
            if (needed != 0) cp[out++] = 0xFFFD;
            break;
        }
        unsigned byte = s[i];
        if (needed == 0) {
            if (byte <= 0x7F) {
                cp[out++] = byte;
            } else if (byte >= 0xC2 && byte <= 0xDF) {
                needed = 1;
                code_point = byte & 0x1F;
            } else if (byte >= 0xE0 && byte <= 0xEF) {
                if (byte == 0xE0) lower = 0xA0;
                if (byte == 0xED) upper = 0x9F;
                needed = 2;
                code_point = byte & 0xF;
            } else if (byte >= 0xF0 && byte <= 0xF4) {
                if (byte == 0xF0) lower = 0x90;
                if (byte == 0xF4) upper = 0x8F;
                needed = 3;
                code_point = byte & 0x7;
            } else {
                cp[out++] = 0xFFFD;
            }
            continue;
        }
        if (byte < lower || byte > upper) {
            code_point = needed = seen = 0;
            lower = 0x80, upper = 0xBF;
            cp[out++] = 0xFFFD;
            i--; /* restore byte to the queue */
            continue;
        }
        lower = 0x80, upper = 0xBF;
        code_point = (code_point << 6) | (byte & 0x3F);
        if (++seen != needed) continue;
        cp[out++] = code_point;
        code_point = needed = seen = 0;
    }
    return out;
}

/* Code point c encoded as UTF-8 at o; returns the bytes written. */
static size_t ref_utf8(uint32_t c, char *o) {
    size_t j = 0;
    if (c < 0x80) {
        o[j++] = (char)c;
    } else if (c < 0x800) {
        o[j++] = (char)(0xC0 | (c >> 6));
        o[j++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        o[j++] = (char)(0xE0 | (c >> 12));
        o[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[j++] = (char)(0x80 | (c & 0x3F));
    } else {
        o[j++] = (char)(0xF0 | (c >> 18));
        o[j++] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[j++] = (char)(0x80 | (c & 0x3F));
    }
    return j;
}

/* The JSON string literal a correct renderer produces for code points. */
static size_t ref_json(const uint32_t *cp, size_t n, char *o) {
    size_t j = 0;
    o[j++] = '"';
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc)
            j += (size_t)sprintf(o + j, "%s", esc);
        else if (c < 0x20)
            j += (size_t)sprintf(o + j, "\\u%04x", (unsigned)c);
        else
            j += ref_utf8(c, o + j);
    }
    o[j++] = '"';
    return j;
}

/* MARK: - Helpers */

static char got[1 << 14], want[1 << 14];

/* The library's rendering of s equals the reference's, and so does its
 * repair of s (simdsse_utf8_repair: the decoded text as UTF-8). */
static int agrees(const unsigned char *s, size_t n) {
    static uint32_t cp[4096];
    size_t ncp = ref_decode(s, n, cp);
    size_t wl = ref_json(cp, ncp, want);
    size_t gl;
    if (simdsse_format_json_string((const char *)s, n, got, sizeof got, &gl) != SIMDSSE_OK ||
        gl != wl || memcmp(got, want, wl) != 0)
        return 0;
    wl = 0;
    for (size_t i = 0; i < ncp; i++) wl += ref_utf8(cp[i], want + wl);
    return simdsse_utf8_repair((const char *)s, n, got, sizeof got, &gl) == SIMDSSE_OK &&
           gl == wl && memcmp(got, want, wl) == 0;
}

/* Renders literal bytes; checks the result equals `expect`. */
#define RENDERS(in, expect)                                                             \
    do {                                                                                \
        size_t n_ = 0;                                                                  \
        simdsse_status st_ = simdsse_format_json_string(in, sizeof(in) - 1, got, sizeof got, &n_); \
        CHECK(st_ == SIMDSSE_OK && n_ == sizeof(expect) - 1 && memcmp(got, expect, n_) == 0, \
              "%s: got %.*s, want %s", #in, (int)n_, got, expect);                      \
    } while (0)

/* MARK: - Cases */

static void test_escapes(void) {
    RENDERS("", "\"\"");
    RENDERS("plain text", "\"plain text\"");
    RENDERS("a\"b\\c", "\"a\\\"b\\\\c\"");
    RENDERS("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    RENDERS("\x00", "\"\\u0000\"");
    RENDERS("\x01\x1f", "\"\\u0001\\u001f\"");
    RENDERS("\x1b[0m", "\"\\u001b[0m\"");
    RENDERS("\x7f", "\"\x7f\""); /* DEL is not a JSON control */
    RENDERS("/", "\"/\"");       /* no escaping of the solidus */
    /* U+2028 and U+2029 are legal in JSON strings and stay as UTF-8. */
    RENDERS("\xE2\x80\xA8\xE2\x80\xA9", "\"\xE2\x80\xA8\xE2\x80\xA9\"");
}

static void test_utf8(void) {
    RENDERS("\xC3\xA9", "\"\xC3\xA9\"");                 /* é */
    RENDERS("\xE6\x9D\xB1", "\"\xE6\x9D\xB1\"");         /* 東 */
    RENDERS("\xF0\x9F\x9A\x80", "\"\xF0\x9F\x9A\x80\""); /* 🚀 */
    RENDERS("\xEF\xBB\xBF", "\"\xEF\xBB\xBF\"");         /* U+FEFF is a character here */
#define FFFD "\xEF\xBF\xBD"
    /* Lone continuation bytes and bytes that never start a sequence. */
    RENDERS("\x80", "\"" FFFD "\"");
    RENDERS("\xBF\x80", "\"" FFFD FFFD "\"");
    RENDERS("\xC0\xAF", "\"" FFFD FFFD "\""); /* overlong '/' */
    RENDERS("\xC1\xBF", "\"" FFFD FFFD "\"");
    RENDERS("\xF5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    RENDERS("\xFF", "\"" FFFD "\"");
    /* The boundaries: an out-of-range second byte ends the sequence at
     * the lead byte, and is read again. */
    RENDERS("\xE0\x80\x80", "\"" FFFD FFFD FFFD "\"");     /* overlong */
    RENDERS("\xE0\xA0\x80", "\"\xE0\xA0\x80\"");           /* U+0800 */
    RENDERS("\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"");     /* surrogate */
    RENDERS("\xED\x9F\xBF", "\"\xED\x9F\xBF\"");           /* U+D7FF */
    RENDERS("\xF0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    RENDERS("\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
    RENDERS("\xF4\x8F\xBF\xBF", "\"\xF4\x8F\xBF\xBF\"");        /* U+10FFFF */
    /* A truncated sequence is one U+FFFD, whatever follows. */
    RENDERS("\xE2\x82", "\"" FFFD "\"");
    RENDERS("\xE2\x82" "A", "\"" FFFD "A\"");
    RENDERS("\xF0\x9F\x9A", "\"" FFFD "\"");
    RENDERS("\xF0\x9F\x9A\n", "\"" FFFD "\\n\"");
    RENDERS("\xF0\x9F\xF0\x9F\x9A\x80", "\"" FFFD "\xF0\x9F\x9A\x80\"");
    RENDERS("\xC3" "\"", "\"" FFFD "\\\"\"");
#undef FFFD
}

static void test_against_reference(void) {
    unsigned char s[8];
    /* Every 1- and 2-byte input. */
    unsigned long bad = 0;
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        bad += !agrees(s, 1);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            bad += !agrees(s, 2);
        }
    }
    CHECK(bad == 0, "%lu of 65792 one- and two-byte inputs differ from the reference", bad);

    /* Every 3- and 4-byte input over the bytes where the rules change. */
    static const unsigned char edge[] = {0x00, 0x0A, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F,
                                         0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                         0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1,
                                         0xF3, 0xF4, 0xF5, 0xFF};
    const size_t ne = sizeof edge;
    bad = 0;
    unsigned long tried = 0;
    for (size_t a = 0; a < ne; a++)
        for (size_t b = 0; b < ne; b++)
            for (size_t c = 0; c < ne; c++) {
                s[0] = edge[a], s[1] = edge[b], s[2] = edge[c];
                bad += !agrees(s, 3), tried++;
                for (size_t d = 0; d < ne; d++) {
                    s[3] = edge[d];
                    bad += !agrees(s, 4), tried++;
                }
            }
    CHECK(bad == 0, "%lu of %lu three- and four-byte inputs differ from the reference", bad, tried);

    /* Random strings, weighted towards bytes that start or continue UTF-8. */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    static unsigned char r[512];
    bad = 0;
    for (int round = 0; round < 20000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = (size_t)(x % sizeof r);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            unsigned v = (unsigned)(x >> 32);
            r[i] = (v & 3) == 0 ? (unsigned char)(0x80 | (v >> 8 & 0x3F))
                 : (v & 3) == 1 ? edge[(v >> 8) % ne]
                                : (unsigned char)(v >> 16);
        }
        bad += !agrees(r, n);
    }
    CHECK(bad == 0, "%lu of 20000 random strings differ from the reference", bad);
}

/* The buffer convention of every simdsse_format_* call: status and *len,
 * the exact size on SIMDSSE_ERR_BUFFER_TOO_SMALL, nothing past cap. */
static void test_buffer_contract(void) {
    const char in[] = "h\xC3\xA9llo \"w\"\n";
    char full[64];
    size_t n = 0, m = 0;
    CHECK(simdsse_format_json_string(in, sizeof in - 1, NULL, 0, &n) ==
              SIMDSSE_ERR_BUFFER_TOO_SMALL && n == 16,
          "size query: BUFFER_TOO_SMALL and the size, %zu", n);
    CHECK(simdsse_format_json_string(in, sizeof in - 1, full, n, &m) == SIMDSSE_OK && m == n,
          "OK in exactly that room");
    CHECK(memcmp(full, "\"h\xC3\xA9llo \\\"w\\\"\\n\"", n) == 0, "rendering %.*s", (int)n, full);
    /* Every shorter buffer: the prefix that fits, nothing past cap. */
    for (size_t cap = 0; cap < n; cap++) {
        char part[64];
        memset(part, '#', sizeof part);
        CHECK(simdsse_format_json_string(in, sizeof in - 1, part, cap, &m) ==
                  SIMDSSE_ERR_BUFFER_TOO_SMALL && m == n,
              "cap %zu: too small, and the whole length", cap);
        CHECK(memcmp(part, full, cap) == 0 && part[cap] == '#', "cap %zu: prefix only", cap);
    }
    CHECK(simdsse_format_json_string(NULL, 0, full, sizeof full, &m) == SIMDSSE_OK && m == 2,
          "empty string is \"\"");
    CHECK(simdsse_format_json_string(NULL, 1, full, sizeof full, &m) ==
              SIMDSSE_ERR_INVALID_ARGUMENT && m == 0,
          "NULL text with a length");
    CHECK(simdsse_format_json_string(in, 1, NULL, 5, &m) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL out with a cap");
    CHECK(simdsse_format_json_string(in, 1, full, sizeof full, NULL) ==
              SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL len");
}

static void test_event(void) {
    simdsse_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (simdsse_span){"message", 7};
    ev.data = (simdsse_span){"a\nb\x00", 4};
    ev.id = (simdsse_span){"", 0};
    const char want_ev[] = "{\"event\":\"message\",\"data\":\"a\\nb\\u0000\",\"id\":\"\"}";
    char buf[128];
    size_t n = 0, m = 0;
    CHECK(simdsse_format_json(&ev, NULL, 0, &n) == SIMDSSE_ERR_BUFFER_TOO_SMALL &&
              n == sizeof want_ev - 1,
          "size %zu", n);
    CHECK(simdsse_format_json(&ev, buf, sizeof buf, &m) == SIMDSSE_OK && m == n &&
              memcmp(buf, want_ev, n) == 0,
          "event rendering %.*s", (int)m, buf);
    for (size_t cap = 0; cap < n; cap++) {
        char part[128];
        memset(part, '#', sizeof part);
        CHECK(simdsse_format_json(&ev, part, cap, &m) == SIMDSSE_ERR_BUFFER_TOO_SMALL && m == n,
              "event cap %zu: too small", cap);
        CHECK(memcmp(part, want_ev, cap) == 0 && part[cap] == '#', "event cap %zu", cap);
    }
    /* An absent span renders as "", a NULL span with a length is refused. */
    simdsse_event bare;
    memset(&bare, 0, sizeof bare);
    CHECK(simdsse_format_json(&bare, buf, sizeof buf, &m) == SIMDSSE_OK &&
              m == sizeof "{\"event\":\"\",\"data\":\"\",\"id\":\"\"}" - 1,
          "absent spans render as empty strings");
    bare.data.len = 1;
    CHECK(simdsse_format_json(&bare, buf, sizeof buf, &m) == SIMDSSE_ERR_INVALID_ARGUMENT && m == 0,
          "a NULL span with a length is refused");
    CHECK(simdsse_format_json(NULL, buf, sizeof buf, &m) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL event");
}

/* simdsse_utf8_repair: known answers (the Encoding standard's and Unicode's
 * "maximal subpart" examples; bytes from CPython's decode(..., "replace"),
 * which follows the same practice), then the buffer convention. Every
 * other input is held to the reference in agrees(). */
static void test_repair(void) {
    static const struct {
        const char *in;
        size_t n;
        const char *out;
        size_t m;
    } v[] = {
        {"", 0, "", 0},
        {"h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80", 18,
         "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80", 18},
        {"\xc0\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
        {"\xe0\x80\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9},
        {"\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9},
        {"\xf4\x90\x80\x80", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 12},
        {"\xf0\x9f\x98", 3, "\xef\xbf\xbd", 3},
        {"\xf0\x9f\x98" "A", 4, "\xef\xbf\xbd" "A", 4},
        {"\x80", 1, "\xef\xbf\xbd", 3},
        {"\xff", 1, "\xef\xbf\xbd", 3},
        {"x\xc2", 2, "x\xef\xbf\xbd", 4},
        {"a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d", 13,
         "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd" "d", 22},
        {"\xe2\x82\xac\xe2", 4, "\xe2\x82\xac\xef\xbf\xbd", 6},
        {"\xf5\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
        {"\xc1\xbf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
        {"\xef\xbf\xbd", 3, "\xef\xbf\xbd", 3},
        {"a\0b", 3, "a\0b", 3},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t m = 0;
        simdsse_status st = simdsse_utf8_repair(v[i].in, v[i].n, got, sizeof got, &m);
        CHECK(st == SIMDSSE_OK && m == v[i].m && memcmp(got, v[i].out, m) == 0,
              "vector %zu: status %d, %zu bytes (want %zu)", i, (int)st, m, v[i].m);
    }
    /* Too small: the exact size, the prefix that fits, nothing past cap. */
    const char *in = v[11].in;
    size_t n = v[11].n, full = v[11].m, m = 0;
    for (size_t cap = 0; cap < full; cap++) {
        char part[64];
        memset(part, '#', sizeof part);
        CHECK(simdsse_utf8_repair(in, n, part, cap, &m) == SIMDSSE_ERR_BUFFER_TOO_SMALL &&
                  m == full,
              "cap %zu: too small, and the whole length (%zu)", cap, m);
        CHECK(memcmp(part, v[11].out, cap) == 0 && part[cap] == '#', "cap %zu: prefix only", cap);
    }
    CHECK(simdsse_utf8_repair(NULL, 0, NULL, 0, &m) == SIMDSSE_OK && m == 0, "empty");
    CHECK(simdsse_utf8_repair(NULL, 1, got, 8, &m) == SIMDSSE_ERR_INVALID_ARGUMENT && m == 0,
          "NULL text with a length");
    CHECK(simdsse_utf8_repair(in, 1, NULL, 5, &m) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "NULL out with a cap");
    CHECK(simdsse_utf8_repair(in, 1, got, 8, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL len");
}

int main(void) {
    test_escapes();
    test_utf8();
    test_against_reference();
    test_buffer_contract();
    test_repair();
    test_event();
    return check_done();
}
