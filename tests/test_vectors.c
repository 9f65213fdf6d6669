/*
 * test_vectors.c -- every standard rule and every web-platform-tests
 * `eventsource/format-*` stream, with every kernel this CPU runs, at every
 * chunk size from 1 byte to the whole input, with the chunk boundaries
 * (and so the chunks' addresses) shifted, and through the one-shot API;
 * every chunk lies flush against an inaccessible page (collect.h).
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS (guard.h) */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "collect.h"
#include "vectors.h"

static const test_vector spec_vectors[] = {
#include "vectors_spec.inc"
};
static const test_vector wpt_vectors[] = {
#include "vectors_wpt.inc"
};

/* Prints a byte string readably in failure messages. */
static const char *show(const char *p, size_t len) {
    static char buf[4][256];
    static int k;
    char *o = buf[k++ & 3];
    size_t j = 0;
    for (size_t i = 0; i < len && j < sizeof buf[0] - 8; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            o[j++] = (char)ch;
        else
            j += (size_t)snprintf(o + j, 8, "\\x%02X", ch);
    }
    o[j] = 0;
    return o;
}

/* The reconnection time a vector expects after its stream. */
static uint64_t want_retry(const test_vector *v) {
    if (v->retry == TV_RETRY_UNSET) return SIMDSSE_DEFAULT_RETRY_MS;
    if (v->retry == TV_RETRY_SATURATED) return UINT64_MAX;
    return (uint64_t)v->retry;
}

static int matches(const test_vector *v, const collected *c, char *why, size_t whylen) {
    if (c->n != v->n_events) {
        snprintf(why, whylen, "%zu events, want %zu", c->n, v->n_events);
        return 0;
    }
    for (size_t i = 0; i < c->n; i++) {
        const got_event *g = &c->ev[i];
        const tv_event *w = &v->events[i];
        if (!owned_eq(g->type, w->type.ptr, w->type.len) ||
            !owned_eq(g->data, w->data.ptr, w->data.len) || !owned_eq(g->id, w->id.ptr, w->id.len)) {
            snprintf(why, whylen, "event %zu: got type=\"%s\" data=\"%s\" id=\"%s\", want \"%s\" \"%s\" \"%s\"",
                     i, show(g->type.ptr, g->type.len), show(g->data.ptr, g->data.len),
                     show(g->id.ptr, g->id.len), show(w->type.ptr, w->type.len),
                     show(w->data.ptr, w->data.len), show(w->id.ptr, w->id.len));
            return 0;
        }
    }
    if (c->retry != want_retry(v)) {
        snprintf(why, whylen, "retry %llu, want %llu", (unsigned long long)c->retry,
                 (unsigned long long)want_retry(v));
        return 0;
    }
    if (c->errors) {
        snprintf(why, whylen, "unexpected error %s", simdsse_strerror(c->first_error));
        return 0;
    }
    return 1;
}

/* For the one-shot API, which has no parser to ask afterwards: the
 * reconnection time is the last value on_retry reported. */
static int oneshot_retry(void *user, uint64_t ms) {
    collected *c = user;
    c->retries++;
    c->retry = ms;
    return 0;
}

static void run_vector(const test_vector *v, const char *kernel) {
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = kernel;
    char why[1024];
    const char *in = v->input.ptr;
    size_t len = v->input.len;

    /* Beyond what a vector states (events, retry), every run must also agree
     * with the scalar kernel's whole-input run on what else the parser
     * reports: event offsets, comments, retry calls, the last event ID. */
    simdsse_parser_options ref_opt = opt;
    ref_opt.kernel = "scalar";
    collected ref;
    CHECK(collect_parse(&ref, in, len, 0, 0, &ref_opt) == 0, "%s: scalar reference", v->name);

    /* Whole input, and its first `shift` bytes fed first: the rest then
     * starts at every address modulo 64. */
    for (size_t shift = 0; shift < 64; shift++) {
        collected c;
        CHECK(collect_parse(&c, in, len, 0, shift, &opt) == 0, "%s", v->name);
        CHECK(matches(v, &c, why, sizeof why), "[%s] %s: whole input, shift %zu: %s", kernel,
              v->name, shift, why);
        CHECK(collected_eq(&c, &ref), "[%s] %s: whole input, shift %zu: differs from scalar", kernel,
              v->name, shift);
        collected_free(&c);
    }
    /* Every chunk size, the boundaries at a few shifts each. */
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        for (size_t shift = 0; shift < 8; shift += (chunk < 16 ? 1 : 3)) {
            collected c;
            CHECK(collect_parse(&c, in, len, chunk, shift, &opt) == 0, "%s", v->name);
            CHECK(matches(v, &c, why, sizeof why), "[%s] %s: chunk %zu, shift %zu: %s", kernel,
                  v->name, chunk, shift, why);
            CHECK(collected_eq(&c, &ref), "[%s] %s: chunk %zu, shift %zu: differs from scalar",
                  kernel, v->name, chunk, shift);
            collected_free(&c);
        }
    }
    collected_free(&ref);
    /* The one-shot API must agree with streaming. */
    collected c;
    memset(&c, 0, sizeof c);
    c.retry = SIMDSSE_DEFAULT_RETRY_MS;
    collect_callbacks(&opt, &c);
    opt.on_retry = oneshot_retry;
    static guard_buf guard;
    const char *placed = guard_place(&guard, in, len);
    CHECK(simdsse_parse(placed, len, &opt) == SIMDSSE_OK, "[%s] %s: one-shot", kernel, v->name);
    CHECK(matches(v, &c, why, sizeof why), "[%s] %s: one-shot: %s", kernel, v->name, why);
    collected_free(&c);
}

static void run_set(const test_vector *set, size_t n, const char *kernel) {
    for (size_t i = 0; i < n; i++) run_vector(&set[i], kernel);
}

int main(void) {
    size_t kernels = 0;
    for (size_t k = 0; simdsse_kernel_name_at(k); k++) {
        const char *name = simdsse_kernel_name_at(k);
        if (simdsse_kernel_supported(name) != SIMDSSE_OK) {
            printf("kernel %s: not supported here, skipped\n", name);
            continue;
        }
        kernels++;
        unsigned long before = check_passed;
        run_set(spec_vectors, sizeof spec_vectors / sizeof spec_vectors[0], name);
        run_set(wpt_vectors, sizeof wpt_vectors / sizeof wpt_vectors[0], name);
        printf("kernel %s: %zu spec + %zu wpt vectors, %lu checks\n", name,
               sizeof spec_vectors / sizeof spec_vectors[0], sizeof wpt_vectors / sizeof wpt_vectors[0],
               check_passed - before);
    }
    CHECK(kernels >= 1, "at least the scalar kernel runs");
    return check_done();
}
