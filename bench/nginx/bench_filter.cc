/*
 * bench_filter.cc -- what ngx_http_sse_module adds per event, without
 * nginx: the module's stream logic (nginx/sse_filter.c) and extraction
 * pre-filter (nginx/sse_extract.c) against the bare simdsse parser, fed the
 * way an LLM gateway's reads arrive, one event per feed.
 * SPDX-License-Identifier: MIT
 *
 * Names are filter/CONTENDER, each over the `llm` corpus (1 MiB, seed 1)
 * cut at its event boundaries:
 *   parser     simdsse_parser_feed with an on_event that counts (baseline);
 *   meter      sse_filter_feed: what `sse on` runs per buffer;
 *   drop       the same with sse_drop_types ping;
 *   extract    meter plus two sse_extract pre-filters (and jansson for the
 *              events that pass them), as bench/nginx/sse_load configures;
 *   validate   simdsse_validator_feed alone: what sse_validate adds.
 * `events` is events per second; compare the contenders' times per event.
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include "corpus.h"
#include "sse_extract.h"
#include "sse_filter.h"
}
#include "simdsse.h"

namespace {

struct events {
    char *buf = nullptr;
    size_t len = 0;
    std::vector<size_t> at; /* event starts, and the end */
};

const events &corpus() {
    static events e;
    if (e.buf) return e;
    e.buf = corpus_make(CORPUS_LLM, size_t(1) << 20, 1, &e.len, nullptr);
    if (!e.buf) std::abort();
    e.at.push_back(0);
    for (size_t i = 1; i < e.len; i++)
        if (e.buf[i] == '\n' && e.buf[i - 1] == '\n') e.at.push_back(i + 1);
    return e;
}

int count(void *user, const simdsse_event *) {
    ++*static_cast<uint64_t *>(user);
    return 0;
}

void BM_parser(benchmark::State &state) {
    const events &e = corpus();
    uint64_t n = 0;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = count;
    o.user = &n;
    simdsse_parser *p = simdsse_parser_create(&o, nullptr);
    for (auto _ : state)
        for (size_t i = 0; i + 1 < e.at.size(); i++)
            simdsse_parser_feed(p, e.buf + e.at[i], e.at[i + 1] - e.at[i], nullptr);
    benchmark::DoNotOptimize(n);
    simdsse_parser_destroy(p);
    state.counters["events"] = benchmark::Counter(double(n), benchmark::Counter::kIsRate);
}

void no_emit(void *, uint64_t, uint64_t) {}

struct extracts {
    sse_pointer *p[2];
    char *out = nullptr;
    size_t len = 0, cap = 0;
    uint64_t found = 0;
};

void on_event(void *user, const simdsse_event *ev, int) {
    auto *x = static_cast<extracts *>(user);
    /* As sse_load: /usage/output_tokens of message_delta events, and
     * /usage/total_tokens of any. */
    if (ev->type.len == 13 && memcmp(ev->type.ptr, "message_delta", 13) == 0 &&
        sse_pointer_candidate(x->p[0], ev->data.ptr, ev->data.len))
        x->found += sse_pointer_extract(x->p[0], ev->data.ptr, ev->data.len, &x->out, &x->len, &x->cap) > 0;
    if (sse_pointer_candidate(x->p[1], ev->data.ptr, ev->data.len))
        x->found += sse_pointer_extract(x->p[1], ev->data.ptr, ev->data.len, &x->out, &x->len, &x->cap) > 0;
}

void run_filter(benchmark::State &state, const simdsse_span *drop, size_t ndrop, bool extract) {
    const events &e = corpus();
    const char *err;
    extracts x;
    x.p[0] = sse_pointer_compile("/usage/output_tokens", 20, &err);
    x.p[1] = sse_pointer_compile("/usage/total_tokens", 19, &err);
    sse_filter_options o = {size_t(1) << 20, size_t(1) << 20, drop, ndrop,
                            extract ? on_event : nullptr, no_emit, &x};
    /* One stream, as long as the benchmark runs. */
    sse_filter f;
    sse_filter_init(&f, &o);
    for (auto _ : state)
        for (size_t i = 0; i + 1 < e.at.size(); i++)
            sse_filter_feed(&f, e.buf + e.at[i], e.at[i + 1] - e.at[i]);
    uint64_t n = f.events;
    sse_filter_free(&f);
    if (extract && !x.found) state.SkipWithError("extraction found nothing");
    sse_pointer_free(x.p[0]);
    sse_pointer_free(x.p[1]);
    free(x.out);
    state.counters["events"] = benchmark::Counter(double(n), benchmark::Counter::kIsRate);
}

void BM_meter(benchmark::State &state) { run_filter(state, nullptr, 0, false); }

void BM_drop(benchmark::State &state) {
    static const simdsse_span ping[] = {{"ping", 4}};
    run_filter(state, ping, 1, false);
}

void BM_extract(benchmark::State &state) { run_filter(state, nullptr, 0, true); }

void BM_validate(benchmark::State &state) {
    const events &e = corpus();
    simdsse_validator *v = simdsse_validator_create(nullptr, nullptr);
    uint64_t n = 0;
    for (auto _ : state) {
        for (size_t i = 0; i + 1 < e.at.size(); i++)
            simdsse_validator_feed(v, e.buf + e.at[i], e.at[i + 1] - e.at[i]);
        n += e.at.size() - 1;
    }
    simdsse_validator_destroy(v);
    state.counters["events"] = benchmark::Counter(double(n), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_parser)->Name("filter/parser");
BENCHMARK(BM_meter)->Name("filter/meter");
BENCHMARK(BM_drop)->Name("filter/drop");
BENCHMARK(BM_extract)->Name("filter/extract");
BENCHMARK(BM_validate)->Name("filter/validate");
BENCHMARK_MAIN();
