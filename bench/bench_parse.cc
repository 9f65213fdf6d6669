/*
 * bench_parse.cc -- parse throughput: every kernel, four corpora, four ways
 * of feeding, against a hand-written memchr parser.
 * SPDX-License-Identifier: MIT
 *
 * Names are parse/CORPUS/SIZE/CHUNK/CONTENDER:
 *   CORPUS     llm, tiny, big, mixed (tools/corpus.h; seed 1);
 *   SIZE       4M, cache-warm after the first pass (the headline), or 256M,
 *              streamed from DRAM, registered only with --dram (or
 *              SIMDSSE_BENCH_DRAM=1) because it takes a while;
 *   CHUNK      1K, 16K, 64K: the stream fed in pieces of that size, as reads
 *              from a socket arrive; whole: one feed;
 *   CONTENDER  each kernel compiled in that this CPU runs ("scalar" is the
 *              portable SWAR reference), through the callbacks; the same
 *              kernel through the pull API, push then SIMDSSE_PARSER_FOREACH
 *              ("KERNEL-pull") or a loop over simdsse_parser_next
 *              ("KERNEL-next"); and "memchr", bench/baseline_memchr.c.
 * bytes_per_second is input bytes; `events` is dispatched events per
 * second. Every contender must dispatch the same events as the scalar
 * kernel (type, data, id and offset) on every corpus, checked at start-up:
 * a mismatch exits with status 1 before anything is timed.
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "baseline_memchr.h"
#include "corpus.h"
#include "simdsse.h"

namespace {

const uint64_t kSeed = 1;
const size_t kWarm = size_t(4) << 20;
const size_t kDram = size_t(256) << 20;

struct corpus {
    char *buf = nullptr;
    size_t len = 0;
    uint64_t events = 0;
    corpus_shape shape = CORPUS_LLM;
    size_t size = 0;
};

void release(corpus &c) {
    free(c.buf);
    c = corpus{};
}

bool make(corpus &c, corpus_shape shape, size_t size) {
    if (c.buf && c.shape == shape && c.size == size) return true;
    release(c);
    c.buf = corpus_make(shape, size, kSeed, &c.len, &c.events);
    c.shape = shape;
    c.size = size;
    return c.buf != nullptr;
}

/* The cache-warm corpora live for the whole run; the DRAM one is made when
 * a benchmark needs it, one shape at a time (they run grouped by shape). */
corpus warm[CORPUS_SHAPES];
corpus dram;

const corpus *get(corpus_shape shape, size_t size) {
    corpus &c = size == kWarm ? warm[shape] : dram;
    return make(c, shape, size) ? &c : nullptr;
}

/* MARK: - Event sinks */

struct tally {
    uint64_t events = 0;
    uint64_t data_bytes = 0; /* read something, as a consumer would */
};

int count_event(void *user, const simdsse_event *ev) {
    tally *t = static_cast<tally *>(user);
    t->events++;
    t->data_bytes += ev->data.len;
    return 0;
}

/* count_event, for the pull API. */
struct tally_sink {
    tally t;
    void take(const simdsse_event *ev) {
        t.events++;
        t.data_bytes += ev->data.len;
    }
};

/* FNV-1a over every event's fields, to compare contenders. */
struct digest {
    uint64_t h = 0xcbf29ce484222325ull;
    uint64_t events = 0;
    void add(const void *p, size_t n) {
        const unsigned char *s = static_cast<const unsigned char *>(p);
        for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x100000001b3ull;
    }
    void add(simdsse_span s) {
        add(&s.len, sizeof s.len);
        add(s.ptr, s.len);
    }
};

int digest_event(void *user, const simdsse_event *ev) {
    digest *d = static_cast<digest *>(user);
    d->events++;
    d->add(ev->type);
    d->add(ev->data);
    d->add(ev->id);
    d->add(&ev->offset, sizeof ev->offset);
    return 0;
}

struct digest_sink {
    digest d;
    void take(const simdsse_event *ev) { digest_event(&d, ev); }
};

/* MARK: - One pass over a corpus */

/* Through the callbacks. */
bool simdsse_pass(simdsse_parser *p, const corpus &c, size_t chunk) {
    size_t step = chunk ? chunk : c.len;
    for (size_t at = 0; at < c.len; at += step) {
        size_t n = c.len - at < step ? c.len - at : step;
        if (simdsse_parser_feed(p, c.buf + at, n, nullptr) != SIMDSSE_OK) return false;
    }
    simdsse_parser_finish(p);
    simdsse_parser_reset(p);
    return true;
}

/* Through the pull API: the consumer does what count_event does, or
 * digest_event, inline, in the loop that takes the items. (A sink is the
 * loop's own state, as an iterator's consumer keeps it: tally_sink counts
 * in locals, where a callback has to count through its user pointer.) */
enum class pull_loop { foreach, next };

template <typename Sink>
bool pull_pass(simdsse_parser *p, const corpus &c, size_t chunk, Sink &sink, pull_loop how) {
    size_t step = chunk ? chunk : c.len;
    for (size_t at = 0; at < c.len; at += step) {
        size_t n = c.len - at < step ? c.len - at : step;
        if (simdsse_parser_push(p, c.buf + at, n) != SIMDSSE_OK) return false;
        const simdsse_item *it;
        simdsse_status st;
        bool bad = false;
        Sink local = sink;
        if (how == pull_loop::foreach) {
            SIMDSSE_PARSER_FOREACH(p, it, st) {
                if (it->kind == SIMDSSE_ITEM_EVENT)
                    local.take(&it->event);
                else if (it->kind == SIMDSSE_ITEM_ERROR)
                    bad = true;
            }
        } else {
            while ((st = simdsse_parser_next(p, &it)) == SIMDSSE_OK) {
                if (it->kind == SIMDSSE_ITEM_EVENT)
                    local.take(&it->event);
                else if (it->kind == SIMDSSE_ITEM_ERROR)
                    bad = true;
            }
        }
        sink = local;
        if (bad || st != SIMDSSE_NEED_INPUT) return false;
    }
    simdsse_parser_finish(p);
    simdsse_parser_reset(p);
    return true;
}

bool memchr_pass(baseline_parser *p, const corpus &c, size_t chunk) {
    size_t step = chunk ? chunk : c.len;
    for (size_t at = 0; at < c.len; at += step) {
        size_t n = c.len - at < step ? c.len - at : step;
        if (baseline_feed(p, c.buf + at, n) != 0) return false;
    }
    baseline_reset(p);
    return true;
}

/* cb NULL: for the pull API. */
simdsse_parser *make_parser(const char *kernel, int (*cb)(void *, const simdsse_event *),
                            void *user) {
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    opt.kernel = kernel;
    opt.on_event = cb;
    opt.user = user;
    return simdsse_parser_create(&opt, nullptr);
}

/* MARK: - Benchmarks */

void report(benchmark::State &state, const corpus &c, const tally &t) {
    if (t.events != uint64_t(state.iterations()) * c.events)
        state.SkipWithError("wrong number of events");
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(c.len));
    state.counters["events"] =
        benchmark::Counter(double(state.iterations()) * double(c.events), benchmark::Counter::kIsRate);
}

void bench_simdsse(benchmark::State &state, corpus_shape shape, size_t size, size_t chunk,
                   const char *kernel) {
    const corpus *c = get(shape, size);
    tally t;
    simdsse_parser *p = c ? make_parser(kernel, count_event, &t) : nullptr;
    if (!p) {
        state.SkipWithError("out of memory");
        return;
    }
    for (auto _ : state) {
        if (!simdsse_pass(p, *c, chunk)) {
            state.SkipWithError("parse error");
            break;
        }
    }
    report(state, *c, t);
    simdsse_parser_destroy(p);
}

void bench_pull(benchmark::State &state, corpus_shape shape, size_t size, size_t chunk,
                const char *kernel, pull_loop how) {
    const corpus *c = get(shape, size);
    tally_sink sink{};
    simdsse_parser *p = c ? make_parser(kernel, nullptr, nullptr) : nullptr;
    if (!p) {
        state.SkipWithError("out of memory");
        return;
    }
    for (auto _ : state) {
        if (!pull_pass(p, *c, chunk, sink, how)) {
            state.SkipWithError("parse error");
            break;
        }
    }
    report(state, *c, sink.t);
    simdsse_parser_destroy(p);
}

void bench_memchr(benchmark::State &state, corpus_shape shape, size_t size, size_t chunk) {
    const corpus *c = get(shape, size);
    if (!c) {
        state.SkipWithError("out of memory");
        return;
    }
    tally t;
    baseline_parser p;
    baseline_init(&p, count_event, &t);
    for (auto _ : state) {
        if (!memchr_pass(&p, *c, chunk)) {
            state.SkipWithError("out of memory");
            break;
        }
    }
    report(state, *c, t);
    baseline_free(&p);
}

std::vector<const char *> kernels() {
    std::vector<const char *> k;
    for (size_t i = 0; simdsse_kernel_name_at(i); i++)
        if (simdsse_kernel_supported(simdsse_kernel_name_at(i)) == SIMDSSE_OK)
            k.push_back(simdsse_kernel_name_at(i));
    return k;
}

std::string size_name(size_t n) {
    if (n == 0) return "whole";
    if (n >= (size_t(1) << 20)) return std::to_string(n >> 20) + "M";
    return std::to_string(n >> 10) + "K";
}

void register_all(bool with_dram) {
    const size_t chunks[] = {1 << 10, 16 << 10, 64 << 10, 0};
    for (int s = 0; s < CORPUS_SHAPES; s++) {
        corpus_shape shape = corpus_shape(s);
        for (size_t size : {kWarm, kDram}) {
            if (size == kDram && !with_dram) continue;
            for (size_t chunk : chunks) {
                if (size == kDram && chunk != (64 << 10)) continue; /* one way to stream */
                std::string base = std::string("parse/") + corpus_shape_name(shape) + "/" +
                                   size_name(size) + "/" + size_name(chunk) + "/";
                for (const char *k : kernels()) {
                    benchmark::RegisterBenchmark((base + k).c_str(), bench_simdsse, shape, size,
                                                 chunk, k);
                    benchmark::RegisterBenchmark((base + k + "-pull").c_str(), bench_pull, shape,
                                                 size, chunk, k, pull_loop::foreach);
                    benchmark::RegisterBenchmark((base + k + "-next").c_str(), bench_pull, shape,
                                                 size, chunk, k, pull_loop::next);
                }
                benchmark::RegisterBenchmark((base + "memchr").c_str(), bench_memchr, shape, size,
                                             chunk);
            }
        }
    }
}

/* MARK: - Agreement */

/* Every contender, fed whole and in awkward pieces, must dispatch what the
 * scalar kernel dispatches from the whole corpus, or its figures mean
 * nothing. The small corpora make 1-byte feeds affordable. */
bool contenders_agree() {
    bool ok = true;
    for (int s = 0; s < CORPUS_SHAPES; s++) {
        corpus_shape shape = corpus_shape(s);
        corpus small;
        const size_t sizes[] = {kWarm, size_t(256) << 10};
        for (size_t size : sizes) {
            const corpus *c =
                size == kWarm ? get(shape, size) : make(small, shape, size) ? &small : nullptr;
            if (!c) {
                fprintf(stderr, "bench_parse: out of memory\n");
                return false;
            }
            std::vector<size_t> chunks = {0, 1 << 10, (64 << 10) + 1};
            if (size != kWarm) chunks = {0, 1, 7, 4093};
            digest want;
            simdsse_parser *ref = make_parser("scalar", digest_event, &want);
            if (!ref || !simdsse_pass(ref, *c, 0) || want.events != c->events) {
                fprintf(stderr,
                        "bench_parse: %s/%s: scalar dispatched %llu events, the generator %llu\n",
                        corpus_shape_name(shape), size_name(size).c_str(),
                        (unsigned long long)want.events, (unsigned long long)c->events);
                ok = false;
            }
            simdsse_parser_destroy(ref);
            std::vector<std::string> names;
            for (const char *k : kernels()) {
                names.push_back(k);
                names.push_back(std::string(k) + "-pull");
                names.push_back(std::string(k) + "-next");
            }
            names.push_back("memchr");
            for (const std::string &name : names) {
                const char *k = name.c_str();
                for (size_t chunk : chunks) {
                    digest got;
                    bool fed;
                    if (name == "memchr") {
                        baseline_parser b;
                        baseline_init(&b, digest_event, &got);
                        fed = memchr_pass(&b, *c, chunk);
                        baseline_free(&b);
                    } else if (name.size() > 5 && name[name.size() - 5] == '-') {
                        std::string kernel = name.substr(0, name.size() - 5);
                        pull_loop how = name.compare(name.size() - 4, 4, "pull") == 0
                                            ? pull_loop::foreach
                                            : pull_loop::next;
                        digest_sink sink{};
                        simdsse_parser *p = make_parser(kernel.c_str(), nullptr, nullptr);
                        fed = p && pull_pass(p, *c, chunk, sink, how);
                        got = sink.d;
                        simdsse_parser_destroy(p);
                    } else {
                        simdsse_parser *p = make_parser(k, digest_event, &got);
                        fed = p && simdsse_pass(p, *c, chunk);
                        simdsse_parser_destroy(p);
                    }
                    if (!fed || got.h != want.h || got.events != want.events) {
                        fprintf(stderr, "bench_parse: %s/%s fed %s by %s disagrees with scalar "
                                        "(%llu events, want %llu)\n",
                                corpus_shape_name(shape), size_name(size).c_str(),
                                chunk ? (std::to_string(chunk) + " bytes").c_str() : "whole", k,
                                (unsigned long long)got.events, (unsigned long long)want.events);
                        ok = false;
                    }
                }
            }
        }
        release(small);
    }
    return ok;
}

} // namespace

int main(int argc, char **argv) {
    const char *env = getenv("SIMDSSE_BENCH_DRAM");
    bool with_dram = env && *env && strcmp(env, "0") != 0;
    int kept = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dram") == 0)
            with_dram = true;
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    if (!contenders_agree()) return 1;
    benchmark::AddCustomContext("simdsse_default_kernel", simdsse_kernel_default());
    register_all(with_dram);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (corpus &c : warm) release(c);
    release(dram);
    return 0;
}
