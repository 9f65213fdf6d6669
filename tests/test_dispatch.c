/*
 * test_dispatch.c -- which kernel runs: the table, CPU feature detection,
 * the default choice, options.kernel, $SIMDSSE_KERNEL and
 * $SIMDSSE_CPU_DISABLE, for the parser and the writer alike.
 * SPDX-License-Identifier: MIT
 *
 * What to expect is worked out here, never read from the library: each
 * kernel's CPU needs are stated below, the CPU is asked through the
 * compiler's own detection (__builtin_cpu_supports on x86) or the OS's
 * (the AArch64 hwcaps), and $SIMDSSE_CPU_DISABLE is parsed here too. So
 * a kernel offered where it cannot run, or refused where it can, fails on
 * whatever CPU runs the suite, and each outcome is asserted both ways:
 * supported where the CPU has the features, unsupported where it lacks
 * them or $SIMDSSE_CPU_DISABLE takes them away. Both variables are read
 * once per process, so each setting is its own ctest registration
 * (tests/kernels.cmake) running this program.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__aarch64__) && defined(__linux__)
#  include <sys/auxv.h>
#  ifndef HWCAP_ASIMD
#    define HWCAP_ASIMD (1ul << 1)
#  endif
#endif

#include "arch/kernel.h"
#include "check.h"

/* MARK: - Features, the CPU's and the ones switched off */

enum { SSE2, BMI1, BMI2, AVX2, AVX512F, AVX512BW, AVX512VL, POPCNT, NEON, N_FEATURES };
static const char *const feature_names[N_FEATURES] = {
    "sse2", "bmi1", "bmi2", "avx2", "avx512f", "avx512bw", "avx512vl", "popcnt", "neon"};
/* The library's bit for each (cpu.h). */
static const uint32_t lib_bits[N_FEATURES] = {
    SSE_CPU_SSE2,     SSE_CPU_BMI1,     SSE_CPU_BMI2,   SSE_CPU_AVX2, SSE_CPU_AVX512F,
    SSE_CPU_AVX512BW, SSE_CPU_AVX512VL, SSE_CPU_POPCNT, SSE_CPU_NEON};
#define F(x) (1u << (x))
#define ALL_AVX512 (F(AVX512F) | F(AVX512BW) | F(AVX512VL))

/* Whether the CPU (and the OS, for vector state) has feature f, asked
 * without the library. */
static int cpu_has(int f) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_cpu_init();
    switch (f) {
    case SSE2: return __builtin_cpu_supports("sse2") != 0;
    case BMI1: return __builtin_cpu_supports("bmi") != 0;
    case BMI2: return __builtin_cpu_supports("bmi2") != 0;
    case AVX2: return __builtin_cpu_supports("avx2") != 0;
    case AVX512F: return __builtin_cpu_supports("avx512f") != 0;
    case AVX512BW: return __builtin_cpu_supports("avx512bw") != 0;
    case AVX512VL: return __builtin_cpu_supports("avx512vl") != 0;
    case POPCNT: return __builtin_cpu_supports("popcnt") != 0;
    default: return 0;
    }
#elif defined(__aarch64__) && defined(__linux__)
    return f == NEON && (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
#else
    (void)f;
    return 0;
#endif
}

/* What each SIMDSSE_CPU_DISABLE name takes away: a feature and those built
 * on it (no AVX2 without SSE2, no AVX-512 without AVX2). */
static const struct {
    const char *name;
    uint32_t off;
} disable_names[] = {
    {"sse2", F(SSE2) | F(AVX2) | ALL_AVX512},
    {"avx2", F(AVX2) | ALL_AVX512},
    {"avx512", ALL_AVX512},
    {"avx512f", ALL_AVX512},
    {"avx512bw", F(AVX512BW)},
    {"avx512vl", F(AVX512VL)},
    {"popcnt", F(POPCNT)},
    {"bmi1", F(BMI1)},
    {"bmi2", F(BMI2)},
    {"lzcnt", 0}, /* known to the library, used by no kernel */
    {"neon", F(NEON)},
    {"all", ~0u},
};

static uint32_t disabled; /* from $SIMDSSE_CPU_DISABLE */
static uint32_t usable;   /* what the CPU has, less `disabled` */

static void read_disable(void) {
    const char *s = getenv("SIMDSSE_CPU_DISABLE");
    printf("SIMDSSE_CPU_DISABLE=%s\n", s ? s : "(unset)");
    while (s && *s) {
        size_t n = strcspn(s, ",");
        int known = n == 0;
        for (size_t i = 0; i < sizeof disable_names / sizeof disable_names[0]; i++) {
            if (strlen(disable_names[i].name) == n && strncmp(disable_names[i].name, s, n) == 0) {
                disabled |= disable_names[i].off;
                known = 1;
            }
        }
        /* The library ignores names it does not know; a test setting one
         * has a typo and would silently test the wrong level. */
        CHECK(known, "SIMDSSE_CPU_DISABLE names no feature: '%.*s'", (int)n, s);
        s += n + (s[n] == ',');
    }
    for (int f = 0; f < N_FEATURES; f++)
        if (cpu_has(f) && !(disabled & F(f))) usable |= F(f);
}

/* MARK: - Kernels and what each needs */

static const struct need {
    const char *name;
    uint32_t features;
} needs[] = {
/* Best first, as the table must be. */
#if defined(__x86_64__) && defined(__GNUC__)
    {"avx512", ALL_AVX512 | F(BMI1) | F(BMI2)}, /* -mavx512f -mavx512bw -mavx512vl -mbmi -mbmi2 */
    {"avx2", F(AVX2) | F(BMI1) | F(BMI2)},      /* -mavx2 -mbmi -mbmi2 */
    {"sse2", F(SSE2)},                          /* x86-64 baseline */
#  if defined(SIMDSSE_TEST_SIMDE_NEON)
    {"neon", F(SSE2)}, /* NEON intrinsics translated to SSE2 by simde */
#  endif
#elif defined(__aarch64__)
    {"neon", F(NEON)},
#endif
    {"scalar", 0},
};
#define N_NEEDS (sizeof needs / sizeof needs[0])

/* Every documented name, whether compiled in here or not. */
static const char *const all_names[] = {"avx512", "avx2", "sse2", "neon", "scalar"};
#define N_NAMES (sizeof all_names / sizeof all_names[0])

static const struct need *need_of(const char *name) {
    for (size_t i = 0; i < N_NEEDS; i++)
        if (strcmp(needs[i].name, name) == 0) return &needs[i];
    return NULL;
}

/* The status a kernel name must get on this CPU, as far as this file knows. */
static simdsse_status expected(const char *name) {
    const struct need *n = need_of(name);
    if (n) return (usable & n->features) == n->features ? SIMDSSE_OK : SIMDSSE_ERR_KERNEL_UNSUPPORTED;
    for (size_t i = 0; i < N_NAMES; i++)
        if (strcmp(all_names[i], name) == 0) return SIMDSSE_ERR_KERNEL_UNSUPPORTED; /* not built */
    return SIMDSSE_ERR_UNKNOWN_KERNEL;
}

static const char *best_expected(void) {
    for (size_t i = 0; i < N_NEEDS; i++)
        if (expected(needs[i].name) == SIMDSSE_OK) return needs[i].name;
    return NULL;
}

/* What the feature set lacks for a kernel, for the log. */
static const char *lacking(const char *name) {
    static char why[128];
    const struct need *n = need_of(name);
    why[0] = 0;
    for (int f = 0; n && f < N_FEATURES; f++) {
        if (!(n->features & F(f)) || (usable & F(f))) continue;
        size_t at = strlen(why);
        snprintf(why + at, sizeof why - at, "%s%s%s", at ? "," : "", feature_names[f],
                 cpu_has(f) ? " (disabled)" : "");
    }
    return why;
}

/* MARK: - What the library does */

/* The kernel a parser made with options.kernel = kernel uses, or NULL
 * with *st. */
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

/* The same for a writer. */
static const char *writer_kernel(const char *kernel, simdsse_status *st) {
    simdsse_writer_options o;
    simdsse_writer_options_init(&o);
    o.kernel = kernel;
    simdsse_writer *w = simdsse_writer_create(&o, st);
    if (!w) return NULL;
    const char *name = simdsse_writer_kernel(w);
    simdsse_writer_destroy(w);
    return name;
}

/* Both use `kernel` when `want` is OK, else both fail with `want`. */
static void expect_both(const char *kernel, simdsse_status want, const char *want_name,
                        const char *what) {
    simdsse_status pst, wst;
    const char *p = parser_kernel(kernel, &pst);
    const char *w = writer_kernel(kernel, &wst);
    if (want == SIMDSSE_OK) {
        CHECK(p && strcmp(p, want_name) == 0 && pst == SIMDSSE_OK, "%s: parser uses %s, want %s",
              what, p ? p : simdsse_strerror(pst), want_name);
        CHECK(w && strcmp(w, want_name) == 0 && wst == SIMDSSE_OK, "%s: writer uses %s, want %s",
              what, w ? w : simdsse_strerror(wst), want_name);
    } else {
        CHECK(!p && pst == want, "%s: parser %s, status %d, want %d", what, p ? p : "-", pst, want);
        CHECK(!w && wst == want, "%s: writer %s, status %d, want %d", what, w ? w : "-", wst, want);
    }
}

/* MARK: - Tests */

/* Detection against the compiler's (or the OS's) own, and the mask. */
static void test_cpu(void) {
    uint32_t f = simdsse__cpu_features(), raw = simdsse__cpu_detect();
    CHECK(f == simdsse__cpu_features(), "cached value is stable");
#if ((defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)) || defined(__aarch64__)
    for (int i = 0; i < N_FEATURES; i++)
        CHECK(!!(raw & lib_bits[i]) == cpu_has(i), "%s: detected %d, the CPU says %d",
              feature_names[i], !!(raw & lib_bits[i]), cpu_has(i));
#endif
    uint32_t off = disabled == ~0u ? ~0u : 0; /* "all" takes lzcnt too */
    for (int i = 0; i < N_FEATURES; i++)
        if (disabled & F(i)) off |= lib_bits[i];
    CHECK(f == (raw & ~off), "features 0x%x: detected 0x%x less SIMDSSE_CPU_DISABLE's 0x%x",
          (unsigned)f, (unsigned)raw, (unsigned)off);
#if defined(__x86_64__)
    CHECK(cpu_has(SSE2), "every x86-64 CPU has SSE2");
#elif defined(__aarch64__)
    CHECK(cpu_has(NEON), "every AArch64 CPU has AdvSIMD");
#endif
    printf("cpu features 0x%x (detected 0x%x)\n", (unsigned)f, (unsigned)raw);
}

static void test_table(void) {
    size_t n = 0;
    while (simdsse_kernel_name_at(n)) n++;
    CHECK(simdsse_kernel_name_at(n + 5) == NULL, "NULL past the end");
    /* The kernels compiled in are the ones this architecture should have,
     * best first. */
    CHECK(n == N_NEEDS, "%zu kernels compiled in, want %zu", n, N_NEEDS);
    for (size_t i = 0; i < n && i < N_NEEDS; i++) {
        const char *name = simdsse_kernel_name_at(i);
        const sse_kernel *k = simdsse__kernel_at(i);
        CHECK(strcmp(name, needs[i].name) == 0, "entry %zu is %s, want %s", i, name, needs[i].name);
        CHECK(k && strcmp(k->name, name) == 0, "entry %zu", i);
    }
    /* Every documented name, compiled in or not: supported exactly when
     * the CPU has what the kernel needs, for options.kernel too. */
    for (size_t i = 0; i < N_NAMES; i++) {
        const char *name = all_names[i];
        simdsse_status want = expected(name);
        simdsse_status got = simdsse_kernel_supported(name);
        printf("kernel %-7s %s%s%s\n", name, want == SIMDSSE_OK ? "supported" : "unsupported",
               *lacking(name) ? ": lacks " : "", lacking(name));
        CHECK(got == want, "%s: simdsse_kernel_supported %d, want %d", name, got, want);
        char what[64];
        snprintf(what, sizeof what, "options.kernel %s", name);
        expect_both(name, want, name, what);
    }
    CHECK(simdsse_kernel_supported("scalar") == SIMDSSE_OK, "scalar runs everywhere");
    CHECK(simdsse_kernel_supported("avx3") == SIMDSSE_ERR_UNKNOWN_KERNEL, "unknown");
    CHECK(simdsse_kernel_supported("") == SIMDSSE_ERR_UNKNOWN_KERNEL, "empty name");
    CHECK(simdsse_kernel_supported("AVX2") == SIMDSSE_ERR_UNKNOWN_KERNEL, "names are exact");
    CHECK(simdsse_kernel_supported(NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "NULL");
    expect_both("avx3", SIMDSSE_ERR_UNKNOWN_KERNEL, NULL, "options.kernel avx3");
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.kernel = "avx3";
    CHECK(simdsse_parser_create(&o, NULL) == NULL, "create without status fails too");
    CHECK(simdsse_parse("data: x\n\n", 9, &o) == SIMDSSE_ERR_UNKNOWN_KERNEL, "parse");
}

/* The default: the best kernel this CPU runs, unless $SIMDSSE_KERNEL
 * names another; a name that cannot run makes parsers, writers and the
 * writer's one-shot calls all fail the same way. */
static void test_default(void) {
    const char *best = best_expected();
    CHECK(best && strcmp(simdsse__kernel_best()->name, best) == 0, "best kernel %s, want %s",
          simdsse__kernel_best()->name, best ? best : "-");
#if defined(__aarch64__)
    if (!(disabled & F(NEON)))
        CHECK(strcmp(simdsse__kernel_best()->name, "neon") == 0, "AArch64 runs NEON by default");
#endif

    const char *env = getenv("SIMDSSE_KERNEL");
    simdsse_status want = env && *env ? expected(env) : SIMDSSE_OK;
    const char *want_name = env && *env && want == SIMDSSE_OK ? env : best;
    printf("SIMDSSE_KERNEL=%s: expect %s%s%s\n", env ? env : "(unset)",
           want == SIMDSSE_OK ? want_name : simdsse_strerror(want),
           env && *lacking(env) ? ", it lacks " : "", env ? lacking(env) : "");
    /* "$SIMDSSE_KERNEL if set and usable, else the best this CPU runs." */
    CHECK(strcmp(simdsse_kernel_default(), want == SIMDSSE_OK ? want_name : best) == 0,
          "simdsse_kernel_default %s", simdsse_kernel_default());
    expect_both(NULL, want, want_name, "no kernel named");

    simdsse_parser *p = simdsse_parser_create(NULL, NULL);
    simdsse_writer *w = simdsse_writer_create(NULL, NULL);
    CHECK(want == SIMDSSE_OK ? p && w : !p && !w, "NULL options: parser %p, writer %p", (void *)p,
          (void *)w);
    simdsse_parser_destroy(p);
    simdsse_writer_destroy(w);
    CHECK(simdsse_parse("data: x\n\n", 9, NULL) == want, "simdsse_parse");

    /* The writer's calls without a writer use the default kernel too. */
    simdsse_event ev = {{"t", 1}, {"a\nb", 3}, {NULL, 0}, 0};
    char buf[64];
    size_t len = 99, size = 99;
    simdsse_status st = simdsse_format_event(&ev, 0, buf, sizeof buf, &len);
    CHECK(st == want && len == (want == SIMDSSE_OK ? 26u : 0u), "format_event: %d, %zu bytes", st,
          len);
    st = simdsse_format_event(&ev, 0, NULL, 0, &size);
    CHECK(st == (want == SIMDSSE_OK ? SIMDSSE_ERR_BUFFER_TOO_SMALL : want) &&
              size == (want == SIMDSSE_OK ? 26u : 0u),
          "format_event's size query: %d, %zu", st, size);
    st = simdsse_format_comment("c\nd", 3, 0, buf, sizeof buf, &len);
    CHECK(st == want && len == (want == SIMDSSE_OK ? 6u : 0u), "format_comment: %d, %zu", st, len);
    st = simdsse_format_comment("c\nd", 3, 0, NULL, 0, &size);
    CHECK(st == (want == SIMDSSE_OK ? SIMDSSE_ERR_BUFFER_TOO_SMALL : want) &&
              size == (want == SIMDSSE_OK ? 6u : 0u),
          "format_comment's size query: %d, %zu", st, size);

    /* options.kernel wins over the variable, for both. */
    expect_both("scalar", SIMDSSE_OK, "scalar", "options.kernel beats $SIMDSSE_KERNEL");

    /* Read once: changing either variable now changes nothing. */
    uint32_t f = simdsse__cpu_features();
    setenv("SIMDSSE_KERNEL", "scalar", 1);
    setenv("SIMDSSE_CPU_DISABLE", "all", 1);
    CHECK(strcmp(simdsse_kernel_default(), want == SIMDSSE_OK ? want_name : best) == 0, "cached");
    CHECK(simdsse__cpu_features() == f, "features cached");
    expect_both(NULL, want, want_name, "after setenv");
}

int main(void) {
    read_disable();
    test_cpu();
    test_table();
    test_default();
    return check_done();
}
