/*
 * scalar.c -- the reference tokenizer kernel, portable C.
 * SPDX-License-Identifier: MIT
 *
 * Every SIMD kernel is tested against this one, so it favours obviousness;
 * it still reads eight bytes per step (SWAR) so that the scalar path is a
 * fair baseline rather than a byte loop.
 */
#include <string.h>

#include "kernel.h"

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ || __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#  define SWAR 1
/* High bit set in every byte of v that is zero. Bytes above the lowest zero
 * byte may be flagged falsely (borrow), but the lowest flag is exact, and the
 * lowest flag is all we use. */
static inline uint64_t zero_bytes(uint64_t v) { return (v - ONES) & ~v & HIGHS; }
/* The 8 bytes at p with the first in the lowest bits, whatever the byte
 * order: on big-endian CPUs a byte swap (one load-reversed instruction on
 * s390x), so the borrow runs towards later bytes there too and the lowest
 * flag is the first match. */
static inline uint64_t load8(const char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#  if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#  endif
    return v;
}
#elif defined(__GNUC__)
#  error "scalar.c: a GNU C compiler with an unknown byte order: the SWAR path would go untested"
#endif

/* First byte in [i, end) equal to a or b, or end. */
static size_t find2(const char *buf, size_t i, size_t end, char a, char b) {
#ifdef SWAR
    const uint64_t pa = ONES * (uint8_t)a, pb = ONES * (uint8_t)b;
    for (; i + 8 <= end; i += 8) {
        uint64_t v = load8(buf + i);
        uint64_t m = zero_bytes(v ^ pa) | zero_bytes(v ^ pb);
        if (m) return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    for (; i < end; i++)
        if (buf[i] == a || buf[i] == b) return i;
    return end;
}

static size_t scalar_find_eol(const char *buf, size_t len) { return find2(buf, 0, len, '\r', '\n'); }

static size_t scalar_scan(const char *buf, size_t len, sse_line *out, size_t cap, size_t *next) {
    size_t n = 0, start = 0;
    while (n < cap) {
        size_t end = find2(buf, start, len, '\r', '\n');
        if (end == len) break; /* no terminator: the rest is an unfinished line */
        out[n].start = (uint32_t)start;
        out[n].end = (uint32_t)end;
        n++;
        /* "a CRLF pair ... a single LF not preceded by CR, and a single CR
         *  not followed by LF" are the ways a line can end. */
        start = end + 1;
        if (buf[end] == '\r' && start < len && buf[start] == '\n') start++;
    }
    *next = start;
    return n;
}

const sse_kernel simdsse__kernel_scalar = {
    .name = "scalar",
    .required = 0,
    .scan = scalar_scan,
    .find_eol = scalar_find_eol,
};
