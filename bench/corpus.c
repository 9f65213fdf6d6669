/*
 * corpus.c -- deterministic text/event-stream corpora (see corpus.h).
 * SPDX-License-Identifier: MIT
 *
 * Everything below draws from one splitmix64 stream and uses only integer
 * arithmetic, so the output is the same on every platform and compiler:
 * tests pin it with hashes. Change the output only on purpose.
 */
#include "corpus.h"

#include <stdlib.h>
#include <string.h>

/* MARK: - Randomness */

/* splitmix64 (Steele, Lea, Flood 2014): one add and two multiplies per draw,
 * and every seed, zero included, gives a good stream. */
static uint64_t rnd(corpus_gen *g) {
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform enough in [0, n): the modulo bias is below 2^-40 for our n. */
static uint32_t below(corpus_gen *g, uint32_t n) { return (uint32_t)(rnd(g) % n); }

/* True with probability pct/100. */
static int chance(corpus_gen *g, uint32_t pct) { return below(g, 100) < pct; }

/* MARK: - Output */

static char *put(char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_u64(char *p, uint64_t v) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* Text as a model streams it, already escaped for a JSON string: words,
 * punctuation, escapes and multi-byte UTF-8 (2, 3 and 4 bytes). */
static const char *const tokens[] = {
    " the", " model", " is", " a", " of", " and", " to", " in", "ing", " stream",
    " function", " return", "(", ")", ".", ",", " {", "}", " =", " 42",
    " x:", " \\\"quoted\\\"", "\\n", "\\n\\n", " `code`", " server", " event", "ed", " it", " I",
    " caf\xc3\xa9", " na\xc3\xafve", " \xc3\xbc" "ber", " \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
    " \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", " \xf0\x9f\x99\x82",
    " \xe4\xb8\xad\xe6\x96\x87", " \xe2\x82\xac" "5", "\xe2\x80\x94", "\xe2\x80\xa6",
};
#define N_TOKENS (sizeof tokens / sizeof tokens[0])

static char *put_tokens(corpus_gen *g, char *p, uint32_t n) {
    while (n--) p = put(p, tokens[below(g, N_TOKENS)]);
    return p;
}

/* MARK: - llm */

static const char openai_head[] = "data: {\"id\":\"";
static const char openai_mid[] =
    "\",\"object\":\"chat.completion.chunk\",\"created\":";
static const char openai_model[] =
    ",\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0aa8d3e20b\","
    "\"choices\":[{\"index\":0,\"delta\":";
static const char openai_tail[] = ",\"logprobs\":null,\"finish_reason\":";

static char *openai_chunk(corpus_gen *g, char *p) {
    p = put(p, openai_head);
    p = put(p, g->msg_id);
    p = put(p, openai_mid);
    p = put_u64(p, 1730000000 + g->serial / 64);
    p = put(p, openai_model);
    if (g->at == 0) {
        p = put(p, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
    } else if (g->at == g->steps - 2) {
        p = put(p, "{}");
    } else {
        p = put(p, "{\"content\":\"");
        p = put_tokens(g, p, 1 + (below(g, 4) == 0));
        p = put(p, "\"}");
    }
    p = put(p, openai_tail);
    p = put(p, g->at == g->steps - 2 ? "\"stop\"}]}\n\n" : "null}]}\n\n");
    return p;
}

static char *anthropic_event(corpus_gen *g, char *p) {
    uint32_t at = g->at, deltas_end = g->steps - 3;
    if (at == 0) {
        p = put(p, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"");
        p = put(p, g->msg_id);
        p = put(p, "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                   "\"claude-3-5-sonnet-20241022\",\"content\":[],\"stop_reason\":null,"
                   "\"stop_sequence\":null,\"usage\":{\"input_tokens\":");
        p = put_u64(p, 10 + below(g, 3000));
        p = put(p, ",\"output_tokens\":1}}}\n\n");
    } else if (at == 1) {
        p = put(p, "event: content_block_start\ndata: {\"type\":\"content_block_start\","
                   "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    } else if (at == 2) {
        p = put(p, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
    } else if (at < deltas_end) {
        p = put(p, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                   "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"");
        p = put_tokens(g, p, 2 + below(g, 5));
        p = put(p, "\"}}\n\n");
    } else if (at == deltas_end) {
        p = put(p, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\","
                   "\"index\":0}\n\n");
    } else if (at == deltas_end + 1) {
        p = put(p, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
                   "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                   "\"usage\":{\"output_tokens\":");
        p = put_u64(p, deltas_end - 3);
        p = put(p, "}}\n\n");
    } else {
        p = put(p, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }
    return p;
}

/* One event of a response; a new response (either provider) after the last. */
static char *llm_step(corpus_gen *g, char *p) {
    if (g->at == g->steps) {
        uint32_t deltas = 20 + below(g, 280);
        g->provider = (uint8_t)below(g, 2);
        g->at = 0;
        char *id = g->msg_id;
        id = put(id, g->provider ? "msg_01" : "chatcmpl-");
        for (int i = g->provider ? 22 : 29; i > 0; i--) *id++ = alnum[below(g, 62)];
        *id = '\0';
        /* OpenAI: role chunk, deltas, finish chunk, [DONE]. Anthropic:
         * message_start, content_block_start, ping, deltas, three to close. */
        g->steps = deltas + (g->provider ? 6 : 3);
    }
    if (g->provider)
        p = anthropic_event(g, p);
    else if (g->at == g->steps - 1)
        p = put(p, "data: [DONE]\n\n");
    else
        p = openai_chunk(g, p);
    g->at++;
    g->events++;
    return p;
}

/* MARK: - tiny, big */

static char *tiny_step(corpus_gen *g, char *p) {
    p = put(p, "data: ");
    p = put_u64(p, below(g, 100000));
    g->events++;
    return put(p, "\n\n");
}

#define BIG_LINE ((size_t)64 << 10)

/* 64 KiB of printable ASCII (colons and spaces included), 10 bytes a draw. */
static char *big_text(corpus_gen *g, char *p) {
    static const char chars[64] = "abcdefghijklmnopqrstuvwxyz     ABCDEFGHIJKLMNOP0123456789:,.{}\"-";
    for (size_t i = 0; i < BIG_LINE; i += 10) {
        uint64_t r = rnd(g);
        size_t n = BIG_LINE - i < 10 ? BIG_LINE - i : 10;
        for (size_t k = 0; k < n; k++, r >>= 6) *p++ = chars[r & 63];
    }
    return p;
}

static char *big_step(corpus_gen *g, char *p) {
    p = put(p, "event: document\nid: ");
    p = put_u64(p, g->serial);
    p = put(p, "\n");
    for (uint32_t n = 1 + below(g, 4); n; n--) {
        p = put(p, "data: ");
        p = big_text(g, p);
        p = put(p, "\n");
    }
    g->events++;
    return put(p, "\n");
}

/* MARK: - mixed */

/* Ends a line with LF, CRLF or a lone CR. A lone CR followed by an empty
 * line ended by LF would read as one CRLF, losing the blank line: then the
 * empty line ends with CR too. */
static char *end_line(corpus_gen *g, char *p, int empty) {
    uint32_t r = below(g, 100);
    if (r < 60 && !(empty && g->last_cr)) {
        *p++ = '\n';
        g->last_cr = 0;
    } else if (r < 85) {
        *p++ = '\r';
        *p++ = '\n';
        g->last_cr = 0;
    } else {
        *p++ = '\r';
        g->last_cr = 1;
    }
    return p;
}

/* A data value: words, UTF-8, colons, sometimes JSON; maybe empty. */
static char *mixed_text(corpus_gen *g, char *p) {
    switch (below(g, 5)) {
    case 0:
        p = put(p, "{\"seq\":");
        p = put_u64(p, g->serial);
        p = put(p, ",\"text\":\"");
        p = put_tokens(g, p, below(g, 8));
        return put(p, "\"}");
    case 1:
        return put_tokens(g, p, below(g, 3));
    default:
        return put_tokens(g, p, 1 + below(g, 14));
    }
}

enum { L_TYPE, L_ID, L_RETRY, L_OTHER, L_DATA };

static char *mixed_line(corpus_gen *g, char *p, int kind) {
    static const char *const types[] = {"update", "patch", "message", "delta", "x-\xc3\xa9v"};
    switch (kind) {
    case L_TYPE:
        p = put(p, chance(g, 70) ? "event: " : "event:");
        if (chance(g, 92)) p = put(p, types[below(g, 5)]);
        break;
    case L_ID:
        if (chance(g, 8)) {
            p = put(p, "id"); /* no colon: the id becomes empty */
        } else {
            p = put(p, chance(g, 80) ? "id: " : "id:");
            p = put_u64(p, g->serial);
        }
        break;
    case L_RETRY:
        p = put(p, "retry: ");
        p = put_u64(p, 500 + below(g, 10000));
        if (chance(g, 15)) p = put(p, "ms"); /* not all digits: ignored */
        break;
    case L_OTHER:
        p = put(p, chance(g, 50) ? "Data: field names are case-sensitive" : "x-trace: a:b:c");
        break;
    default:
        switch (below(g, 10)) {
        case 0:
            p = put(p, "data"); /* no colon: an empty data line */
            break;
        case 1:
            p = put(p, "data:");
            p = mixed_text(g, p);
            break;
        case 2:
            p = put(p, "data:  "); /* one space removed, the other kept */
            p = mixed_text(g, p);
            break;
        default:
            p = put(p, "data: ");
            p = mixed_text(g, p);
        }
    }
    return end_line(g, p, 0);
}

static char *mixed_step(corpus_gen *g, char *p) {
    if (chance(g, 15)) { /* heartbeat comment */
        p = put(p, chance(g, 50) ? ": keep-alive" : ":");
        p = end_line(g, p, 0);
    }
    if (chance(g, 8)) { /* a block that dispatches nothing */
        if (chance(g, 50)) p = mixed_line(g, p, chance(g, 50) ? L_RETRY : L_ID);
        p = end_line(g, p, 1);
    }
    int lines[12], n = 0;
    /* Single-line data is the common case (and the parser's no-copy path). */
    uint32_t data = chance(g, 6) ? 0 : chance(g, 55) ? 1 : 2 + below(g, 4);
    for (uint32_t i = 0; i < data; i++) lines[n++] = L_DATA;
    if (chance(g, 45)) lines[n++] = L_TYPE;
    if (chance(g, 35)) lines[n++] = L_ID;
    if (chance(g, 6)) lines[n++] = L_RETRY;
    if (chance(g, 4)) lines[n++] = L_OTHER;
    for (int i = n - 1; i > 0; i--) { /* any order is legal */
        int j = (int)below(g, (uint32_t)i + 1), t = lines[i];
        lines[i] = lines[j];
        lines[j] = t;
    }
    for (int i = 0; i < n; i++) p = mixed_line(g, p, lines[i]);
    if (chance(g, 5)) p = put(p, ": trailing comment"), p = end_line(g, p, 0);
    p = end_line(g, p, 1);
    /* "If the data buffer is an empty string, ... return": only events with
     * a data line dispatch, an empty one included. */
    if (data) g->events++;
    return p;
}

/* MARK: - Public */

static const char *const shape_names[CORPUS_SHAPES] = {"llm", "tiny", "big", "mixed"};

int corpus_shape_from_name(const char *name) {
    for (int i = 0; i < CORPUS_SHAPES; i++)
        if (name && strcmp(name, shape_names[i]) == 0) return i;
    return -1;
}

const char *corpus_shape_name(corpus_shape shape) {
    return (unsigned)shape < CORPUS_SHAPES ? shape_names[shape] : "?";
}

void corpus_init(corpus_gen *g, corpus_shape shape, uint64_t seed) {
    memset(g, 0, sizeof *g);
    g->shape = shape;
    g->rng = seed;
}

size_t corpus_step(corpus_gen *g, char *out) {
    char *p = out;
    switch (g->shape) {
    case CORPUS_LLM:
        p = llm_step(g, p);
        break;
    case CORPUS_TINY:
        p = tiny_step(g, p);
        break;
    case CORPUS_BIG:
        p = big_step(g, p);
        break;
    default:
        p = mixed_step(g, p);
    }
    g->serial++;
    return (size_t)(p - out);
}

/* Grows *ends to hold piece `n`; 0 if out of memory. */
static int note_end(size_t **ends, size_t *cap, size_t n, size_t end) {
    if (n == *cap) {
        size_t c = *cap ? 2 * *cap : 1024;
        size_t *e = realloc(*ends, c * sizeof *e);
        if (!e) return 0;
        *ends = e;
        *cap = c;
    }
    (*ends)[n] = end;
    return 1;
}

char *corpus_make_pieces(corpus_shape shape, size_t bytes, uint64_t seed, size_t *len,
                         uint64_t *events, size_t **ends, size_t *pieces) {
    if (bytes > SIZE_MAX - CORPUS_STEP_MAX) return NULL;
    char *buf = malloc(bytes + CORPUS_STEP_MAX);
    if (!buf) return NULL;
    corpus_gen g;
    corpus_init(&g, shape, seed);
    size_t n = 0, count = 0, cap = 0;
    if (ends) *ends = NULL;
    while (n < bytes) {
        n += corpus_step(&g, buf + n);
        if (ends && !note_end(ends, &cap, count, n)) {
            free(*ends);
            free(buf);
            *ends = NULL;
            return NULL;
        }
        count++;
    }
    *len = n;
    if (events) *events = g.events;
    if (pieces) *pieces = count;
    return buf;
}

char *corpus_make(corpus_shape shape, size_t bytes, uint64_t seed, size_t *len, uint64_t *events) {
    return corpus_make_pieces(shape, bytes, seed, len, events, NULL, NULL);
}
