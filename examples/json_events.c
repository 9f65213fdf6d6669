/*
 * json_events.c -- JSON both ways: JSON payloads into events, events into JSON.
 * SPDX-License-Identifier: MIT
 *
 *     json_events encode < TEXT    each line becomes an event whose data is
 *                                  {"n":N,"text":"<the line>"}, as an LLM API
 *                                  streams its chunks
 *     json_events decode < STREAM  each event becomes one JSON Lines record,
 *                                  {"event":..,"data":..,"id":..}
 *
 * `json_events encode < notes.txt | json_events decode` round-trips.
 *
 * Both directions use the library's JSON rendering, which decodes bytes the
 * way a browser decodes the stream (UTF-8; each invalid sequence becomes
 * U+FFFD) and escapes what JSON requires. The output is therefore always
 * valid UTF-8 JSON, whatever the input held. Both calls size their output
 * the same way: given a buffer too small, they say how big it must be.
 * (Parsing JSON is not the library's job: use your JSON library on the
 * data of the events you receive.)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdsse.h"

/* A growable output buffer. */
typedef struct buffer {
    char *ptr;
    size_t cap;
} buffer;

static int reserve(buffer *b, size_t n) {
    if (n <= b->cap) return 0;
    char *p = realloc(b->ptr, n);
    if (!p) return -1;
    b->ptr = p;
    b->cap = n;
    return 0;
}

/* MARK: - decode: events to JSON Lines */

static int on_event(void *user, const simdsse_event *ev) {
    buffer *b = user;
    size_t len;
    simdsse_status st = simdsse_format_json(ev, b->ptr, b->cap, &len);
    if (st == SIMDSSE_ERR_BUFFER_TOO_SMALL) { /* len is the exact size needed */
        if (reserve(b, len) != 0) return 1;
        st = simdsse_format_json(ev, b->ptr, b->cap, &len);
    }
    if (st != SIMDSSE_OK) return 1; /* non-zero stops the parser */
    fwrite(b->ptr, 1, len, stdout);
    putchar('\n');
    return ferror(stdout) ? 1 : 0;
}

static int decode(buffer *b) {
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = on_event;
    o.user = b;
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&o, &st);
    if (!p) {
        fprintf(stderr, "json_events: %s\n", simdsse_strerror(st));
        return 1;
    }
    char chunk[16384];
    size_t n;
    int status = 0;
    while (status == 0 && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        st = simdsse_parser_feed(p, chunk, n, NULL);
        if (st == SIMDSSE_PAUSED || st == SIMDSSE_ERR_NO_MEMORY) status = 1;
        else if (st < 0) /* a limit: one event dropped, the rest parsed */
            fprintf(stderr, "json_events: %s\n", simdsse_strerror(st));
    }
    simdsse_parser_finish(p);
    simdsse_parser_destroy(p);
    return status || ferror(stdin);
}

/* MARK: - encode: lines to events with JSON data */

/* Writes {"n":N,"text":<line as a JSON string>} into b. */
static int make_json(buffer *b, unsigned long n, const char *line, size_t len, size_t *out) {
    char head[40];
    int hlen = snprintf(head, sizeof head, "{\"n\":%lu,\"text\":", n);
    size_t slen;
    /* First ask how long the string literal is (cap 0), then write it. */
    simdsse_format_json_string(line, len, NULL, 0, &slen);
    if (reserve(b, (size_t)hlen + slen + 1) != 0) return -1;
    memcpy(b->ptr, head, (size_t)hlen);
    if (simdsse_format_json_string(line, len, b->ptr + hlen, slen, &slen) != SIMDSSE_OK)
        return -1;
    b->ptr[(size_t)hlen + slen] = '}';
    *out = (size_t)hlen + slen + 1;
    return 0;
}

static int encode(buffer *b) {
    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(NULL, &st);
    if (!w) {
        fprintf(stderr, "json_events: %s\n", simdsse_strerror(st));
        return 1;
    }
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    unsigned long n = 0;
    int status = 0;
    while (status == 0 && (len = getline(&line, &linecap, stdin)) >= 0) {
        if (len > 0 && line[len - 1] == '\n') len--;
        char id[24];
        size_t json_len;
        simdsse_event ev = {0};
        ev.type = (simdsse_span){"line", 4};
        ev.id = (simdsse_span){id, (size_t)snprintf(id, sizeof id, "%lu", ++n)};
        if (make_json(b, n, line, (size_t)len, &json_len) != 0) {
            status = 1;
            break;
        }
        /* JSON text never holds a raw line end (they are escaped as \n), so
         * the data goes out as one `data:` line. */
        ev.data = (simdsse_span){b->ptr, json_len};
        simdsse_span out;
        if (simdsse_writer_event(w, &ev, 0) != SIMDSSE_OK) status = 1;
        out = simdsse_writer_output(w);
        if (fwrite(out.ptr, 1, out.len, stdout) != out.len) status = 1;
        simdsse_writer_consume(w, out.len);
    }
    free(line);
    simdsse_writer_destroy(w);
    return status || ferror(stdin);
}

int main(int argc, char **argv) {
    int encoding = argc == 2 && strcmp(argv[1], "encode") == 0;
    if (argc != 2 || (!encoding && strcmp(argv[1], "decode") != 0)) {
        fputs("usage: json_events encode < TEXT | json_events decode < STREAM\n", stderr);
        return 2;
    }
    buffer b = {NULL, 0};
    int status = encoding ? encode(&b) : decode(&b);
    free(b.ptr);
    if (fflush(stdout) != 0) status = 1;
    if (status) fputs("json_events: failed (out of memory, or an I/O error)\n", stderr);
    return status;
}
