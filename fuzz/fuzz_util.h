/*
 * fuzz_util.h -- what the fuzz targets share: a byte reader over the input,
 * a growable log, a deterministic PRNG, a counting allocator that can fail
 * on request, and an abort that says why.
 * SPDX-License-Identifier: MIT
 *
 * Each target is one .c file including this header; the header holds only
 * static functions so a target builds from its own file plus the library.
 * Whatever a target feeds the library lies flush against an inaccessible
 * page first (tests/guard.h), so a read past it faults, under any engine
 * and in the plain replays too. Targets define _DEFAULT_SOURCE first.
 */
#ifndef SIMDSSE_FUZZ_UTIL_H
#define SIMDSSE_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/guard.h"
#include "simdsse.h"

/* The libFuzzer entry point (also what the replay driver calls). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__GNUC__)
#  define FZ_UNUSED __attribute__((unused))
#else
#  define FZ_UNUSED
#endif

/* A finding: print why and abort, so every engine records a crash. */
#define FZ_ASSERT(cond, ...)                                                  \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* MARK: - Reading the input */

typedef struct fz_in {
    const uint8_t *p;
    size_t len;
} fz_in;

/* The next byte, or 0 once the input is used up. */
static FZ_UNUSED uint8_t fz_u8(fz_in *in) {
    if (!in->len) return 0;
    in->len--;
    return *in->p++;
}

static FZ_UNUSED uint32_t fz_u32(fz_in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | fz_u8(in);
    return v;
}

/* Up to n bytes (fewer at the end of the input). */
static FZ_UNUSED simdsse_span fz_bytes(fz_in *in, size_t n) {
    if (n > in->len) n = in->len;
    simdsse_span s = {(const char *)in->p, n};
    in->p += n;
    in->len -= n;
    return s;
}

/* v copied flush against an inaccessible page (NULL stays NULL); valid
 * until the second fz_guarded on `g` after this one. */
static FZ_UNUSED simdsse_span fz_guarded(guard_buf *g, simdsse_span v) {
    simdsse_span out = {v.ptr ? guard_place(g, v.ptr, v.len) : NULL, v.len};
    return out;
}

/* MARK: - PRNG (xorshift64*): chunkings derived from a few input bytes */

static FZ_UNUSED uint64_t fz_rand(uint64_t *s) {
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* MARK: - A growable byte log */

typedef struct fz_buf {
    uint8_t *p;
    size_t len, cap;
} fz_buf;

static FZ_UNUSED void fz_put(fz_buf *b, const void *src, size_t n) {
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        FZ_ASSERT(p != NULL, "out of memory in the harness");
        b->p = p;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, src, n);
    b->len += n;
}

static FZ_UNUSED void fz_put_u64(fz_buf *b, uint64_t v) { fz_put(b, &v, sizeof v); }

/* A length-prefixed span, so concatenations cannot alias. */
static FZ_UNUSED void fz_put_span(fz_buf *b, simdsse_span s) {
    fz_put_u64(b, s.len);
    fz_put(b, s.ptr, s.len);
}

static FZ_UNUSED void fz_free(fz_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* MARK: - A counting allocator */

/* Tracks bytes held (realloc counted as the block's new size) and their
 * peak, and can refuse the n-th request. */
typedef struct fz_alloc {
    size_t live, peak, calls;
    size_t fail_at; /* refuse the request with this number (1-based); 0 never */
    size_t failed;  /* requests refused */
} fz_alloc;

static void *fz_malloc(void *ctx, size_t size) {
    fz_alloc *a = ctx;
    if (++a->calls == a->fail_at) {
        a->failed++;
        return NULL;
    }
    void *p = malloc(size ? size : 1);
    if (!p) return NULL;
    a->live += size;
    if (a->live > a->peak) a->peak = a->live;
    return p;
}

static void *fz_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size) {
    fz_alloc *a = ctx;
    if (++a->calls == a->fail_at) {
        a->failed++;
        return NULL;
    }
    void *p = realloc(ptr, new_size ? new_size : 1);
    if (!p) return NULL;
    FZ_ASSERT(a->live >= old_size, "realloc of %zu bytes with %zu live", old_size, a->live);
    a->live = a->live - old_size + new_size;
    if (a->live > a->peak) a->peak = a->live;
    return p;
}

static void fz_dealloc(void *ctx, void *ptr, size_t size) {
    fz_alloc *a = ctx;
    FZ_ASSERT(a->live >= size, "free of %zu bytes with %zu live", size, a->live);
    a->live -= size;
    free(ptr);
}

static FZ_UNUSED simdsse_allocator fz_allocator(fz_alloc *a) {
    simdsse_allocator al;
    simdsse_allocator_init(&al);
    al.malloc = fz_malloc;
    al.realloc = fz_realloc;
    al.free = fz_dealloc;
    al.ctx = a;
    return al;
}

/* MARK: - Kernels */

/* The kernels this CPU runs, scalar included, at most `cap`; returns n. */
static FZ_UNUSED size_t fz_kernels(const char **out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; n < cap; i++) {
        const char *name = simdsse_kernel_name_at(i);
        if (!name) break;
        if (simdsse_kernel_supported(name) == SIMDSSE_OK) out[n++] = name;
    }
    return n;
}

#endif /* SIMDSSE_FUZZ_UTIL_H */
