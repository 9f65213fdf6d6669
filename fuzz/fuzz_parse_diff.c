/*
 * fuzz_parse_diff.c -- every kernel, any chunking, and the one-shot call
 * report exactly what the scalar kernel reports for the whole stream.
 * SPDX-License-Identifier: MIT
 *
 * Input: an 8-byte header, then the stream.
 *   h[0]  flags: 1 small limits, 2 callbacks pause, 4 one allocation fails,
 *         8 empty feeds pass a pointer (to the guard page) instead of NULL,
 *         16 empty feeds in between
 *   h[1]  max_line (low nibble) and max_data (high nibble), from `limits`
 *   h[2]  max_type (low nibble) and max_id (high nibble)
 *   h[3]  pause period / number of the allocation that fails
 *   h[4..8) seed of the chunk-size sequence
 * The reference is the scalar kernel fed the whole stream in one call. Each
 * kernel this CPU runs is then fed the stream in chunks, each chunk copied
 * flush against an inaccessible page and retired after its feed (poisoned
 * and overwritten: tests/guard.h), so reads past a chunk fault and spans
 * kept into it read poison, and must log the same events
 * (type, data, id, offset), retry values, comments and errors (status and
 * simdsse_parser_error_offset), in the same order, and end with the same
 * last event ID and reconnection time. The parser's memory is checked
 * against the bound the header documents, exactly, through the allocator;
 * simdsse_parser_trim between chunks must change nothing.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (tests/guard.h) */
#include "fuzz_util.h"

enum {
    F_SMALL_LIMITS = 1,
    F_PAUSE = 2,
    F_FAIL_ALLOC = 4,
    F_EMPTY_NOT_NULL = 8,
    F_EMPTY_FEEDS = 16,
};

static const size_t limits[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 31, 64, 100, 1000, SIZE_MAX};

/* What callbacks and feeds reported, as a byte log: `all` holds callbacks
 * and errors, `cbs` the callbacks only (what simdsse_parse can be held to). */
typedef struct logger {
    fz_buf all, cbs;
    unsigned pause_every;
    unsigned long items;
    int quiet;            /* after the comparison: count events only */
    unsigned long events; /* while quiet */
} logger;

static void log_both(logger *l, const void *p, size_t n) {
    fz_put(&l->all, p, n);
    fz_put(&l->cbs, p, n);
}

static void log_span(logger *l, simdsse_span s) {
    uint64_t n = s.len;
    log_both(l, &n, sizeof n);
    log_both(l, s.ptr, s.len);
}

static int pause_now(logger *l) { return l->pause_every && ++l->items % l->pause_every == 0; }

static int on_event(void *user, const simdsse_event *e) {
    logger *l = user;
    FZ_ASSERT(e->type.ptr && e->data.ptr && e->id.ptr, "spans are never NULL");
    FZ_ASSERT(e->type.len > 0, "an event type is never empty (\"message\" by default)");
    if (l->quiet) {
        l->events++;
        return 0;
    }
    log_both(l, "E", 1);
    log_span(l, e->type);
    log_span(l, e->data);
    log_span(l, e->id);
    log_both(l, &e->offset, sizeof e->offset);
    return pause_now(l);
}

static int on_retry(void *user, uint64_t ms) {
    logger *l = user;
    if (l->quiet) return 0;
    log_both(l, "R", 1);
    log_both(l, &ms, sizeof ms);
    return pause_now(l);
}

static int on_comment(void *user, simdsse_span text) {
    logger *l = user;
    if (l->quiet) return 0;
    FZ_ASSERT(text.ptr || !text.len, "comment span");
    log_both(l, "C", 1);
    log_span(l, text);
    return pause_now(l);
}

static const simdsse_callbacks callbacks = {on_event, on_retry, on_comment};

static void log_error(logger *l, simdsse_status st, uint64_t at) {
    int32_t s = st;
    fz_put(&l->all, "X", 1);
    fz_put(&l->all, &s, sizeof s);
    fz_put(&l->all, &at, sizeof at);
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* Feeds buf[0, n) until all is consumed, going on past pauses and limit
 * errors as the header says a caller may. Returns OK, or the status that
 * ends the stream (NO_MEMORY, NEEDS_RESET). */
static simdsse_status feed_all(simdsse_parser *p, const char *buf, size_t n, logger *l) {
    int stalls = 0;
    for (;;) {
        size_t used = SIZE_MAX;
        simdsse_status st = simdsse_parser_feed(p, buf, n, &used);
        FZ_ASSERT(used <= n, "consumed %zu of %zu", used, n);
        if (used) { /* buf may be NULL (n == 0): no NULL + 0 */
            buf += used;
            n -= used;
        }
        if (st == SIMDSSE_OK) {
            FZ_ASSERT(n == 0, "OK with %zu bytes left", n);
            return st;
        }
        /* An error may legitimately consume nothing once (a BOM prefix that
         * turns out to start an over-long line); a loop that never advances
         * is a hang. */
        stalls = used ? 0 : stalls + 1;
        FZ_ASSERT(stalls < 4, "feed makes no progress (%s)", simdsse_strerror(st));
        if (st == SIMDSSE_PAUSED) continue;
        FZ_ASSERT(st == SIMDSSE_ERR_LINE_TOO_LONG || st == SIMDSSE_ERR_DATA_TOO_LONG ||
                      st == SIMDSSE_ERR_TYPE_TOO_LONG || st == SIMDSSE_ERR_ID_TOO_LONG ||
                      st == SIMDSSE_ERR_NO_MEMORY,
                  "feed returned %d (%s)", st, simdsse_strerror(st));
        if (st == SIMDSSE_ERR_NO_MEMORY) return st;
        log_error(l, st, simdsse_parser_error_offset(p));
    }
}

typedef struct plan {
    unsigned flags;
    simdsse_options opt; /* limits; kernel and allocator set per run */
    unsigned pause_every;
    size_t fail_at;
    uint32_t seed;
} plan;

/* Size of the next chunk: mostly tiny, sometimes large, sometimes all. */
static size_t next_chunk(uint64_t *rng, size_t left, unsigned flags) {
    uint64_t r = fz_rand(rng);
    if ((flags & F_EMPTY_FEEDS) && r % 7 == 0) return 0;
    size_t n;
    switch ((r >> 8) & 7) {
    case 0: case 1: case 2: n = 1 + (r >> 16) % 4; break;
    case 3: case 4: n = 1 + (r >> 16) % 16; break;
    case 5: n = 1 + (r >> 16) % 128; break;
    case 6: n = 1 + (r >> 16) % 4096; break;
    default: n = left; break;
    }
    return n < left ? n : left;
}

typedef struct outcome {
    simdsse_status ended;  /* OK, or NO_MEMORY */
    uint64_t retry;
    fz_buf last_id;
} outcome;

/* One parse of the stream with `kernel`, chunked by `seed` (0: one feed of
 * the whole stream). Checks the parser's own invariants as it goes. */
static void run(const plan *pl, const char *kernel, uint32_t seed, const uint8_t *in, size_t len,
                logger *l, outcome *out) {
    fz_alloc a = {0, 0, 0, pl->fail_at, 0};
    simdsse_allocator al = fz_allocator(&a);
    simdsse_options o = pl->opt;
    o.kernel = kernel;
    o.allocator = &al;
    memset(out, 0, sizeof *out);
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create2(&callbacks, l, &o, &st);
    if (!p) {
        FZ_ASSERT(a.failed && st == SIMDSSE_ERR_NO_MEMORY, "create: %s", simdsse_strerror(st));
        out->ended = st;
        return;
    }
    FZ_ASSERT(st == SIMDSSE_OK, "create2 status %d with a parser", st);
    FZ_ASSERT(strcmp(simdsse_parser_kernel(p), kernel ? kernel : simdsse_kernel_default()) == 0,
              "kernel %s", simdsse_parser_kernel(p));
    /* "never exceeds about max_line_length + max_data_length +
     *  2 * max_id_length + max_type_length plus its fixed size" */
    size_t bound = a.live;
    bound = add_sat(bound, o.max_line_length);
    bound = add_sat(bound, o.max_data_length);
    bound = add_sat(bound, o.max_id_length);
    bound = add_sat(bound, o.max_id_length);
    bound = add_sat(bound, o.max_type_length);

    static guard_buf guard;
    uint64_t rng = (uint64_t)seed << 32 | seed;
    size_t at = 0;
    st = SIMDSSE_OK;
    do {
        size_t n = seed ? next_chunk(&rng, len - at, pl->flags) : len;
        /* The chunk ends where an inaccessible page starts. An empty feed
         * may pass NULL ("NULL data with a length" is the error). */
        const char *chunk = guard_place(&guard, in + at, n);
        st = feed_all(p, (n || (pl->flags & F_EMPTY_NOT_NULL)) ? chunk : NULL, n, l);
        FZ_ASSERT(a.peak <= bound, "parser held %zu bytes, bound %zu", a.peak, bound);
        FZ_ASSERT(simdsse_parser_memory(p) == a.live, "parser_memory %zu, allocator says %zu",
                  simdsse_parser_memory(p), a.live);
        if (st != SIMDSSE_OK) break;
        at += n;
        /* Trimming between chunks frees only what pending input does not
         * need: it must change nothing that is reported. */
        if (seed && fz_rand(&rng) % 16 == 0) {
            simdsse_parser_trim(p);
            FZ_ASSERT(simdsse_parser_memory(p) == a.live, "parser_memory after trim");
        }
    } while (at < len);

    if (st == SIMDSSE_ERR_NO_MEMORY) {
        FZ_ASSERT(a.failed, "NO_MEMORY but no allocation failed");
        /* "SIMDSSE_ERR_NO_MEMORY / SIMDSSE_ERR_NEEDS_RESET: reset the parser." */
        FZ_ASSERT(simdsse_parser_feed(p, "data: x\n\n", 9, NULL) == SIMDSSE_ERR_NEEDS_RESET,
                  "a broken parser refuses input");
        FZ_ASSERT(simdsse_parser_finish(p) == SIMDSSE_ERR_NEEDS_RESET, "and finish");
        out->ended = st;
    } else {
        FZ_ASSERT(st == SIMDSSE_OK, "feed ended with %d", st);
        FZ_ASSERT(simdsse_parser_offset(p) == len, "offset %llu after %zu bytes",
                  (unsigned long long)simdsse_parser_offset(p), len);
        out->retry = simdsse_parser_retry(p);
        simdsse_span id = simdsse_parser_last_event_id(p);
        FZ_ASSERT(id.ptr != NULL && id.len <= o.max_id_length, "last event ID of %zu bytes", id.len);
        fz_put(&out->last_id, id.ptr, id.len);
        FZ_ASSERT(simdsse_parser_finish(p) == SIMDSSE_OK, "finish");
        FZ_ASSERT(simdsse_parser_feed(p, "data: x\n\n", 9, NULL) == SIMDSSE_ERR_NEEDS_RESET,
                  "feed after finish");
    }

    /* Whatever happened, reset makes the parser usable again, and trim
     * gives back what an idle parser does not need. */
    simdsse_parser_reset(p);
    simdsse_parser_trim(p);
    if (o.max_line_length >= 4) { /* "data" must fit in a line */
        l->quiet = 1;
        l->events = 0;
        st = simdsse_parser_feed(p, "data\n\n", 6, NULL);
        FZ_ASSERT(st == SIMDSSE_OK && l->events == 1, "after reset: %s, %lu events",
                  simdsse_strerror(st), l->events);
        l->quiet = 0;
    }
    simdsse_parser_destroy(p);
    FZ_ASSERT(a.live == 0, "%zu bytes leaked through the allocator", a.live);
}

static int same(const fz_buf *a, const fz_buf *b) {
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* Where two logs first differ, for the crash report. */
static size_t diverge(const fz_buf *a, const fz_buf *b) {
    size_t i = 0;
    while (i < a->len && i < b->len && a->p[i] == b->p[i]) i++;
    return i;
}

/* simdsse_parse: the callbacks' log and the first error of the stream. */
static void one_shot(const plan *pl, const char *kernel, const uint8_t *in, size_t len,
                     const logger *ref, simdsse_status ref_first) {
    logger l;
    memset(&l, 0, sizeof l);
    fz_alloc a = {0, 0, 0, pl->fail_at, 0};
    simdsse_allocator al = fz_allocator(&a);
    simdsse_options o = pl->opt;
    o.kernel = kernel;
    o.allocator = &al;
    static guard_buf guard;
    simdsse_status st = simdsse_parse(guard_place(&guard, in, len), len, &callbacks, &l, &o);
    if (a.failed) {
        /* "Returns the first error": NO_MEMORY, or a limit error before it;
         * what was reported before the failure is what scalar reported. */
        FZ_ASSERT(st == SIMDSSE_ERR_NO_MEMORY || (st == ref_first && st != SIMDSSE_OK),
                  "simdsse_parse(%s) with a failed allocation returned %d", kernel, st);
        FZ_ASSERT(diverge(&l.cbs, &ref->cbs) == l.cbs.len,
                  "simdsse_parse(%s) before NO_MEMORY differs from scalar at log byte %zu", kernel,
                  diverge(&l.cbs, &ref->cbs));
    } else {
        FZ_ASSERT(st == ref_first, "simdsse_parse(%s) returned %d, the stream's first error is %d",
                  kernel, st, ref_first);
        FZ_ASSERT(same(&l.cbs, &ref->cbs), "simdsse_parse(%s) differs from scalar at log byte %zu",
                  kernel, diverge(&l.cbs, &ref->cbs));
    }
    FZ_ASSERT(a.live == 0, "simdsse_parse leaked %zu bytes", a.live);
    fz_free(&l.all);
    fz_free(&l.cbs);
}

static simdsse_status first_error(const fz_buf *all) {
    /* Records are variable-length; the first 'X' at a record start is what
     * we want, so walk them. */
    size_t i = 0;
    while (i < all->len) {
        uint8_t tag = all->p[i++];
        uint64_t n;
        switch (tag) {
        case 'X': {
            int32_t s;
            memcpy(&s, all->p + i, sizeof s);
            return (simdsse_status)s;
        }
        case 'R': i += 8; break;
        case 'C':
            memcpy(&n, all->p + i, 8);
            i += 8 + n;
            break;
        case 'E':
            for (int k = 0; k < 3; k++) {
                memcpy(&n, all->p + i, 8);
                i += 8 + n;
            }
            i += 8;
            break;
        default: FZ_ASSERT(0, "bad log tag %d", tag);
        }
    }
    return SIMDSSE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_in in = {data, size};
    plan pl;
    memset(&pl, 0, sizeof pl);
    pl.flags = fz_u8(&in);
    uint8_t h1 = fz_u8(&in), h2 = fz_u8(&in), h3 = fz_u8(&in);
    pl.seed = fz_u32(&in) | 1; /* 0 would mean "no chunking" */
    simdsse_options_init(&pl.opt);
    pl.opt.initial_retry_ms = 12345;
    if (pl.flags & F_SMALL_LIMITS) {
        pl.opt.max_line_length = limits[h1 & 15];
        pl.opt.max_data_length = limits[h1 >> 4];
        pl.opt.max_type_length = limits[h2 & 15];
        pl.opt.max_id_length = limits[h2 >> 4];
    }
    if (pl.flags & F_PAUSE) pl.pause_every = 1 + h3 % 5;
    if (pl.flags & F_FAIL_ALLOC) pl.fail_at = 1 + h3 % 24;
    const uint8_t *stream = in.p;
    size_t len = in.len;

    /* The reference: scalar, the whole stream in one feed, no pauses. */
    plan ref_plan = pl;
    ref_plan.fail_at = 0;
    logger ref;
    memset(&ref, 0, sizeof ref);
    outcome ref_out;
    run(&ref_plan, "scalar", 0, stream, len, &ref, &ref_out);
    FZ_ASSERT(ref_out.ended == SIMDSSE_OK, "reference ended with %d", ref_out.ended);

    const char *kernels[16];
    size_t nk = fz_kernels(kernels, 16);
    FZ_ASSERT(nk >= 1 && strcmp(kernels[nk - 1], "scalar") == 0, "scalar is the last kernel");
    for (size_t k = 0; k < nk; k++) {
        logger l;
        memset(&l, 0, sizeof l);
        l.pause_every = pl.pause_every;
        outcome out;
        run(&pl, kernels[k], pl.seed + (uint32_t)k, stream, len, &l, &out);
        if (out.ended == SIMDSSE_ERR_NO_MEMORY) {
            /* Everything reported before the failure is what the reference
             * reported: a prefix of its log. */
            FZ_ASSERT(diverge(&l.all, &ref.all) == l.all.len,
                      "%s before NO_MEMORY differs from scalar at log byte %zu", kernels[k],
                      diverge(&l.all, &ref.all));
        } else {
            FZ_ASSERT(same(&l.all, &ref.all),
                      "%s chunked differs from scalar at log byte %zu (lengths %zu, %zu)",
                      kernels[k], diverge(&l.all, &ref.all), l.all.len, ref.all.len);
            FZ_ASSERT(out.retry == ref_out.retry, "%s: retry %llu, scalar %llu", kernels[k],
                      (unsigned long long)out.retry, (unsigned long long)ref_out.retry);
            FZ_ASSERT(same(&out.last_id, &ref_out.last_id), "%s: last event ID differs", kernels[k]);
        }
        fz_free(&out.last_id);
        fz_free(&l.all);
        fz_free(&l.cbs);
        one_shot(&pl, kernels[k], stream, len, &ref, first_error(&ref.all));
    }
    /* The default kernel too ($SIMDSSE_KERNEL or the best), one shot. */
    one_shot(&pl, NULL, stream, len, &ref, first_error(&ref.all));

    fz_free(&ref_out.last_id);
    fz_free(&ref.all);
    fz_free(&ref.cbs);
    return 0;
}
