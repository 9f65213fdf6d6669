/*
 * test_pull.c -- the pull API reports exactly what the callbacks report, in
 * the same order, with the getters agreeing, for any chunking; and its own
 * contract (push/next statuses, zero copy, memory, running out of memory).
 * SPDX-License-Identifier: MIT
 *
 * usage: test_pull CONFORMANCE_DIR   (the directory holding cases/)
 *
 * The differential part runs every standard vector, every WPT format
 * stream, the 300 browser-recorded conformance streams and a hostile set
 * (limits tripping in every field, over-long lines across chunks, CR and
 * NUL floods, ids and retries on every event, multi-line data, random
 * mixtures) with every kernel this CPU runs, three sets of limits and many
 * chunkings. Each chunk is copied to its own heap block, freed as soon as
 * the API lets it go (after feed returns; after next says NEED_INPUT), so
 * that ASan catches a span kept into it. Reference: the callbacks, the
 * scalar kernel, the whole stream in one feed.
 */
#define _POSIX_C_SOURCE 200809L /* opendir */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "itemlog.h"
#include "vectors.h"

static const test_vector spec_vectors[] = {
#include "vectors_spec.inc"
};
static const test_vector wpt_vectors[] = {
#include "vectors_wpt.inc"
};

/* MARK: - Inputs */

typedef struct input {
    char name[64];
    char *p;
    size_t len;
} input;

static input *inputs;
static size_t n_inputs, cap_inputs;

static void add_input(const char *name, const char *p, size_t len) {
    if (n_inputs == cap_inputs) {
        cap_inputs = cap_inputs ? cap_inputs * 2 : 512;
        inputs = realloc(inputs, cap_inputs * sizeof *inputs);
        if (!inputs) abort();
    }
    input *in = &inputs[n_inputs++];
    snprintf(in->name, sizeof in->name, "%s", name);
    in->p = malloc(len + 1);
    if (!in->p) abort();
    if (len) memcpy(in->p, p, len);
    in->len = len;
}

typedef il_bytes text;

static void text_put(text *t, const char *s, size_t n) { il_put(t, s, n); }
static void text_str(text *t, const char *s) { text_put(t, s, strlen(s)); }
static void text_rep(text *t, char c, size_t n) {
    for (size_t i = 0; i < n; i++) text_put(t, &c, 1);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random stream of every kind of line, with random line ends. */
static void random_stream(text *t, size_t lines) {
    static const char *const eols[] = {"\n", "\r", "\r\n"};
    static const tv_bytes pieces[] = {
        TV("data: x"),  TV("data:"),  TV("data: hello world"), TV("data:  two spaces"),
        TV("event: delta"), TV("event:"), TV("id: 7"), TV("id:"), TV("id: a\0b"),
        TV("retry: 1500"), TV("retry: x"), TV(": ping"), TV(":"), TV("data"),
        TV("event: a-much-longer-type"), TV(""), TV(""), TV(""), TV("unknown: y"),
        TV("\xEF\xBB\xBF" "data: bom"),
    };
    for (size_t i = 0; i < lines; i++) {
        uint64_t r = rnd();
        size_t k = r % (sizeof pieces / sizeof pieces[0]);
        text_put(t, pieces[k].ptr, pieces[k].len);
        if ((r >> 8) % 16 == 0) text_rep(t, 'z', (size_t)((r >> 16) % 200)); /* long values */
        text_str(t, eols[(r >> 32) % 3]);
    }
}

static void add_text(const char *name, text *t) {
    add_input(name, t->p ? t->p : "", t->len);
    free(t->p);
    memset(t, 0, sizeof *t);
}

/* Streams built to stress what the pull queue must get right: items whose
 * spans live in the parser (multi-line data, types carried across chunks),
 * getters that change (ids, retries) right after queued items, limit
 * errors in every field, lines over the limit across many chunks. */
static void add_hostile(void) {
    text t = {0};
    for (int i = 0; i < 200; i++) text_str(&t, "id: 1\ndata: a\n\nid: 22\ndata: b\n\n");
    add_text("hostile/id-every-event", &t);
    for (int i = 0; i < 200; i++) text_str(&t, "retry: 10\ndata: a\n\nretry: 20\n: c\ndata: b\n\n");
    add_text("hostile/retry-every-event", &t);
    for (int i = 0; i < 100; i++) text_str(&t, "data: a\ndata: bb\ndata: ccc\n\ndata: single\n\n");
    add_text("hostile/multi-line-data", &t);
    for (int i = 0; i < 100; i++)
        text_str(&t, "event: t\ndata: 1\n\nevent: tt\ndata: 2\ndata: 3\n\n");
    add_text("hostile/types", &t);
    for (int i = 0; i < 300; i++) text_str(&t, "data: x\n\n");
    add_text("hostile/tiny-events", &t);
    text_str(&t, "data: ");
    text_rep(&t, 'L', 100000);
    text_str(&t, "\n\ndata: after\n\n");
    add_text("hostile/long-line", &t);
    text_str(&t, "data: x\n");
    text_rep(&t, 'N', 50000); /* no line end at all */
    add_text("hostile/unterminated-long-line", &t);
    for (int i = 0; i < 500; i++) text_str(&t, "data: 0123456789\n");
    text_str(&t, "\ndata: after\n\n");
    add_text("hostile/many-data-lines", &t);
    text_rep(&t, '\r', 5000);
    text_str(&t, "data: x\r\r");
    add_text("hostile/cr-flood", &t);
    text_put(&t, "data: \0\0\0\n\nid: \0\ndata: y\n\n:\0\n\n", 27);
    text_rep(&t, '\0', 3000);
    add_text("hostile/nul-flood", &t);
    for (int i = 0; i < 200; i++) {
        text_str(&t, "event: ");
        text_rep(&t, 'T', (size_t)(i % 40));
        text_str(&t, "\nid: ");
        text_rep(&t, 'I', (size_t)(i % 30));
        text_str(&t, "\ndata: ");
        text_rep(&t, 'D', (size_t)(i % 50));
        text_str(&t, i % 3 ? "\n\n" : "\ndata: more\n\n");
    }
    add_text("hostile/growing-fields", &t);
    text_str(&t, "\xEF\xBB");
    add_text("hostile/bom-prefix-only", &t);
    text_str(&t, "\xEF\xBB" "data: not a bom\n\n");
    add_text("hostile/bom-prefix-then-data", &t);
    text_put(&t, "data: \xC3\x28\xA0\xA1\xE2\x82\n\xF0\x90\x80\n\n", 18);
    add_text("hostile/invalid-utf8", &t);
    for (int i = 0; i < 8; i++) {
        char name[32];
        rng_state = 1000 + (uint64_t)i;
        random_stream(&t, 400);
        snprintf(name, sizeof name, "hostile/random-%d", i);
        add_text(name, &t);
    }
}

static void add_vectors(void) {
    for (size_t i = 0; i < sizeof spec_vectors / sizeof spec_vectors[0]; i++)
        add_input(spec_vectors[i].name, spec_vectors[i].input.ptr, spec_vectors[i].input.len);
    for (size_t i = 0; i < sizeof wpt_vectors / sizeof wpt_vectors[0]; i++)
        add_input(wpt_vectors[i].name, wpt_vectors[i].input.ptr, wpt_vectors[i].input.len);
}

static int add_conformance(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cases", dir);
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    size_t before = n_inputs;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".sse")) continue;
        char file[4400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        FILE *f = fopen(file, "rb");
        if (!f) continue;
        text t = {0};
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) text_put(&t, buf, n);
        fclose(f);
        char name[64];
        snprintf(name, sizeof name, "conformance/%.40s", e->d_name);
        add_text(name, &t);
    }
    closedir(d);
    return (int)(n_inputs - before);
}

/* MARK: - Runs */

/* Chunk sizes: a fixed size, or (negative) a random sequence from a seed. */
static const long chunkings[] = {0, 1, 2, 3, 5, 7, 16, 63, 64, 65, 4096, -1, -2};
#define N_CHUNKINGS (sizeof chunkings / sizeof chunkings[0])

typedef struct chunker {
    long how;
    uint64_t state;
} chunker;

static size_t next_chunk(chunker *c, size_t left) {
    size_t n;
    if (c->how == 0) {
        n = left;
    } else if (c->how > 0) {
        n = (size_t)c->how;
    } else {
        uint64_t z = (c->state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ull;
        z ^= z >> 29;
        switch (z % 4) {
        case 0: n = 0; break; /* empty chunks in between */
        case 1: n = 1 + (z >> 8) % 4; break;
        case 2: n = 1 + (z >> 8) % 64; break;
        default: n = 1 + (z >> 8) % 1024; break;
        }
    }
    return n < left ? n : left;
}

/* A fresh heap copy of a chunk (flush against its end for ASan). */
static char *chunk_copy(const char *s, size_t n) {
    char *b = malloc(n ? n : 1);
    if (!b) abort();
    if (n) memcpy(b, s, n);
    return b;
}

/* Callbacks; pull with simdsse_parser_next; pull and feed chunk by chunk
 * in turn; pull with SIMDSSE_PARSER_FOREACH, breaking out of the loop
 * now and then and taking the rest with simdsse_parser_next. */
enum { MODE_FEED, MODE_PULL, MODE_ALTERNATE, MODE_FOREACH };

/* Parses `in` chunked by `how`, through the callbacks (MODE_FEED), the pull
 * API, or both in turn, chunk by chunk; logs what it reports into l. */
static void run(const input *in, const simdsse_parser_options *base, const char *kernel,
                long how, int mode, itemlog *l) {
    simdsse_parser_options o = *base;
    o.kernel = kernel;
    log_callbacks(&o, l);
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&o, &st);
    CHECK(p != NULL, "create: %s", simdsse_strerror(st));
    if (!p) return;
    l->parser = p;
    chunker c = {how, (uint64_t)-how};
    size_t at = 0, k = 0;
    do {
        size_t n = next_chunk(&c, in->len - at);
        char *b = chunk_copy(in->p + at, n);
        bool pull = mode == MODE_PULL || mode == MODE_FOREACH || (mode == MODE_ALTERNATE && k % 2);
        if (!pull) {
            size_t used = 0;
            st = simdsse_parser_feed(p, b, n, &used);
            CHECK(st == SIMDSSE_OK ||
                      (st <= SIMDSSE_ERR_LINE_TOO_LONG && st >= SIMDSSE_ERR_ID_TOO_LONG),
                  "%s: feed returned %s", in->name, simdsse_strerror(st));
            CHECK(used == n, "%s: feed consumed %zu of %zu", in->name, used, n);
        } else {
            st = simdsse_parser_push(p, b, n);
            CHECK(st == SIMDSSE_OK, "%s: push: %s", in->name, simdsse_strerror(st));
            const simdsse_item *it;
            size_t guard = 0, taken = 0;
            if (mode == MODE_FOREACH) {
                SIMDSSE_PARSER_FOREACH(p, it, st) {
                    log_item(l, it);
                    if (++guard > n + 2) break; /* never more items than lines */
                    /* A break leaves the rest for the next call. */
                    if (++taken % 5 == (size_t)k % 5) break;
                }
            }
            while ((st = simdsse_parser_next(p, &it)) == SIMDSSE_OK) {
                log_item(l, it);
                if (++guard > n + 2) break; /* never more items than lines */
            }
            CHECK(st == SIMDSSE_NEED_INPUT && it == NULL, "%s: next ended with %s", in->name,
                  simdsse_strerror(st));
        }
        free(b);
        at += n;
        k++;
    } while (at < in->len);
    CHECK(simdsse_parser_offset(p) == in->len, "%s: offset %llu of %zu", in->name,
          (unsigned long long)simdsse_parser_offset(p), in->len);
    log_end(l, "end");
    simdsse_parser_destroy(p);
}

static const char *mode_name(int mode) {
    static const char *const names[] = {"feed", "pull", "alternate", "foreach"};
    return names[mode];
}

static size_t differential_failures;

/* SIMDSSE_TEST_QUICK (valgrind): these chunkings, the default kernel and
 * scalar only. */
static const long quick_chunkings[] = {0, 1, 7, 65, -1};
static bool quick;

static void differential(const simdsse_parser_options *opt, const char *opt_name) {
    const char *kernels[16];
    size_t nk = 0;
    for (size_t i = 0; simdsse_kernel_name_at(i) && nk < 16; i++)
        if (simdsse_kernel_supported(simdsse_kernel_name_at(i)) == SIMDSSE_OK)
            kernels[nk++] = simdsse_kernel_name_at(i);
    if (quick) {
        kernels[0] = simdsse_kernel_default();
        kernels[1] = "scalar";
        nk = strcmp(kernels[0], "scalar") ? 2 : 1;
    }
    const long *chunks = quick ? quick_chunkings : chunkings;
    size_t n_chunks = quick ? sizeof quick_chunkings / sizeof quick_chunkings[0] : N_CHUNKINGS;
    for (size_t t = 0; t < n_inputs; t++) {
        const input *in = &inputs[t];
        itemlog ref = {0};
        run(in, opt, "scalar", 0, MODE_FEED, &ref);
        for (size_t k = 0; k < nk; k++) {
            for (size_t c = 0; c < n_chunks; c++) {
                for (int mode = MODE_FEED; mode <= MODE_FOREACH; mode++) {
                    /* Every chunking through the callbacks is what the
                     * other suites hold; here, the ones pull is held to. */
                    if (mode == MODE_FEED && chunks[c] != 1 && chunks[c] != -1) continue;
                    itemlog got = {0};
                    run(in, opt, kernels[k], chunks[c], mode, &got);
                    bool same = log_same(&got, &ref);
                    CHECK(same, "%s [%s limits, %s, chunks %ld, %s]: log differs from the "
                          "callbacks' at byte %zu (%zu items, want %zu)",
                          in->name, opt_name, kernels[k], chunks[c], mode_name(mode),
                          log_diverge(&got, &ref), got.items, ref.items);
                    if (!same) differential_failures++;
                    log_free(&got);
                }
            }
        }
        log_free(&ref);
    }
}

/* MARK: - The pull API's own contract */

static void contract(void) {
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(NULL, &st);
    CHECK(p && st == SIMDSSE_OK, "create with defaults: %s", simdsse_strerror(st));
    size_t idle = simdsse_parser_memory(p);
#if defined(__x86_64__) && !defined(__ILP32__)
    CHECK(idle <= 328, "an idle parser holds %zu bytes (x86-64), at most 328", idle);
#endif
    const simdsse_item *it = (const simdsse_item *)&st;
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT && it == NULL,
          "next before any push needs input");
    CHECK(simdsse_parser_next(p, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "next(NULL)");
    CHECK(simdsse_parser_next(NULL, &it) == SIMDSSE_ERR_INVALID_ARGUMENT, "next on NULL");
    CHECK(simdsse_parser_push(NULL, "x", 1) == SIMDSSE_ERR_INVALID_ARGUMENT, "push on NULL");
    CHECK(simdsse_parser_push(p, NULL, 1) == SIMDSSE_ERR_INVALID_ARGUMENT, "push NULL data");
    CHECK(simdsse_parser_push(p, NULL, 0) == SIMDSSE_OK, "push nothing");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT, "an empty chunk is used up at once");

    /* Zero copy: a single-line value inside the chunk is a span into it. */
    static const char chunk[] = "event: ping\ndata: hello\n\ndata: a\ndata: b\n\ndata: tail";
    CHECK(simdsse_parser_push(p, chunk, sizeof chunk - 1) == SIMDSSE_OK, "push");
    CHECK(simdsse_parser_push(p, "x", 1) == SIMDSSE_ERR_INPUT_PENDING, "push while one is pending");
    CHECK(simdsse_parser_feed(p, "x", 1, NULL) == SIMDSSE_ERR_INPUT_PENDING, "feed while pending");
    CHECK(simdsse_parser_finish(p) == SIMDSSE_ERR_INPUT_PENDING, "finish while pending");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->kind == SIMDSSE_ITEM_EVENT,
          "first event");
    CHECK(it->event.data.ptr == chunk + 18 && it->event.data.len == 5,
          "data points into the chunk");
    CHECK(it->event.type.ptr == chunk + 7 && it->event.type.len == 4, "type points into the chunk");
    CHECK(it->event.offset == 24, "offset of the blank line");
    CHECK(simdsse_parser_offset(p) == 0, "offset is the chunk's start while its items are taken");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->event.data.len == 3 &&
              memcmp(it->event.data.ptr, "a\nb", 3) == 0,
          "multi-line data, joined");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT, "then the chunk is used up");
    CHECK(simdsse_parser_offset(p) == sizeof chunk - 1, "offset after it");
    size_t in_use = simdsse_parser_memory(p);
    CHECK(in_use > idle, "the pull block is allocated by push (%zu > %zu)", in_use, idle);
    /* The unterminated "data: tail" is carried: the next chunk ends it. */
    CHECK(simdsse_parser_push(p, "\n\n", 2) == SIMDSSE_OK, "push the end");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->event.data.len == 4 &&
              memcmp(it->event.data.ptr, "tail", 4) == 0,
          "a carried line completes");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT, "used up");
    CHECK(simdsse_parser_trim(p) == SIMDSSE_OK, "trim");
    CHECK(simdsse_parser_memory(p) == idle, "trim frees the pull block when idle (%zu, %zu)",
          simdsse_parser_memory(p), idle);

    /* Limit errors are items; the rest of the chunk is parsed. */
    simdsse_parser_destroy(p);
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.max_data_length = 4;
    p = simdsse_parser_create(&o, &st);
    static const char errs[] = "data: 12345\n\ndata: ok\n\n";
    simdsse_parser_push(p, errs, sizeof errs - 1);
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->kind == SIMDSSE_ITEM_ERROR &&
              it->error.status == SIMDSSE_ERR_DATA_TOO_LONG && it->error.offset == 6,
          "a limit error with its offset");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->kind == SIMDSSE_ITEM_EVENT &&
              it->event.data.len == 2,
          "and the next event");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT, "used up");

    /* reset drops a pending chunk; finish then needs a reset. */
    simdsse_parser_push(p, "data: lost\n\n", 12);
    simdsse_parser_reset(p);
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT, "reset dropped the chunk");
    CHECK(simdsse_parser_finish(p) == SIMDSSE_OK, "finish");
    CHECK(simdsse_parser_push(p, "x", 1) == SIMDSSE_ERR_NEEDS_RESET, "push after finish");
    CHECK(simdsse_parser_next(p, &it) == SIMDSSE_ERR_NEEDS_RESET, "next after finish");
    simdsse_parser_destroy(p);
}

/* MARK: - Out of memory */

typedef struct failing {
    size_t allocations, fail_at, live;
} failing;

static void *f_malloc(void *ctx, size_t n) {
    failing *f = ctx;
    if (++f->allocations == f->fail_at) return NULL;
    void *p = malloc(n);
    if (p) f->live += n;
    return p;
}
static void *f_realloc(void *ctx, void *ptr, size_t old, size_t n) {
    failing *f = ctx;
    if (++f->allocations == f->fail_at) return NULL;
    void *p = realloc(ptr, n);
    if (p) f->live = f->live - old + n;
    return p;
}
static void f_free(void *ctx, void *ptr, size_t n) {
    failing *f = ctx;
    f->live -= n;
    free(ptr);
}

/* With the k-th allocation failing, pull reports a prefix of what the
 * callbacks report, then NO_MEMORY once, then NEEDS_RESET; a reset makes
 * it usable; nothing leaks. */
static void out_of_memory(void) {
    text t = {0};
    rng_state = 77;
    random_stream(&t, 300);
    input in = {"oom", t.p, t.len};
    simdsse_parser_options base;
    simdsse_parser_options_init(&base);
    itemlog ref = {0};
    run(&in, &base, "scalar", 0, MODE_FEED, &ref);
    for (size_t fail_at = 1; fail_at < 40; fail_at++) {
        failing f = {0, fail_at, 0};
        simdsse_allocator a;
        simdsse_allocator_init(&a);
        a.malloc = f_malloc;
        a.realloc = f_realloc;
        a.free = f_free;
        a.ctx = &f;
        simdsse_parser_options o = base;
        o.allocator = &a;
        simdsse_status st;
        simdsse_parser *p = simdsse_parser_create(&o, &st);
        if (!p) {
            CHECK(st == SIMDSSE_ERR_NO_MEMORY && fail_at == 1, "create failed with %s",
                  simdsse_strerror(st));
            continue;
        }
        itemlog l = {0};
        l.parser = p;
        size_t at = 0;
        bool failed = false;
        while (at < in.len && !failed) {
            size_t n = in.len - at < 37 ? in.len - at : 37;
            char *b = chunk_copy(in.p + at, n);
            st = simdsse_parser_push(p, b, n);
            if (st == SIMDSSE_ERR_NO_MEMORY) {
                /* The block itself: nothing changed, push again works. */
                CHECK(simdsse_parser_push(p, b, n) == SIMDSSE_OK, "push again after NO_MEMORY");
            }
            const simdsse_item *it;
            while ((st = simdsse_parser_next(p, &it)) == SIMDSSE_OK) log_item(&l, it);
            if (st == SIMDSSE_ERR_NO_MEMORY) {
                failed = true;
                CHECK(simdsse_parser_next(p, &it) == SIMDSSE_ERR_NEEDS_RESET,
                      "NO_MEMORY is said once, then NEEDS_RESET");
                CHECK(simdsse_parser_push(p, "x", 1) == SIMDSSE_ERR_NEEDS_RESET, "push refused");
            } else {
                CHECK(st == SIMDSSE_NEED_INPUT, "next: %s", simdsse_strerror(st));
            }
            free(b);
            at += n;
        }
        CHECK(l.b.len <= ref.b.len && (l.b.len == 0 || memcmp(l.b.p, ref.b.p, l.b.len) == 0),
              "fail at %zu: what came before the failure is what the callbacks report", fail_at);
        if (failed) {
            simdsse_parser_reset(p);
            CHECK(simdsse_parser_push(p, "data: x\n\n", 9) == SIMDSSE_OK, "usable after reset");
            const simdsse_item *it;
            CHECK(simdsse_parser_next(p, &it) == SIMDSSE_OK && it->kind == SIMDSSE_ITEM_EVENT,
                  "an event after reset");
        }
        log_free(&l);
        simdsse_parser_destroy(p);
        CHECK(f.live == 0, "fail at %zu: %zu bytes leaked", fail_at, f.live);
    }
    log_free(&ref);
    free(t.p);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_pull CONFORMANCE_DIR\n");
        return 2;
    }
    const char *q = getenv("SIMDSSE_TEST_QUICK");
    quick = q && *q && strcmp(q, "0") != 0;
    add_vectors();
    int n = add_conformance(argv[1]);
    CHECK(n == 300, "%d conformance cases in %s/cases, want 300", n, argv[1]);
    add_hostile();

    contract();
    out_of_memory();

    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.initial_retry_ms = 12345;
    differential(&opt, "default");
    opt.max_line_length = 40;
    opt.max_data_length = 30;
    opt.max_type_length = 8;
    opt.max_id_length = 6;
    differential(&opt, "small");
    opt.max_line_length = 3;
    opt.max_data_length = 1;
    opt.max_type_length = 0;
    opt.max_id_length = 0;
    differential(&opt, "tiny");
    printf("%zu inputs, %zu differential failures\n", n_inputs, differential_failures);

    for (size_t i = 0; i < n_inputs; i++) free(inputs[i].p);
    free(inputs);
    return check_done();
}
