/*
 * test_conformance.c -- the 300 hostile streams of tests/conformance/, each
 * rendered as JSON Lines exactly as `ssecat --json` does, must equal what a
 * browser's EventSource dispatched (tests/conformance/expected/), for every
 * kernel and for several chunkings.
 * SPDX-License-Identifier: MIT
 *
 * usage: test_conformance DIR   (DIR holds cases/ and expected/)
 */
#define _DEFAULT_SOURCE 1        /* MAP_ANONYMOUS (guard.h) */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guard.h"
#include "simdsse.h"

typedef struct text {
    char *ptr;
    size_t len, cap;
} text;

static void append(text *t, const char *s, size_t n) {
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 256;
        t->ptr = realloc(t->ptr, t->cap);
        if (!t->ptr) abort();
    }
    memcpy(t->ptr + t->len, s, n);
    t->len += n;
}

static int render(void *user, const simdsse_event *ev) {
    text *t = user;
    size_t n = 0, m = 0;
    CHECK(simdsse_format_json(ev, NULL, 0, &n) == SIMDSSE_ERR_BUFFER_TOO_SMALL, "size query");
    char *buf = malloc(n + 1);
    if (!buf) abort();
    CHECK(simdsse_format_json(ev, buf, n, &m) == SIMDSSE_OK && m == n,
          "the size query's size is the rendering's");
    append(t, buf, n);
    append(t, "\n", 1);
    free(buf);
    return 0;
}

static int read_file(const char *path, text *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    out->len = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) append(out, buf, n);
    fclose(f);
    if (!out->ptr) append(out, "", 0);
    return 0;
}

/* Parses `in` in chunks of `chunk` bytes (0: whole), each flush against an
 * inaccessible page, and renders the events. */
static void run(const text *in, size_t chunk, const char *kernel, text *out) {
    static guard_buf guard;
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = kernel;
    opt.on_event = render;
    opt.user = out;
    out->len = 0;
    simdsse_parser *p = simdsse_parser_create(&opt, NULL);
    if (!p) abort();
    if (!chunk) chunk = in->len ? in->len : 1;
    for (size_t at = 0; at < in->len; at += chunk) {
        size_t n = in->len - at < chunk ? in->len - at : chunk;
        CHECK(simdsse_parser_feed(p, guard_place(&guard, in->ptr + at, n), n, NULL) == SIMDSSE_OK,
              "feed");
    }
    simdsse_parser_finish(p);
    simdsse_parser_destroy(p);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_conformance DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/cases", argv[1]);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", path);
        return 2;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".sse") != 0) continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    CHECK(n == 300, "300 cases, found %zu", n);

    static const size_t chunks[] = {0, 1, 2, 3, 7, 16, 63, 64, 65, 4096};
    text in = {0}, want = {0}, got = {0};
    size_t cases_ok = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/cases/%s", argv[1], names[i]);
        CHECK(read_file(path, &in) == 0, "read %s", path);
        snprintf(path, sizeof path, "%s/expected/%.*s.jsonl", argv[1],
                 (int)(strlen(names[i]) - 4), names[i]);
        CHECK(read_file(path, &want) == 0, "read %s", path);
        int ok = 1;
        for (size_t k = 0; simdsse_kernel_name_at(k); k++) {
            const char *kernel = simdsse_kernel_name_at(k);
            if (simdsse_kernel_supported(kernel) != SIMDSSE_OK) continue;
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                run(&in, chunks[c], kernel, &got);
                int same = got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0;
                CHECK(same, "%s, kernel %s, chunk %zu:\n--- got\n%.*s--- want\n%.*s", names[i],
                      kernel, chunks[c], (int)(got.len > 2000 ? 2000 : got.len), got.ptr,
                      (int)(want.len > 2000 ? 2000 : want.len), want.ptr);
                ok &= same;
            }
        }
        cases_ok += (size_t)ok;
        free(names[i]);
    }
    printf("%zu of %zu browser-recorded cases equal for every kernel and chunking\n", cases_ok, n);
    free(names);
    free(in.ptr);
    free(want.ptr);
    free(got.ptr);
    return check_done();
}
