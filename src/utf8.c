/*
 * utf8.c -- bytes decoded as a browser decodes the stream, and encoded as
 * UTF-8 again.
 * SPDX-License-Identifier: MIT
 *
 * EventSource decodes the stream with "UTF-8 decode": the WHATWG Encoding
 * standard's UTF-8 decoder, which turns each invalid sequence into one
 * U+FFFD by its byte-by-byte algorithm (the "maximal subpart" rule: a bad
 * continuation byte ends the sequence and is itself read again). The
 * parser works on the raw bytes (see assembler.c); whoever renders a value
 * as text decodes it here, once.
 */
#include <string.h>

#include "internal.h"
#include "utf8.h"

size_t simdsse__utf8_sequence(const unsigned char *s, size_t n, size_t *skip) {
    unsigned char c = s[0];
    size_t need;
    unsigned char lower = 0x80, upper = 0xBF;
    /* "0xC2 to 0xDF: set UTF-8 bytes needed to 1 ..." */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        /* "If byte is 0xE0, set UTF-8 lower boundary to 0xA0. If byte is
         *  0xED, set UTF-8 upper boundary to 0x9F." */
        if (c == 0xE0) lower = 0xA0;
        if (c == 0xED) upper = 0x9F;
        need = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
        /* "If byte is 0xF0, set UTF-8 lower boundary to 0x90. If byte is
         *  0xF4, set UTF-8 upper boundary to 0x8F." */
        if (c == 0xF0) lower = 0x90;
        if (c == 0xF4) upper = 0x8F;
        need = 3;
    } else {
        /* "Otherwise, return error." (80..C1, F5..FF): one byte replaced. */
        *skip = 1;
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        /* End of input inside a sequence: "set UTF-8 bytes needed to 0 and
         * return error", one U+FFFD for everything read so far. */
        if (i == n) break;
        /* "If byte is not in the range UTF-8 lower boundary to UTF-8 upper
         *  boundary, inclusive, then ... restore byte to ioQueue ... return
         *  error." */
        if (s[i] < lower || s[i] > upper) break;
        lower = 0x80, upper = 0xBF;
    }
    if (i > need) return need + 1;
    *skip = i;
    return 0;
}


simdsse_status simdsse_utf8_repair(const char *text, size_t text_len, char *out, size_t cap,
                                   size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    *len = 0;
    if ((!out && cap) || (!text && text_len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, o = 0;
    while (i < text_len) {
        /* A run copied whole: ASCII and valid sequences come out as they
         * went in. Only a U+FFFD writes something else. */
        size_t run = i, skip = 0;
        while (run < text_len) {
            if (s[run] < 0x80) {
                run++;
                continue;
            }
            size_t n = simdsse__utf8_sequence(s + run, text_len - run, &skip);
            if (!n) break;
            run += n;
        }
        size_t put = run - i;
        if (o < cap) memcpy(out + o, s + i, put < cap - o ? put : cap - o);
        o += put;
        i = run;
        if (i == text_len) break;
        for (size_t k = 0; k < 3; k++, o++)
            if (o < cap) out[o] = SSE_UTF8_REPLACEMENT[k];
        i += skip;
    }
    *len = o;
    return o > cap ? SIMDSSE_ERR_BUFFER_TOO_SMALL : SIMDSSE_OK;
}
