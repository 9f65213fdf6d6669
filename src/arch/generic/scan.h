/*
 * scan.h -- the SIMD kernels' scanner, written once: the block loop, the
 * long-line skip, the last partial block, find_eol, and the descriptor.
 * SPDX-License-Identifier: MIT
 *
 * Included once by each kernel's file (src/arch/NAME.c), after it defines
 * its instruction set's primitives; everything here is static, so each
 * kernel gets its own copy compiled with its own flags (simdzone's
 * src/generic/ beside src/haswell/, simdutf's per-ISA simd.h). The
 * primitives a kernel's file defines:
 *
 *   simd_block                 the CR and LF compares of one 64-byte block,
 *                              in whatever form the instruction set has them
 *   simd_classify(buf, i)      loads the 64 bytes at buf + i, compares them
 *                              (base and index apart: x86 compilers then
 *                              fold the loads into the compares)
 *   simd_any(b)                nonzero when the block holds a CR or an LF:
 *                              the one cheap test most blocks stop at
 *   simd_masks(b, &cr, &lf)    the two 64-bit masks, bit i for byte i
 *   simd_eol(b)                the mask of CR-or-LF bytes (cr | lf, often
 *                              cheaper made from the compares directly)
 *   simd_eol16(buf, i)         the 16 bytes at buf + i as a mask of CR-or-LF
 *                              bytes, SIMD_EOL16_BITS bits a byte (1 unless
 *                              the file says otherwise)
 *   SIMD_VECTOR_BYTES          16 where the registers are 16 bytes wide
 *                              (wider ones need not say)
 * and, where the instruction set loads a block's first n bytes without
 * touching the rest (AVX-512's masked loads), SIMD_PARTIAL_LOADS with
 *   simd_classify_head(buf, i, n)  simd_classify of n < 64 bytes, the bytes
 *                              past n compared as if 0 (neither CR nor LF).
 * Without it, a buffer's last partial block is loaded so that it ends where
 * the buffer ends, overlapping bytes already scanned, and a buffer shorter
 * than one block is copied to a zero-padded block: no byte outside the
 * buffer is read either way.
 *
 * SSE_KERNEL_DESC(name, required) then defines the kernel, its short-line
 * variant and the descriptor simdsse__desc_<name> for dispatch.c's table.
 */
#ifndef SIMDSSE_ARCH_GENERIC_SCAN_H
#define SIMDSSE_ARCH_GENERIC_SCAN_H

#include <string.h>

#include "lines.h"

#ifndef SIMD_EOL16_BITS
#  define SIMD_EOL16_BITS 1
#endif
#ifndef SIMD_VECTOR_BYTES
#  define SIMD_VECTOR_BYTES 32
#endif

#if !defined(SIMD_PARTIAL_LOADS)
/* memcpy(d, s, n) for n < 64, in two overlapping moves of a fixed size: a
 * whole read shorter than a block (a gateway's small read) is copied into
 * a padded block, and the libc call's size dispatch would cost more than
 * the copy. */
SSE_KINLINE void pad_copy(char *d, const char *s, size_t n) {
    if (n >= 32) {
        memcpy(d, s, 32);
        memcpy(d + n - 32, s + n - 32, 32);
    } else if (n >= 16) {
        memcpy(d, s, 16);
        memcpy(d + n - 16, s + n - 16, 16);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}
#endif

/* The masks of buf[i, len), the buffer's last partial block (i < len,
 * len - i < 64), as simd_masks gives them for a whole block. */
SSE_KINLINE void tail_masks(const char *buf, size_t len, size_t i, uint64_t *cr, uint64_t *lf) {
#if defined(SIMD_PARTIAL_LOADS)
    simd_masks(simd_classify_head(buf, i, len - i), cr, lf);
#else
    if (len >= 64) {
        /* The last 64 bytes; the shift drops those already scanned. */
        unsigned shift = (unsigned)(64 - (len - i));
        simd_masks(simd_classify(buf, len - 64), cr, lf);
        *cr >>= shift;
        *lf >>= shift;
    } else {
        char pad[64] = {0};
        pad_copy(pad, buf, len);
        simd_masks(simd_classify(pad, 0), cr, lf);
    }
#endif
}

/* kernel.h's scan; `dense` selects the short-line walk (lines.h). */
SSE_KINLINE size_t generic_scan(const char *buf, size_t len, sse_line *out, size_t cap,
                                size_t *next, int dense) {
    sse_scan s;
    sse_scan_init(&s, out, cap, dense);
    size_t i = 0;
    uint64_t cr, lf;
    for (; i + 64 <= len; i += 64) {
        simd_block b = simd_classify(buf, i);
        if (!simd_any(b)) {
            /* Most blocks hold no line end: then only the CR carry changes.
             * Deep in a long line, skip such blocks in a tight loop. */
            s.cr_carry = 0;
            if (SSE_KUNLIKELY(s.start + SSE_LONG_LINE <= i))
                while (i + 128 <= len && !simd_any(simd_classify(buf, i + 64))) i += 64;
            continue;
        }
        simd_masks(b, &cr, &lf);
        if (sse_scan_block(&s, i, cr, lf)) return sse_scan_done(&s, buf, len, next);
    }
    if (i < len) {
        tail_masks(buf, len, i, &cr, &lf);
        sse_scan_block(&s, i, cr, lf);
    }
    return sse_scan_done(&s, buf, len, next);
}

#if !defined(SIMD_PARTIAL_LOADS)
/* find_eol of fewer than 64 bytes: under 16, byte by byte; otherwise 16 at
 * a time, then the last 16 (overlapping those already checked). */
SSE_KINLINE size_t find_eol_short(const char *buf, size_t len) {
    size_t i = 0;
    if (len < 16) {
        for (; i < len; i++)
            if (buf[i] == '\r' || buf[i] == '\n') return i;
        return len;
    }
    uint64_t m;
    for (; i + 16 <= len; i += 16)
        if ((m = simd_eol16(buf, i)) != 0) return i + sse_tz64(m) / SIMD_EOL16_BITS;
    if (i == len) return len;
    m = simd_eol16(buf, len - 16) >> (SIMD_EOL16_BITS * (16 - (len - i)));
    return m ? i + sse_tz64(m) / SIMD_EOL16_BITS : len;
}
#endif

/* kernel.h's find_eol. */
SSE_KINLINE size_t generic_find_eol(const char *buf, size_t len) {
    size_t i = 0;
#if !defined(SIMD_PARTIAL_LOADS)
    if (len < 64) return find_eol_short(buf, len);
#  if SIMD_VECTOR_BYTES == 16
    /* With 16-byte registers the first block goes a register at a time: a
     * line end near the start (the rest of a line a read cut) then costs
     * one compare, not a whole block's. */
    for (; i < 64; i += 16) {
        uint64_t m = simd_eol16(buf, i);
        if (m) return i + sse_tz64(m) / SIMD_EOL16_BITS;
    }
#  endif
#endif
    for (; i + 64 <= len; i += 64) {
        simd_block b = simd_classify(buf, i);
        if (simd_any(b)) return i + sse_tz64(simd_eol(b));
    }
    if (i == len) return len;
#if defined(SIMD_PARTIAL_LOADS)
    uint64_t m = simd_eol(simd_classify_head(buf, i, len - i));
#else
    /* The last 64 bytes; the shift drops those already checked. */
    uint64_t m = simd_eol(simd_classify(buf, len - 64)) >> (64 - (len - i));
#endif
    return m ? i + sse_tz64(m) : len;
}

/* The kernel and its short-line variant (the same find_eol), and the
 * descriptor dispatch.c lists. `name` is also the kernel's public name. */
#define SSE_KERNEL_DESC(name, required_features)                                          \
    static size_t name##_scan(const char *buf, size_t len, sse_line *out, size_t cap,     \
                              size_t *next) {                                             \
        return generic_scan(buf, len, out, cap, next, 0);                                 \
    }                                                                                     \
    static size_t name##_scan_short(const char *buf, size_t len, sse_line *out, size_t cap, \
                                    size_t *next) {                                       \
        return generic_scan(buf, len, out, cap, next, 1);                                 \
    }                                                                                     \
    static size_t name##_find_eol(const char *buf, size_t len) {                          \
        return generic_find_eol(buf, len);                                                \
    }                                                                                     \
    static const sse_kernel name##_kernel = {#name, (required_features), name##_scan,     \
                                             name##_find_eol};                            \
    static const sse_kernel name##_kernel_short = {#name, (required_features),            \
                                                   name##_scan_short, name##_find_eol};   \
    extern const sse_kernel_desc simdsse__desc_##name;                                    \
    const sse_kernel_desc simdsse__desc_##name = {&name##_kernel, &name##_kernel_short}

#endif /* SIMDSSE_ARCH_GENERIC_SCAN_H */
