/*
 * text.c -- one JavaScript string holding every string of a batch.
 * SPDX-License-Identifier: MIT
 */
#include "text.h"

#include "ascii.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__ARM_NEON) && defined(__aarch64__)
#include <arm_neon.h>
#endif

#define KEEP_AT_MOST ((size_t)4 << 20)

void sse_text_clear(sse_text *t) {
    t->nlen = t->wlen = 0;
    if (t->ncap + 2 * t->wcap > KEEP_AT_MOST) sse_text_free(t);
}

void sse_text_free(sse_text *t) {
    free(t->narrow);
    free(t->wide);
    memset(t, 0, sizeof *t);
}

/* Room for `more` units after `len` in *buf (of *cap units of `unit`
 * bytes), and 16 spare for the inline path's overlapping stores. */
static int reserve(void **buf, size_t *cap, size_t len, size_t more, size_t unit) {
    if (more > SIZE_MAX / 4 - len - 16) return -1;
    size_t need = len + more + 16;
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *p = realloc(*buf, n * unit);
    if (!p) return -1;
    *buf = p;
    *cap = n;
    return 0;
}

int sse_text_append_slow(sse_text *t, const char *s, size_t n, size_t *start, size_t *end,
                         int *wide) {
    const unsigned char *u = (const unsigned char *)s;
    if (sse_ascii_prefix(u, n) == n) {
        if (reserve((void **)&t->narrow, &t->ncap, t->nlen, n, 1)) return -1;
        if (n) memcpy(t->narrow + t->nlen, u, n);
        *start = t->nlen;
        *end = t->nlen += n;
        *wide = 0;
        return 0;
    }
    if (reserve((void **)&t->wide, &t->wcap, t->wlen, n, 2)) return -1;
    *start = t->wlen;
    *end = t->wlen += sse_utf8_to_utf16(u, n, t->wide + t->wlen);
    *wide = 1;
    return 0;
}

/*
 * Length of the valid sequence at s[0, n) (lead byte >= 0x80), or 0 if it
 * is invalid, with *skip the bytes its one U+FFFD replaces. The WHATWG
 * UTF-8 decoder's steps, as src/json.c's utf8_sequence (which writes
 * UTF-8; see text.h for why both exist).
 */
static size_t sequence(const unsigned char *s, size_t n, size_t *skip) {
    unsigned char c = s[0], lower = 0x80, upper = 0xBF;
    size_t need;
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
        *skip = 1; /* "Otherwise, return error." */
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        /* "If byte is not in the range UTF-8 lower boundary to UTF-8 upper
         *  boundary, inclusive, then ... restore byte to ioQueue ... return
         *  error." The end of the input inside a sequence is an error too. */
        if (i == n || s[i] < lower || s[i] > upper) break;
        lower = 0x80, upper = 0xBF;
    }
    if (i > need) return need + 1;
    *skip = i;
    return 0;
}

size_t sse_utf8_to_utf16(const unsigned char *s, size_t n, uint16_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            /* ASCII runs, most of any text, widened 16 or 8 bytes at a time
             * (SSE2 and NEON are the baselines of x86-64 and AArch64). */
#if defined(__SSE2__)
            const __m128i zero = _mm_setzero_si128();
            while (i + 16 <= n) {
                __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
                if (_mm_movemask_epi8(v)) break;
                _mm_storeu_si128((__m128i *)(out + o), _mm_unpacklo_epi8(v, zero));
                _mm_storeu_si128((__m128i *)(out + o + 8), _mm_unpackhi_epi8(v, zero));
                i += 16, o += 16;
            }
#elif defined(__ARM_NEON) && defined(__aarch64__)
            while (i + 16 <= n) {
                uint8x16_t v = vld1q_u8(s + i);
                if (vmaxvq_u8(v) >= 0x80) break;
                vst1q_u16(out + o, vmovl_u8(vget_low_u8(v)));
                vst1q_u16(out + o + 8, vmovl_high_u8(v));
                i += 16, o += 16;
            }
#endif
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080u) break;
                for (int k = 0; k < 8; k++) out[o + k] = s[i + k];
                i += 8, o += 8;
            }
            while (i < n && s[i] < 0x80) out[o++] = s[i++];
            continue;
        }
        /* Two- and three-byte sequences with plain continuation bytes, the
         * common case, without the general steps (E0 and ED, whose second
         * byte has narrower bounds, take those). */
        unsigned char c = s[i];
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            out[o++] = (uint16_t)((c & 0x1F) << 6 | (s[i + 1] & 0x3F));
            i += 2;
            continue;
        }
        if (c > 0xE0 && c <= 0xEF && c != 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            out[o++] = (uint16_t)((c & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F));
            i += 3;
            continue;
        }
        size_t skip, len = sequence(s + i, n - i, &skip);
        if (!len) {
            out[o++] = 0xFFFD;
            i += skip;
            continue;
        }
        uint32_t cp;
        if (len == 2) {
            cp = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
        } else if (len == 3) {
            cp = (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        } else {
            cp = (uint32_t)(s[i] & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
                 (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (uint16_t)(0xD800 | (cp >> 10));
            out[o++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            out[o++] = (uint16_t)cp;
        }
        i += len;
    }
    return o;
}
