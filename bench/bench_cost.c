/*
 * bench_cost.c -- fixed workloads for counting instructions with callgrind,
 * the way versions are compared on shared machines (bench/cost.py runs it).
 * SPDX-License-Identifier: MIT
 *
 *   bench_cost scan KERNEL CORPUS        kernel->scan over the corpus, as the
 *                                        parser calls it (256 records a call)
 *   bench_cost scan-short KERNEL CORPUS  the same with its short-line variant
 *   bench_cost floor KERNEL CORPUS       bench/floor.c on the same bytes
 *   bench_cost find-eol KERNEL CORPUS    kernel->find_eol on each line's bytes
 *                                        (terminator excluded), as the writer
 *                                        calls it on values
 *   bench_cost parse KERNEL CORPUS READ  one parser fed the corpus in reads:
 *                                        whole, event (one piece each), or N bytes
 *   bench_cost parse-pull KERNEL CORPUS READ  the same through the pull API
 *                                        (push, then SIMDSSE_PARSER_FOREACH)
 *   bench_cost validate CORPUS READ      the validator, fed the same way
 *
 * Only cost_measured() does the work; run it under
 *   valgrind --tool=callgrind --toggle-collect=cost_measured ...
 * and divide the instructions by the units printed on stdout (bytes, blocks,
 * lines, events, feeds). The corpus is 4 MiB of seed 1 (bench/corpus.h).
 * The scan and floor modes reach the library's internals (src/arch).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/kernel.h"
#include "corpus.h"
#include "floor.h"
#include "stream.h"

typedef struct job {
    const char *what, *kernel;
    const char *buf;
    size_t len;
    const size_t *ends; /* piece ends, for reads of one event */
    size_t pieces;
    size_t read;        /* bytes per read; 0: whole, SIZE_MAX: one piece */
    const sse_line *recs; /* find-eol: the lines, from the reference */
    uint64_t lines, events, feeds, found;
} job;

static int count_event(void *user, const simdsse_event *ev) {
    (void)ev;
    ((job *)user)->events++;
    return 0;
}

/* The kernel's scan over buf, resumed where each call stopped. */
static uint64_t scan_all(const sse_kernel *k, const char *buf, size_t len) {
    sse_line recs[256];
    uint64_t lines = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t next;
        size_t n = k->scan(buf + pos, len - pos, recs, 256, &next);
        lines += n;
        if (n == 0) break; /* an unfinished last line */
        pos += next;
    }
    return lines;
}

/* The length of the read at `at`: the rest, the next piece, or j->read bytes. */
static size_t next_read(job *j, size_t at, size_t *piece) {
    j->feeds++;
    if (j->read == SIZE_MAX) return j->ends[(*piece)++] - at;
    if (j->read == 0 || j->len - at < j->read) return j->len - at;
    return j->read;
}

__attribute__((noinline)) static int cost_measured(job *j) {
    if (strcmp(j->what, "scan") == 0 || strcmp(j->what, "scan-short") == 0) {
        simdsse_status st;
        const sse_kernel *k = simdsse__kernel_lookup(j->kernel, &st);
        if (!k) return -1;
        if (j->what[4]) k = simdsse__kernel_short(k);
        j->lines = scan_all(k, j->buf, j->len);
    } else if (strcmp(j->what, "find-eol") == 0) {
        simdsse_status st;
        const sse_kernel *k = simdsse__kernel_lookup(j->kernel, &st);
        if (!k) return -1;
        for (uint64_t i = 0; i < j->lines; i++)
            j->found += k->find_eol(j->buf + j->recs[i].start, j->recs[i].end - j->recs[i].start);
    } else if (strcmp(j->what, "floor") == 0) {
        static uint32_t ring[FLOOR_RING];
        floor_fn f = floor_for(j->kernel);
        if (!f || simdsse_kernel_supported(j->kernel) != SIMDSSE_OK) return -1;
        j->found = f(j->buf, j->len / 64 * 64, ring);
    } else if (strcmp(j->what, "parse") == 0 || strcmp(j->what, "parse-pull") == 0) {
        int pull = j->what[5] != '\0';
        simdsse_parser *p = stream_open(j->kernel, pull ? NULL : count_event, j);
        if (!p) return -1;
        int bad = 0;
        for (size_t at = 0, piece = 0, n; at < j->len; at += n) {
            n = next_read(j, at, &piece);
            bad |= pull ? stream_pull(p, j->buf + at, n, &j->events)
                        : stream_feed(p, j->buf + at, n);
        }
        stream_end(p);
        stream_close(p);
        if (bad) return -1;
    } else if (strcmp(j->what, "validate") == 0) {
        simdsse_validator *v = validator_open();
        if (!v) return -1;
        for (size_t at = 0, piece = 0, n; at < j->len; at += n) {
            n = next_read(j, at, &piece);
            validator_feed(v, j->buf + at, n);
        }
        j->found = validator_end(v);
        validator_close(v);
    } else {
        return -1;
    }
    return 0;
}

static int usage(void) {
    fputs("usage: bench_cost scan|scan-short|floor|find-eol KERNEL CORPUS\n"
          "       bench_cost parse|parse-pull KERNEL CORPUS whole|event|BYTES\n"
          "       bench_cost validate CORPUS whole|event|BYTES\n",
          stderr);
    return 2;
}

int main(int argc, char **argv) {
    job j;
    memset(&j, 0, sizeof j);
    if (argc < 3) return usage();
    j.what = argv[1];
    int validate = strcmp(j.what, "validate") == 0;
    int reads = validate || strcmp(j.what, "parse") == 0 || strcmp(j.what, "parse-pull") == 0;
    if (argc != 4 + (reads && !validate)) return usage();
    if (!validate) j.kernel = argv[2];
    int shape = corpus_shape_from_name(argv[validate ? 2 : 3]);
    if (shape < 0) return usage();
    if (reads) {
        const char *r = argv[argc - 1];
        j.read = strcmp(r, "whole") == 0   ? 0
                 : strcmp(r, "event") == 0 ? SIZE_MAX
                                           : (size_t)strtoull(r, NULL, 10);
        if (j.read == 0 && strcmp(r, "whole") != 0) return usage();
    }
    size_t *ends = NULL;
    char *buf = corpus_make_pieces((corpus_shape)shape, (size_t)4 << 20, 1, &j.len, NULL, &ends,
                                   &j.pieces);
    if (!buf) return 1;
    j.buf = buf;
    j.ends = ends;
    sse_line *recs = NULL;
    if (strcmp(j.what, "find-eol") == 0) {
        /* Every line, found by the reference outside the measured part. */
        simdsse_status st;
        const sse_kernel *ref = simdsse__kernel_lookup("scalar", &st);
        recs = malloc((j.len / 2 + 1) * sizeof *recs);
        size_t next;
        if (!recs) return 1;
        j.lines = ref->scan(j.buf, j.len, recs, j.len / 2 + 1, &next);
        j.recs = recs;
    }
    int rc = cost_measured(&j);
    if (rc) {
        fprintf(stderr, "bench_cost: %s %s: not available here\n", j.what, j.kernel ? j.kernel : "");
        return 1;
    }
    if (!j.lines) { /* every mode reports lines: count them with the reference */
        simdsse_status st;
        j.lines = scan_all(simdsse__kernel_lookup("scalar", &st), j.buf, j.len);
    }
    printf("bytes=%zu blocks=%zu lines=%" PRIu64 " events=%" PRIu64 " feeds=%" PRIu64
           " pieces=%zu found=%" PRIu64 "\n",
           j.len, j.len / 64, j.lines, j.events, j.feeds, j.pieces, j.found);
    free(recs);
    free(buf);
    free(ends);
    return 0;
}
