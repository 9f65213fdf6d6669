/*
 * neon.c -- the NEON (AdvSIMD) kernel: four 16-byte compares per mask per
 * 64-byte block, folded into a 64-bit mask with pairwise adds. Native on
 * AArch64. On x86-64 it is built through simde (SIMDe translates each NEON
 * intrinsic to SSE), only so that the tests can hold the NEON code to the
 * scalar reference on machines without an ARM CPU: there it is a
 * verification kernel, never the default, and its speed means nothing.
 * SPDX-License-Identifier: MIT
 */
#if defined(SIMDSSE_NEON_SIMDE)
#  define SIMDE_ENABLE_NATIVE_ALIASES
#  include <simde/arm/neon.h>
#else
#  include <arm_neon.h>
#endif

#include "kernel.h"

typedef struct simd_block {
    /* Named, not arrays: through simde, an array of them stayed in memory. */
    uint8x16_t cr0, cr1, cr2, cr3, lf0, lf1, lf2, lf3;
} simd_block;

SSE_KINLINE simd_block simd_classify(const char *buf, size_t i) {
    const uint8x16_t vcr = vdupq_n_u8('\r'), vlf = vdupq_n_u8('\n');
    const uint8_t *u = (const uint8_t *)buf + i;
    uint8x16_t a = vld1q_u8(u), b = vld1q_u8(u + 16), c = vld1q_u8(u + 32), d = vld1q_u8(u + 48);
    simd_block r = {vceqq_u8(a, vcr), vceqq_u8(b, vcr), vceqq_u8(c, vcr), vceqq_u8(d, vcr),
                    vceqq_u8(a, vlf), vceqq_u8(b, vlf), vceqq_u8(c, vlf), vceqq_u8(d, vlf)};
    return r;
}

SSE_KINLINE int simd_any(simd_block b) {
    uint8x16_t any = vorrq_u8(vorrq_u8(vorrq_u8(b.cr0, b.lf0), vorrq_u8(b.cr1, b.lf1)),
                              vorrq_u8(vorrq_u8(b.cr2, b.lf2), vorrq_u8(b.cr3, b.lf3)));
    return vmaxvq_u8(any) != 0;
}

/* Bit i%8 in byte i: AND with a compare result, then three rounds of
 * pairwise adds gather 64 compare bytes into 64 bits, in byte order. */
SSE_KINLINE uint64_t to_mask(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d) {
    static const uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    const uint8x16_t w = vld1q_u8(weights);
    uint8x16_t ab = vpaddq_u8(vandq_u8(a, w), vandq_u8(b, w));
    uint8x16_t cd = vpaddq_u8(vandq_u8(c, w), vandq_u8(d, w));
    uint8x16_t abcd = vpaddq_u8(ab, cd);
    abcd = vpaddq_u8(abcd, abcd);
    return vgetq_lane_u64(vreinterpretq_u64_u8(abcd), 0);
}

SSE_KINLINE void simd_masks(simd_block b, uint64_t *cr, uint64_t *lf) {
    *cr = to_mask(b.cr0, b.cr1, b.cr2, b.cr3);
    *lf = to_mask(b.lf0, b.lf1, b.lf2, b.lf3);
}

SSE_KINLINE uint64_t simd_eol(simd_block b) {
    return to_mask(vorrq_u8(b.cr0, b.lf0), vorrq_u8(b.cr1, b.lf1), vorrq_u8(b.cr2, b.lf2),
                   vorrq_u8(b.cr3, b.lf3));
}

/* Four bits a byte (all set for a CR or LF): narrowing shift of the
 * compare, the usual NEON stand-in for movemask. */
#define SIMD_EOL16_BITS 4
SSE_KINLINE uint64_t simd_eol16(const char *buf, size_t i) {
    uint8x16_t v = vld1q_u8((const uint8_t *)buf + i);
    uint8x16_t m = vorrq_u8(vceqq_u8(v, vdupq_n_u8('\r')), vceqq_u8(v, vdupq_n_u8('\n')));
    return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(m), 4)), 0);
}

#define SIMD_VECTOR_BYTES 16
#include "generic/scan.h"

#if defined(SIMDSSE_NEON_SIMDE)
SSE_KERNEL_DESC(neon, SSE_CPU_SSE2); /* simde's translation to x86-64 baseline */
#else
SSE_KERNEL_DESC(neon, SSE_CPU_NEON);
#endif
