/*
 * write_stream.c -- the writer: events with ids, a retry time, heartbeats.
 * SPDX-License-Identifier: MIT
 *
 *     producer | write_stream [--retry MS] [--heartbeat MS]
 *
 * Turns lines of standard input into a text/event-stream on standard
 * output, the way a server writes one to its clients. A line is `DATA` or
 * `TYPE<TAB>DATA`; each becomes one event with the next id (1, 2, ...).
 * The stream starts with `retry: MS` (1000 by default), the reconnection
 * time clients should use. Whenever the input is silent for --heartbeat MS
 * (15000 by default) a comment line `:` goes out: clients ignore it, but it
 * keeps proxies and load balancers from closing an idle connection, and it
 * makes a dead client show up as a failed write.
 *
 * A type that holds a CR is refused (it would end the `event:` line and
 * start a field of its own): that line is reported and skipped. CRs in the
 * data are safe: the writer splits the data there into `data:` lines.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simdsse.h"

/* Sends what the writer holds. write() may take less than asked (a pipe or
 * socket buffer that is nearly full): consume what it took and go on. A
 * server with non-blocking sockets would instead keep the rest in the writer
 * and send it when poll says the socket is writable. */
static int flush(simdsse_writer *w) {
    for (;;) {
        simdsse_span out = simdsse_writer_output(w);
        if (out.len == 0) return 0;
        ssize_t n = write(STDOUT_FILENO, out.ptr, out.len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1; /* the reader went away */
        simdsse_writer_consume(w, (size_t)n);
    }
}

/* One input line, `DATA` or `TYPE<TAB>DATA`, becomes event number *id + 1. */
static void add_line(simdsse_writer *w, const char *line, size_t len, unsigned long long lineno,
                     unsigned long long *id) {
    char idbuf[24];
    simdsse_event ev = {0}; /* all fields absent */
    if (len && line[len - 1] == '\r') len--; /* the input may end its lines with CRLF */
    const char *tab = memchr(line, '\t', len);
    if (tab) {
        ev.type = (simdsse_span){line, (size_t)(tab - line)};
        len -= (size_t)(tab + 1 - line);
        line = tab + 1;
    }
    ev.data = (simdsse_span){line, len};
    ev.id = (simdsse_span){idbuf, (size_t)snprintf(idbuf, sizeof idbuf, "%llu", *id + 1)};
    /* Flags 0: strict. A CR or LF in the type or id, or a NUL in the id, is
     * refused with SIMDSSE_ERR_INVALID_FIELD and nothing is written.
     * SIMDSSE_WRITE_SANITIZE would remove those bytes instead. */
    simdsse_status st = simdsse_writer_event(w, &ev, 0);
    if (st == SIMDSSE_OK)
        ++*id;
    else
        fprintf(stderr, "write_stream: line %llu: %s: not sent\n", lineno, simdsse_strerror(st));
}

static int parse_ms(const char *s, unsigned long long *out) {
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

int main(int argc, char **argv) {
    unsigned long long retry_ms = 1000, heartbeat_ms = 15000;
    for (int i = 1; i < argc; i += 2) {
        unsigned long long *opt = !strcmp(argv[i], "--retry")       ? &retry_ms
                                  : !strcmp(argv[i], "--heartbeat") ? &heartbeat_ms
                                                                    : NULL;
        if (!opt || i + 1 == argc || parse_ms(argv[i + 1], opt) != 0 || *opt > 86400000) {
            fputs("usage: write_stream [--retry MS] [--heartbeat MS] < LINES\n", stderr);
            return 2;
        }
    }

    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(NULL, &st);
    if (!w) {
        fprintf(stderr, "write_stream: %s\n", simdsse_strerror(st));
        return 1;
    }

    /* A `retry` line sets the client's reconnection time and dispatches
     * nothing. */
    int status = 0;
    if (simdsse_writer_retry(w, retry_ms) != SIMDSSE_OK || flush(w) != 0) status = 1;

    char buf[8192];
    size_t have = 0;
    unsigned long long id = 0, lineno = 0;
    for (int eof = 0; !eof && status == 0;) {
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)heartbeat_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            perror("write_stream: poll");
            status = 1;
            break;
        }
        if (ready == 0) { /* silence: a heartbeat (an empty comment, ":\n") */
            if (simdsse_writer_comment(w, NULL, 0, 0) != SIMDSSE_OK || flush(w) != 0) status = 1;
            continue;
        }

        ssize_t n = read(STDIN_FILENO, buf + have, sizeof buf - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            perror("write_stream: read");
            status = 1;
            break;
        }
        have += (size_t)n;
        eof = n == 0;
        /* Every complete line, and at the end of the input a last line
         * without a line feed, becomes an event. */
        size_t start = 0;
        for (char *nl; (nl = memchr(buf + start, '\n', have - start)) != NULL;
             start = (size_t)(nl + 1 - buf))
            add_line(w, buf + start, (size_t)(nl - (buf + start)), ++lineno, &id);
        if (eof && start < have) {
            add_line(w, buf + start, have - start, ++lineno, &id);
            start = have;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (have == sizeof buf) { /* a line longer than our buffer */
            fprintf(stderr, "write_stream: line %llu: longer than %zu bytes\n", lineno + 1,
                    sizeof buf);
            status = 1;
        }
        if (flush(w) != 0) status = 1; /* everything this read produced, in one write */
    }
    simdsse_writer_destroy(w);
    return status;
}
