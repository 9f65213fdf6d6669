/*
 * cpu.c -- CPU feature detection: cpuid for what the CPU has, xgetbv for
 * what the OS saves on a context switch. A vector unit the OS does not save
 * is as good as absent: its instructions fault or lose state.
 * SPDX-License-Identifier: MIT
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#  include <cpuid.h>

/* XCR0: the register state the OS enables. Read with inline asm, so this
 * file needs no -mxsave. Only valid when CPUID says OSXSAVE. */
static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

#  define XCR0_SSE (1u << 1)
#  define XCR0_AVX (1u << 2)                          /* upper halves of YMM */
#  define XCR0_AVX512 ((1u << 5) | (1u << 6) | (1u << 7)) /* opmask, ZMM0-15 hi, ZMM16-31 */

uint32_t simdsse__cpu_detect(void) {
    unsigned a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (d & (1u << 26)) f |= SSE_CPU_SSE2;
    if (c & (1u << 23)) f |= SSE_CPU_POPCNT;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int ymm = avx && (xcr0 & (XCR0_SSE | XCR0_AVX)) == (XCR0_SSE | XCR0_AVX);
    int zmm = ymm && (xcr0 & XCR0_AVX512) == XCR0_AVX512;

    if ((unsigned)__get_cpuid_max(0, NULL) >= 7u) {
        __cpuid_count(7, 0, a, b, c, d);
        if (b & (1u << 3)) f |= SSE_CPU_BMI1;
        if (b & (1u << 8)) f |= SSE_CPU_BMI2;
        if (ymm && (b & (1u << 5))) f |= SSE_CPU_AVX2;
        if (zmm && (b & (1u << 16))) f |= SSE_CPU_AVX512F;
        if (zmm && (b & (1u << 30))) f |= SSE_CPU_AVX512BW;
        if (zmm && (b & (1u << 31))) f |= SSE_CPU_AVX512VL;
    }
    if ((unsigned)__get_cpuid_max(0x80000000u, NULL) >= 0x80000001u) {
        __cpuid(0x80000001u, a, b, c, d);
        if (c & (1u << 5)) f |= SSE_CPU_LZCNT; /* ABM */
    }
    return f;
}

#elif defined(__aarch64__) || defined(_M_ARM64)

/* AdvSIMD is part of the AArch64 base architecture. */
uint32_t simdsse__cpu_detect(void) { return SSE_CPU_NEON; }

#else

uint32_t simdsse__cpu_detect(void) {
#  if defined(__ARM_NEON)
    return SSE_CPU_NEON; /* the compiler was told the target has it */
#  else
    return 0;
#  endif
}

#endif

/* MARK: - SIMDSSE_CPU_DISABLE, a testing aid
 *
 * As libdeflate's LIBDEFLATE_DISABLE_CPU_FEATURES: a comma-separated list
 * of features that dispatch then treats as absent, so that one machine can
 * run every kernel level (`SIMDSSE_CPU_DISABLE=avx512` runs as an AVX2-only
 * CPU would). A feature takes those built on it along: a CPU without SSE2
 * has no AVX2, one without AVX2 no AVX-512. Unknown names are ignored. It
 * can only take features away, never add one the CPU lacks. */
static const struct {
    const char *name;
    uint32_t bits;
} disable_names[] = {
    {"sse2", SSE_CPU_SSE2 | SSE_CPU_AVX2 | SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL},
    {"avx2", SSE_CPU_AVX2 | SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL},
    {"avx512", SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL},
    {"avx512f", SSE_CPU_AVX512F | SSE_CPU_AVX512BW | SSE_CPU_AVX512VL},
    {"avx512bw", SSE_CPU_AVX512BW},
    {"avx512vl", SSE_CPU_AVX512VL},
    {"popcnt", SSE_CPU_POPCNT},
    {"bmi1", SSE_CPU_BMI1},
    {"bmi2", SSE_CPU_BMI2},
    {"lzcnt", SSE_CPU_LZCNT},
    {"neon", SSE_CPU_NEON},
    {"all", ~0u},
};

static uint32_t disabled_features(void) {
    const char *s = getenv("SIMDSSE_CPU_DISABLE");
    uint32_t off = 0;
    while (s && *s) {
        size_t n = strcspn(s, ",");
        for (size_t i = 0; i < sizeof disable_names / sizeof disable_names[0]; i++)
            if (strlen(disable_names[i].name) == n && strncmp(disable_names[i].name, s, n) == 0)
                off |= disable_names[i].bits;
        s += n + (s[n] == ',');
    }
    return off;
}

/* The one piece of global mutable state: written once, then only read.
 * Threads racing on first use compute the same value and store it; any
 * of them winning is fine. Bit 31 says "computed". */
#define CPU_KNOWN (1u << 31)
static _Atomic uint32_t cpu_cache;

uint32_t simdsse__cpu_features(void) {
    uint32_t f = atomic_load_explicit(&cpu_cache, memory_order_relaxed);
    if (!(f & CPU_KNOWN)) {
        f = (simdsse__cpu_detect() & ~disabled_features()) | CPU_KNOWN;
        atomic_store_explicit(&cpu_cache, f, memory_order_relaxed);
    }
    return f & ~CPU_KNOWN;
}
