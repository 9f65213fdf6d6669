/*
 * sse_client.c -- a reconnecting EventSource client on simdsse_client.
 * SPDX-License-Identifier: MIT
 *
 *     sse_client [--json] [--max-reconnects N] [--timeout S] [--retry MS] URL
 *
 * Connects to URL and prints every event the stream dispatches, one line
 * each (as `ssecat` does, or as JSON Lines with --json). The client library
 * (include/simdsse_client.h) does what the WHATWG standard's EventSource
 * does: `Accept: text/event-stream`, a 200 of that type opens the stream,
 * any other answer fails it for good (204 No Content is how a server says
 * "stop"), and an end of stream or a network error reconnects after the
 * reconnection time with `Last-Event-ID`, so the server resumes where it
 * left off. This program only prints what it is told.
 *
 * Exit status: 0 when the server answered 204, or when --max-reconnects
 * reconnections were made and the last connection carried a stream; 1 on a
 * failed connection (or any other failure); 2 on a usage error. Progress
 * (connected, reconnecting, ...) is logged to standard error.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdsse_client.h"

typedef struct app {
    int json;
    long max_reconnects;   /* -1: no limit */
    long reconnects;
    uint64_t events;
    int had_stream;        /* the last connection opened a stream */
    int rc;                /* -1 while running */
    char *line;            /* output line buffer */
    size_t cap;
} app;

/* MARK: - Output: one line per event */

static int reserve(app *a, size_t need) {
    if (need <= a->cap) return 0;
    size_t cap = a->cap ? a->cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(a->line, cap);
    if (!p) return -1;
    a->line = p;
    a->cap = cap;
    return 0;
}

/* Appends label and a JSON string literal for s (any byte of the stream
 * then prints safely on one line). */
static int append(app *a, size_t *len, const char *label, simdsse_span s) {
    size_t l = strlen(label), n;
    simdsse_format_json_string(s.ptr, s.len, NULL, 0, &n); /* the size it needs */
    if (reserve(a, *len + l + n + 1)) return -1;
    memcpy(a->line + *len, label, l);
    simdsse_format_json_string(s.ptr, s.len, a->line + *len + l, n, &n);
    *len += l + n;
    return 0;
}

/* The spans in *ev live only during this call: print (or copy) them now. */
static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    app *a = user;
    size_t len = 0;
    a->events++;
    int bad;
    if (a->json) { /* {"event":..,"data":..,"id":..} */
        simdsse_format_json(ev, NULL, 0, &len);
        bad = reserve(a, len + 1) || simdsse_format_json(ev, a->line, len, &len) != SIMDSSE_OK;
    } else { /* #N type=".." id=".." data=".." */
        char head[32];
        snprintf(head, sizeof head, "#%" PRIu64 " type=", a->events);
        bad = append(a, &len, head, ev->type) || append(a, &len, " id=", ev->id) ||
              append(a, &len, " data=", ev->data);
    }
    if (!bad) a->line[len++] = '\n';
    /* Events show up as they arrive, even through a pipe. */
    if (bad || fwrite(a->line, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "sse_client: cannot write the output\n");
        a->rc = 1;
        simdsse_client_close(c); /* allowed from any callback */
    }
}

/* The id for a log line, quoted like the output. Valid until the next. */
static const char *quoted(app *a, simdsse_span s) {
    size_t len = 0;
    if (append(a, &len, "", s)) return "(?)";
    a->line[len] = '\0';
    return a->line;
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    app *a = user;
    switch (n->kind) {
    case SIMDSSE_CLIENT_OPEN:
        a->had_stream = 1;
        fprintf(stderr, "sse_client: connected\n");
        break;
    case SIMDSSE_CLIENT_ERROR: /* a limit dropped one event; the stream goes on */
        fprintf(stderr, "sse_client: event dropped at byte %" PRIu64 ": %s\n", n->error.offset,
                n->message);
        break;
    case SIMDSSE_CLIENT_RECONNECTING:
        /* A connection that had a stream "closed"; one that never got an
         * answer "failed". */
        fprintf(stderr, "sse_client: connection %s: %s\n", a->had_stream ? "closed" : "failed",
                n->message);
        if (a->max_reconnects >= 0 && a->reconnects == a->max_reconnects) {
            fprintf(stderr, "sse_client: %ld reconnection(s) made, stopping\n", a->reconnects);
            a->rc = a->had_stream ? 0 : 1;
            simdsse_client_close(c);
            return;
        }
        a->reconnects++;
        a->had_stream = 0;
        fprintf(stderr, "sse_client: reconnecting in %" PRIu64 " ms (#%ld, Last-Event-ID %s)\n",
                n->delay_ms, a->reconnects, quoted(a, n->last_event_id));
        break;
    case SIMDSSE_CLIENT_CLOSED:
        if (n->reason == SIMDSSE_CLIENT_REASON_NO_CONTENT) {
            fprintf(stderr, "sse_client: 204 No Content: the server is done\n");
            a->rc = 0;
        } else if (n->reason == SIMDSSE_CLIENT_REASON_HTTP_STATUS ||
                   n->reason == SIMDSSE_CLIENT_REASON_CONTENT_TYPE) {
            fprintf(stderr, "sse_client: failing the connection: HTTP %ld, Content-Type %s\n",
                    n->http_status, n->content_type ? n->content_type : "(none)");
            a->rc = 1;
        } else {
            fprintf(stderr, "sse_client: closed: %s\n", n->message);
            a->rc = 1;
        }
        break;
    }
}

/* MARK: - Main */

static int usage(const char *why) {
    if (why) fprintf(stderr, "sse_client: %s\n", why);
    fputs("usage: sse_client [--json] [--max-reconnects N] [--timeout S] [--retry MS] URL\n"
          "  --json              one JSON object per event: {\"event\",\"data\",\"id\"}\n"
          "  --max-reconnects N  reconnect at most N times (default: no limit)\n"
          "  --timeout S         drop and re-establish a connection that takes more\n"
          "                      than S seconds to open, or on which nothing arrives\n"
          "                      for S seconds (heartbeat comments count; default: none)\n"
          "  --retry MS          reconnection time until the server sends `retry`\n"
          "                      (default: 3000)\n",
          stderr);
    return 2;
}

static int parse_count(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0) return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    long timeout = 0, retry = -1;
    const char *url = NULL;
    app a = {0};
    a.max_reconnects = -1;
    a.rc = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            a.json = 1;
        } else if (strcmp(argv[i], "--max-reconnects") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &a.max_reconnects)) return usage("bad --max-reconnects");
        } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &timeout) || timeout > 86400L * 365)
                return usage("bad --timeout");
        } else if (strcmp(argv[i], "--retry") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &retry)) return usage("bad --retry");
        } else if (argv[i][0] == '-' || url) {
            return usage(NULL);
        } else {
            url = argv[i];
        }
    }
    if (!url) return usage(NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is an error, not a signal */

    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = url;
    o.on_event = on_event;
    o.on_notice = on_notice;
    o.user = &a;
    if (retry >= 0) o.retry_ms = (uint64_t)retry;
    if (timeout > 0) o.connect_timeout_ms = o.idle_timeout_ms = (uint64_t)timeout * 1000;

    simdsse_status st;
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, &st);
    simdsse_client *c = m ? simdsse_client_create(m, &o, &st) : NULL;
    if (!c) {
        fprintf(stderr, "sse_client: cannot start: %s\n", simdsse_strerror(st));
        simdsse_client_multi_destroy(m);
        return st == SIMDSSE_ERR_INVALID_ARGUMENT ? 2 : 1;
    }
    /* One stream here; the same loop runs thousands. */
    int running = 1;
    while (running && simdsse_client_multi_poll(m, -1, &running) == SIMDSSE_OK) {
    }
    fprintf(stderr, "sse_client: %" PRIu64 " event(s), %ld reconnection(s)\n", a.events,
            a.reconnects);
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    free(a.line);
    return a.rc < 0 ? 1 : a.rc;
}
