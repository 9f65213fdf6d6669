/*
 * json.c -- events rendered as JSON, strings decoded as a browser decodes
 * the stream.
 * SPDX-License-Identifier: MIT
 *
 * Strings are decoded as a page's EventSource sees them (utf8.c: one
 * U+FFFD per invalid sequence, the WHATWG Encoding standard's rule). The
 * escaping is the
 * shortest JSON allows, the same bytes as Python's
 * json.dumps(s, ensure_ascii=False): `"` and `\` escaped, \b \f \n \r \t for
 * those controls, \u00xx (lower-case hex) for the other controls, all else
 * (DEL and U+2028 included) written as UTF-8.
 */
#include <string.h>

#include "internal.h"
#include "utf8.h"

/* Output that counts everything and stores what fits: one pass gives the
 * bytes and the exact size a too-small buffer needs. */
typedef struct json_out {
    char *buf;
    size_t cap, len;
} json_out;

static void put(json_out *o, const void *p, size_t n) {
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, p, n < room ? n : room);
    }
    o->len += n;
}

/* Bytes that need more than a copy: controls, '"', '\\' and non-ASCII. */
static int plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

static void put_string(json_out *o, const char *text, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)text;
    put(o, "\"", 1);
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && plain(s[run])) run++;
        if (run > i) {
            put(o, s + i, run - i);
            i = run;
            if (i == len) break;
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t skip;
            size_t n = simdsse__utf8_sequence(s + i, len - i, &skip);
            if (n) {
                put(o, s + i, n);
                i += n;
            } else {
                put(o, SSE_UTF8_REPLACEMENT, 3);
                i += skip;
            }
            continue;
        }
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(o, esc, n);
        i++;
    }
    put(o, "\"", 1);
}

/* Reports as the format calls do (see simdsse.h). */
static simdsse_status finish(const json_out *o, size_t *len) {
    *len = o->len;
    return o->len > o->cap ? SIMDSSE_ERR_BUFFER_TOO_SMALL : SIMDSSE_OK;
}

static bool span_ok(simdsse_span s) { return s.ptr || s.len == 0; }

simdsse_status simdsse_format_json_string(const char *text, size_t text_len, char *out, size_t cap,
                                          size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    *len = 0;
    if ((!out && cap) || (!text && text_len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    json_out o = {out, cap, 0};
    put_string(&o, text, text_len);
    return finish(&o, len);
}

simdsse_status simdsse_format_json(const simdsse_event *event, char *out, size_t cap,
                                   size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    *len = 0;
    if (!event || (!out && cap) || !span_ok(event->type) || !span_ok(event->data) ||
        !span_ok(event->id))
        return SIMDSSE_ERR_INVALID_ARGUMENT;
    json_out o = {out, cap, 0};
    put(&o, "{\"event\":", 9);
    put_string(&o, event->type.ptr, event->type.len);
    put(&o, ",\"data\":", 8);
    put_string(&o, event->data.ptr, event->data.len);
    put(&o, ",\"id\":", 6);
    put_string(&o, event->id.ptr, event->id.len);
    put(&o, "}", 1);
    return finish(&o, len);
}
