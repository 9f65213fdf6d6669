/*
 * bench_gateway.cc -- a gateway's view: many parsers, one per connection,
 * each fed small reads round-robin, as a proxy's event loop feeds them.
 * SPDX-License-Identifier: MIT
 *
 * Names are gateway/llm/N/READ:
 *   N     1, 100 or 10000 parsers (streams), each with its own state;
 *   READ  event: each read is exactly one event (a server's write);
 *         200B, 1500B: the same bytes in reads of that size, cutting lines.
 * One iteration is one round: every stream is fed its next read.
 *
 * The data is laid out hot, as fresh socket data is (the kernel has just
 * copied it into the reader's buffer): every stream reads from one 256 KiB
 * llm corpus (bench/corpus.h, seed 1) that stays in cache, each from its own
 * place in it (a stream starts at an event, streams next to each other far
 * apart, so no two consecutive reads are the same bytes) and wraps round at
 * its end. What does not stay in cache is what a gateway cannot keep there
 * either: the parsers' state, N of them.
 *
 * Counters: events/s and bytes/s (input); mem_per_stream, the mean of
 * simdsse_parser_memory over the N parsers after the run (so after carrying
 * cut lines), and mem_idle, the same for a parser that has read nothing.
 * The ratio that matters (issue 12) is events/s of 200B to event at the
 * same N: bench/table.py prints it. All parser calls are in stream.h.
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

namespace {

const size_t kCorpus = size_t(256) << 10;
const size_t kMaxRead = 1500;

struct corpus {
    char *buf = nullptr; /* the corpus, then its first kMaxRead bytes again */
    size_t len = 0;
    size_t *ends = nullptr; /* piece (event) ends */
    size_t pieces = 0;
    uint64_t events = 0;
    ~corpus() {
        free(buf);
        free(ends);
    }
};

const corpus *llm() {
    static corpus c;
    if (!c.buf) {
        c.buf = corpus_make_pieces(CORPUS_LLM, kCorpus, 1, &c.len, &c.events, &c.ends, &c.pieces);
        if (!c.buf || c.len < kMaxRead || c.events != c.pieces) return nullptr;
        /* A read that runs past the end goes on at the start: the corpus is
         * whole events, so the wrapped stream is a valid stream. */
        memcpy(c.buf + c.len, c.buf, kMaxRead);
    }
    return &c;
}

/* One connection: its parser and where its next read starts. */
struct conn {
    simdsse_parser *p = nullptr;
    size_t piece = 0; /* event reads: the next piece */
    size_t at = 0;    /* byte reads: the next byte */
};

struct tally {
    uint64_t events = 0;
    uint64_t bytes = 0; /* of data, read as a consumer would */
};

int count_event(void *user, const simdsse_event *ev) {
    tally *t = static_cast<tally *>(user);
    t->events++;
    t->bytes += ev->data.len;
    return 0;
}

/* The next read of c, `read` bytes (0: one event); advances c. */
inline size_t next_read(const corpus &k, conn &c, size_t read, const char **at) {
    if (read == 0) {
        size_t start = c.piece ? k.ends[c.piece - 1] : 0, n = k.ends[c.piece] - start;
        *at = k.buf + start;
        c.piece = c.piece + 1 == k.pieces ? 0 : c.piece + 1;
        return n;
    }
    *at = k.buf + c.at;
    c.at += read;
    if (c.at >= k.len) c.at -= k.len;
    return read;
}

/* Streams start at pieces this far apart (mod the piece count): a stride
 * coprime with it, so starts are all different while N <= pieces, and
 * neighbours far apart. */
size_t spread(size_t i, size_t pieces) {
    const size_t stride = 7919; /* prime, and no corpus here has a multiple of it pieces */
    return (i * stride) % pieces;
}

std::vector<conn> open_all(const corpus &k, size_t n, tally *t) {
    std::vector<conn> conns(n);
    for (size_t i = 0; i < n; i++) {
        conns[i].p = stream_open(nullptr, count_event, t);
        conns[i].piece = spread(i, k.pieces);
        conns[i].at = conns[i].piece ? k.ends[conns[i].piece - 1] : 0;
    }
    return conns;
}

void bench_gateway(benchmark::State &state, size_t n, size_t read) {
    const corpus *k = llm();
    tally t;
    std::vector<conn> conns = k ? open_all(*k, n, &t) : std::vector<conn>();
    for (const conn &c : conns)
        if (!c.p) conns.clear();
    if (conns.empty()) {
        state.SkipWithError("no corpus or no parser");
        return;
    }
    double idle = double(stream_memory(conns[0].p));
    uint64_t bytes = 0;
    bool bad = false;
    for (auto _ : state) {
        for (conn &c : conns) {
            const char *at;
            size_t len = next_read(*k, c, read, &at);
            bad |= stream_feed(c.p, at, len) != 0;
            bytes += len;
        }
    }
    if (bad) state.SkipWithError("parse error");
    double mem = 0;
    for (conn &c : conns) {
        mem += double(stream_memory(c.p));
        stream_close(c.p);
    }
    state.SetBytesProcessed(int64_t(bytes));
    state.counters["events"] = benchmark::Counter(double(t.events), benchmark::Counter::kIsRate);
    state.counters["mem_per_stream"] = mem / double(n);
    state.counters["mem_idle"] = idle;
}

/* One stream fed the whole corpus once in each read size must dispatch
 * exactly its events, data for data, or the figures mean nothing. */
bool reads_agree() {
    const corpus *k = llm();
    if (!k) {
        fprintf(stderr, "bench_gateway: out of memory\n");
        return false;
    }
    bool ok = true;
    uint64_t data = 0;
    for (size_t read : {size_t(0), size_t(200), kMaxRead}) {
        tally t;
        std::vector<conn> one = open_all(*k, 1, &t);
        if (!one[0].p) return false;
        size_t fed = 0;
        while (fed < k->len) {
            const char *at;
            size_t len = next_read(*k, one[0], read, &at);
            if (fed + len > k->len) len = k->len - fed; /* stop at the end */
            ok &= stream_feed(one[0].p, at, len) == 0;
            fed += len;
        }
        stream_end(one[0].p);
        stream_close(one[0].p);
        if (!data) data = t.bytes;
        if (t.events != k->events || t.bytes != data) {
            fprintf(stderr,
                    "bench_gateway: %zu-byte reads dispatched %llu events (%llu data bytes), "
                    "want %llu (%llu)\n",
                    read, (unsigned long long)t.events, (unsigned long long)t.bytes,
                    (unsigned long long)k->events, (unsigned long long)data);
            ok = false;
        }
    }
    return ok;
}

} // namespace

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    if (!reads_agree()) return 1;
    benchmark::AddCustomContext("simdsse_default_kernel", simdsse_kernel_default());
    for (size_t n : {size_t(1), size_t(100), size_t(10000)})
        for (size_t read : {size_t(0), size_t(200), kMaxRead}) {
            std::string name = "gateway/llm/" + std::to_string(n) + "/" +
                               (read ? std::to_string(read) + "B" : std::string("event"));
            benchmark::RegisterBenchmark(name.c_str(), bench_gateway, n, read);
        }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
