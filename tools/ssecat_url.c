/*
 * ssecat_url.c -- `ssecat URL`: read a live stream with the libcurl client.
 * SPDX-License-Identifier: MIT
 *
 *     ssecat [--json] [-H 'Name: value']... [-X METHOD] [-d BODY | -d @FILE]
 *            [--follow] [--max-events N] [--timeout S] URL
 *
 * Events are printed as they arrive, in the same form as for a file, and
 * flushed one by one (so that a pipe sees each at once). Without --follow
 * the first end of the stream ends the command; with it the client
 * reconnects as EventSource does (Last-Event-ID, the server's retry) until
 * a 204, --max-events or Ctrl-C. Exit status: 0 on a clean end (the end of
 * the body, a 204, --max-events, Ctrl-C or SIGTERM), 1 on an HTTP or
 * network failure (the reason on standard error), a dropped event or an
 * output error, 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "simdsse.h"
#include "ssecat.h"

const char ssecat_url_usage[] =
    "\n"
    "usage: ssecat [--json] [-H 'Name: value']... [-X METHOD] [-d BODY | -d @FILE]\n"
    "              [--follow] [--max-events N] [--timeout S] URL\n"
    "Connects to an http:// or https:// URL as the standard's EventSource does\n"
    "(Accept: text/event-stream, redirects followed, only a 200 of that type is\n"
    "read) and prints its events as they arrive, one line each, flushed.\n"
    "\n"
    "  -H 'Name: value'  an extra request header (repeatable)\n"
    "  -X METHOD         the request method (default GET, or POST with -d)\n"
    "  -d BODY, -d @FILE the request body, or the bytes of FILE (- for standard\n"
    "                    input), sent as they are\n"
    "  --follow          reconnect when the stream ends or breaks (a POST too),\n"
    "                    after the server's retry time, with Last-Event-ID; status\n"
    "                    lines on standard error; ends at 204, --max-events or\n"
    "                    Ctrl-C\n"
    "  --max-events N    stop after N events\n"
    "  --timeout S       seconds (decimals allowed) to connect, and of silence\n"
    "                    after which the connection counts as lost\n"
    "Exit status: 0 on a clean end (end of stream, 204, --max-events, Ctrl-C),\n"
    "1 on an HTTP or network failure (the reason on standard error).\n";

/* Whether argv asks for URL mode: a URL, or an option only it has. */
int ssecat_url_wanted(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncasecmp(a, "http://", 7) == 0 || strncasecmp(a, "https://", 8) == 0) return 1;
        if (strcmp(a, "-H") == 0 || strcmp(a, "-X") == 0 || strcmp(a, "-d") == 0 ||
            strcmp(a, "--follow") == 0 || strcmp(a, "--max-events") == 0 ||
            strcmp(a, "--timeout") == 0)
            return 1;
    }
    return 0;
}

#ifndef SSECAT_HAVE_CLIENT

int ssecat_url(int argc, char **argv) {
    (void)argc, (void)argv;
    fprintf(stderr, "ssecat: this ssecat was built without libcurl (libcurl4-openssl-dev): "
                    "no URL mode\n");
    return 2;
}

#else

#include "simdsse_client.h"

typedef struct url_run {
    ssecat_out out;
    int follow;
    uint64_t max_events, events;
    int rc;          /* the exit status so far */
    int done;        /* the client closed, or we closed it */
    const char *url;
} url_run;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    url_run *r = user;
    r->events++;
    if (ssecat_print_event(&r->out, ev) || ssecat_flush()) {
        r->rc = 1;
        r->done = 1;
        simdsse_client_close(c);
        return;
    }
    if (r->max_events && r->events == r->max_events) {
        if (r->follow) fprintf(stderr, "ssecat: closed: %" PRIu64 " events\n", r->events);
        r->done = 1;
        simdsse_client_close(c);
    }
}

/* An id or type, quoted and escaped as in the output, for status lines. */
static void put_quoted(simdsse_span s) {
    char small[256];
    size_t n;
    simdsse_status st = simdsse_format_json_string(s.ptr, s.len, small, sizeof small, &n);
    if (st == SIMDSSE_OK) {
        fwrite(small, 1, n, stderr);
    } else {
        char *big = malloc(n);
        if (big && simdsse_format_json_string(s.ptr, s.len, big, n, &n) == SIMDSSE_OK)
            fwrite(big, 1, n, stderr);
        free(big);
    }
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    url_run *r = user;
    (void)c;
    switch (n->kind) {
    case SIMDSSE_CLIENT_OPEN:
        if (r->follow)
            fprintf(stderr, "ssecat: connected (HTTP %ld, %s)\n", n->http_status,
                    n->content_type ? n->content_type : "");
        break;
    case SIMDSSE_CLIENT_ERROR: /* a limit dropped one event; the stream goes on */
        fprintf(stderr, "ssecat: %s: byte %" PRIu64 ": %s\n", r->url, n->error.offset,
                n->message);
        r->rc = 1;
        break;
    case SIMDSSE_CLIENT_RECONNECTING:
        fprintf(stderr, "ssecat: %s; reconnecting in %" PRIu64 " ms", n->message, n->delay_ms);
        if (n->last_event_id.len) {
            fputs(" with Last-Event-ID ", stderr);
            put_quoted(n->last_event_id);
        }
        fputc('\n', stderr);
        break;
    case SIMDSSE_CLIENT_CLOSED:
        r->done = 1;
        /* The end of the body and a 204 are clean ends; the rest failed. */
        if (n->reason != SIMDSSE_CLIENT_REASON_END_OF_STREAM &&
            n->reason != SIMDSSE_CLIENT_REASON_NO_CONTENT)
            r->rc = 1;
        if (r->follow)
            fprintf(stderr, "ssecat: closed: %s\n", n->message);
        else if (r->rc)
            fprintf(stderr, "ssecat: %s: %s\n", r->url, n->message);
        break;
    }
}

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "ssecat: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'ssecat --help'.\n");
    return 2;
}

int ssecat_url(int argc, char **argv) {
    url_run r;
    memset(&r, 0, sizeof r);
    r.out.mode = SSECAT_OUT_TEXT;
    const char **headers = calloc((size_t)argc + 1, sizeof *headers);
    size_t nheaders = 0, body_len = 0;
    const char *method = NULL, *data = NULL;
    char *body = NULL;
    double timeout = 0;
    if (!headers) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int needs = strcmp(a, "-H") == 0 || strcmp(a, "-X") == 0 || strcmp(a, "-d") == 0 ||
                    strcmp(a, "--max-events") == 0 || strcmp(a, "--timeout") == 0;
        if (needs && i + 1 == argc) {
            free(headers);
            return usage_error("%s needs a value", a);
        }
        if (strcmp(a, "--json") == 0) {
            r.out.mode = SSECAT_OUT_JSON;
        } else if (strcmp(a, "--follow") == 0) {
            r.follow = 1;
        } else if (strcmp(a, "-H") == 0) {
            headers[nheaders++] = argv[++i];
        } else if (strcmp(a, "-X") == 0) {
            method = argv[++i];
        } else if (strcmp(a, "-d") == 0) {
            if (data) {
                free(headers);
                return usage_error("%s", "one -d at a time");
            }
            data = argv[++i];
        } else if (strcmp(a, "--max-events") == 0) {
            size_t n;
            if (ssecat_parse_size(argv[++i], &n)) {
                free(headers);
                return usage_error("--max-events wants a positive number, not '%s'", argv[i]);
            }
            r.max_events = n;
        } else if (strcmp(a, "--timeout") == 0) {
            char *end;
            errno = 0;
            timeout = strtod(argv[++i], &end);
            if (errno || end == argv[i] || *end || !(timeout > 0) || timeout > 1e6) {
                free(headers);
                return usage_error("--timeout wants seconds above 0, not '%s'", argv[i]);
            }
        } else if (a[0] == '-') {
            free(headers);
            return usage_error("'%s' is not an option of URL mode", a);
        } else if (r.url) {
            free(headers);
            return usage_error("one URL at a time ('%s')", a);
        } else {
            r.url = a;
        }
    }
    if (!r.url) {
        free(headers);
        return usage_error("%s", "-H, -X, -d, --follow, --max-events and --timeout need a URL");
    }
    if (data && data[0] == '@') {
        if (!(body = ssecat_load(data + 1, &body_len))) { /* "@-": standard input */
            free(headers);
            return 1;
        }
    } else if (data) {
        body_len = strlen(data);
    }

    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = r.url;
    o.method = method;
    o.body = body ? body : data;
    o.body_len = body_len;
    o.headers = nheaders ? headers : NULL;
    o.on_event = on_event;
    o.on_notice = on_notice;
    o.user = &r;
    /* --follow is the caller's opt-in to repeat a POST too. */
    o.reconnect = r.follow ? SIMDSSE_CLIENT_RECONNECT_ALWAYS : SIMDSSE_CLIENT_RECONNECT_NEVER;
    if (timeout > 0) o.connect_timeout_ms = o.idle_timeout_ms = (uint64_t)(timeout * 1000 + 0.5);

    simdsse_status st;
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, &st);
    simdsse_client *c = m ? simdsse_client_create(m, &o, &st) : NULL;
    if (!c) {
        fprintf(stderr, "ssecat: %s: %s\n", r.url,
                st == SIMDSSE_ERR_INVALID_ARGUMENT
                    ? "not an http(s) URL, or a bad header (Name: value, no line ends) or method"
                    : simdsse_strerror(st));
        simdsse_client_multi_destroy(m);
        free(body);
        free(headers);
        return st == SIMDSSE_ERR_INVALID_ARGUMENT ? 2 : 1;
    }

    /* Ctrl-C and SIGTERM end the stream cleanly: the wait returns early (no
     * SA_RESTART) and the loop looks at the flag; the short turns bound the
     * delay if the signal went to another thread. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int running = 1;
    while (running && !r.done && !interrupted)
        if (simdsse_client_multi_poll(m, 250, &running) != SIMDSSE_OK) break;
    if (interrupted && !r.done && r.follow) fputs("ssecat: closed: interrupted\n", stderr);
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    free(body);
    free(headers);
    free(r.out.buf);
    if (ssecat_flush()) r.rc = 1;
    return r.rc;
}

#endif
