/*
 * sse_server.c -- a tiny event-stream server written with simdsse's writer.
 * SPDX-License-Identifier: MIT
 *
 *     sse_server [--port P] [--events N] [--per-connection K] [--retry MS]
 *                [--interval MS]
 *
 * Serves GET / (or /events) on 127.0.0.1 with events whose ids are 1..N,
 * K of them per connection; then it closes the connection, as a server
 * that restarts or a proxy that times out would. A client reconnects with
 * the `Last-Event-ID` request header, and the server resumes right after
 * that id. Once all N events are out it answers 204 No Content, which
 * tells an EventSource to stop reconnecting.
 *
 * The first line on standard output is the port it listens on (useful with
 * --port 0, an ephemeral port); a log goes to standard error.
 *
 * One connection at a time, blocking sockets, libc and simdsse only: this
 * shows the protocol, not how to serve many clients: hub.c does that.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "simdsse.h"

typedef struct config {
    unsigned port;
    uint64_t events;          /* ids 1..events */
    uint64_t per_connection;  /* events sent before closing the connection */
    uint64_t retry_ms;        /* sent as the `retry` field */
    uint64_t interval_ms;     /* pause between events */
} config;

/* MARK: - Sockets */

/* Sends all of buf; -1 if the client went away. */
static int send_all(int fd, const char *buf, size_t len) {
    while (len) {
        ssize_t n = send(fd, buf, len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Sends what the writer holds and empties it. */
static int flush_writer(int fd, simdsse_writer *w) {
    simdsse_span out = simdsse_writer_output(w);
    int rc = send_all(fd, out.ptr, out.len);
    simdsse_writer_consume(w, out.len);
    return rc;
}

/* Closes gracefully: a plain close() with unread input sends a reset that
 * can make the client lose the last events, so say "no more" first and
 * wait (briefly) for the client to close its side. */
static void close_gracefully(int fd) {
    char sink[512];
    shutdown(fd, SHUT_WR);
    while (recv(fd, sink, sizeof sink, 0) > 0) {
    }
    close(fd);
}

static void sleep_ms(uint64_t ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* MARK: - The request */

typedef struct request {
    char method[16];
    char path[256];
    int has_last_id;
    char last_id[256]; /* the Last-Event-ID header value, trimmed */
} request;

/* Reads the request head (up to the blank line) and picks out the method,
 * the path and the Last-Event-ID header. -1 if it is not a request. */
static int read_request(int fd, request *rq) {
    char head[8192];
    size_t len = 0;
    memset(rq, 0, sizeof *rq);
    for (;;) {
        if (len == sizeof head - 1) return -1; /* head too large */
        ssize_t n = recv(fd, head + len, sizeof head - 1 - len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        len += (size_t)n;
        head[len] = '\0';
        if (strstr(head, "\r\n\r\n")) break;
    }
    /* Request line: METHOD SP PATH SP VERSION */
    if (sscanf(head, "%15s %255s", rq->method, rq->path) != 2) return -1;
    /* Header lines: NAME ":" OWS VALUE OWS CRLF, names case-insensitive. */
    for (char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        static const char name[] = "Last-Event-ID:";
        if (strncasecmp(line, name, sizeof name - 1) != 0) continue;
        const char *v = line + sizeof name - 1;
        const char *end = strstr(v, "\r\n");
        while (v < end && (*v == ' ' || *v == '\t')) v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
        size_t vlen = (size_t)(end - v);
        if (vlen >= sizeof rq->last_id) vlen = sizeof rq->last_id - 1;
        memcpy(rq->last_id, v, vlen);
        rq->last_id[vlen] = '\0';
        rq->has_last_id = 1;
    }
    return 0;
}

/* The id a client last saw, as a number: 0 (start over) when it sent none,
 * or one this server never issued. */
static uint64_t resume_after(const request *rq, uint64_t events) {
    if (!rq->has_last_id || rq->last_id[0] < '0' || rq->last_id[0] > '9') return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(rq->last_id, &end, 10);
    if (errno || *end || v > events) return 0;
    return (uint64_t)v;
}

/* MARK: - The event stream */

/* Event `id` of the stream. Three kinds take turns, to show the writer:
 * plain one-line data, multi-line data (one `data:` line per line), and
 * data holding CRLF and a lone CR, which the format cannot carry: the
 * writer splits there too, so the client reads both back as LF. */
enum { ID_CAP = 24, DATA_CAP = 128 };
static void make_event(uint64_t id, char idbuf[ID_CAP], char databuf[DATA_CAP],
                       simdsse_event *ev) {
    int idlen = snprintf(idbuf, ID_CAP, "%" PRIu64, id);
    size_t cap = DATA_CAP;
    int dlen;
    memset(ev, 0, sizeof *ev);
    switch (id % 3) {
    case 1:
        dlen = snprintf(databuf, cap, "event %" PRIu64, id);
        break; /* no type: the client sees "message" */
    case 2:
        ev->type = (simdsse_span){"multi", 5};
        dlen = snprintf(databuf, cap, "event %" PRIu64 "\nsecond line\nthird line", id);
        break;
    default:
        ev->type = (simdsse_span){"crlf", 4};
        dlen = snprintf(databuf, cap, "event %" PRIu64 "\r\nafter CRLF\rafter CR", id);
        break;
    }
    ev->id = (simdsse_span){idbuf, (size_t)idlen};
    ev->data = (simdsse_span){databuf, (size_t)dlen};
}

static const char head_200[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-cache\r\n" /* proxies must not cache or buffer it */
    "Connection: close\r\n"       /* the body ends when the connection does */
    "\r\n";

/* Serves one connection: the stream after `after`, or 204 when done. */
static void serve(int fd, const config *cfg, simdsse_writer *w) {
    request rq;
    if (read_request(fd, &rq) != 0) {
        close(fd);
        return;
    }
    const char *answer = NULL;
    if (strcmp(rq.method, "GET") != 0)
        answer = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\n"
                 "Connection: close\r\n\r\n";
    else if (strcmp(rq.path, "/") != 0 && strcmp(rq.path, "/events") != 0)
        answer = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    uint64_t after = resume_after(&rq, cfg->events);
    fprintf(stderr, "sse_server: %s %s, Last-Event-ID: %s\n", rq.method, rq.path,
            rq.has_last_id ? rq.last_id : "(none)");
    if (!answer && after >= cfg->events) /* all sent: tell the client to stop */
        answer = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    if (answer) {
        send_all(fd, answer, strlen(answer));
        close_gracefully(fd);
        return;
    }

    /* The reconnection time first: a `retry` line sets it and dispatches
     * nothing. Then a comment, which clients ignore: servers send them as
     * heartbeats so that idle proxies keep the connection open (here: once,
     * before the first event). */
    static const char heartbeat[] = " heartbeat";
    if (send_all(fd, head_200, sizeof head_200 - 1) != 0 ||
        simdsse_writer_retry(w, cfg->retry_ms) != SIMDSSE_OK ||
        simdsse_writer_comment(w, heartbeat, sizeof heartbeat - 1, 0) != SIMDSSE_OK ||
        flush_writer(fd, w) != 0) {
        simdsse_writer_clear(w);
        close(fd);
        return;
    }

    uint64_t last = after + cfg->per_connection;
    if (last > cfg->events) last = cfg->events;
    for (uint64_t id = after + 1; id <= last; id++) {
        char idbuf[ID_CAP], databuf[DATA_CAP];
        simdsse_event ev;
        make_event(id, idbuf, databuf, &ev);
        /* Strict flags (0): a type or id holding CR, LF (or NUL, for an id)
         * would be refused with SIMDSSE_ERR_INVALID_FIELD, never written. */
        simdsse_status st = simdsse_writer_event(w, &ev, 0);
        if (st != SIMDSSE_OK) {
            fprintf(stderr, "sse_server: event %" PRIu64 ": %s\n", id, simdsse_strerror(st));
            break;
        }
        if (flush_writer(fd, w) != 0) {
            fprintf(stderr, "sse_server: client went away after id %" PRIu64 "\n", id - 1);
            close(fd);
            return;
        }
        if (cfg->interval_ms && id < last) sleep_ms(cfg->interval_ms);
    }
    fprintf(stderr, "sse_server: sent ids %" PRIu64 "..%" PRIu64 ", closing\n", after + 1, last);
    close_gracefully(fd);
}

/* MARK: - Main */

static int parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (s[0] < '0' || s[0] > '9') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

static int usage(void) {
    fputs("usage: sse_server [--port P] [--events N] [--per-connection K] [--retry MS]\n"
          "                  [--interval MS]\n"
          "Serves events 1..N on http://127.0.0.1:P/events, K per connection, resuming\n"
          "after the request's Last-Event-ID; then 204 No Content. Prints the port first.\n"
          "Defaults: port 0 (any free port), 10 events, 4 per connection, retry 1000 ms,\n"
          "interval 200 ms.\n",
          stderr);
    return 2;
}

int main(int argc, char **argv) {
    config cfg = {0, 10, 4, 1000, 200};
    for (int i = 1; i < argc; i++) {
        uint64_t v;
        if (i + 1 == argc || parse_u64(argv[i + 1], &v) != 0) return usage();
        const char *opt = argv[i++];
        if (strcmp(opt, "--port") == 0 && v <= 65535)
            cfg.port = (unsigned)v;
        else if (strcmp(opt, "--events") == 0)
            cfg.events = v;
        else if (strcmp(opt, "--per-connection") == 0 && v > 0)
            cfg.per_connection = v;
        else if (strcmp(opt, "--retry") == 0)
            cfg.retry_ms = v;
        else if (strcmp(opt, "--interval") == 0)
            cfg.interval_ms = v;
        else
            return usage();
    }
    /* A client that disconnects must make send() fail, not kill us. */
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 16) != 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0) {
        perror("sse_server");
        return 1;
    }
    printf("%u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    fprintf(stderr, "sse_server: serving http://127.0.0.1:%u/events\n",
            (unsigned)ntohs(addr.sin_port));

    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(NULL, &st);
    if (!w) {
        fprintf(stderr, "sse_server: %s\n", simdsse_strerror(st));
        return 1;
    }
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            perror("sse_server: accept");
            break;
        }
        /* A client that never sends its request (or never closes) must not
         * stall a server that serves one connection at a time. */
        struct timeval tv = {5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        serve(fd, &cfg, w);
    }
    simdsse_writer_destroy(w);
    close(lfd);
    return 1;
}
