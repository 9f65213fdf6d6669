/*
 * stream_read.c -- parse a stream as it arrives: the read loop that loses nothing.
 * SPDX-License-Identifier: MIT
 *
 *     producer | stream_read [--chunk N] [--max-line N]
 *     stream_read < FILE
 *
 * Standard input may be a pipe, a FIFO, a socket (inetd, systemd socket
 * activation, `nc host port | stream_read`) or a file: read() hands out
 * whatever has arrived, cut anywhere -- inside a line, between the CR and
 * the LF of a CRLF, inside a UTF-8 sequence or the BOM. The parser carries
 * every cut-off line over to the next feed, so the output is the same for
 * every chunk size (--chunk, 65536 by default, sets the read size).
 *
 * Each event is printed as `type [id]: data` with the data's line feeds
 * shown as \n. A line longer than --max-line bytes (1 MiB by default)
 * drops only the event it is in; the stream goes on.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simdsse.h"

static int on_event(void *user, const simdsse_event *ev) {
    (void)user;
    printf("%.*s [%.*s]: ", (int)ev->type.len, ev->type.ptr, (int)ev->id.len, ev->id.ptr);
    for (size_t i = 0; i < ev->data.len; i++) {
        if (ev->data.ptr[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(ev->data.ptr[i]);
    }
    putchar('\n');
    /* Output failing (a closed pipe, a full disk) is the one reason to stop:
     * returning non-zero pauses the parser right after this event. */
    return ferror(stdout) ? 1 : 0;
}

/* A limit tripped: that event is dropped (nothing of it was dispatched),
 * everything before and after it is parsed as usual. */
static int on_error(void *user, const simdsse_error *err) {
    (void)user;
    fprintf(stderr, "stream_read: byte %llu: %s: one event dropped\n",
            (unsigned long long)err->offset, simdsse_strerror(err->status));
    return 0;
}

static int parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > SIZE_MAX) return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv) {
    size_t chunk = 65536;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = on_event;
    o.on_error = on_error;
    for (int i = 1; i < argc; i += 2) {
        size_t *opt = !strcmp(argv[i], "--chunk")      ? &chunk
                      : !strcmp(argv[i], "--max-line") ? &o.max_line_length
                                                       : NULL;
        if (!opt || i + 1 == argc || parse_size(argv[i + 1], opt) != 0) {
            fputs("usage: stream_read [--chunk N] [--max-line N] < STREAM\n", stderr);
            return 2;
        }
    }

    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&o, &st);
    char *buf = malloc(chunk);
    if (!p || !buf) {
        fprintf(stderr, "stream_read: %s\n", p ? "out of memory" : simdsse_strerror(st));
        simdsse_parser_destroy(p);
        free(buf);
        return 1;
    }

    int status = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, chunk);
        if (n < 0 && errno == EINTR) continue; /* a signal, not an error */
        if (n < 0) {
            perror("stream_read: read");
            status = 1;
            break;
        }
        if (n == 0) break; /* end of the stream */

        /* Feed reads the whole chunk and may reuse nothing of it after it
         * returns: `buf` is ours again for the next read. */
        st = simdsse_parser_feed(p, buf, (size_t)n, NULL);
        if (st == SIMDSSE_PAUSED) { /* our on_event said stop: output failed */
            status = 1;
            break;
        }
        if (st == SIMDSSE_ERR_NO_MEMORY) {
            /* The allocator failed: the event in progress is lost. Say so,
             * reset (as a reconnection would) and go on with the next chunk. */
            fputs("stream_read: out of memory; parser reset\n", stderr);
            simdsse_parser_reset(p);
            status = 1;
        }
        /* Any other negative status is a limit error: already reported by
         * on_error, and every byte of the chunk was parsed. */
    }

    /* The end of the stream. As the standard says, an event that no blank
     * line ended is not dispatched: finish discards it. */
    simdsse_parser_finish(p);
    simdsse_parser_destroy(p);
    free(buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("stream_read: standard output");
        status = 1;
    }
    return status;
}
