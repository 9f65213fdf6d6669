/*
 * utf8.c -- bytes to str as a browser decodes them (simdsse_py_decode).
 * SPDX-License-Identifier: MIT
 *
 * PyUnicode_DecodeUTF8(..., "replace") is the WHATWG decoder (one U+FFFD
 * per maximal subpart of an invalid sequence), but on the short non-ASCII
 * strings of a stream it spends most of its time growing a writer from one
 * str kind to the next: ~800 instructions an event of the llm corpus
 * (callgrind), more than half of what the binding spends on it.
 *
 * Valid UTF-8 has exactly one decoding, so it is done here in two passes:
 * scan() counts the continuation bytes and finds the largest byte, which
 * give the str's length and kind if the bytes are valid; decode() checks
 * them while it writes the code points into a str made by PyUnicode_New.
 * Pure ASCII is the scan and a memcpy. Any invalid byte sends the whole
 * string to CPython's decoder, so every U+FFFD is still placed by it.
 * tests/test_utf8.py holds both paths to bytes.decode("utf-8", "replace").
 */
#include "binding.h"

#include "ascii.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* For the functions on every value's path: a call costs a few percent of
 * a short value. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* What decode() needs to know of s[0, n) before it starts. */
typedef struct scan_result {
    size_t ascii;     /* bytes before the first non-ASCII one */
    size_t cont;      /* continuation bytes (80..BF) */
    unsigned largest; /* the largest byte */
} scan_result;

#if defined(__SSE2__)
/* 16 bytes of 0 and 16 of 0xFF: the 16 at k keep a block's last k bytes. */
static const unsigned char last_bytes[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* The sum of the 16 byte counters of v. */
static ALWAYS_INLINE size_t sum_bytes(__m128i v) {
    __m128i sum = _mm_sad_epu8(v, _mm_setzero_si128());
    return (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
}
#endif

/* The ASCII prefix, and past it the continuation bytes and the largest. */
static ALWAYS_INLINE scan_result scan(const unsigned char *s, size_t n) {
    scan_result r = {sse_ascii_prefix(s, n), 0, 0};
    size_t i = r.ascii;
    if (i == n) return r;
#if defined(__SSE2__)
    if (n >= 16) {
        /* Bytes 80..BF are the signed bytes below -64 (0xC0). */
        const __m128i c0 = _mm_set1_epi8((char)0xC0), zero = _mm_setzero_si128();
        __m128i big = zero;
        while (n - i >= 16) {
            /* Byte counters, 255 blocks at most before they would wrap. */
            size_t blocks = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
            __m128i count = zero;
            for (size_t end = i + 16 * blocks; i < end; i += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
                big = _mm_max_epu8(big, v);
                count = _mm_sub_epi8(count, _mm_cmplt_epi8(v, c0));
            }
            r.cont += sum_bytes(count);
        }
        if (i < n) {
            /* The last n - i bytes, as the end of the block ending at n. */
            __m128i keep = _mm_loadu_si128((const __m128i *)(last_bytes + (n - i)));
            __m128i v = _mm_and_si128(_mm_loadu_si128((const __m128i *)(s + n - 16)), keep);
            big = _mm_max_epu8(big, v);
            r.cont += sum_bytes(_mm_sub_epi8(zero, _mm_cmplt_epi8(v, c0)));
        }
        big = _mm_max_epu8(big, _mm_srli_si128(big, 8));
        big = _mm_max_epu8(big, _mm_srli_si128(big, 4));
        big = _mm_max_epu8(big, _mm_srli_si128(big, 2));
        big = _mm_max_epu8(big, _mm_srli_si128(big, 1));
        r.largest = (unsigned)_mm_cvtsi128_si32(big) & 0xFF;
        return r;
    }
#endif
    for (; i < n; i++) {
        unsigned c = s[i];
        if (c > r.largest) r.largest = c;
        r.cont += (c & 0xC0) == 0x80;
    }
    return r;
}

/* out[o] = cp in a str of `width` bytes a code point (a constant where
 * this is inlined, so each decode below is one specialised loop). */
static inline void put(void *out, size_t o, int width, Py_UCS4 cp) {
    if (width == 1)
        ((Py_UCS1 *)out)[o] = (Py_UCS1)cp;
    else if (width == 2)
        ((Py_UCS2 *)out)[o] = (Py_UCS2)cp;
    else
        ((Py_UCS4 *)out)[o] = cp;
}

#if defined(__SSE2__)
/* The 16 bytes of v widened to out[o, o + 16). */
static inline void put16(void *out, size_t o, int width, __m128i v) {
    const __m128i zero = _mm_setzero_si128();
    if (width == 1) {
        _mm_storeu_si128((__m128i *)((Py_UCS1 *)out + o), v);
        return;
    }
    __m128i lo = _mm_unpacklo_epi8(v, zero), hi = _mm_unpackhi_epi8(v, zero);
    if (width == 2) {
        Py_UCS2 *d = (Py_UCS2 *)out + o;
        _mm_storeu_si128((__m128i *)d, lo);
        _mm_storeu_si128((__m128i *)(d + 8), hi);
    } else {
        Py_UCS4 *d = (Py_UCS4 *)out + o;
        _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi16(lo, zero));
        _mm_storeu_si128((__m128i *)(d + 4), _mm_unpackhi_epi16(lo, zero));
        _mm_storeu_si128((__m128i *)(d + 8), _mm_unpacklo_epi16(hi, zero));
        _mm_storeu_si128((__m128i *)(d + 12), _mm_unpackhi_epi16(hi, zero));
    }
}
#endif

#if defined(__SSE2__)
/* The low 8 bytes of v widened to out[o, o + 8). */
static inline void put8(void *out, size_t o, int width, __m128i v) {
    const __m128i zero = _mm_setzero_si128();
    if (width == 1) {
        _mm_storel_epi64((__m128i *)((Py_UCS1 *)out + o), v);
        return;
    }
    __m128i lo = _mm_unpacklo_epi8(v, zero);
    if (width == 2) {
        _mm_storeu_si128((__m128i *)((Py_UCS2 *)out + o), lo);
    } else {
        Py_UCS4 *d = (Py_UCS4 *)out + o;
        _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi16(lo, zero));
        _mm_storeu_si128((__m128i *)(d + 4), _mm_unpackhi_epi16(lo, zero));
    }
}
#endif

/* out[0, k) = the ASCII bytes s[0, k), widened. */
static ALWAYS_INLINE void put_ascii(void *out, int width, const unsigned char *s, size_t k) {
    if (width == 1) {
        memcpy(out, s, k);
        return;
    }
    size_t j = 0;
#if defined(__SSE2__)
    if (k >= 16) {
        for (; j + 16 <= k; j += 16) put16(out, j, width, _mm_loadu_si128((const __m128i *)(s + j)));
        /* The rest as the end of the block ending at k. */
        if (j < k) put16(out, k - 16, width, _mm_loadu_si128((const __m128i *)(s + k - 16)));
        return;
    }
#endif
    for (; j < k; j++) put(out, j, width, s[j]);
}

/*
 * Writes the code points of s[0, n), whose first `ascii` bytes are ASCII,
 * to out, `chars` code points of `width` bytes (which scan() found to hold
 * the widest code point of valid UTF-8), if s is valid UTF-8; returns 0
 * (out holding anything) if not. Never writes past out[chars): each code
 * point written takes one byte that is not a continuation byte, and s has
 * `chars` of those.
 */
static inline int decode(const unsigned char *s, size_t n, size_t ascii, void *out, size_t chars,
                         int width) {
#if defined(__SSE2__)
    if (n >= 16 && chars >= 16) {
        /* The ASCII bytes that end s (the `"}}` after a JSON string, up
         * to 16 of them) are the last code points: they are written now,
         * from the block ending at n, and what follows decodes the rest,
         * its stores bound by where they start. The block's other units
         * are rewritten below (each of out[0, chars - k) is). */
        __m128i v = _mm_loadu_si128((const __m128i *)(s + n - 16));
        unsigned m = (unsigned)_mm_movemask_epi8(v);
        size_t k = (size_t)__builtin_clz(m << 16 | 0x8000u);
        put16(out, chars - 16, width, v);
        n -= k, chars -= k;
    }
#endif
    put_ascii(out, width, s, ascii);
    size_t i = ascii, o = ascii;
    while (i < n) {
        while (i < n && s[i] >= 0x80) {
            unsigned c = s[i], c1 = n - i > 1 ? s[i + 1] : 0;
            Py_UCS4 cp;
            if (c < 0xE0) {
                /* C2..DF: one continuation byte. 80..C1 never lead. */
                if (c < 0xC2 || (c1 & 0xC0) != 0x80) return 0;
                cp = (Py_UCS4)(c & 0x1F) << 6 | (c1 & 0x3F);
                i += 2;
            } else if (c < 0xF0) {
                /* E0..EF: two. After E0 the next byte is A0..BF (no
                 * overlong form), after ED 80..9F (no surrogate). */
                if (n - i < 3 || (c1 & 0xC0) != 0x80 || (c == 0xE0 && c1 < 0xA0) ||
                    (c == 0xED && c1 > 0x9F) || (s[i + 2] & 0xC0) != 0x80)
                    return 0;
                cp = (Py_UCS4)(c & 0x0F) << 12 | (Py_UCS4)(c1 & 0x3F) << 6 | (s[i + 2] & 0x3F);
                i += 3;
            } else {
                /* F0..F4: three. After F0 90..BF (no overlong form), after
                 * F4 80..8F (nothing above U+10FFFF). F5..FF never lead. */
                if (c > 0xF4 || n - i < 4 || (c1 & 0xC0) != 0x80 || (c == 0xF0 && c1 < 0x90) ||
                    (c == 0xF4 && c1 > 0x8F) || (s[i + 2] & 0xC0) != 0x80 ||
                    (s[i + 3] & 0xC0) != 0x80)
                    return 0;
                cp = (Py_UCS4)(c & 0x07) << 18 | (Py_UCS4)(c1 & 0x3F) << 12 |
                     (Py_UCS4)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
                i += 4;
            }
            put(out, o++, width, cp);
        }
#if defined(__SSE2__)
        /* ASCII 16 bytes at a time; a block holding other bytes is still
         * stored whole, its units from the first of those on being written
         * again by what follows. */
        while (n - i >= 16 && chars - o >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
            put16(out, o, width, v);
            unsigned m = (unsigned)_mm_movemask_epi8(v);
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                i += k, o += k;
                goto next;
            }
            i += 16, o += 16;
        }
        /* Near the end, where 16 units would not fit, 8 (the upper 8
         * bytes of v are 0: ASCII that is not stored). */
        if (n - i >= 8 && chars - o >= 8) {
            __m128i v = _mm_loadl_epi64((const __m128i *)(s + i));
            put8(out, o, width, v);
            unsigned m = (unsigned)_mm_movemask_epi8(v);
            unsigned k = m ? (unsigned)__builtin_ctz(m) : 8;
            i += k, o += k;
            if (m) continue;
        }
#endif
        while (i < n && s[i] < 0x80) put(out, o++, width, s[i++]);
#if defined(__SSE2__)
    next:;
#endif
    }
    return o == chars;
}

/* Whether s[0, n), n <= 16, is ASCII; if so *str is its str (NULL if out
 * of memory). Two overlapping loads (and stores) cover any length from 4
 * to 16: the short values of types, ids and tiny events, without a loop. */
static ALWAYS_INLINE int short_ascii(const unsigned char *s, size_t n, PyObject **str) {
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        memcpy(&a, s, 8), memcpy(&b, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4), memcpy(&y, s + n - 4, 4);
        a = x, b = y;
    } else {
        for (size_t i = 0; i < n; i++) a |= s[i];
    }
    if ((a | b) & 0x8080808080808080u) return 0;
    if (n <= 1) {
        /* CPython's own empty and one-character strs. */
        *str = n ? PyUnicode_FromOrdinal(s[0]) : PyUnicode_New(0, 127);
        return 1;
    }
    if (!(*str = PyUnicode_New((Py_ssize_t)n, 127))) return 1;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(*str);
    if (n >= 8) {
        memcpy(d, &a, 8), memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        memcpy(d, &x, 4), memcpy(d + n - 4, &y, 4);
    } else {
        memcpy(d, s, n);
    }
    return 1;
}

/* The str of s[0, n) if it is valid UTF-8 (NULL if out of memory), or
 * NULL with *invalid set and no exception. */
static ALWAYS_INLINE PyObject *decode_valid(const unsigned char *s, size_t n, int *invalid) {
    PyObject *str;
    if (n <= 16 && short_ascii(s, n, &str)) return str;
    scan_result r = scan(s, n);
    if (r.largest < 0x80) {
        str = PyUnicode_New((Py_ssize_t)n, 127);
        if (str && n) memcpy(PyUnicode_1BYTE_DATA(str), s, n);
        return str;
    }
    /* If s is valid, the largest byte is the lead byte of its widest code
     * point: F0..F4 lead U+10000 and up, C4..EF U+0100..U+FFFF, C2 and C3
     * U+0080..U+00FF. PyUnicode_New takes the kind from it, and a str must
     * have the narrowest kind that holds it (str equality relies on it). */
    Py_UCS4 widest = r.largest >= 0xF0 ? 0x10FFFF : r.largest >= 0xC4 ? 0xFFFF : 0xFF;
    size_t chars = n - r.cont;
    str = PyUnicode_New((Py_ssize_t)chars, widest);
    if (!str) return NULL;
    void *out = PyUnicode_DATA(str);
    int ok;
    switch (PyUnicode_KIND(str)) {
    case PyUnicode_1BYTE_KIND:
        ok = decode(s, n, r.ascii, out, chars, 1);
        break;
    case PyUnicode_2BYTE_KIND:
        ok = decode(s, n, r.ascii, out, chars, 2);
        break;
    default:
        ok = decode(s, n, r.ascii, out, chars, 4);
        break;
    }
    if (ok) return str;
    Py_DECREF(str);
    *invalid = 1;
    return NULL;
}

/* CPython's decoder, for what is not valid UTF-8: it places every U+FFFD. */
static PyObject *decode_invalid(simdsse_span span) {
    return PyUnicode_DecodeUTF8(span.ptr, (Py_ssize_t)span.len, "replace");
}

PyObject *simdsse_py_decode(simdsse_span span) {
    if (span.len > (size_t)PY_SSIZE_T_MAX) return PyErr_NoMemory();
    int invalid = 0;
    PyObject *str = decode_valid((const unsigned char *)span.ptr, span.len, &invalid);
    return str || !invalid ? str : decode_invalid(span);
}

#if SIMDSSE_PY_AVX512
PyObject *simdsse_py_decode_avx512(simdsse_span span) {
    const unsigned char *s = (const unsigned char *)span.ptr;
    PyObject *str;
    /* Short ASCII values (types, ids, tiny events) take short_ascii's
     * path, which has no loop. */
    if (span.len <= 16 && short_ascii(s, span.len, &str)) return str;
    if (span.len > (size_t)PY_SSIZE_T_MAX) return PyErr_NoMemory();
    int invalid = 0;
    str = simdsse_py_utf8_avx512(s, span.len, &invalid);
    return str || !invalid ? str : decode_invalid(span);
}
#endif

/* MARK: - Test and benchmark aids (private: simdsse._core only) */

PyObject *simdsse_py_decoders(PyObject *self, PyObject *unused) {
    (void)self, (void)unused;
#if SIMDSSE_PY_AVX512
    if (simdsse_py_avx512_usable()) return Py_BuildValue("[ss]", "portable", "avx512");
#endif
    return Py_BuildValue("[s]", "portable");
}

/* 0 for the portable decoder, 1 for AVX-512 (-1: not one this CPU runs). */
static int decoder_arg(const char *name, const char *what) {
    if (!name || !strcmp(name, "portable")) return 0;
#if SIMDSSE_PY_AVX512
    if (!strcmp(name, "avx512") && simdsse_py_avx512_usable()) return 1;
#endif
    PyErr_Format(PyExc_ValueError, "%s: no decoder %s on this CPU", what, name);
    return -1;
}

PyObject *simdsse_py_utf8_valid(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer view;
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "y*|s:_utf8_valid", &view, &name)) return NULL;
    int which = decoder_arg(name, "_utf8_valid");
    int invalid = 0;
    PyObject *str = NULL;
    if (which == 0) str = decode_valid(view.buf, (size_t)view.len, &invalid);
#if SIMDSSE_PY_AVX512
    /* Values of any length, though feed() gives it only those over 16
     * bytes and the shorter ones that are not ASCII. */
    else if (which == 1)
        str = simdsse_py_utf8_avx512(view.buf, (size_t)view.len, &invalid);
#endif
    PyBuffer_Release(&view);
    if (invalid) Py_RETURN_NONE;
    return str;
}

PyObject *simdsse_py_decode_each(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *arg;
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "O|s:_decode_each", &arg, &name)) return NULL;
    int which = decoder_arg(name, "_decode_each");
    if (which < 0) return NULL;
    PyObject *seq = PySequence_Fast(arg, "_decode_each: a sequence of bytes");
    if (!seq) return NULL;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyBytes_Check(b)) {
            PyErr_SetString(PyExc_TypeError, "_decode_each: a sequence of bytes");
            break;
        }
        simdsse_span s = {PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b)};
#if SIMDSSE_PY_AVX512
        PyObject *str = which ? simdsse_py_decode_avx512(s) : simdsse_py_decode(s);
#else
        PyObject *str = simdsse_py_decode(s);
#endif
        if (!str) break;
        Py_DECREF(str);
    }
    Py_DECREF(seq);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}
