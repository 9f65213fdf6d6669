/*
 * ssecat_bench.c -- ssecat --bench: parse speed of each kernel on a file.
 * SPDX-License-Identifier: MIT
 *
 * The file is loaded once; each kernel then parses it over and over through
 * the public API (feed in `chunk`-byte pieces, finish, reset), with a no-op
 * event callback that only counts. After a warm-up that also sizes a batch
 * to about 20 ms, batches run for about a second and the median batch is
 * reported: the machine may be shared, and the median shrugs off a batch
 * that another process interrupted. $SSECAT_BENCH_SECONDS changes the
 * second (the tests use a few milliseconds).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "simdsse.h"
#include "ssecat.h"

#define MAX_BATCHES 256

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the callbacks keep: the events, and the first limit error. */
typedef struct tally {
    uint64_t events;
    simdsse_error first;
} tally;

static int count_event(void *user, const simdsse_event *ev) {
    (void)ev;
    ((tally *)user)->events++;
    return 0;
}

static int first_error(void *user, const simdsse_error *e) {
    tally *t = user;
    if (t->first.status == SIMDSSE_OK) t->first = *e;
    return 0;
}

/* Reads the whole file; NULL (after saying why) on failure. */
static char *load(const char *path, size_t *len) {
    int fd = ssecat_open(path);
    if (fd < 0) return NULL;
    size_t cap = (size_t)1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fputs("ssecat: out of memory\n", stderr);
            break;
        }
        if (n == cap) {
            char *b = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!b) free(buf);
            buf = b;
            cap *= 2;
            continue;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            fprintf(stderr, "ssecat: %s: %s\n", path, strerror(errno));
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

/* One pass over the stream, as a reader of `chunk`-byte reads feeds it;
 * the parser is ready for the next pass afterwards, unless this one failed. */
static simdsse_status pass(simdsse_parser *p, const char *buf, size_t len, size_t chunk) {
    size_t step = chunk ? chunk : len;
    for (size_t at = 0; at < len; at += step) {
        size_t n = len - at < step ? len - at : step;
        simdsse_status st = simdsse_parser_feed(p, buf + at, n, NULL);
        if (st != SIMDSSE_OK) return st;
    }
    simdsse_parser_finish(p);
    simdsse_parser_reset(p);
    return SIMDSSE_OK;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Times one kernel and prints its line; 0, or 1 on a stream error. */
static int bench_kernel(const char *name, const char *path, const char *buf, size_t len,
                        size_t chunk, double seconds) {
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = name;
    tally counts = {0, {SIMDSSE_OK, 0}};
    opt.on_event = count_event;
    opt.on_error = first_error;
    opt.user = &counts;
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&opt, &st);
    if (!p) {
        fprintf(stderr, "ssecat: kernel %s: %s\n", name, simdsse_strerror(st));
        return 1;
    }
    /* The first pass checks the stream: the timed ones do not look. */
    st = pass(p, buf, len, chunk);
    if (st != SIMDSSE_OK) {
        fprintf(stderr, "ssecat: %s: byte %" PRIu64 ": %s\n", path, counts.first.offset,
                simdsse_strerror(st));
        simdsse_parser_destroy(p);
        return 1;
    }
    uint64_t per_pass = counts.events;

    /* Warm-up: double the passes per batch until a batch takes 2% of the
     * budget (20 ms for a second), so the clock is read rarely. */
    uint64_t reps = 1;
    for (;;) {
        double t0 = now();
        for (uint64_t i = 0; i < reps; i++) pass(p, buf, len, chunk);
        if (now() - t0 >= seconds / 50 || reps >= (uint64_t)1 << 40) break;
        reps *= 2;
    }

    double rate[MAX_BATCHES];
    int batches = 0;
    double start = now();
    do {
        double t0 = now();
        for (uint64_t i = 0; i < reps; i++) pass(p, buf, len, chunk);
        double t = now() - t0;
        rate[batches++] = t > 0 ? (double)reps / t : 0; /* passes per second */
    } while (batches < MAX_BATCHES && (batches < 5 || now() - start < seconds));
    qsort(rate, (size_t)batches, sizeof rate[0], cmp_double);
    double passes_per_s = batches % 2 ? rate[batches / 2]
                                      : (rate[batches / 2 - 1] + rate[batches / 2]) / 2;

    printf("kernel=%s gbps=%.2f meps=%.2f events=%" PRIu64 "\n", name,
           passes_per_s * (double)len / 1e9, passes_per_s * (double)per_pass / 1e6, per_pass);
    simdsse_parser_destroy(p);
    return ssecat_flush() ? 1 : 0;
}

int ssecat_bench(const char *path, size_t chunk, const char *kernel) {
    double seconds = 1.0;
    const char *env = getenv("SSECAT_BENCH_SECONDS");
    if (env && *env) {
        char *end;
        double s = strtod(env, &end);
        if (*end || !(s > 0 && s <= 3600)) {
            fprintf(stderr, "ssecat: SSECAT_BENCH_SECONDS='%s' is not a duration\n", env);
            return 2;
        }
        seconds = s;
    }
    size_t len;
    char *buf = load(path, &len);
    if (!buf) return 1;
    int rc = 0;
    if (kernel) {
        rc = bench_kernel(kernel, path, buf, len, chunk, seconds);
    } else {
        for (size_t i = 0; simdsse_kernel_name_at(i) && !rc; i++) {
            const char *k = simdsse_kernel_name_at(i);
            if (simdsse_kernel_supported(k) == SIMDSSE_OK)
                rc = bench_kernel(k, path, buf, len, chunk, seconds);
        }
    }
    free(buf);
    return rc;
}
