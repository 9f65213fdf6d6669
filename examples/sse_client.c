/*
 * sse_client.c -- a reconnecting EventSource client: libcurl + simdsse.
 * SPDX-License-Identifier: MIT
 *
 *     sse_client [--json] [--max-reconnects N] [--timeout S] [--retry MS] URL
 *
 * Connects to URL and prints every event the stream dispatches, one line
 * each (as `ssecat` does, or as JSON Lines with --json). It behaves as the
 * WHATWG HTML standard's EventSource does (section 9.2, "Server-sent
 * events"), which is what servers expect of a client:
 *
 *  - the request asks for `Accept: text/event-stream` with
 *    `Cache-Control: no-cache`, and, on a reconnection, sends
 *    `Last-Event-ID` so that the server can resume where it left off;
 *  - a 200 response of type text/event-stream is parsed; when it ends or
 *    breaks, the client waits the reconnection time (the server's last
 *    `retry` field, or 3 s) and reconnects;
 *  - a network error before any response also makes it wait and retry;
 *  - any other response "fails the connection": no more reconnections.
 *    204 No Content is how a server says "stop": exit status 0.
 *
 * Exit status: 0 when the server answered 204, or when --max-reconnects
 * reconnections were made and the last connection carried a stream;
 * 1 on a failed connection (or any other failure); 2 on a usage error.
 * Progress (connected, reconnecting, ...) is logged to standard error.
 */
#define _POSIX_C_SOURCE 200809L

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "simdsse.h"

/* Where the current response stands. */
typedef enum response {
    RESP_NONE,     /* no complete response head yet */
    RESP_STREAM,   /* 200 text/event-stream: the body goes to the parser */
    RESP_REDIRECT, /* 3xx: libcurl follows it; its body is not ours */
    RESP_FAILED    /* anything else: fail the connection */
} response;

typedef struct client {
    simdsse_parser *parser; /* one for the whole session: it keeps the id */
    int json;
    uint64_t retry_ms;      /* the reconnection time last logged */
    uint64_t events;        /* printed so far, over all connections */
    char *line;             /* output line buffer */
    size_t line_cap;
    response resp;          /* of the current connection */
    long timeout;           /* --timeout S: idle seconds before reconnecting; 0: none */
    struct timespec last_byte; /* when the current connection last received */
    CURL *curl;
    int stop;               /* standard output failed: end everything */
    int broken;             /* the parser needs a reset: end everything */
} client;

/* MARK: - Output: one line per event */

static int reserve(client *c, size_t need) {
    if (need <= c->line_cap) return 0;
    size_t cap = c->line_cap ? c->line_cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(c->line, cap);
    if (!p) return -1;
    c->line = p;
    c->line_cap = cap;
    return 0;
}

/* Renders at c->line + *len with simdsse_format_json (ev) or
 * simdsse_format_json_string (s): into the room there is, and if that is
 * too small, again into the exact room it said it needs. */
static int append_json(client *c, size_t *len, const simdsse_event *ev, simdsse_span s) {
    for (int pass = 0; pass < 2; pass++) {
        size_t n, room = c->line_cap - *len;
        char *at = c->line ? c->line + *len : NULL;
        simdsse_status st = ev ? simdsse_format_json(ev, at, room, &n)
                               : simdsse_format_json_string(s.ptr, s.len, at, room, &n);
        if (st == SIMDSSE_OK) {
            *len += n;
            return 0;
        }
        if (st != SIMDSSE_ERR_BUFFER_TOO_SMALL || reserve(c, *len + n)) return -1;
    }
    return -1;
}

/* Appends a label and a JSON string literal for s (also used by the text
 * format, so that any byte of the stream prints safely on one line). */
static int append_string(client *c, size_t *len, const char *label, simdsse_span s) {
    size_t l = strlen(label);
    if (reserve(c, *len + l)) return -1;
    if (l) memcpy(c->line + *len, label, l); /* c->line may still be NULL */
    *len += l;
    return append_json(c, len, NULL, s);
}

/* s as a NUL-terminated JSON string, for logs: the server's bytes may hold
 * anything, terminal escapes included. Valid until the next output. */
static const char *quoted(client *c, simdsse_span s) {
    size_t len = 0;
    if (append_string(c, &len, "", s) || reserve(c, len + 1)) return "(?)";
    c->line[len] = '\0';
    return c->line;
}

/* Builds the line for ev in c->line; its length, or 0 if memory ran out. */
static size_t format_event(client *c, const simdsse_event *ev) {
    size_t len = 0;
    if (c->json) { /* {"event":..,"data":..,"id":..} */
        simdsse_span none = {NULL, 0};
        if (append_json(c, &len, ev, none) || reserve(c, len + 1)) return 0;
    } else { /* #N type=".." id=".." data=".." */
        char head[32];
        snprintf(head, sizeof head, "#%" PRIu64 " type=", c->events);
        if (append_string(c, &len, head, ev->type) || append_string(c, &len, " id=", ev->id) ||
            append_string(c, &len, " data=", ev->data) || reserve(c, len + 1))
            return 0;
    }
    c->line[len++] = '\n';
    return len;
}

/* MARK: - Parser callbacks */

/* The spans in *ev live only during this call: print (or copy) them now.
 * Returning non-zero pauses the parser; we do that to stop when standard
 * output has failed (e.g. `sse_client URL | head -3`). */
static int on_event(void *user, const simdsse_event *ev) {
    client *c = user;
    c->events++;
    size_t len = format_event(c, ev);
    if (len == 0 || fwrite(c->line, 1, len, stdout) != len) {
        c->stop = 1;
        return 1;
    }
    return 0;
}

/* A limit dropped one event (browsers set no such limits; we do, so that a
 * broken or hostile server cannot make us hold unbounded memory); parsing
 * goes on with the rest. */
static int on_error(void *user, const simdsse_error *e) {
    (void)user;
    fprintf(stderr, "sse_client: event dropped at byte %" PRIu64 ": %s\n", e->offset,
            simdsse_strerror(e->status));
    return 0;
}

/* The parser keeps the value (simdsse_parser_retry); we only log changes. */
static int on_retry(void *user, uint64_t ms) {
    client *c = user;
    if (ms != c->retry_ms) fprintf(stderr, "sse_client: reconnection time %" PRIu64 " ms\n", ms);
    c->retry_ms = ms;
    return 0;
}

/* MARK: - libcurl callbacks */

/* "text/event-stream", any case, parameters such as "; charset=utf-8"
 * ignored: the standard's "Content-Type is text/event-stream" is a MIME
 * type essence comparison. */
static int is_event_stream(const char *type) {
    static const char essence[] = "text/event-stream";
    if (!type) return 0;
    while (*type == ' ' || *type == '\t') type++;
    if (strncasecmp(type, essence, sizeof essence - 1) != 0) return 0;
    const char *rest = type + sizeof essence - 1;
    while (*rest == ' ' || *rest == '\t') rest++;
    return *rest == '\0' || *rest == ';';
}

/* Called for every header line of every response (redirects included),
 * then for the blank line that ends a head: that is where we decide. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *user) {
    client *c = user;
    size_t len = size * nmemb;
    clock_gettime(CLOCK_MONOTONIC, &c->last_byte);
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) { /* a status line: new response */
        c->resp = RESP_NONE;
        return len;
    }
    if (!(len == 2 && line[0] == '\r') && !(len == 1 && line[0] == '\n')) return len;

    long status = 0;
    char *type = NULL;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c->curl, CURLINFO_CONTENT_TYPE, &type);
    if (status >= 100 && status < 200) return len; /* interim; the real one follows */
    if (status >= 300 && status < 400) {
        c->resp = RESP_REDIRECT;
        return len;
    }
    /* "if res's status is 200, and res's `Content-Type` is
     *  `text/event-stream`, then announce the connection and interpret res's
     *  body line by line. Otherwise, fail the connection." */
    if (status == 200 && is_event_stream(type)) {
        c->resp = RESP_STREAM;
        fprintf(stderr, "sse_client: connected\n");
        return len;
    }
    c->resp = RESP_FAILED;
    return 0; /* not ours: abort the transfer now (main() says why) */
}

/* The body, in whatever pieces the network delivers: the parser takes any
 * split, carrying partial lines over to the next call. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
    client *c = user;
    size_t len = size * nmemb;
    clock_gettime(CLOCK_MONOTONIC, &c->last_byte);
    if (c->resp != RESP_STREAM) return len; /* a redirect's body: ignore */
    /* feed reads it all, going on past limit errors (on_error reports
     * them), unless on_event paused it because standard output failed. */
    simdsse_status st = simdsse_parser_feed(c->parser, data, len, NULL);
    if (st == SIMDSSE_PAUSED) return 0;
    if (st == SIMDSSE_ERR_NO_MEMORY) { /* the parser cannot go on without a reset */
        fprintf(stderr, "sse_client: %s\n", simdsse_strerror(st));
        c->broken = 1;
        return 0;
    }
    /* Events should show up as they arrive, even through a pipe. */
    if (fflush(stdout) != 0) {
        c->stop = 1;
        return 0;
    }
    return size * nmemb;
}

/* libcurl calls this about once a second even when nothing arrives: the
 * place for an idle timeout. Servers send heartbeat comments so that a
 * healthy but quiet stream is not taken for a dead one. Non-zero aborts
 * the transfer (CURLE_ABORTED_BY_CALLBACK), and main() reconnects. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow) {
    client *c = user;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long idle_ms = (long long)(now.tv_sec - c->last_byte.tv_sec) * 1000 +
                        (now.tv_nsec - c->last_byte.tv_nsec) / 1000000;
    return idle_ms >= (long long)c->timeout * 1000;
}

/* MARK: - Connecting */

/* curl_slist_append, freeing the whole list if it fails. */
static struct curl_slist *append(struct curl_slist *list, const char *field) {
    struct curl_slist *t = curl_slist_append(list, field); /* copies field */
    if (!t) curl_slist_free_all(list);
    return t;
}

/* The request headers for the next connection; NULL if memory ran out. */
static struct curl_slist *request_headers(const simdsse_parser *p) {
    struct curl_slist *h = append(NULL, "Accept: text/event-stream");
    if (h) h = append(h, "Cache-Control: no-cache");
    /* "If the EventSource object's last event ID string is not the empty
     *  string, set (`Last-Event-ID`, last event ID string, encoded as UTF-8)
     *  in request's header list." The parser never stores an id holding CR
     *  or LF (they end lines) or NUL (the standard ignores such an id), so it
     *  cannot inject a header; the check below only makes that visible.
     *  (A browser would send invalid UTF-8 in an id as U+FFFD; we send the
     *  bytes as they came.) */
    simdsse_span id = simdsse_parser_last_event_id(p);
    if (h && id.len && !memchr(id.ptr, '\r', id.len) && !memchr(id.ptr, '\n', id.len) &&
        !memchr(id.ptr, '\0', id.len)) {
        static const char name[] = "Last-Event-ID: ";
        char *field = malloc(sizeof name + id.len);
        if (!field) {
            curl_slist_free_all(h);
            return NULL;
        }
        memcpy(field, name, sizeof name - 1);
        memcpy(field + sizeof name - 1, id.ptr, id.len);
        field[sizeof name - 1 + id.len] = '\0';
        h = append(h, field);
        free(field);
    }
    return h;
}

static void sleep_ms(uint64_t ms) {
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

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

/* MARK: - Main: connect, parse, reconnect */

int main(int argc, char **argv) {
    long max_reconnects = -1, timeout = 0, retry = -1;
    const char *url = NULL;
    client c = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            c.json = 1;
        } else if (strcmp(argv[i], "--max-reconnects") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &max_reconnects)) return usage("bad --max-reconnects");
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

    /* Default limits (1 MiB lines, 8 MiB of data per event) bound the memory
     * a hostile server can make us use; the reconnection time starts at the
     * standard's "implementation-defined value, probably in the region of a
     * few seconds" (3 s) unless --retry says otherwise. */
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    if (retry >= 0) opt.initial_retry_ms = (uint64_t)retry;
    c.retry_ms = opt.initial_retry_ms;
    opt.on_event = on_event;
    opt.on_retry = on_retry;
    opt.on_error = on_error;
    opt.user = &c;
    simdsse_status st;
    c.parser = simdsse_parser_create(&opt, &st);
    if (!c.parser || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        !(c.curl = curl_easy_init())) {
        fprintf(stderr, "sse_client: cannot start: %s\n",
                c.parser ? "libcurl failed" : simdsse_strerror(st));
        simdsse_parser_destroy(c.parser);
        return 1;
    }
    CURL *h = c.curl;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L); /* fetch follows redirects, */
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 20L);      /* at most 20 in a row */
    curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L); /* a proxy's 200 is not ours */
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &c);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    if (timeout > 0) { /* never CURLOPT_TIMEOUT: it would cut a healthy stream */
        c.timeout = timeout;
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &c);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    }

    long reconnects = 0;
    int rc;
    for (;;) {
        struct curl_slist *headers = request_headers(c.parser);
        if (!headers) {
            fprintf(stderr, "sse_client: out of memory\n");
            rc = 1;
            break;
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        c.resp = RESP_NONE;
        clock_gettime(CLOCK_MONOTONIC, &c.last_byte);
        CURLcode res = curl_easy_perform(h);
        curl_slist_free_all(headers);
        if (c.stop || c.broken) {
            if (c.stop) fprintf(stderr, "sse_client: cannot write the output\n");
            rc = 1;
            break;
        }

        if (c.resp == RESP_STREAM) {
            /* The stream ended (the server closed it: res is CURLE_OK) or
             * broke. "When a user agent is to reestablish the connection":
             * an event not yet ended by a blank line is lost (finish says
             * so), and the next response is a new stream (reset), but the
             * last event ID and the reconnection time are kept. */
            simdsse_parser_finish(c.parser);
            simdsse_parser_reset(c.parser);
            fprintf(stderr, "sse_client: connection closed: %s\n",
                    res == CURLE_OK                     ? "end of stream"
                    : res == CURLE_ABORTED_BY_CALLBACK ? "idle timeout"
                                                        : curl_easy_strerror(res));
        } else if (c.resp == RESP_NONE) {
            /* "if res is a network error, then reestablish the connection"
             * (a browser may also give up when it "knows that to be futile"). */
            fprintf(stderr, "sse_client: connection failed: %s\n",
                    res == CURLE_ABORTED_BY_CALLBACK ? "idle timeout" : curl_easy_strerror(res));
        } else {
            /* "Otherwise, fail the connection": no reconnection. 204 No
             * Content is the server's way to say "done". */
            long status = 0;
            char *type = NULL;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
            if (status == 204) {
                fprintf(stderr, "sse_client: 204 No Content: the server is done\n");
                rc = 0;
            } else {
                fprintf(stderr, "sse_client: failing the connection: HTTP %ld, Content-Type %s\n",
                        status, type ? type : "(none)");
                rc = 1;
            }
            break;
        }

        if (max_reconnects >= 0 && reconnects == max_reconnects) {
            fprintf(stderr, "sse_client: %ld reconnection(s) made, stopping\n", reconnects);
            rc = c.resp == RESP_STREAM ? 0 : 1;
            break;
        }
        /* "Wait a delay equal to the reconnection time of the event source."
         * (The standard allows waiting longer, e.g. backing off while the
         * network is down; this example keeps to the server's value.) */
        uint64_t delay = simdsse_parser_retry(c.parser);
        reconnects++;
        fprintf(stderr, "sse_client: reconnecting in %" PRIu64 " ms (#%ld, Last-Event-ID %s)\n",
                delay, reconnects, quoted(&c, simdsse_parser_last_event_id(c.parser)));
        sleep_ms(delay);
    }

    fprintf(stderr, "sse_client: %" PRIu64 " event(s), %ld reconnection(s)\n", c.events, reconnects);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    simdsse_parser_destroy(c.parser);
    free(c.line);
    if (fflush(stdout) != 0) rc = 1;
    return rc;
}
