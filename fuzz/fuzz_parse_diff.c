/*
 * fuzz_parse_diff.c -- every kernel, any chunking, the pull API and the
 * one-shot call report exactly what the scalar kernel's callbacks report
 * for the whole stream.
 * SPDX-License-Identifier: MIT
 *
 * Input: an 8-byte header, then the stream.
 *   h[0]  flags: 1 small limits, 2 callbacks pause, 4 one allocation fails,
 *         8 empty feeds pass a pointer (to the guard page) instead of NULL,
 *         16 empty feeds in between, 32 the pull run alternates push/next
 *         with feed chunk by chunk
 *   h[1]  max_line (low nibble) and max_data (high nibble), from `limits`
 *   h[2]  max_type (low nibble) and max_id (high nibble)
 *   h[3]  pause period / number of the allocation that fails
 *   h[4..8) seed of the chunk-size sequence
 * The reference is the scalar kernel's callbacks, the whole stream in one
 * feed. Each kernel this CPU runs is then fed the stream in chunks, once
 * through the callbacks and once through the pull API (push, next), each
 * chunk copied flush against an inaccessible page and retired as soon as
 * the API lets it go (poisoned and overwritten: tests/guard.h), so reads
 * past a chunk fault and spans kept into it read poison. Both must log the
 * same items (events with type, data, id and offset; retry values;
 * comments; limit errors with status and offset), in the same order, with
 * the getters (last event ID, reconnection time) saying the same at each,
 * and end with the same state. feed must read every chunk whole unless a
 * callback paused it, and return the first limit error it met. The
 * parser's memory is checked against the bound the header documents,
 * exactly, through the allocator; simdsse_parser_trim between chunks must
 * change nothing.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (tests/guard.h) */
#include "fuzz_util.h"

enum {
    F_SMALL_LIMITS = 1,
    F_PAUSE = 2,
    F_FAIL_ALLOC = 4,
    F_EMPTY_NOT_NULL = 8,
    F_EMPTY_FEEDS = 16,
    F_ALTERNATE = 32,
};

static const size_t limits[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 31, 64, 100, 1000, SIZE_MAX};

/* What a parser reported, as byte logs: `all` has each item and what the
 * getters said with it, `items` the items alone (what simdsse_parse, whose
 * parser nobody can ask, is held to). */
typedef struct logger {
    fz_buf all, items;
    simdsse_parser *p; /* whose getters to log */
    unsigned pause_every;
    unsigned long count;
    int quiet;            /* after the comparison: count events only */
    unsigned long events; /* while quiet */
    simdsse_status first; /* the first limit error of the running feed */
} logger;

static void log_both(logger *l, const void *p, size_t n) {
    fz_put(&l->all, p, n);
    fz_put(&l->items, p, n);
}

static void log_span(logger *l, simdsse_span s) {
    uint64_t n = s.len;
    log_both(l, &n, sizeof n);
    log_both(l, s.ptr, s.len);
}

/* What a callback for this item sees through the getters. */
static void log_getters(logger *l) {
    if (!l->p) return;
    fz_put_span(&l->all, simdsse_parser_last_event_id(l->p));
    fz_put_u64(&l->all, simdsse_parser_retry(l->p));
}

static void log_event(logger *l, const simdsse_event *e) {
    FZ_ASSERT(e->type.ptr && e->data.ptr && e->id.ptr, "spans are never NULL");
    FZ_ASSERT(e->type.len > 0, "an event type is never empty (\"message\" by default)");
    log_both(l, "E", 1);
    log_span(l, e->type);
    log_span(l, e->data);
    log_span(l, e->id);
    log_both(l, &e->offset, sizeof e->offset);
    log_getters(l);
}

static void log_retry(logger *l, uint64_t ms) {
    log_both(l, "R", 1);
    log_both(l, &ms, sizeof ms);
    log_getters(l);
}

static void log_comment(logger *l, simdsse_span text) {
    FZ_ASSERT(text.ptr || !text.len, "comment span");
    log_both(l, "C", 1);
    log_span(l, text);
    log_getters(l);
}

static void log_error(logger *l, const simdsse_error *e) {
    FZ_ASSERT(e->status == SIMDSSE_ERR_LINE_TOO_LONG || e->status == SIMDSSE_ERR_DATA_TOO_LONG ||
                  e->status == SIMDSSE_ERR_TYPE_TOO_LONG || e->status == SIMDSSE_ERR_ID_TOO_LONG,
              "a limit error is one of the four limits: %d", e->status);
    int32_t s = e->status;
    log_both(l, "X", 1);
    log_both(l, &s, sizeof s);
    log_both(l, &e->offset, sizeof e->offset);
    log_getters(l);
}

static int pause_now(logger *l) { return l->pause_every && ++l->count % l->pause_every == 0; }

static int on_event(void *user, const simdsse_event *e) {
    logger *l = user;
    if (l->quiet) {
        l->events++;
        return 0;
    }
    log_event(l, e);
    return pause_now(l);
}

static int on_retry(void *user, uint64_t ms) {
    logger *l = user;
    if (l->quiet) return 0;
    log_retry(l, ms);
    return pause_now(l);
}

static int on_comment(void *user, simdsse_span text) {
    logger *l = user;
    if (l->quiet) return 0;
    log_comment(l, text);
    return pause_now(l);
}

static int on_error(void *user, const simdsse_error *e) {
    logger *l = user;
    if (l->quiet) return 0;
    if (l->first == SIMDSSE_OK) l->first = e->status;
    log_error(l, e);
    return pause_now(l);
}

static void set_callbacks(simdsse_parser_options *o, logger *l) {
    o->on_event = on_event;
    o->on_retry = on_retry;
    o->on_comment = on_comment;
    o->on_error = on_error;
    o->user = l;
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* Feeds buf[0, n) until all is consumed, going on after pauses as the
 * header says a caller may. Returns OK, or NO_MEMORY. */
static simdsse_status feed_all(simdsse_parser *p, const char *buf, size_t n, logger *l) {
    int stalls = 0;
    for (;;) {
        size_t used = SIZE_MAX;
        l->first = SIMDSSE_OK;
        simdsse_status st = simdsse_parser_feed(p, buf, n, &used);
        FZ_ASSERT(used <= n, "consumed %zu of %zu", used, n);
        if (used) { /* buf may be NULL (n == 0): no NULL + 0 */
            buf += used;
            n -= used;
        }
        if (st == SIMDSSE_ERR_NO_MEMORY) return st;
        if (st == SIMDSSE_PAUSED) {
            /* A pause may come right after a chunk's last item: nothing left. */
            stalls = used ? 0 : stalls + 1;
            FZ_ASSERT(stalls < 4, "feed makes no progress after pauses");
            if (n) continue;
            return SIMDSSE_OK;
        }
        /* "Feed reads the whole chunk unless it is stopped [...] returns the
         *  first limit error of the call". */
        FZ_ASSERT(n == 0, "%s with %zu bytes left", simdsse_strerror(st), n);
        FZ_ASSERT(st == l->first, "feed returned %s, its first limit error was %s",
                  simdsse_strerror(st), simdsse_strerror(l->first));
        return SIMDSSE_OK;
    }
}

/* Pushes buf[0, n) and takes every item. Returns OK, or NO_MEMORY (after
 * the items before the failure: checked by the caller's log). */
static simdsse_status pull_all(simdsse_parser *p, const char *buf, size_t n, logger *l) {
    simdsse_status st = simdsse_parser_push(p, buf, n);
    if (st == SIMDSSE_ERR_NO_MEMORY) {
        /* The pull block itself: "the parser being unchanged". */
        st = simdsse_parser_push(p, buf, n);
        if (st == SIMDSSE_ERR_NO_MEMORY) return st;
    }
    FZ_ASSERT(st == SIMDSSE_OK, "push: %s", simdsse_strerror(st));
    FZ_ASSERT(simdsse_parser_feed(p, "x", 1, NULL) == SIMDSSE_ERR_INPUT_PENDING &&
                  simdsse_parser_push(p, "x", 1) == SIMDSSE_ERR_INPUT_PENDING,
              "feed and push while a chunk is pending");
    const simdsse_item *it;
    unsigned long items = 0;
    while ((st = simdsse_parser_next(p, &it)) == SIMDSSE_OK) {
        FZ_ASSERT(it != NULL && ++items <= n + 1, "items from nothing");
        if (l->quiet) {
            l->events += it->kind == SIMDSSE_ITEM_EVENT;
            continue;
        }
        switch (it->kind) {
        case SIMDSSE_ITEM_EVENT: log_event(l, &it->event); break;
        case SIMDSSE_ITEM_COMMENT: log_comment(l, it->comment); break;
        case SIMDSSE_ITEM_RETRY: log_retry(l, it->retry); break;
        case SIMDSSE_ITEM_ERROR: log_error(l, &it->error); break;
        default: FZ_ASSERT(0, "item kind %d", it->kind);
        }
    }
    FZ_ASSERT(it == NULL, "no item with status %s", simdsse_strerror(st));
    if (st == SIMDSSE_ERR_NO_MEMORY) {
        FZ_ASSERT(simdsse_parser_next(p, &it) == SIMDSSE_ERR_NEEDS_RESET,
                  "NO_MEMORY is said once, then NEEDS_RESET");
        return st;
    }
    FZ_ASSERT(st == SIMDSSE_NEED_INPUT, "next ended with %s", simdsse_strerror(st));
    return SIMDSSE_OK;
}

enum { RUN_FEED, RUN_PULL };

/* The pull block's size: what the first push adds to a parser, which reads
 * nothing yet. A fixed size ("a few KiB"), measured once. */
static size_t pull_block_size(void) {
    static size_t block;
    if (block) return block;
    simdsse_parser *p = simdsse_parser_create(NULL, NULL);
    FZ_ASSERT(p, "harness parser");
    size_t before = simdsse_parser_memory(p);
    FZ_ASSERT(simdsse_parser_push(p, NULL, 0) == SIMDSSE_OK, "push nothing");
    block = simdsse_parser_memory(p) - before;
    const simdsse_item *none;
    FZ_ASSERT(simdsse_parser_next(p, &none) == SIMDSSE_NEED_INPUT && none == NULL,
              "an empty chunk is used up at once");
    FZ_ASSERT(block > 0 && block <= 16384, "a pull block of %zu bytes", block);
    simdsse_parser_destroy(p);
    return block;
}

typedef struct plan {
    unsigned flags;
    simdsse_parser_options opt; /* limits; kernel, allocator, callbacks set per run */
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
    simdsse_status ended; /* OK, or NO_MEMORY */
} outcome;

/* One parse of the stream with `kernel`, chunked by `seed` (0: one feed of
 * the whole stream), through the callbacks or the pull API (alternating
 * with feed under F_ALTERNATE). Checks the parser's own invariants as it
 * goes, and logs its end state. */
static void run(const plan *pl, const char *kernel, uint32_t seed, int how, const uint8_t *in,
                size_t len, logger *l, outcome *out) {
    fz_alloc a = {0, 0, 0, pl->fail_at, 0};
    simdsse_allocator al = fz_allocator(&a);
    simdsse_parser_options o = pl->opt;
    o.kernel = kernel;
    o.allocator = &al;
    set_callbacks(&o, l);
    memset(out, 0, sizeof *out);
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&o, &st);
    if (!p) {
        FZ_ASSERT(a.failed && st == SIMDSSE_ERR_NO_MEMORY, "create: %s", simdsse_strerror(st));
        out->ended = st;
        return;
    }
    FZ_ASSERT(st == SIMDSSE_OK, "create status %d with a parser", st);
    FZ_ASSERT(strcmp(simdsse_parser_kernel(p), kernel ? kernel : simdsse_kernel_default()) == 0,
              "kernel %s", simdsse_parser_kernel(p));
    l->p = p;
    /* "never exceeds max_line_length + max_data_length + 2 * max_id_length
     *  + max_type_length plus its fixed size (and the pull API's fixed
     *  block, once used)": the block is measured at the first push. */
    size_t bound = a.live;
    if (how == RUN_PULL) bound = add_sat(bound, pull_block_size());
    bound = add_sat(bound, o.max_line_length);
    bound = add_sat(bound, o.max_data_length);
    bound = add_sat(bound, o.max_id_length);
    bound = add_sat(bound, o.max_id_length);
    bound = add_sat(bound, o.max_type_length);

    static guard_buf guard;
    uint64_t rng = (uint64_t)seed << 32 | seed;
    size_t at = 0, k = 0;
    st = SIMDSSE_OK;
    do {
        size_t n = seed ? next_chunk(&rng, len - at, pl->flags) : len;
        /* The chunk ends where an inaccessible page starts. An empty feed
         * may pass NULL ("NULL data with a length" is the error). */
        const char *chunk = guard_place(&guard, in + at, n);
        const char *ptr = (n || (pl->flags & F_EMPTY_NOT_NULL)) ? chunk : NULL;
        int pull = how == RUN_PULL && (!(pl->flags & F_ALTERNATE) || k % 2 == 0);
        if (pull) {
            st = pull_all(p, ptr, n, l);
        } else {
            st = feed_all(p, ptr, n, l);
        }
        FZ_ASSERT(a.peak <= bound, "parser held %zu bytes, bound %zu", a.peak, bound);
        FZ_ASSERT(simdsse_parser_memory(p) == a.live, "parser_memory %zu, allocator says %zu",
                  simdsse_parser_memory(p), a.live);
        if (st != SIMDSSE_OK) break;
        at += n;
        k++;
        /* Trimming between chunks frees only what pending input does not
         * need: it must change nothing that is reported. */
        if (seed && fz_rand(&rng) % 16 == 0) {
            FZ_ASSERT(simdsse_parser_trim(p) == SIMDSSE_OK, "trim");
            FZ_ASSERT(simdsse_parser_memory(p) == a.live, "parser_memory after trim");
        }
    } while (at < len);

    if (st == SIMDSSE_ERR_NO_MEMORY) {
        FZ_ASSERT(a.failed, "NO_MEMORY but no allocation failed");
        /* "SIMDSSE_ERR_NO_MEMORY / SIMDSSE_ERR_NEEDS_RESET: reset the parser." */
        FZ_ASSERT(simdsse_parser_feed(p, "data: x\n\n", 9, NULL) == SIMDSSE_ERR_NEEDS_RESET,
                  "a broken parser refuses input");
        FZ_ASSERT(simdsse_parser_push(p, "data: x\n\n", 9) == SIMDSSE_ERR_NEEDS_RESET,
                  "and pushes");
        FZ_ASSERT(simdsse_parser_finish(p) == SIMDSSE_ERR_NEEDS_RESET, "and finish");
        out->ended = st;
    } else {
        FZ_ASSERT(simdsse_parser_offset(p) == len, "offset %llu after %zu bytes",
                  (unsigned long long)simdsse_parser_offset(p), len);
        simdsse_span id = simdsse_parser_last_event_id(p);
        FZ_ASSERT(id.ptr != NULL && id.len <= o.max_id_length, "last event ID of %zu bytes", id.len);
        fz_put(&l->all, "F", 1);
        log_getters(l);
        FZ_ASSERT(simdsse_parser_finish(p) == SIMDSSE_OK, "finish");
        FZ_ASSERT(simdsse_parser_feed(p, "data: x\n\n", 9, NULL) == SIMDSSE_ERR_NEEDS_RESET,
                  "feed after finish");
    }

    /* Whatever happened, reset makes the parser usable again, and trim
     * gives back what an idle parser does not need. */
    simdsse_parser_reset(p);
    FZ_ASSERT(simdsse_parser_trim(p) == SIMDSSE_OK, "trim after reset");
    if (o.max_line_length >= 4) { /* "data" must fit in a line */
        l->quiet = 1;
        l->events = 0;
        st = how == RUN_PULL ? pull_all(p, "data\n\n", 6, l)
                             : simdsse_parser_feed(p, "data\n\n", 6, NULL);
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

static void logger_free(logger *l) {
    fz_free(&l->all);
    fz_free(&l->items);
}

/* simdsse_parse: the items and the first error of the stream. */
static void one_shot(const plan *pl, const char *kernel, const uint8_t *in, size_t len,
                     const logger *ref, simdsse_status ref_first) {
    logger l;
    memset(&l, 0, sizeof l);
    fz_alloc a = {0, 0, 0, pl->fail_at, 0};
    simdsse_allocator al = fz_allocator(&a);
    simdsse_parser_options o = pl->opt;
    o.kernel = kernel;
    o.allocator = &al;
    set_callbacks(&o, &l);
    static guard_buf guard;
    simdsse_status st = simdsse_parse(guard_place(&guard, in, len), len, &o);
    if (a.failed) {
        /* "Returns the first error": NO_MEMORY, or a limit error before it;
         * what was reported before the failure is what scalar reported. */
        FZ_ASSERT(st == SIMDSSE_ERR_NO_MEMORY || (st == ref_first && st != SIMDSSE_OK),
                  "simdsse_parse(%s) with a failed allocation returned %d", kernel, st);
        FZ_ASSERT(diverge(&l.items, &ref->items) == l.items.len,
                  "simdsse_parse(%s) before NO_MEMORY differs from scalar at log byte %zu", kernel,
                  diverge(&l.items, &ref->items));
    } else {
        FZ_ASSERT(st == ref_first, "simdsse_parse(%s) returned %d, the stream's first error is %d",
                  kernel, st, ref_first);
        FZ_ASSERT(same(&l.items, &ref->items),
                  "simdsse_parse(%s) differs from scalar at log byte %zu", kernel,
                  diverge(&l.items, &ref->items));
    }
    FZ_ASSERT(a.live == 0, "simdsse_parse leaked %zu bytes", a.live);
    logger_free(&l);
}

/* The status of the first limit error in an items log. Records are of
 * variable length, so walk them. */
static simdsse_status first_error(const fz_buf *items) {
    size_t i = 0;
    while (i < items->len) {
        uint8_t tag = items->p[i++];
        uint64_t n;
        switch (tag) {
        case 'X': {
            int32_t s;
            memcpy(&s, items->p + i, sizeof s);
            return (simdsse_status)s;
        }
        case 'R': i += 8; break;
        case 'C':
            memcpy(&n, items->p + i, 8);
            i += 8 + n;
            break;
        case 'E':
            for (int k = 0; k < 3; k++) {
                memcpy(&n, items->p + i, 8);
                i += 8 + n;
            }
            i += 8;
            break;
        default: FZ_ASSERT(0, "bad log tag %d", tag);
        }
    }
    return SIMDSSE_OK;
}

/* One chunked run must log what the reference logged; with an allocation
 * failing, a prefix of it. */
static void check_run(const plan *pl, const char *kernel, uint32_t seed, int how,
                      const uint8_t *in, size_t len, const logger *ref) {
    logger l;
    memset(&l, 0, sizeof l);
    l.pause_every = pl->pause_every;
    outcome out;
    run(pl, kernel, seed, how, in, len, &l, &out);
    const char *name = how == RUN_PULL ? "pull" : "callbacks";
    if (out.ended == SIMDSSE_ERR_NO_MEMORY) {
        FZ_ASSERT(diverge(&l.all, &ref->all) == l.all.len,
                  "%s (%s) before NO_MEMORY differs from scalar at log byte %zu", kernel, name,
                  diverge(&l.all, &ref->all));
    } else {
        FZ_ASSERT(same(&l.all, &ref->all),
                  "%s (%s), chunked, differs from scalar at log byte %zu (lengths %zu, %zu)",
                  kernel, name, diverge(&l.all, &ref->all), l.all.len, ref->all.len);
    }
    logger_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_in in = {data, size};
    plan pl;
    memset(&pl, 0, sizeof pl);
    pl.flags = fz_u8(&in);
    uint8_t h1 = fz_u8(&in), h2 = fz_u8(&in), h3 = fz_u8(&in);
    pl.seed = fz_u32(&in) | 1; /* 0 would mean "no chunking" */
    simdsse_parser_options_init(&pl.opt);
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
    run(&ref_plan, "scalar", 0, RUN_FEED, stream, len, &ref, &ref_out);
    FZ_ASSERT(ref_out.ended == SIMDSSE_OK, "reference ended with %d", ref_out.ended);

    const char *kernels[16];
    size_t nk = fz_kernels(kernels, 16);
    FZ_ASSERT(nk >= 1 && strcmp(kernels[nk - 1], "scalar") == 0, "scalar is the last kernel");
    for (size_t k = 0; k < nk; k++) {
        check_run(&pl, kernels[k], pl.seed + (uint32_t)k, RUN_FEED, stream, len, &ref);
        check_run(&pl, kernels[k], pl.seed + (uint32_t)k, RUN_PULL, stream, len, &ref);
        one_shot(&pl, kernels[k], stream, len, &ref, first_error(&ref.items));
    }
    /* The default kernel too ($SIMDSSE_KERNEL or the best), one shot. */
    one_shot(&pl, NULL, stream, len, &ref, first_error(&ref.items));

    logger_free(&ref);
    return 0;
}
