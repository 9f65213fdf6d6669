/*
 * client_poll.c -- many EventSource streams in your own poll(2) loop.
 * SPDX-License-Identifier: MIT
 *
 *     client_poll URL...
 *
 * Opens one stream per URL on one multi and prints "N: data" for each
 * event of stream N, until every stream has closed (a 204 from the server
 * ends one). The multi does not wait itself here: it tells this loop which
 * sockets to watch (on_socket) and when to wake it (on_timer), and the
 * loop hands back what happened (simdsse_client_multi_socket). The same
 * calls plug the client into epoll, libuv, libevent or a game loop.
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simdsse_client.h"

/* MARK: - The loop: watched sockets and one timer */

typedef struct loop {
    struct pollfd *fds;
    size_t n, cap;
    int64_t wake_ms; /* when the timer fires (CLOCK_MONOTONIC ms), -1: never */
} loop;

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "Watch fd for these events from now on; 0: forget it." */
static void on_socket(void *user, int fd, unsigned events) {
    loop *l = user;
    size_t i = 0;
    while (i < l->n && l->fds[i].fd != fd) i++;
    if (!events) {
        if (i < l->n) l->fds[i] = l->fds[--l->n];
        return;
    }
    if (i == l->n) {
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 16;
            l->fds = realloc(l->fds, l->cap * sizeof *l->fds);
            if (!l->fds) abort();
        }
        l->fds[l->n++].fd = fd;
    }
    l->fds[i].events = (short)((events & SIMDSSE_CLIENT_POLL_IN ? POLLIN : 0) |
                               (events & SIMDSSE_CLIENT_POLL_OUT ? POLLOUT : 0));
}

/* "Call me back in ms milliseconds; -1: no need." */
static void on_timer(void *user, int64_t ms) {
    loop *l = user;
    l->wake_ms = ms < 0 ? -1 : now_ms() + ms;
}

/* MARK: - The streams */

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    (void)c;
    printf("%d: %.*s\n", (int)(intptr_t)user, (int)ev->data.len, ev->data.ptr);
    fflush(stdout);
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    (void)c;
    if (n->kind != SIMDSSE_CLIENT_OPEN)
        fprintf(stderr, "%d: %s\n", (int)(intptr_t)user, n->message);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("usage: client_poll URL...\n", stderr);
        return 2;
    }
    loop l = {NULL, 0, 0, -1};
    simdsse_client_multi_options mo;
    simdsse_client_multi_options_init(&mo);
    mo.on_socket = on_socket;
    mo.on_timer = on_timer;
    mo.loop_user = &l;
    simdsse_client_multi *m = simdsse_client_multi_create(&mo, NULL);
    if (!m) return 1;
    for (int i = 1; i < argc; i++) {
        simdsse_client_options o;
        simdsse_client_options_init(&o);
        o.url = argv[i];
        o.on_event = on_event;
        o.on_notice = on_notice;
        o.user = (void *)(intptr_t)i;
        if (!simdsse_client_create(m, &o, NULL)) {
            fprintf(stderr, "client_poll: %s: not a usable URL\n", argv[i]);
            return 2;
        }
    }

    int running = argc - 1;
    while (running > 0) {
        int64_t now = now_ms();
        int wait = l.wake_ms < 0 ? -1 : l.wake_ms <= now ? 0 : (int)(l.wake_ms - now);
        /* A copy: the callbacks below may change the set. */
        size_t n = l.n;
        struct pollfd *ready = malloc((n ? n : 1) * sizeof *ready);
        if (!ready) return 1;
        if (n) memcpy(ready, l.fds, n * sizeof *ready);
        int r = poll(ready, (nfds_t)n, wait);
        for (size_t i = 0; r > 0 && i < n; i++) {
            short e = ready[i].revents;
            if (!e) continue;
            unsigned what = (e & POLLIN ? SIMDSSE_CLIENT_POLL_IN : 0u) |
                            (e & POLLOUT ? SIMDSSE_CLIENT_POLL_OUT : 0u) |
                            (e & (POLLERR | POLLHUP) ? SIMDSSE_CLIENT_POLL_ERR : 0u);
            simdsse_client_multi_socket(m, ready[i].fd, what, &running);
        }
        free(ready);
        if (l.wake_ms >= 0 && now_ms() >= l.wake_ms)
            simdsse_client_multi_socket(m, SIMDSSE_CLIENT_TIMEOUT, 0, &running);
    }
    simdsse_client_multi_destroy(m); /* destroys the clients too */
    free(l.fds);
    return 0;
}
