/*
 * client_libuv.c -- EventSource streams inside your own libuv loop.
 * SPDX-License-Identifier: MIT
 *
 *     client_libuv [--max-events N] URL...
 *
 * Opens one stream per URL and prints "N: data" for each event of stream
 * N (a line feed inside the data as "\n", so one event is one line), until
 * every stream has closed (a 204 from the server ends one) or N events
 * have been printed. Reconnections, with Last-Event-ID, are the client's:
 * the loop only sees sockets come and go and the timer move.
 *
 * The multi does not wait itself: it asks for a uv_poll_t on each socket
 * it uses (on_socket) and for its one timer to be armed (on_timer), and
 * the libuv callbacks hand back what happened (simdsse_client_multi_socket).
 * examples/client_poll.c is the same on plain poll(2).
 */
#define _POSIX_C_SOURCE 200809L /* uv.h needs POSIX types (pthread_rwlock_t) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "simdsse_client.h"

typedef struct watch watch;

typedef struct app {
    uv_loop_t *loop;
    uv_timer_t timer; /* the multi's one timer */
    watch *watches;   /* the sockets the multi asked for */
    simdsse_client_multi *multi;
    long printed, max_events; /* max_events 0: no limit */
} app;

/* One socket: its uv_poll_t, found again by fd (the multi names sockets
 * by fd only; a list is enough for a handful of streams). */
struct watch {
    uv_poll_t poll;
    int fd;
    unsigned events; /* what the multi asked for: SIMDSSE_CLIENT_POLL_IN, _OUT */
    app *app;
    watch *next;
};

static void finish(app *a);

/* MARK: - libuv -> the multi */

/* After each call into the multi: stop when nothing is left to do. */
static void after(app *a, simdsse_status st, int running) {
    if (st != SIMDSSE_OK || running == 0 || (a->max_events && a->printed >= a->max_events))
        finish(a);
}

static void on_ready(uv_poll_t *h, int status, int events) {
    watch *w = h->data;
    app *a = w->app; /* w itself may be closed by the call below */
    /* libuv reports a socket error (a TCP reset, say) as status < 0 and
     * no events, but bytes the server sent before it may still wait to be
     * read: say "error" together with what was watched, so that libcurl
     * reads them first (an error alone fails the transfer at once, and
     * the events in those bytes would be lost). */
    unsigned what = status < 0 ? SIMDSSE_CLIENT_POLL_ERR | w->events
                               : (events & UV_READABLE ? SIMDSSE_CLIENT_POLL_IN : 0u) |
                                     (events & UV_WRITABLE ? SIMDSSE_CLIENT_POLL_OUT : 0u);
    int running = 0;
    simdsse_status st = simdsse_client_multi_socket(a->multi, w->fd, what, &running);
    after(a, st, running);
}

static void on_timeout(uv_timer_t *t) {
    app *a = t->data;
    int running = 0;
    simdsse_status st = simdsse_client_multi_socket(a->multi, SIMDSSE_CLIENT_TIMEOUT, 0, &running);
    after(a, st, running);
}

/* MARK: - The multi -> libuv */

static void free_watch(uv_handle_t *h) { free(h->data); }

/* Unlinks w and closes its handle; libuv frees it on its next turn. */
static void drop_watch(app *a, watch *w) {
    for (watch **p = &a->watches; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    uv_close((uv_handle_t *)&w->poll, free_watch);
}

/* "Watch fd for these events from now on; 0: forget it (it is about to be
 * closed)." Must not call back into the multi. */
static void on_socket(void *user, int fd, unsigned events) {
    app *a = user;
    watch *w = a->watches;
    while (w && w->fd != fd) w = w->next;
    if (!events) {
        if (w) drop_watch(a, w);
        return;
    }
    if (!w) {
        w = malloc(sizeof *w);
        if (!w || uv_poll_init_socket(a->loop, &w->poll, fd) != 0) abort();
        w->fd = fd;
        w->app = a;
        w->poll.data = w;
        w->next = a->watches;
        a->watches = w;
    }
    w->events = events;
    uv_poll_start(&w->poll, (events & SIMDSSE_CLIENT_POLL_IN ? UV_READABLE : 0) |
                                (events & SIMDSSE_CLIENT_POLL_OUT ? UV_WRITABLE : 0),
                  on_ready);
}

/* "Call me back in ms milliseconds (0: soon); -1: no need." */
static void on_timer(void *user, int64_t ms) {
    app *a = user;
    if (ms < 0)
        uv_timer_stop(&a->timer);
    else
        uv_timer_start(&a->timer, on_timeout, (uint64_t)ms, 0);
}

/* Destroys the multi (and its clients: their sockets go through on_socket
 * one last time), then closes every handle left, so that uv_run returns. */
static void finish(app *a) {
    if (!a->multi) return;
    simdsse_client_multi_destroy(a->multi);
    a->multi = NULL;
    while (a->watches) drop_watch(a, a->watches);
    uv_close((uv_handle_t *)&a->timer, NULL);
}

/* MARK: - The streams */

typedef struct stream {
    app *app;
    int n; /* its number on the command line, from 1 */
} stream;

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    (void)c;
    stream *s = user;
    app *a = s->app;
    if (a->max_events && a->printed >= a->max_events) return; /* more in the same read */
    a->printed++;
    const char *p = ev->data.len ? ev->data.ptr : "", *end = p + ev->data.len;
    printf("%d: ", s->n);
    for (const char *nl; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1)
        printf("%.*s\\n", (int)(nl - p), p); /* one line per event */
    printf("%.*s\n", (int)(end - p), p);
    fflush(stdout);
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    (void)c;
    const stream *s = user;
    if (n->kind != SIMDSSE_CLIENT_OPEN) fprintf(stderr, "%d: %s\n", s->n, n->message);
}

int main(int argc, char **argv) {
    app a = {uv_default_loop(), {0}, NULL, NULL, 0, 0};
    int first = 1;
    char *end = "";
    if (argc > 2 && strcmp(argv[1], "--max-events") == 0) {
        a.max_events = strtol(argv[2], &end, 10);
        first = 3;
    }
    if (first >= argc || *end || (first == 3 && a.max_events <= 0)) {
        fputs("usage: client_libuv [--max-events N] URL...\n", stderr);
        return 2;
    }
    uv_timer_init(a.loop, &a.timer);
    a.timer.data = &a;

    simdsse_client_multi_options mo;
    simdsse_client_multi_options_init(&mo);
    mo.on_socket = on_socket;
    mo.on_timer = on_timer;
    mo.loop_user = &a;
    a.multi = simdsse_client_multi_create(&mo, NULL);
    if (!a.multi) return 1;
    stream *streams = calloc((size_t)(argc - first), sizeof *streams);
    int status = streams ? 0 : 1;
    for (int i = first; i < argc && status == 0; i++) {
        stream *s = &streams[i - first];
        s->app = &a;
        s->n = i - first + 1;
        simdsse_client_options o;
        simdsse_client_options_init(&o);
        o.url = argv[i];
        o.on_event = on_event;
        o.on_notice = on_notice;
        o.user = s;
        if (!simdsse_client_create(a.multi, &o, NULL)) {
            fprintf(stderr, "client_libuv: %s: not a usable URL\n", argv[i]);
            status = 2;
        }
    }
    if (status) finish(&a);

    /* The first requests go out when the timer the multi just armed
     * fires; from then on everything happens in the callbacks above, and
     * uv_run returns once finish() has closed every handle. */
    uv_run(a.loop, UV_RUN_DEFAULT);
    uv_loop_close(a.loop);
    free(streams);
    return status;
}
