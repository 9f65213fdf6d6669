/*
 * text.h -- two JavaScript strings holding every string of a batch.
 * SPDX-License-Identifier: MIT
 *
 * Creating a string through N-API costs far more than slicing one in
 * JavaScript, so each feed makes at most two: the strings of all its items
 * appended, decoded as a browser decodes the stream, and their offsets in
 * UTF-16 code units, which JavaScript's slice() takes. ASCII values go to
 * the narrow string (one byte a unit, which N-API copies as is), the others
 * to the wide one (UTF-16): a value of plain JSON is not widened because
 * the next one holds a CJK character.
 *
 * Decoding follows the WHATWG Encoding standard's UTF-8 decoder: one U+FFFD
 * per maximal subpart of an invalid sequence. The library's decoder
 * (simdsse_utf8_repair) writes UTF-8; this one writes UTF-16, in the one
 * pass that also sorts values into the narrow and the wide string (going
 * through UTF-8 first would cost a second pass and a buffer);
 * test/utf8.test.mjs holds it to TextDecoder.
 */
#ifndef SIMDSSE_NODE_TEXT_H
#define SIMDSSE_NODE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sse_text {
    uint8_t *narrow;  /* Latin-1 units (all ASCII) */
    size_t nlen, ncap;
    uint16_t *wide;   /* UTF-16 units */
    size_t wlen, wcap;
} sse_text;

/* Empties both strings (keeping their memory; giving it back when big). */
void sse_text_clear(sse_text *t);

void sse_text_free(sse_text *t);

/* Appends s[0, n) decoded to the string it belongs in; stores its [start,
 * end) in units and *wide = which string. -1: no memory. */
int sse_text_append_slow(sse_text *t, const char *s, size_t n, size_t *start, size_t *end,
                         int *wide);

/* The same, with short ASCII values (tiny events, ids, types) inline. */
static inline int sse_text_append(sse_text *t, const char *s, size_t n, size_t *start,
                                  size_t *end, int *wide) {
    if (n <= 16 && t->ncap - t->nlen >= 16) {
        /* Two overlapping loads cover any length from 4 to 16. */
        uint8_t *d = t->narrow + t->nlen;
        uint64_t a = 0, b = 0;
        if (n >= 8) {
            memcpy(&a, s, 8);
            memcpy(&b, s + n - 8, 8);
            memcpy(d, &a, 8);
            memcpy(d + n - 8, &b, 8);
        } else if (n >= 4) {
            uint32_t x, y;
            memcpy(&x, s, 4);
            memcpy(&y, s + n - 4, 4);
            memcpy(d, &x, 4);
            memcpy(d + n - 4, &y, 4);
            a = x, b = y;
        } else {
            for (size_t i = 0; i < n; i++) a |= d[i] = (uint8_t)s[i];
        }
        if (!((a | b) & 0x8080808080808080u)) {
            *start = t->nlen;
            *end = t->nlen += n;
            *wide = 0;
            return 0;
        }
    }
    return sse_text_append_slow(t, s, n, start, end, wide);
}

/* UTF-8 bytes to UTF-16 units as the WHATWG decoder does; out holds at
 * least n units. Returns the number of units. */
size_t sse_utf8_to_utf16(const unsigned char *s, size_t n, uint16_t *out);

#endif /* SIMDSSE_NODE_TEXT_H */
