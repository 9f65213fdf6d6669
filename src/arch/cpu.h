/*
 * cpu.h -- what this CPU and its OS let the kernels use, read once.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_ARCH_CPU_H
#define SIMDSSE_ARCH_CPU_H

#include <stdint.h>

/* Feature bits. Each one means the CPU has the instructions AND the OS saves
 * the registers they use (XCR0), so a kernel needing it can run. */
#define SSE_CPU_SSE2 (1u << 0)
#define SSE_CPU_POPCNT (1u << 1)
#define SSE_CPU_BMI1 (1u << 2)
#define SSE_CPU_BMI2 (1u << 3)
#define SSE_CPU_LZCNT (1u << 4)
#define SSE_CPU_AVX2 (1u << 5)     /* AVX2, with YMM state enabled */
#define SSE_CPU_AVX512F (1u << 6)  /* with opmask and ZMM state enabled */
#define SSE_CPU_AVX512BW (1u << 7)
#define SSE_CPU_AVX512VL (1u << 8)
#define SSE_CPU_NEON (1u << 9)     /* AdvSIMD: always there on AArch64 */

/* The features above that this CPU has, less those $SIMDSSE_CPU_DISABLE
 * names (a testing aid, see cpu.c). Computed on first use and cached;
 * safe to call from any thread. */
uint32_t simdsse__cpu_features(void);

/* What the CPU has, detected afresh (no cache, no $SIMDSSE_CPU_DISABLE):
 * for tests. */
uint32_t simdsse__cpu_detect(void);

#endif /* SIMDSSE_ARCH_CPU_H */
