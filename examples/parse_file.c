/*
 * parse_file.c -- parse a whole text/event-stream file in one call.
 * SPDX-License-Identifier: MIT
 *
 *     parse_file FILE
 *
 * The quick start: read the file into memory, set the callbacks you care
 * about, call simdsse_parse() once. Each event is printed with its type and
 * id, one "| " line per line of its data:
 *
 *     event "message_start", id "1"
 *     | {"type":"message_start"}
 *
 * For a stream that arrives in pieces (a socket, a pipe) see stream_read.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "simdsse.h"

/* Called once per dispatched event. The spans point into our buffer or
 * into the parser and are valid until this function returns. */
static int on_event(void *user, const simdsse_event *ev) {
    unsigned long *count = user;
    ++*count;
    printf("event \"%.*s\", id \"%.*s\"\n", (int)ev->type.len, ev->type.ptr, (int)ev->id.len,
           ev->id.ptr);
    /* Data lines were joined with LF; print them one per line again. */
    const char *line = ev->data.ptr, *end = ev->data.ptr + ev->data.len;
    for (const char *p = line; p <= end; p++) {
        if (p == end || *p == '\n') {
            printf("| %.*s\n", (int)(p - line), line);
            line = p + 1;
        }
    }
    return 0; /* non-zero would stop the parse right after this event */
}

/* A `retry` field: the reconnection time a client should use. */
static int on_retry(void *user, uint64_t ms) {
    (void)user;
    printf("retry %llu ms\n", (unsigned long long)ms);
    return 0;
}

/* A limit dropped an event; the parse goes on with the next one. */
static int on_error(void *user, const simdsse_error *err) {
    (void)user;
    printf("dropped an event: %s (at byte %llu)\n", simdsse_strerror(err->status),
           (unsigned long long)err->offset);
    return 0;
}

/* Reads all of `path` into a malloc'ed buffer. NULL on failure (errno set). */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            char *grown = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!grown) break;
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0) break;
    }
    int failed = ferror(f) || *len == cap; /* *len == cap: realloc failed */
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fputs("usage: parse_file FILE\n", stderr);
        return 2;
    }
    size_t len;
    char *buf = read_file(argv[1], &len);
    if (!buf) {
        perror(argv[1]);
        return 1;
    }

    unsigned long count = 0;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o); /* default limits, no callbacks */
    o.on_event = on_event;
    o.on_retry = on_retry;
    o.on_error = on_error;
    o.user = &count;

    /* One call: create, feed, finish, destroy. A limit error drops one
     * event and comes back here too (it was already reported above); only
     * running out of memory means the file was not read to the end. */
    simdsse_status st = simdsse_parse(buf, len, &o);
    free(buf);
    if (st == SIMDSSE_ERR_NO_MEMORY || st == SIMDSSE_ERR_INVALID_ARGUMENT) {
        fprintf(stderr, "parse_file: %s\n", simdsse_strerror(st));
        return 1;
    }
    printf("%lu event(s)\n", count);
    return 0;
}
