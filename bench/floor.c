/*
 * floor.c -- the floor of the kernels' design, per instruction set (see
 * floor.h). Written apart from src/arch/ on purpose: a yardstick that does
 * not move when the kernels do. Each x86 floor is compiled for its
 * instruction set with a target attribute, so this file needs no -m flags.
 * SPDX-License-Identifier: MIT
 */
#include "floor.h"

#include <string.h>

/*
 * Defines floor_NAME: the loop, written once. The block (the last argument)
 * is the instruction set's part for the 64 bytes at p: it sets the masks cr
 * and lf, or `continue`s when the block holds neither after one test. Every
 * set bit of cr | lf is then walked, lowest first: tzcnt, store, blsr.
 */
#define FLOOR_DEFINE(name, attributes, setup, ...)                            \
    attributes static uint64_t floor_##name(const char *buf, size_t len,    \
                                            uint32_t *ring) {               \
        setup;                                                               \
        uint64_t total = 0;                                                  \
        size_t n = 0;                                                        \
        for (size_t i = 0; i < len; i += 64) {                               \
            const char *p = buf + i;                                         \
            uint64_t cr, lf;                                                 \
            __VA_ARGS__                                                      \
            uint64_t ends = cr | lf;                                         \
            if (n > FLOOR_RING - 64) total += n, n = 0;                      \
            while (ends) {                                                   \
                ring[n++] = (uint32_t)(i + (size_t)__builtin_ctzll(ends));   \
                ends &= ends - 1;                                            \
            }                                                                \
        }                                                                    \
        return total + n;                                                    \
    }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#  include <immintrin.h>

/* Four 16-byte compares per mask (x86-64 baseline: no BMI, bsf). */
FLOOR_DEFINE(sse2, , const __m128i vcr = _mm_set1_epi8('\r'); const __m128i vlf = _mm_set1_epi8('\n'), {
    __m128i c[4], l[4], any = _mm_setzero_si128();
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        c[k] = _mm_cmpeq_epi8(v, vcr);
        l[k] = _mm_cmpeq_epi8(v, vlf);
        any = _mm_or_si128(any, _mm_or_si128(c[k], l[k]));
    }
    if (!_mm_movemask_epi8(any)) continue;
    cr = lf = 0;
    for (int k = 0; k < 4; k++) {
        cr |= (uint64_t)(uint32_t)_mm_movemask_epi8(c[k]) << (16 * k);
        lf |= (uint64_t)(uint32_t)_mm_movemask_epi8(l[k]) << (16 * k);
    }
})

/* Two 32-byte compares per mask. */
FLOOR_DEFINE(avx2, __attribute__((target("avx2,bmi,bmi2"))),
             const __m256i vcr = _mm256_set1_epi8('\r'); const __m256i vlf = _mm256_set1_epi8('\n'), {
    __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    __m256i c0 = _mm256_cmpeq_epi8(lo, vcr), c1 = _mm256_cmpeq_epi8(hi, vcr);
    __m256i l0 = _mm256_cmpeq_epi8(lo, vlf), l1 = _mm256_cmpeq_epi8(hi, vlf);
    __m256i any = _mm256_or_si256(_mm256_or_si256(c0, l0), _mm256_or_si256(c1, l1));
    if (_mm256_testz_si256(any, any)) continue;
    cr = (uint32_t)_mm256_movemask_epi8(c0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(c1) << 32;
    lf = (uint32_t)_mm256_movemask_epi8(l0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(l1) << 32;
})

/* One 64-byte compare per mask, into mask registers; the masks are then
 * moved to general registers (an empty asm), as the avx512 kernel does. */
FLOOR_DEFINE(avx512, __attribute__((target("avx512f,avx512bw,bmi,bmi2"))),
             const __m512i vcr = _mm512_set1_epi8('\r'); const __m512i vlf = _mm512_set1_epi8('\n'), {
    __m512i v = _mm512_loadu_si512(p);
    __mmask64 mcr = _mm512_cmpeq_epi8_mask(v, vcr), mlf = _mm512_cmpeq_epi8_mask(v, vlf);
    if (_kortestz_mask64_u8(mcr, mlf)) continue;
    cr = _cvtmask64_u64(mcr);
    lf = _cvtmask64_u64(mlf);
    __asm__("" : "+r"(cr), "+r"(lf));
})

floor_fn floor_for(const char *kernel) {
    if (strcmp(kernel, "sse2") == 0) return floor_sse2;
    if (strcmp(kernel, "avx2") == 0) return floor_avx2;
    if (strcmp(kernel, "avx512") == 0) return floor_avx512;
    return NULL;
}

#elif defined(__aarch64__)
#  include <arm_neon.h>

/* Bit i%8 of byte i, then three rounds of pairwise adds: 64 compare bytes
 * into 64 bits. */
static inline uint64_t to_mask(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d) {
    static const uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    const uint8x16_t w = vld1q_u8(weights);
    uint8x16_t abcd = vpaddq_u8(vpaddq_u8(vandq_u8(a, w), vandq_u8(b, w)),
                                vpaddq_u8(vandq_u8(c, w), vandq_u8(d, w)));
    abcd = vpaddq_u8(abcd, abcd);
    return vgetq_lane_u64(vreinterpretq_u64_u8(abcd), 0);
}

/* Four 16-byte compares per mask. */
FLOOR_DEFINE(neon, , const uint8x16_t vcr = vdupq_n_u8('\r'); const uint8x16_t vlf = vdupq_n_u8('\n'), {
    uint8x16_t c[4], l[4], any = vdupq_n_u8(0);
    for (int k = 0; k < 4; k++) {
        uint8x16_t v = vld1q_u8((const uint8_t *)p + 16 * k);
        c[k] = vceqq_u8(v, vcr);
        l[k] = vceqq_u8(v, vlf);
        any = vorrq_u8(any, vorrq_u8(c[k], l[k]));
    }
    if (!vmaxvq_u8(any)) continue;
    cr = to_mask(c[0], c[1], c[2], c[3]);
    lf = to_mask(l[0], l[1], l[2], l[3]);
})

floor_fn floor_for(const char *kernel) { return strcmp(kernel, "neon") == 0 ? floor_neon : NULL; }

#else
floor_fn floor_for(const char *kernel) {
    (void)kernel;
    return NULL;
}
#endif
