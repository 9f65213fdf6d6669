/*
 * utf8_avx512.c -- valid UTF-8 to str with AVX-512 (BW, VL, VBMI, VBMI2),
 * for parsers whose kernel is "avx512" on a CPU that has all four.
 * SPDX-License-Identifier: MIT
 *
 * utf8.c's decoder spends most of a non-ASCII value's time on branches
 * the data picks: where the ASCII prefix ends, and for each code point of
 * the tail how long it is (llm's tails hold a few code points of 2, 3
 * and 4 bytes in random order). Here only the loops and the str's kind
 * branch:
 *   1. the ASCII prefix, 64 bytes a step;
 *   2. the rest, validated 64 bytes a step with masks: every lead byte
 *      asks for the continuation bytes that follow it, which must be
 *      exactly the continuation bytes there are; what the lead allows as
 *      its second byte (no overlong form, surrogate or code point above
 *      U+10FFFF, which is all the standard's decoder adds to that) is a
 *      table lookup on the lead;
 *   3. the code points, 32 (or 16 for a 4-byte str) a step: each byte is
 *      decoded as if it led a sequence, from itself and the bytes after
 *      it, and the lanes of continuation bytes are compressed away.
 * Anything invalid goes back to the caller, which hands it to CPython's
 * decoder as utf8.c does. tests/test_utf8.py holds it to utf8.c's
 * decoder and to bytes.decode on every input both take.
 */
#include "binding.h"

#if SIMDSSE_PY_AVX512

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define TARGET                                                                                     \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt")))
#define INLINE TARGET static inline __attribute__((always_inline))

int simdsse_py_avx512_usable(void) {
    /* The core's own check first: it has the OS's word on the AVX-512
     * state, and SIMDSSE_CPU_DISABLE=avx512 turns this decoder off too. */
    if (simdsse_kernel_supported("avx512") != SIMDSSE_OK) return 0;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2");
}

/* The first k of 64 (or 32, 16) lanes, for any k (0 included). */
INLINE uint64_t lanes64(size_t k) {
    return k >= 64 ? ~(uint64_t)0 : _bzhi_u64(~(uint64_t)0, (unsigned)k);
}
INLINE uint32_t lanes32(size_t k) {
    return k >= 32 ? ~(uint32_t)0 : _bzhi_u32(~(uint32_t)0, (unsigned)k);
}
INLINE uint16_t lanes16(size_t k) {
    return (uint16_t)(k >= 16 ? 0xFFFF : _bzhi_u32(0xFFFF, (unsigned)k));
}

/* s + i, as an address a masked load may start at even past the end of
 * the value (the lanes there are masked off and never read). */
INLINE const void *at(const unsigned char *s, size_t i) { return (const void *)((uintptr_t)s + i); }

/* Bytes of s[0, n) before the first non-ASCII one. */
INLINE size_t ascii_prefix(const unsigned char *s, size_t n) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        uint64_t hi = _mm512_movepi8_mask(_mm512_loadu_si512(at(s, i)));
        if (hi) return i + (size_t)_tzcnt_u64(hi);
    }
    uint64_t hi = _mm512_movepi8_mask(_mm512_maskz_loadu_epi8(lanes64(n - i), at(s, i)));
    return hi ? i + (size_t)_tzcnt_u64(hi) : n;
}

/* What a lead byte allows as its second byte, the Encoding Standard's
 * UTF-8 decoder's "UTF-8 lower boundary" and "upper boundary" ("If byte
 * is 0xE0, set UTF-8 lower boundary to 0xA0. If byte is 0xED, set UTF-8
 * upper boundary to 0x9F." and likewise for F0 and F4), by the lead's low
 * 6 bits (the table is looked up for bytes C0..FF only): 80..BF, but A0..BF
 * after E0 (no overlong 3-byte form), 80..9F after ED (no surrogate),
 * 90..BF after F0 (no overlong 4-byte form), 80..8F after F4 (nothing
 * above U+10FFFF), and nothing after C0, C1 (overlong 2-byte forms) and
 * F5..FF (never lead): there the bounds cross, so that every byte fails. */
#define SECOND_LO(b)                                                                               \
    ((b) == 0 || (b) == 1 || (b) >= 0x35 ? 0xFF : (b) == 0x20 ? 0xA0 : (b) == 0x30 ? 0x90 : 0x80)
#define SECOND_HI(b)                                                                               \
    ((b) == 0 || (b) == 1 || (b) >= 0x35 ? 0x00 : (b) == 0x2D ? 0x9F : (b) == 0x34 ? 0x8F : 0xBF)
#define ROW8(F, b) F(b), F(b + 1), F(b + 2), F(b + 3), F(b + 4), F(b + 5), F(b + 6), F(b + 7)
#define TABLE(F)                                                                           \
    {ROW8(F, 0),  ROW8(F, 8),  ROW8(F, 16), ROW8(F, 24),                                   \
     ROW8(F, 32), ROW8(F, 40), ROW8(F, 48), ROW8(F, 56)}
static const unsigned char second_lo[64] __attribute__((aligned(64))) = TABLE(SECOND_LO);
static const unsigned char second_hi[64] __attribute__((aligned(64))) = TABLE(SECOND_HI);

/* What the tail s[0, n) (s[0] not ASCII, or n = 0; nothing pending
 * before it) holds, if it is valid UTF-8. */
typedef struct tail_scan {
    size_t cont; /* continuation bytes */
    int width;   /* bytes a code point of the str: 1, 2 or 4 */
    int valid;
} tail_scan;

INLINE tail_scan scan_tail(const unsigned char *s, size_t n) {
    const __m512i lo = _mm512_load_si512(second_lo), hi = _mm512_load_si512(second_hi);
    const __m512i c0 = _mm512_set1_epi8((char)0xC0), c4 = _mm512_set1_epi8((char)0xC4);
    const __m512i e0 = _mm512_set1_epi8((char)0xE0), f0 = _mm512_set1_epi8((char)0xF0);
    uint64_t err = 0, carry = 0, wide = 0, wider = 0;
    size_t cont = 0;
    for (size_t i = 0; i < n; i += 64) {
        __m512i v = _mm512_maskz_loadu_epi8(lanes64(n - i), at(s, i));
        __m512i next = _mm512_maskz_loadu_epi8(lanes64(n - i - 1), at(s, i + 1));
        uint64_t c = _mm512_cmplt_epi8_mask(v, c0); /* 80..BF, as signed bytes */
        uint64_t lead = _mm512_cmpge_epu8_mask(v, c0);
        uint64_t lead3 = _mm512_cmpge_epu8_mask(v, e0);
        uint64_t lead4 = _mm512_cmpge_epu8_mask(v, f0);
        /* Each lead needs continuation bytes right after it: one from C0
         * up, a second from E0 up, a third from F0 up; carry holds those
         * the previous block's last leads need here. */
        uint64_t need = lead << 1 | lead3 << 2 | lead4 << 3 | carry;
        carry = lead >> 63 | lead3 >> 62 | lead4 >> 61;
        err |= need ^ c;
        __m512i min = _mm512_permutexvar_epi8(v, lo), max = _mm512_permutexvar_epi8(v, hi);
        err |= _mm512_mask_cmplt_epu8_mask(lead, next, min) |
               _mm512_mask_cmpgt_epu8_mask(lead, next, max);
        cont += (size_t)_mm_popcnt_u64(c);
        wide |= _mm512_cmpge_epu8_mask(v, c4);
        wider |= lead4;
    }
    tail_scan r = {cont, wider ? 4 : wide ? 2 : 1, !(err | carry)};
    return r;
}

/* out[0, k) = s[0, k), 64 bytes a step (memcpy's branches on the length
 * cost more, on values of a few hundred bytes). */
INLINE void copy(void *out, const unsigned char *s, size_t k) {
    size_t i = 0;
    for (; i + 64 <= k; i += 64) _mm512_storeu_si512((char *)out + i, _mm512_loadu_si512(at(s, i)));
    uint64_t m = lanes64(k - i);
    _mm512_mask_storeu_epi8((char *)out + i, m, _mm512_maskz_loadu_epi8(m, at(s, i)));
}

/* out[0, k) = the ASCII bytes s[0, k), widened to 2 or 4 bytes a unit:
 * 64 bytes a step, then what is left with masks. */
INLINE void widen_ascii(void *out, int width, const unsigned char *s, size_t k) {
    size_t i = 0;
    if (width == 2) {
        Py_UCS2 *d = out;
        for (; i + 64 <= k; i += 64) {
            __m512i v = _mm512_loadu_si512(at(s, i));
            _mm512_storeu_si512(d + i, _mm512_cvtepu8_epi16(_mm512_castsi512_si256(v)));
            _mm512_storeu_si512(d + i + 32, _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(v, 1)));
        }
        for (; i < k; i += 32) {
            uint32_t m = lanes32(k - i);
            _mm512_mask_storeu_epi16(d + i, m,
                                     _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(m, at(s, i))));
        }
    } else {
        Py_UCS4 *d = out;
        for (; i + 64 <= k; i += 64) {
            __m512i v = _mm512_loadu_si512(at(s, i));
            _mm512_storeu_si512(d + i, _mm512_cvtepu8_epi32(_mm512_castsi512_si128(v)));
            _mm512_storeu_si512(d + i + 16, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(v, 1)));
            _mm512_storeu_si512(d + i + 32, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(v, 2)));
            _mm512_storeu_si512(d + i + 48, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(v, 3)));
        }
        for (; i < k; i += 16) {
            uint16_t m = lanes16(k - i);
            _mm512_mask_storeu_epi32(d + i, m,
                                     _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(m, at(s, i))));
        }
    }
}

/* The code points of the valid UTF-8 s[0, n), none above U+FFFF, to out
 * in units of `width` (1 or 2) bytes; returns how many. Lanes are 16-bit:
 * b is each byte, b1 and b2 the bytes after it. */
INLINE size_t decode16(const unsigned char *s, size_t n, void *out, int width) {
    const __m256i c0 = _mm256_set1_epi8((char)0xC0), e0 = _mm256_set1_epi8((char)0xE0);
    const __m512i low6 = _mm512_set1_epi16(0x3F), low5 = _mm512_set1_epi16(0x1F);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 32) {
        size_t rest = n - i;
        __m256i raw = _mm256_maskz_loadu_epi8(lanes32(rest), at(s, i));
        __m512i b = _mm512_cvtepu8_epi16(raw);
        __m512i b1 = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(lanes32(rest - 1), at(s, i + 1)));
        __m512i b2 = _mm512_cvtepu8_epi16(
            _mm256_maskz_loadu_epi8(lanes32(rest > 2 ? rest - 2 : 0), at(s, i + 2)));
        uint32_t lead = _mm256_cmpge_epu8_mask(raw, c0), lead3 = _mm256_cmpge_epu8_mask(raw, e0);
        /* Lanes that start a code point: not continuation bytes (80..BF). */
        uint32_t keep = lanes32(rest) & ~_mm256_cmplt_epi8_mask(raw, c0);
        __m512i t1 = _mm512_and_si512(b1, low6), t2 = _mm512_and_si512(b2, low6);
        /* 110xxxxx 10yyyyyy: xxxxxyyyyyy; 1110xxxx 10yyyyyy 10zzzzzz:
         * xxxxyyyyyyzzzzzz (the shift by 12 drops the lead's 1110). */
        __m512i two = _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(b, low5), 6), t1);
        __m512i three = _mm512_or_si512(
            _mm512_or_si512(_mm512_slli_epi16(b, 12), _mm512_slli_epi16(t1, 6)), t2);
        __m512i cp = _mm512_mask_mov_epi16(b, lead & ~lead3, two);
        cp = _mm512_mask_mov_epi16(cp, lead3, three);
        cp = _mm512_maskz_compress_epi16(keep, cp);
        size_t k = (size_t)_mm_popcnt_u32(keep);
        if (width == 2)
            _mm512_mask_storeu_epi16((Py_UCS2 *)out + o, lanes32(k), cp);
        else
            _mm256_mask_storeu_epi8((Py_UCS1 *)out + o, lanes32(k), _mm512_cvtepi16_epi8(cp));
        o += k;
    }
    return o;
}

/* As decode16, for a str of 4-byte units: 32-bit lanes, 16 a step, b3 the
 * third byte after b. */
INLINE size_t decode32(const unsigned char *s, size_t n, Py_UCS4 *out) {
    const __m128i c0 = _mm_set1_epi8((char)0xC0), e0 = _mm_set1_epi8((char)0xE0),
                  f0 = _mm_set1_epi8((char)0xF0);
    const __m512i low6 = _mm512_set1_epi32(0x3F), low5 = _mm512_set1_epi32(0x1F),
                  low4 = _mm512_set1_epi32(0x0F), low3 = _mm512_set1_epi32(0x07);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 16) {
        size_t rest = n - i;
        __m128i raw = _mm_maskz_loadu_epi8(lanes16(rest), at(s, i));
        __m512i b = _mm512_cvtepu8_epi32(raw);
        __m512i t1 = _mm512_and_si512(
            _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(lanes16(rest - 1), at(s, i + 1))), low6);
        __m512i t2 = _mm512_and_si512(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(
                                          lanes16(rest > 2 ? rest - 2 : 0), at(s, i + 2))),
                                      low6);
        __m512i t3 = _mm512_and_si512(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(
                                          lanes16(rest > 3 ? rest - 3 : 0), at(s, i + 3))),
                                      low6);
        uint16_t lead = _mm_cmpge_epu8_mask(raw, c0), lead3 = _mm_cmpge_epu8_mask(raw, e0),
                 lead4 = _mm_cmpge_epu8_mask(raw, f0);
        uint16_t keep = lanes16(rest) & (uint16_t)~_mm_cmplt_epi8_mask(raw, c0);
        __m512i two = _mm512_or_si512(_mm512_slli_epi32(_mm512_and_si512(b, low5), 6), t1);
        __m512i three = _mm512_or_si512(_mm512_slli_epi32(_mm512_and_si512(b, low4), 12),
                                        _mm512_or_si512(_mm512_slli_epi32(t1, 6), t2));
        __m512i four =
            _mm512_or_si512(_mm512_or_si512(_mm512_slli_epi32(_mm512_and_si512(b, low3), 18),
                                            _mm512_slli_epi32(t1, 12)),
                            _mm512_or_si512(_mm512_slli_epi32(t2, 6), t3));
        __m512i cp = _mm512_mask_mov_epi32(b, (uint16_t)(lead & ~lead3), two);
        cp = _mm512_mask_mov_epi32(cp, (uint16_t)(lead3 & ~lead4), three);
        cp = _mm512_mask_mov_epi32(cp, lead4, four);
        cp = _mm512_maskz_compress_epi32(keep, cp);
        size_t k = (size_t)_mm_popcnt_u32(keep);
        _mm512_mask_storeu_epi32(out + o, lanes16(k), cp);
        o += k;
    }
    return o;
}

TARGET PyObject *simdsse_py_utf8_avx512(const unsigned char *s, size_t n, int *invalid) {
    /* ASCII takes the same steps, with an empty tail: no branch of its own
     * before PyUnicode_New's on the kind, which the data picks at random
     * (a branch mispredicted costs more than the steps it saves). */
    size_t ascii = ascii_prefix(s, n);
    tail_scan t = scan_tail(s + ascii, n - ascii);
    if (!t.valid) {
        *invalid = 1;
        return NULL;
    }
    /* As in utf8.c: a str has the narrowest kind that holds it. */
    size_t chars = n - t.cont;
    Py_UCS4 widest = t.width == 4 ? 0x10FFFF : t.width == 2 ? 0xFFFF : ascii == n ? 0x7F : 0xFF;
    PyObject *str = PyUnicode_New((Py_ssize_t)chars, widest);
    if (!str) return NULL;
    void *out = PyUnicode_DATA(str);
    size_t made;
    if (t.width == 1) {
        copy(out, s, ascii);
        made = decode16(s + ascii, n - ascii, (Py_UCS1 *)out + ascii, 1);
    } else if (t.width == 2) {
        widen_ascii(out, 2, s, ascii);
        made = decode16(s + ascii, n - ascii, (Py_UCS2 *)out + ascii, 2);
    } else {
        widen_ascii(out, 4, s, ascii);
        made = decode32(s + ascii, n - ascii, (Py_UCS4 *)out + ascii);
    }
    if (made == chars - ascii) return str;
    /* Cannot happen (scan_tail counted what the decoders keep); if it
     * did, CPython's decoder has the last word, and the tests see None. */
    Py_DECREF(str);
    *invalid = 1;
    return NULL;
}

#endif /* SIMDSSE_PY_AVX512 */
