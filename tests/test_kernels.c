/*
 * test_kernels.c -- every kernel this machine can run agrees with the
 * scalar reference: record for record at the kernel level (scan records,
 * *next, resumption after `cap`, find_eol), and event for event, byte for
 * byte at the parser level, whatever the chunking and alignment.
 * The scalar kernel itself is first held to a byte-at-a-time oracle.
 * SPDX-License-Identifier: MIT
 *
 * Inputs are seeded random streams built to hit what SIMD code gets wrong:
 * all line-end styles, CRLF split by a 64-byte block boundary, a CR as the
 * last byte, lines of 63/64/65 bytes, long lines across blocks and chunks,
 * colons everywhere, NULs, BOMs and invalid UTF-8. Every buffer is copied to
 * a heap block of exactly its size, at each start alignment, so ASan sees a
 * kernel reading one byte too far, and flush against a PROT_NONE page, so
 * every build does.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <stdio.h>
#include <string.h>

#include "arch/kernel.h"
#include "check.h"
#include "collect.h"

/* MARK: - Random streams */

static uint64_t rng_state;
static uint64_t rnd(void) {
    /* xorshift64*: small, seeded, and the same on every platform. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static size_t below(size_t n) { return (size_t)(rnd() % n); }

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n) {
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 64;
        t->p = realloc(t->p, t->cap);
        if (!t->p) abort();
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
}
static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }
static void putc_(text *t, char c) { put(t, &c, 1); }

static void put_eol(text *t, int style) {
    static const char *const eols[] = {"\n", "\r", "\r\n"};
    puts_(t, eols[style < 0 ? (int)below(3) : style]);
}

/* Value bytes, mostly printable, with some of everything else. */
static void put_value(text *t, size_t n, int hostile) {
    static const char printable[] = "abcdefghijklmnopqrstuvwxyz {}\"0123456789,.-_";
    for (size_t i = 0; i < n; i++) {
        size_t r = below(100);
        if (hostile && r < 6)
            putc_(t, ':');
        else if (hostile && r < 8)
            putc_(t, '\0');
        else if (hostile && r < 11)
            putc_(t, (char)(0x80 + below(128))); /* invalid UTF-8 on its own */
        else if (hostile && r < 12)
            puts_(t, "\xEF\xBB\xBF");
        else
            putc_(t, printable[below(sizeof printable - 1)]);
    }
}

/* A line of exactly `n` bytes before its terminator, colon at `colon`
 * (or none when colon >= n). */
static void put_sized_line(text *t, size_t n, size_t colon, int eol) {
    for (size_t i = 0; i < n; i++) putc_(t, i == colon ? ':' : (char)('a' + below(26)));
    put_eol(t, eol);
}

static void gen_stream(text *t, size_t target, int eol_style) {
    /* The four names, and near misses of each. */
    static const char *const fields[] = {"data", "data", "data", "event", "id", "retry", "",
                                         "dat",  "data ", "datum", "d", "x", "ID", "Data",
                                         "events", "even", "i", "idx", "retryy", "retr"};
    if (below(8) == 0) puts_(t, below(2) ? "\xEF\xBB\xBF" : "\xEF\xBB");
    while (t->len < target) {
        size_t kind = below(20);
        if (kind < 8) { /* a field line, maybe with a space after the colon */
            puts_(t, fields[below(sizeof fields / sizeof fields[0])]);
            if (below(6)) putc_(t, ':');
            if (below(2)) putc_(t, ' ');
            size_t n = below(4) ? below(40) : below(300); /* sequenced: same stream */
            put_value(t, n, below(3) == 0);                /* with every compiler */
            put_eol(t, eol_style);
        } else if (kind < 11) { /* blank line: dispatch */
            put_eol(t, eol_style);
        } else if (kind < 13) { /* comment */
            putc_(t, ':');
            put_value(t, below(30), 1);
            put_eol(t, eol_style);
        } else if (kind < 15) { /* exactly 63, 64 or 65 bytes, with a terminator */
            size_t n = 62 + below(5);
            put_sized_line(t, n, below(2) ? 4 : below(n + 8), eol_style);
        } else if (kind < 16) { /* a long line spanning several blocks */
            puts_(t, "data: ");
            put_value(t, 100 + below(400), 1);
            put_eol(t, eol_style);
        } else if (kind < 17) { /* runs of line ends */
            for (size_t i = below(6); i > 0; i--) put_eol(t, eol_style);
        } else if (kind < 18) { /* the LLM shape */
            puts_(t, "event: content_block_delta");
            put_eol(t, eol_style);
            puts_(t, "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"");
            put_value(t, below(20), 0);
            puts_(t, "\"}}");
            put_eol(t, eol_style);
            put_eol(t, eol_style);
        } else { /* colons everywhere */
            for (size_t i = below(70); i > 0; i--) putc_(t, below(3) ? ':' : 'a');
            put_eol(t, eol_style);
        }
    }
}

/* MARK: - Kernel level */

/* The byte-at-a-time oracle the scalar kernel is held to. */
static size_t oracle_scan(const char *b, size_t len, sse_line *out, size_t cap, size_t *next) {
    size_t n = 0, start = 0;
    for (size_t i = 0; i < len && n < cap; i++) {
        if (b[i] != '\r' && b[i] != '\n') continue;
        out[n].start = (uint32_t)start;
        out[n].end = (uint32_t)i;
        n++;
        if (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') i++;
        start = i + 1;
    }
    *next = start;
    return n;
}

static const sse_kernel oracle = {"oracle", 0, oracle_scan, NULL};

static const sse_kernel *kernels[8];
static size_t n_kernels;

static int same_lines(const sse_line *a, const sse_line *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i].start != b[i].start || a[i].end != b[i].end) return 0;
    return 1;
}

#define MAXREC 4096
static sse_line want[MAXREC], got[MAXREC];

/* One scan of buf by k against the reference ref, with capacity cap, then
 * the resumptions after each stop, until the buffer is done. */
static void compare_scan(const sse_kernel *k, const sse_kernel *ref, const char *buf, size_t len,
                         size_t cap, const char *what) {
    size_t at = 0, calls = 0;
    for (;;) {
        size_t wn, gn, wnext = 12345, gnext = 54321;
        wn = ref->scan(buf + at, len - at, want, cap, &wnext);
        gn = k->scan(buf + at, len - at, got, cap, &gnext);
        int ok = wn == gn && wnext == gnext && same_lines(want, got, wn);
        CHECK(ok, "%s: kernel %s vs %s, len %zu, cap %zu, at %zu: %zu/%zu records, next %zu/%zu",
              what, k->name, ref->name, len, cap, at, gn, wn, gnext, wnext);
        if (!ok || wn < cap || wnext == len - at) break;
        at += wnext;
        if (++calls > len + 1) {
            CHECK(0, "%s: %s makes no progress", what, k->name);
            break;
        }
    }
}

static void compare_find_eol(const sse_kernel *k, const char *buf, size_t len, const char *what) {
    for (size_t from = 0; from <= len; from += 1 + from / 16) {
        size_t w = simdsse__kernel_scalar.find_eol(buf + from, len - from);
        size_t g = k->find_eol(buf + from, len - from);
        CHECK(w == g, "%s: %s find_eol(len %zu) = %zu, scalar %zu", what, k->name, len - from, g,
              w);
    }
}

/* A heap copy of exactly len bytes at `align` bytes past a malloc'd start:
 * the block ends where the buffer ends. */
static char *placed(const char *src, size_t len, size_t align, char **block) {
    *block = malloc(len + align + 1);
    if (!*block) abort();
    char *p = *block + align;
    if (len) memcpy(p, src, len);
    /* Move the buffer to the very end so any read past it is a heap overflow. */
    memmove(*block + align + 1, p, len);
    return *block + align + 1;
}

static void kernel_checks(const char *src, size_t len, size_t align, const char *what) {
    static const size_t caps[] = {1, 2, 3, 5, 17, 256, MAXREC};
    static guard_buf guard;
    char *block;
    /* Each buffer twice: at `align` in a heap block that ends where it ends
     * (ASan and valgrind see a byte read too far), with every cap; and
     * flush against an inaccessible page (any build faults on it: the qemu
     * runs of NEON too), with the smallest cap (a resumption after every
     * line, each scan running to the end) and the largest. */
    const char *bufs[2] = {placed(src, len, align, &block), guard_place(&guard, src, len)};
    for (int b = 0; b < 2; b++) {
        const char *buf = bufs[b];
        size_t n_caps = sizeof caps / sizeof caps[0];
        for (size_t c = 0; c < n_caps; c += b ? n_caps - 1 : 1) {
            /* The reference is first checked against the oracle... */
            compare_scan(&simdsse__kernel_scalar, &oracle, buf, len, caps[c], what);
            /* ...then every kernel against the reference, and each kernel's
             * short-line variant (what the parser switches to when lines
             * are short) too. */
            for (size_t i = 0; i < n_kernels; i++) {
                compare_scan(kernels[i], &simdsse__kernel_scalar, buf, len, caps[c], what);
                compare_scan(simdsse__kernel_short(kernels[i]), &simdsse__kernel_scalar, buf, len,
                             caps[c], what);
            }
        }
        for (size_t i = 0; i < n_kernels; i++) compare_find_eol(kernels[i], buf, len, what);
    }
    free(block);
}

/* Random streams, every prefix length up to 260 bytes, at rotating start
 * alignments; longer streams whole, at every alignment. */
static void test_random_kernel_level(void) {
    text t = {0};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        rng_state = seed * 0x9E3779B97F4A7C15ull;
        t.len = 0;
        gen_stream(&t, 300 + below(3000), seed % 4 == 0 ? -1 : (int)(seed % 3));
        char what[64];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
        for (size_t n = 0; n <= 260 && n <= t.len; n++) kernel_checks(t.p, n, (n + seed) % 64, what);
        for (size_t align = 0; align < 64; align += seed < 4 ? 1 : 13)
            kernel_checks(t.p, t.len, align, what);
    }
    free(t.p);
}

/* A CR at every position 0..200 (so at the last byte of each 64-byte block),
 * followed by LF, by another CR, by text, or by the buffer's end; and lone
 * LFs at the first byte of blocks. */
static void test_block_boundaries(void) {
    char buf[300];
    static const char follow[] = {'\n', '\r', 'x', ':'};
    for (size_t p = 0; p < 200; p++) {
        for (size_t f = 0; f < sizeof follow; f++) {
            for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i % 7 == 3 ? ':' : 'a' + i % 26);
            buf[p] = '\r';
            buf[p + 1] = follow[f];
            char what[64];
            snprintf(what, sizeof what, "CR at %zu then 0x%02x", p, (unsigned)(uint8_t)follow[f]);
            kernel_checks(buf, p + 2 + (p % 5) * 17, 0, what);
            kernel_checks(buf, p + 1, 0, what); /* the CR is the last byte */
            kernel_checks(buf, p + 2, 3, what); /* the follower is the last byte */
        }
    }
    /* Every line length 0..140 with every terminator, repeated: block
     * boundaries fall at every offset inside lines and terminators. */
    text t = {0};
    for (size_t n = 0; n <= 140; n++) {
        for (int eol = 0; eol < 3; eol++) {
            t.len = 0;
            rng_state = n * 3 + (uint64_t)eol + 1;
            for (int rep = 0; rep < 5; rep++) put_sized_line(&t, n, below(n + 2), eol);
            char what[64];
            snprintf(what, sizeof what, "lines of %zu, eol %d", n, eol);
            kernel_checks(t.p, t.len, n % 64, what);
        }
    }
    free(t.p);
}

/* The scalar kernel reads eight bytes at a time (SWAR), where a borrow out
 * of a matching byte can flag the byte after it falsely: a CR or LF at
 * every position of the first 24 bytes, after and before the bytes that
 * differ from CR or LF in the lowest bit (0x0C, 0x0B), their high-bit twins
 * and NUL/0xFF, so that on either byte order the first match must win. */
static void test_swar_corners(void) {
    static const char tricky[] = {0x0C, 0x0B, 0x0E, 0x09, (char)0x8D, (char)0x8A, 0x00,
                                  (char)0xFF, 0x01, 'a'};
    char buf[32];
    for (size_t len = 1; len <= 24; len++) {
        for (size_t p = 0; p < len; p++) {
            for (size_t t = 0; t < sizeof tricky; t++) {
                for (int eol = 0; eol < 2; eol++) {
                    for (size_t i = 0; i < len; i++) buf[i] = tricky[(t + i * 3) % sizeof tricky];
                    buf[p] = eol ? '\n' : '\r';
                    if (p > 0) buf[p - 1] = eol ? 0x0B : 0x0C; /* one bit from a match */
                    if (p + 1 < len) buf[p + 1] = tricky[t];
                    char what[64];
                    snprintf(what, sizeof what, "SWAR: len %zu, %s at %zu, byte 0x%02x", len,
                             eol ? "LF" : "CR", p, (unsigned)(uint8_t)tricky[t]);
                    kernel_checks(buf, len, p % 8, what);
                }
            }
        }
    }
}

/* MARK: - Parser level */

static int parse_with(collected *c, const char *kernel, const char *in, size_t len, size_t chunk,
                      size_t shift) {
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.kernel = kernel;
    /* Small limits too, so limit errors (and where they trip) are compared. */
    if (chunk % 3 == 1) {
        o.max_line_length = 200;
        o.max_data_length = 300;
        o.max_id_length = 20;
        o.max_type_length = 20;
    }
    return collect_parse(c, in, len, chunk, shift, &o);
}

static void compare_parse(const char *in, size_t len, size_t chunk, size_t shift, const char *what) {
    collected want_c, got_c;
    parse_with(&want_c, "scalar", in, len, chunk, shift);
    for (size_t i = 0; i < n_kernels; i++) {
        parse_with(&got_c, kernels[i]->name, in, len, chunk, shift);
        CHECK(collected_eq(&want_c, &got_c),
              "%s: parser with %s differs from scalar (chunk %zu, shift %zu): %zu/%zu events, "
              "first error %d/%d",
              what, kernels[i]->name, chunk, shift, got_c.n, want_c.n, got_c.first_error,
              want_c.first_error);
        collected_free(&got_c);
    }
    collected_free(&want_c);
}

static void test_random_parser_level(void) {
    text t = {0};
    static const size_t big_chunks[] = {4096, 65536, 0};
    for (uint64_t seed = 100; seed < 106; seed++) {
        rng_state = seed * 0x9E3779B97F4A7C15ull;
        t.len = 0;
        gen_stream(&t, seed < 102 ? 1200 : 600 + below(1200), seed % 4 == 0 ? -1 : (int)(seed % 3));
        char what[64];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)seed);
        /* Every chunk size 1..129; the first two streams at every shift of
         * the chunk boundaries (and so of the chunks' start addresses:
         * collect.h) for each, the others at shifts spread over 0..63. */
        for (size_t chunk = 1; chunk <= 129; chunk++) {
            if (seed < 102) {
                for (size_t shift = 0; shift < 64; shift++)
                    compare_parse(t.p, t.len, chunk, shift, what);
            } else {
                compare_parse(t.p, t.len, chunk, (chunk * 7 + seed) % 64, what);
            }
        }
        for (size_t i = 0; i < sizeof big_chunks / sizeof big_chunks[0]; i++)
            for (size_t shift = 0; shift < 64; shift++)
                compare_parse(t.p, t.len, big_chunks[i], shift, what);
    }
    /* A longer stream, whole and in large chunks: several kernel batches
     * (256 records) and lines longer than 4 KiB. */
    rng_state = 7;
    t.len = 0;
    gen_stream(&t, 200000, -1);
    puts_(&t, "data: ");
    put_value(&t, 9000, 1);
    puts_(&t, "\r");
    gen_stream(&t, 260000, 2);
    for (size_t i = 0; i < sizeof big_chunks / sizeof big_chunks[0]; i++)
        compare_parse(t.p, t.len, big_chunks[i], i * 21, "long stream");
    compare_parse(t.p, t.len, 1000, 5, "long stream");
    free(t.p);
}

/* CRLF split by a chunk boundary and by a block boundary at once, in every
 * position, in a stream of LLM-shaped events. */
static void test_crlf_at_chunk_ends(void) {
    text t = {0};
    rng_state = 99;
    gen_stream(&t, 700, 2); /* CRLF everywhere */
    for (size_t chunk = 60; chunk <= 70; chunk++)
        for (size_t shift = 0; shift < 64; shift++) compare_parse(t.p, t.len, chunk, shift, "crlf");
    free(t.p);
}

int main(void) {
    for (size_t i = 0; simdsse__kernel_at(i); i++) {
        const sse_kernel *k = simdsse__kernel_at(i);
        simdsse_status st;
        if (k == &simdsse__kernel_scalar) continue;
        if (simdsse__kernel_lookup(k->name, &st) == k)
            kernels[n_kernels++] = k;
        else
            printf("kernel %s: not run here (%s)\n", k->name, simdsse_strerror((int)st));
    }
    printf("kernels compared with scalar:");
    for (size_t i = 0; i < n_kernels; i++) printf(" %s", kernels[i]->name);
    printf("\n");
    test_block_boundaries();
    test_swar_corners();
    test_random_kernel_level();
    test_random_parser_level();
    test_crlf_at_chunk_ends();
    return check_done();
}
