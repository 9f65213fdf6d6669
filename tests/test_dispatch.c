/*
 * test_dispatch.c -- which kernel runs: the table, CPU feature detection,
 * the default choice, options.kernel, and $SIMDSSE_KERNEL.
 * SPDX-License-Identifier: MIT
 *
 * $SIMDSSE_KERNEL is read once per process, so each value is its own ctest
 * registration (tests/kernels.cmake) running this program with the
 * variable set; the program derives what to expect from it.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/kernel.h"
#include "check.h"

static const char *const all_names[] = {"avx512", "avx2", "sse2", "neon", "scalar"};
#define N_NAMES (sizeof all_names / sizeof all_names[0])

static int known(const char *name) {
    for (size_t i = 0; i < N_NAMES; i++)
        if (strcmp(all_names[i], name) == 0) return 1;
    return 0;
}

static int runs(const sse_kernel *k) {
    return (simdsse__cpu_features() & k->required) == k->required;
}

/* The kernel a parser made with these options uses, or NULL with *st. */
static const char *parser_kernel(const char *kernel, simdsse_status *st) {
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.kernel = kernel;
    simdsse_parser *p = simdsse_parser_create(&o, st);
    if (!p) return NULL;
    const char *name = simdsse_parser_kernel(p);
    simdsse_parser_destroy(p);
    return name;
}

static void test_table(void) {
    size_t n = 0;
    while (simdsse_kernel_name_at(n)) n++;
    CHECK(n >= 1 && n <= N_NAMES, "%zu kernels", n);
    CHECK(strcmp(simdsse_kernel_name_at(n - 1), "scalar") == 0, "scalar is last");
    CHECK(simdsse_kernel_name_at(n + 5) == NULL, "NULL past the end");
    for (size_t i = 0; i < n; i++) {
        const char *name = simdsse_kernel_name_at(i);
        const sse_kernel *k = simdsse__kernel_at(i);
        CHECK(k && strcmp(k->name, name) == 0, "entry %zu", i);
        CHECK(known(name), "documented name: %s", name);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(simdsse_kernel_name_at(j), name) != 0, "%s listed twice", name);
        /* Supported exactly when the CPU has what the kernel requires. */
        simdsse_status st = simdsse_kernel_supported(name);
        CHECK(st == (runs(k) ? SIMDSSE_OK : SIMDSSE_ERR_KERNEL_UNSUPPORTED), "%s: %d", name, st);
        const char *got = parser_kernel(name, &st);
        if (runs(k))
            CHECK(got && strcmp(got, name) == 0 && st == SIMDSSE_OK, "options.kernel %s", name);
        else
            CHECK(!got && st == SIMDSSE_ERR_KERNEL_UNSUPPORTED, "options.kernel %s: %d", name, st);
    }
    /* A documented kernel not compiled in (another architecture's) is
     * unsupported, not unknown. */
    for (size_t i = 0; i < N_NAMES; i++) {
        int compiled = 0;
        for (size_t j = 0; j < n; j++) compiled |= strcmp(simdsse_kernel_name_at(j), all_names[i]) == 0;
        if (!compiled)
            CHECK(simdsse_kernel_supported(all_names[i]) == SIMDSSE_ERR_KERNEL_UNSUPPORTED, "%s",
                  all_names[i]);
    }
    CHECK(simdsse_kernel_supported("scalar") == SIMDSSE_OK, "scalar runs everywhere");
    CHECK(simdsse_kernel_supported("avx3") == SIMDSSE_ERR_UNKNOWN_KERNEL, "unknown");
    CHECK(simdsse_kernel_supported("") == SIMDSSE_ERR_UNKNOWN_KERNEL, "empty name");
    CHECK(simdsse_kernel_supported("AVX2") == SIMDSSE_ERR_UNKNOWN_KERNEL, "names are exact");
    CHECK(simdsse_kernel_supported(NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL");
    simdsse_status st;
    CHECK(!parser_kernel("avx3", &st) && st == SIMDSSE_ERR_UNKNOWN_KERNEL, "create: unknown");
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.kernel = "avx3";
    CHECK(simdsse_parser_create(&o, NULL) == NULL, "create without status fails too");
    CHECK(simdsse_parse("data: x\n\n", 9, &o) == SIMDSSE_ERR_UNKNOWN_KERNEL, "parse");
}

/* What cpuid says, checked against the compiler's own detection. */
static void test_cpu(void) {
    uint32_t f = simdsse__cpu_features();
    CHECK(f == simdsse__cpu_features(), "cached value is stable");
    CHECK(f == simdsse__cpu_detect(), "cache holds what detection finds");
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_cpu_init();
    CHECK(!!(f & SSE_CPU_SSE2) == !!__builtin_cpu_supports("sse2"), "sse2");
    CHECK(!!(f & SSE_CPU_AVX2) == !!__builtin_cpu_supports("avx2"), "avx2");
    CHECK(!!(f & SSE_CPU_BMI2) == !!__builtin_cpu_supports("bmi2"), "bmi2");
    CHECK(!!(f & SSE_CPU_AVX512F) == !!__builtin_cpu_supports("avx512f"), "avx512f");
    CHECK(!!(f & SSE_CPU_AVX512BW) == !!__builtin_cpu_supports("avx512bw"), "avx512bw");
#  if defined(__x86_64__)
    CHECK(simdsse_kernel_supported("sse2") == SIMDSSE_OK, "every x86-64 runs sse2");
#  endif
    CHECK(!(f & SSE_CPU_NEON), "no NEON on x86");
#elif defined(__aarch64__)
    CHECK(f & SSE_CPU_NEON, "AArch64 has NEON");
    CHECK(simdsse_kernel_supported("neon") == SIMDSSE_OK, "neon runs");
#endif
    printf("cpu features 0x%x, best kernel %s\n", (unsigned)f, simdsse__kernel_best()->name);
}

/* The default: the first kernel of the table this CPU runs, unless
 * $SIMDSSE_KERNEL says otherwise. */
static void test_default(void) {
    const char *best = NULL;
    for (size_t i = 0; simdsse__kernel_at(i) && !best; i++)
        if (runs(simdsse__kernel_at(i))) best = simdsse__kernel_at(i)->name;
    CHECK(best && strcmp(simdsse__kernel_best()->name, best) == 0, "best is the first that runs");

    const char *env = getenv("SIMDSSE_KERNEL");
    simdsse_status env_st = env && *env ? simdsse_kernel_supported(env) : SIMDSSE_OK;
    printf("SIMDSSE_KERNEL=%s (%s)\n", env ? env : "(unset)", simdsse_strerror(env_st));
    const char *want = env && *env && env_st == SIMDSSE_OK ? env : best;
    /* "$SIMDSSE_KERNEL if set and usable, else the best this CPU runs." */
    CHECK(strcmp(simdsse_kernel_default(), want) == 0, "default %s, want %s",
          simdsse_kernel_default(), want);

    /* A parser with no kernel named uses the default, and fails, saying
     * why, when $SIMDSSE_KERNEL names a kernel that cannot run. */
    simdsse_status st;
    const char *got = parser_kernel(NULL, &st);
    if (env_st == SIMDSSE_OK) {
        CHECK(got && strcmp(got, want) == 0, "parser default %s, want %s", got ? got : "-", want);
        simdsse_parser *p = simdsse_parser_create(NULL, NULL);
        CHECK(p && strcmp(simdsse_parser_kernel(p), want) == 0, "NULL options");
        simdsse_parser_destroy(p);
    } else {
        CHECK(!got && st == env_st, "bad $SIMDSSE_KERNEL: status %d, want %d", st, env_st);
        CHECK(simdsse_parser_create(NULL, NULL) == NULL, "NULL options fail too");
        CHECK(simdsse_parse("data: x\n\n", 9, NULL) == env_st, "simdsse_parse");
    }
    /* options.kernel wins over the variable. */
    got = parser_kernel("scalar", &st);
    CHECK(got && strcmp(got, "scalar") == 0 && st == SIMDSSE_OK, "options.kernel beats env");
    /* Read once: changing the variable now changes nothing. */
    setenv("SIMDSSE_KERNEL", "scalar", 1);
    CHECK(strcmp(simdsse_kernel_default(), want) == 0, "cached");
}

int main(void) {
    test_cpu();
    test_table();
    test_default();
    return check_done();
}
