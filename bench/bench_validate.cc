/*
 * bench_validate.cc -- the validator's throughput, beside its reference
 * reader (the byte loop it was before issue 12) and the parser, in one run.
 * SPDX-License-Identifier: MIT
 *
 * Names are validate/CORPUS/4M/FEED/CONTENDER:
 *   CORPUS     llm, tiny, big, mixed (bench/corpus.h, seed 1);
 *   FEED       whole, or 16K pieces;
 *   CONTENDER  fast: simdsse_validator_feed as shipped;
 *              reference: the same validator reading every byte with its
 *              reference reader (simdsse__validator_use_reference);
 *              parse: simdsse_parser_feed on the default kernel, the cost a
 *              gateway pays anyway.
 * bytes_per_second is input bytes.
 *
 * Before anything is timed the fast reader must report exactly what the
 * reference reports (every diagnostic's code, line, column, offset and
 * message, in order, and the counts): on every corpus whole and in 1-, 7-
 * and 4093-byte feeds, with the default long-line threshold and a 100-byte
 * one, and on 20,000 seeded random streams of the bytes the validator
 * treats specially, in random feeds with random thresholds. A mismatch
 * exits with status 1.
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "corpus.h"
#include "stream.h"
extern "C" {
#include "internal.h" /* simdsse__validator_use_reference */
}

namespace {

const size_t kWarm = size_t(4) << 20;

struct corpus {
    char *buf = nullptr;
    size_t len = 0;
    ~corpus() { free(buf); }
};

corpus warm[CORPUS_SHAPES];

const corpus *get(corpus_shape shape) {
    corpus &c = warm[shape];
    if (!c.buf) c.buf = corpus_make(shape, kWarm, 1, &c.len, nullptr);
    return c.buf ? &c : nullptr;
}

/* MARK: - Agreement */

/* Every diagnostic, as reported. */
struct transcript {
    std::vector<simdsse_diagnostic> seen;
};

int record(void *user, const simdsse_diagnostic *d) {
    static_cast<transcript *>(user)->seen.push_back(*d);
    return 0;
}

bool same(const simdsse_diagnostic &a, const simdsse_diagnostic &b) {
    return a.code == b.code && a.severity == b.severity && a.line == b.line &&
           a.column == b.column && a.offset == b.offset && a.message == b.message &&
           a.suggestion == b.suggestion;
}

/* buf validated in feeds of `chunk` bytes (0: whole) by the fast or the
 * reference reader. */
simdsse_validation run(const char *buf, size_t len, size_t chunk, size_t long_line, bool reference,
                       transcript *t) {
    simdsse_validator_options opt;
    simdsse_validator_options_init(&opt);
    opt.on_diagnostic = record;
    opt.user = t;
    opt.long_line = long_line;
    opt.max_diagnostics = UINT64_MAX;
    simdsse_validator *v = simdsse_validator_create(&opt, nullptr);
    if (!v) abort();
    if (reference) simdsse__validator_use_reference(v);
    size_t step = chunk ? chunk : len;
    for (size_t at = 0; at < len; at += step)
        simdsse_validator_feed(v, buf + at, len - at < step ? len - at : step);
    simdsse_validator_finish(v);
    simdsse_validation r;
    simdsse_validation_init(&r);
    simdsse_validator_result(v, &r);
    simdsse_validator_destroy(v);
    return r;
}

bool agree(const char *buf, size_t len, size_t chunk, size_t long_line, const char *what) {
    transcript want, got;
    simdsse_validation rw = run(buf, len, 0, long_line, true, &want);
    simdsse_validation rg = run(buf, len, chunk, long_line, false, &got);
    bool ok = rw.errors == rg.errors && rw.warnings == rg.warnings && rw.events == rg.events &&
              rw.reported == rg.reported && want.seen.size() == got.seen.size();
    for (size_t i = 0; ok && i < want.seen.size(); i++) ok = same(want.seen[i], got.seen[i]);
    if (!ok)
        fprintf(stderr,
                "bench_validate: %s (%zu bytes, feeds of %zu, long_line %zu) disagrees with the "
                "reference: %llu/%llu diagnostics, %llu/%llu events\n",
                what, len, chunk, long_line, (unsigned long long)got.seen.size(),
                (unsigned long long)want.seen.size(), (unsigned long long)rg.events,
                (unsigned long long)rw.events);
    return ok;
}

uint64_t next(uint64_t &s) { /* splitmix64 */
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Streams made of what the validator decides on: field names and their
 * near misses, colons, spaces, tabs, line ends, NUL, a BOM, UTF-8 lead and
 * continuation bytes at the edges of the decoder's ranges, digits. */
std::string hostile(uint64_t &s) {
    static const char *const bits[] = {
        "data:", "data: ", "event:", "event: ", "id:", "id: ", "retry:", "retry: ", "Data:",
        "data :", " data:", ":", " ", "\t", "\n", "\r", "\r\n", "\xEF\xBB\xBF", "\xEF\xBB", "\xC3\xA9", "\xC2", "\xC1\x80", "\xE0\xA0\x80", "\xE0\x9F",
        "\xED\x9F\xBF", "\xED\xA0\x80", "\xF0\x90\x80\x80", "\xF0\x8F", "\xF4\x8F\xBF\xBF",
        "\xF4\x90", "\xF5", "\x80", "\xBF", "\xE2\x82\xAC", "\xF0\x9F\x99\x82", "12", "x",
        "abcdefghijklmnopq", "x-trace:", "datum", "\x7F", "\x01"};
    const size_t n = sizeof bits / sizeof bits[0];
    std::string out;
    for (size_t k = next(s) % 60; k > 0; k--) {
        size_t b = next(s) % (n + 1);
        if (b == n)
            out.push_back('\0'); /* NUL, which a C string cannot hold */
        else
            out += bits[b];
    }
    return out;
}

bool readers_agree() {
    bool ok = true;
    for (int sh = 0; sh < CORPUS_SHAPES; sh++) {
        corpus_shape shape = corpus_shape(sh);
        const corpus *c = get(shape);
        if (!c) return false;
        size_t small_len = 0;
        char *small = corpus_make(shape, size_t(256) << 10, 1, &small_len, nullptr);
        if (!small) return false;
        for (size_t long_line : {size_t(SIMDSSE_DEFAULT_LONG_LINE), size_t(100)}) {
            ok &= agree(c->buf, c->len, 0, long_line, corpus_shape_name(shape));
            ok &= agree(c->buf, c->len, 16 << 10, long_line, corpus_shape_name(shape));
            for (size_t chunk : {size_t(1), size_t(7), size_t(4093)})
                ok &= agree(small, small_len, chunk, long_line, corpus_shape_name(shape));
        }
        free(small);
    }
    uint64_t s = 12;
    for (int i = 0; i < 20000 && ok; i++) {
        std::string text = hostile(s);
        static const size_t long_lines[] = {0, 1, 3, 8, 20, SIMDSSE_DEFAULT_LONG_LINE};
        size_t long_line = long_lines[next(s) % 6];
        size_t chunk = 1 + next(s) % 24;
        ok &= agree(text.data(), text.size(), next(s) % 4 ? chunk : 0, long_line, "random stream");
    }
    return ok;
}

/* MARK: - Benchmarks */

enum contender { FAST, REFERENCE, PARSE };

int count_event(void *user, const simdsse_event *ev) {
    (void)ev;
    ++*static_cast<uint64_t *>(user);
    return 0;
}

void bench_validate(benchmark::State &state, corpus_shape shape, size_t chunk, contender who) {
    const corpus *c = get(shape);
    uint64_t events = 0;
    simdsse_validator *v = who == PARSE ? nullptr : validator_open();
    simdsse_parser *p = who == PARSE ? stream_open(nullptr, count_event, &events) : nullptr;
    if (!c || (!v && !p)) {
        state.SkipWithError("out of memory");
        return;
    }
    size_t step = chunk ? chunk : c->len;
    uint64_t found = 0;
    for (auto _ : state) {
        if (v && who == REFERENCE) simdsse__validator_use_reference(v);
        for (size_t at = 0; at < c->len; at += step) {
            size_t n = c->len - at < step ? c->len - at : step;
            if (v)
                validator_feed(v, c->buf + at, n);
            else if (stream_feed(p, c->buf + at, n) != 0)
                state.SkipWithError("parse error");
        }
        if (v)
            found += validator_end(v);
        else
            stream_end(p);
    }
    benchmark::DoNotOptimize(found);
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(c->len));
    if (v) validator_close(v);
    if (p) stream_close(p);
}

} // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    if (!readers_agree()) return 1;
    benchmark::AddCustomContext("simdsse_default_kernel", simdsse_kernel_default());
    static const char *const names[] = {"fast", "reference", "parse"};
    for (int s = 0; s < CORPUS_SHAPES; s++)
        for (size_t chunk : {size_t(0), size_t(16) << 10})
            for (int who = FAST; who <= PARSE; who++) {
                std::string name = std::string("validate/") + corpus_shape_name(corpus_shape(s)) +
                                   "/4M/" + (chunk ? "16K" : "whole") + "/" + names[who];
                benchmark::RegisterBenchmark(name.c_str(), bench_validate, corpus_shape(s), chunk,
                                             contender(who));
            }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
