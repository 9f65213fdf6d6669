/*
 * bench_writer.cc -- the writer's throughput against a byte-loop writer.
 * SPDX-License-Identifier: MIT
 *
 * Two shapes of event, the same bytes for every contender:
 *   llm  an LLM token stream: type "content_block_delta", a counter id and
 *        ~200 bytes of single-line JSON data;
 *   big  64 KiB of data with a line end every ~2 KiB (LF, some CRLF).
 * Contenders: simdsse_writer_event appending to a writer (on each kernel
 * this CPU runs), simdsse_format_event into a caller's buffer, and `naive`,
 * the writer people write first: the same output, one byte at a time.
 * bytes_per_second counts output bytes; items_per_second counts events.
 */
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "simdsse.h"

namespace {

struct corpus {
    std::vector<std::string> type, data, id; /* owners of the bytes */
    std::vector<simdsse_event> events;
    size_t out_bytes = 0; /* output for one pass over `events` */
};

uint64_t next(uint64_t &s) { /* xorshift64* */
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
}

simdsse_span span(const std::string &s) { return simdsse_span{s.data(), s.size()}; }

void finish(corpus &c) {
    for (size_t i = 0; i < c.data.size(); i++) {
        simdsse_event f{};
        f.type = span(c.type[i]);
        f.data = span(c.data[i]);
        f.id = span(c.id[i]);
        c.events.push_back(f);
        size_t n = 0;
        simdsse_format_event(&f, 0, nullptr, 0, &n); /* the size it needs */
        c.out_bytes += n;
    }
}

/* 256 token deltas as an LLM API streams them: JSON of 180-230 bytes. */
const corpus &llm() {
    static corpus c;
    if (!c.events.empty()) return c;
    static const char *const words[] = {"the", " model", " said", ", and", " then", " quickly",
                                        " wrote", " \\\"code\\\"", " 42", " caf\xc3\xa9"};
    uint64_t s = 0x11d;
    for (int i = 0; i < 256; i++) {
        std::string text;
        size_t want = 60 + next(s) % 50;
        while (text.size() < want) text += words[next(s) % 10];
        std::string d = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        "{\"type\":\"text_delta\",\"text\":\"" + text +
                        "\"},\"usage\":{\"output_tokens\":" + std::to_string(i) + "}}";
        c.type.push_back("content_block_delta");
        c.data.push_back(d);
        c.id.push_back(std::to_string(1000000 + i));
    }
    finish(c);
    return c;
}

/* 8 events of 64 KiB text with a line end every 1-3 KiB. */
const corpus &big() {
    static corpus c;
    if (!c.events.empty()) return c;
    uint64_t s = 0xb16;
    for (int i = 0; i < 8; i++) {
        std::string d(65536, 'x');
        for (size_t j = 0; j < d.size(); j++) d[j] = (char)(' ' + next(s) % 90);
        for (size_t at = next(s) % 2048; at + 1 < d.size(); at += 1024 + next(s) % 2048) {
            if (next(s) % 4 == 0)
                d[at] = '\r', d[at + 1] = '\n';
            else
                d[at] = '\n';
        }
        c.type.push_back("document");
        c.data.push_back(d);
        c.id.push_back(std::to_string(i));
    }
    finish(c);
    return c;
}

/* MARK: - The byte loop */

/* What a first writer looks like: check and copy a byte at a time. The
 * buffer is sized for the worst case up front, so it does no more work
 * than the bytes need. Returns bytes written, or 0 for a refused value. */
size_t naive_write(const simdsse_event &e, char *out) {
    char *p = out;
    auto field = [&p](const char *name, simdsse_span v, bool no_nul) {
        for (size_t i = 0; name[i]; i++) *p++ = name[i];
        for (size_t i = 0; i < v.len; i++) {
            char c = v.ptr[i];
            if (c == '\r' || c == '\n' || (no_nul && c == 0)) return false;
            *p++ = c;
        }
        *p++ = '\n';
        return true;
    };
    if (e.type.len && !field("event: ", e.type, false)) return 0;
    if (e.id.ptr && !field("id: ", e.id, true)) return 0;
    if (e.data.ptr) {
        for (const char *h = "data: "; *h; h++) *p++ = *h;
        for (size_t i = 0; i < e.data.len; i++) {
            char c = e.data.ptr[i];
            if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < e.data.len && e.data.ptr[i + 1] == '\n') i++;
                *p++ = '\n';
                for (const char *h = "data: "; *h; h++) *p++ = *h;
            } else {
                *p++ = c;
            }
        }
        *p++ = '\n';
    }
    *p++ = '\n';
    return (size_t)(p - out);
}

/* MARK: - Cases */

void report(benchmark::State &state, const corpus &c) {
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(c.events.size()));
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(c.out_bytes));
}

/* Appends a pass over the corpus to a writer, then clears it, as a server
 * does when it hands the output to the socket. */
void writer_case(benchmark::State &state, const corpus *c, const char *kernel) {
    simdsse_writer_options opt;
    simdsse_writer_options_init(&opt);
    opt.kernel = kernel;
    simdsse_writer *w = simdsse_writer_create(&opt, nullptr);
    if (!w) {
        state.SkipWithError("no writer");
        return;
    }
    for (auto _ : state) {
        for (const simdsse_event &e : c->events)
            if (simdsse_writer_event(w, &e, 0) != SIMDSSE_OK) state.SkipWithError("refused");
        benchmark::DoNotOptimize(simdsse_writer_output(w).ptr);
        simdsse_writer_clear(w);
    }
    report(state, *c);
    simdsse_writer_destroy(w);
}

/* Formats straight into a caller's buffer, one event at a time. */
void format_case(benchmark::State &state, const corpus *c) {
    std::vector<char> buf(c->out_bytes);
    for (auto _ : state) {
        size_t at = 0;
        for (const simdsse_event &e : c->events) {
            size_t n;
            if (simdsse_format_event(&e, 0, buf.data() + at, buf.size() - at, &n) != SIMDSSE_OK)
                state.SkipWithError("refused");
            at += n;
        }
        benchmark::DoNotOptimize(buf.data());
        benchmark::ClobberMemory();
    }
    report(state, *c);
}

void naive_case(benchmark::State &state, const corpus *c) {
    size_t worst = 0;
    for (const simdsse_event &e : c->events)
        worst += 16 + e.type.len + e.id.len + 7 * (e.data.len + 1);
    std::vector<char> buf(worst);
    size_t total = 0;
    for (auto _ : state) {
        size_t at = 0;
        for (const simdsse_event &e : c->events) at += naive_write(e, buf.data() + at);
        total = at;
        benchmark::DoNotOptimize(buf.data());
        benchmark::ClobberMemory();
    }
    if (total != c->out_bytes) state.SkipWithError("naive writer disagrees on size");
    report(state, *c);
}

/* The baseline must write what the writer writes, or the race is unfair. */
bool naive_agrees(const corpus &c) {
    std::vector<char> a, b;
    for (const simdsse_event &e : c.events) {
        size_t n = 0;
        simdsse_format_event(&e, 0, nullptr, 0, &n);
        a.resize(n);
        b.resize(16 + e.type.len + e.id.len + 7 * (e.data.len + 1));
        simdsse_format_event(&e, 0, a.data(), a.size(), &n);
        if (naive_write(e, b.data()) != n || memcmp(a.data(), b.data(), n) != 0) return false;
    }
    return true;
}

int register_all() {
    const struct {
        const char *name;
        const corpus &(*make)();
    } shapes[] = {{"llm", llm}, {"big", big}};
    for (const auto &shape : shapes) {
        const corpus *c = &shape.make();
        if (!naive_agrees(*c)) {
            fprintf(stderr, "bench_writer: the naive writer disagrees on %s\n", shape.name);
            continue;
        }
        std::string s = shape.name;
        benchmark::RegisterBenchmark(("writer/" + s + "/naive").c_str(), naive_case, c);
        benchmark::RegisterBenchmark(("writer/" + s + "/format").c_str(), format_case, c);
        for (size_t i = 0; simdsse_kernel_name_at(i); i++) {
            const char *k = simdsse_kernel_name_at(i);
            if (simdsse_kernel_supported(k) != SIMDSSE_OK) continue;
            benchmark::RegisterBenchmark(("writer/" + s + "/writer/" + k).c_str(), writer_case,
                                         c, k);
        }
    }
    return 0;
}

const int registered = register_all();

} // namespace
