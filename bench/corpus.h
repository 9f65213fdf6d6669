/*
 * corpus.h -- deterministic text/event-stream corpora, written once for
 * the benchmarks in bench/ and for tools/ssegen (which the tests use).
 * SPDX-License-Identifier: MIT
 *
 * A corpus is a stream of complete events in one of four shapes:
 *   llm    OpenAI chat.completion.chunk and Anthropic content_block_delta
 *          streams, ~200-byte events, UTF-8 tokens (multi-byte included);
 *   tiny   `data: N` events, ~10 bytes each: per-event overhead;
 *   big    events of several 64 KiB data lines: raw scanning speed;
 *   mixed  LF, CR and CRLF line ends, ids, retry, comments, multi-line data,
 *          fields without a space or a colon, events that dispatch nothing.
 * The bytes depend only on the shape, the seed and the event count: the
 * generator has its own PRNG (splitmix64) and no floating point, so a seed
 * gives the same stream on every platform. Every stream ends on a blank
 * line, and the generator knows how many events a conforming parser
 * dispatches from it.
 */
#ifndef SIMDSSE_CORPUS_H
#define SIMDSSE_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum corpus_shape { CORPUS_LLM, CORPUS_TINY, CORPUS_BIG, CORPUS_MIXED } corpus_shape;
#define CORPUS_SHAPES 4

/* One step of the generator never writes more than this many bytes. */
#define CORPUS_STEP_MAX ((size_t)320 << 10)

typedef struct corpus_gen {
    corpus_shape shape;
    uint64_t rng;        /* splitmix64 state */
    uint64_t events;     /* events a parser dispatches from what was written */
    uint64_t serial;     /* steps so far: ids, counters */
    uint32_t at, steps;  /* llm: step `at` of the current response's `steps` */
    uint8_t provider;    /* llm: 0 OpenAI, 1 Anthropic */
    uint8_t last_cr;     /* mixed: the last byte written was a lone CR */
    char msg_id[40];     /* llm: the current response's id, NUL-terminated */
} corpus_gen;

/* "llm", "tiny", "big", "mixed" -> shape; -1 for any other name. */
int corpus_shape_from_name(const char *name);
const char *corpus_shape_name(corpus_shape shape);

void corpus_init(corpus_gen *g, corpus_shape shape, uint64_t seed);

/* Writes the next piece of the stream (one event, sometimes with the
 * comments or non-dispatching blocks around it) to out, which has room for
 * CORPUS_STEP_MAX bytes; returns the bytes written. Each piece ends on a
 * blank line. */
size_t corpus_step(corpus_gen *g, char *out);

/* A whole corpus of at least `bytes` bytes (the first pieces that reach it;
 * less than CORPUS_STEP_MAX more) in a malloc'd buffer; *len its size,
 * *events (if not NULL) the events it dispatches. NULL if out of memory. */
char *corpus_make(corpus_shape shape, size_t bytes, uint64_t seed, size_t *len,
                  uint64_t *events);

/* corpus_make that also says where each piece ends: (*ends)[i] is the offset
 * just past piece i, *pieces how many there are (a malloc'd array, NULL with
 * the corpus if out of memory). A piece of the llm and tiny shapes is exactly
 * one event: what a server writes, and a client may read, at a time. */
char *corpus_make_pieces(corpus_shape shape, size_t bytes, uint64_t seed, size_t *len,
                         uint64_t *events, size_t **ends, size_t *pieces);

#ifdef __cplusplus
}
#endif

#endif
