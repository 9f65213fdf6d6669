/*
 * mhd_server.c -- Server-Sent Events from inside an HTTP framework (libmicrohttpd).
 * SPDX-License-Identifier: MIT
 *
 *     mhd_server [--port P] [--events N] [--interval MS]
 *
 * Most servers already have an HTTP library; SSE is then just a response
 * whose body never ends. libmicrohttpd pulls a streamed body through a
 * "content reader" callback that fills its buffer; here that callback
 * produces events through a simdsse_writer and hands over its output.
 *
 * GET /events answers `text/event-stream`: a `retry`, then events 1..N
 * ("tick 1", "tick 2", ...) every MS milliseconds, resuming after the
 * request's Last-Event-ID; a client that has them all gets 204 No Content
 * (which tells an EventSource to stop). Port 0 (the default) picks a free
 * port; the first line printed is the port. Stops on SIGINT or SIGTERM.
 *
 * The daemon runs one thread per connection, so the callback may simply
 * wait for the next event. (For thousands of clients on one thread, see
 * hub.c.) Needs libmicrohttpd (Debian: libmicrohttpd-dev).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simdsse.h"

typedef struct config {
    uint64_t events, interval_ms;
} config;

/* One client's stream: what the content reader needs between calls. */
typedef struct stream {
    simdsse_writer *writer; /* formatted bytes not yet given to the daemon */
    uint64_t next, last;    /* ids still to send */
    uint64_t interval_ms;
} stream;

static void sleep_ms(uint64_t ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* The daemon asks for up to `max` more bytes of the body. We give what the
 * writer holds; when it is empty we wait for the next event and write it. */
static ssize_t read_events(void *cls, uint64_t pos, char *buf, size_t max) {
    stream *s = cls;
    (void)pos;
    simdsse_span out = simdsse_writer_output(s->writer);
    while (out.len == 0) {
        if (s->next > s->last) return MHD_CONTENT_READER_END_OF_STREAM;
        sleep_ms(s->interval_ms); /* stands for "wait for the next event" */
        char id[24], data[40];
        simdsse_event ev = {0};
        ev.type = (simdsse_span){"tick", 4};
        ev.id = (simdsse_span){id, (size_t)snprintf(id, sizeof id, "%" PRIu64, s->next)};
        ev.data = (simdsse_span){data, (size_t)snprintf(data, sizeof data, "tick %" PRIu64, s->next)};
        if (simdsse_writer_event(s->writer, &ev, 0) != SIMDSSE_OK)
            return MHD_CONTENT_READER_END_WITH_ERROR; /* out of memory: drop this client */
        s->next++;
        out = simdsse_writer_output(s->writer);
    }
    size_t n = out.len < max ? out.len : max;
    memcpy(buf, out.ptr, n);
    simdsse_writer_consume(s->writer, n);
    return (ssize_t)n;
}

/* The daemon is done with the response (finished, or the client left). */
static void free_stream(void *cls) {
    stream *s = cls;
    simdsse_writer_destroy(s->writer);
    free(s);
}

/* The event after which the client resumes: its Last-Event-ID if that is
 * one of our ids, else 0 (from the start). */
static uint64_t resume_after(struct MHD_Connection *c, uint64_t events) {
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
    if (!v || v[0] < '0' || v[0] > '9') return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    return errno || *end || n > events ? 0 : (uint64_t)n;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned code) {
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET");
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

/* Called for every request. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls) {
    const config *cfg = cls;
    (void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
    if (strcmp(method, "GET") != 0) return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED);
    if (strcmp(url, "/events") != 0) return respond(c, MHD_HTTP_NOT_FOUND);
    uint64_t after = resume_after(c, cfg->events);
    if (after >= cfg->events) return respond(c, MHD_HTTP_NO_CONTENT);

    stream *s = calloc(1, sizeof *s);
    if (!s || !(s->writer = simdsse_writer_create(NULL, NULL))) {
        free(s);
        return MHD_NO; /* the daemon closes the connection */
    }
    s->next = after + 1;
    s->last = cfg->events;
    s->interval_ms = cfg->interval_ms;
    /* The stream opens with the reconnection time (a `retry` line: it
     * dispatches nothing). */
    if (simdsse_writer_retry(s->writer, 1000) != SIMDSSE_OK) {
        free_stream(s);
        return MHD_NO;
    }
    /* Unknown size: the daemon streams the body (chunked in HTTP/1.1). */
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_events, s, free_stream);
    if (!r) {
        free_stream(s);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-cache"); /* no caching, no buffering */
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r); /* the daemon keeps its own reference */
    return ok;
}

static int parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (s[0] < '0' || s[0] > '9') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

int main(int argc, char **argv) {
    config cfg = {10, 1000};
    uint64_t port = 0;
    for (int i = 1; i < argc; i += 2) {
        uint64_t *opt = !strcmp(argv[i], "--port")       ? &port
                        : !strcmp(argv[i], "--events")   ? &cfg.events
                        : !strcmp(argv[i], "--interval") ? &cfg.interval_ms
                                                         : NULL;
        if (!opt || i + 1 == argc || parse_u64(argv[i + 1], opt) != 0 || port > 65535) {
            fputs("usage: mhd_server [--port P] [--events N] [--interval MS]\n", stderr);
            return 2;
        }
    }

    /* SIGINT and SIGTERM are taken by sigwait below, not by the daemon's
     * threads: block them before the threads start (they inherit the mask). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, &cfg, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        fputs("mhd_server: cannot start the HTTP daemon\n", stderr);
        if (d) MHD_stop_daemon(d);
        return 1;
    }
    printf("%u\n", (unsigned)info->port);
    fflush(stdout);
    fprintf(stderr, "mhd_server: serving http://127.0.0.1:%u/events\n", (unsigned)info->port);

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
