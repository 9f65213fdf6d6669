/*
 * multi.c -- many clients on one thread: the libcurl multi handle, its
 * socket and timer callbacks, the multi's own timers, and the two ways to
 * drive it (its own loop, or the caller's).
 * SPDX-License-Identifier: MIT
 *
 * Every multi call (poll, socket) runs the same turn: libcurl's socket
 * actions, then the transfers libcurl reports done, then the timers due
 * (reconnections, idle checks), then what callbacks closed or destroyed,
 * and finally the one timer the caller's loop must arm.
 */
#include <limits.h>
#include <stdlib.h>

#include "internal.h"

/* MARK: - Allocator */

static void *std_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}

static void *std_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size) {
    (void)ctx, (void)old_size;
    return realloc(ptr, new_size);
}

static void std_free(void *ctx, void *ptr, size_t size) {
    (void)ctx, (void)size;
    free(ptr);
}

/* MARK: - Timers: libcurl's and ours, as one */

static uint64_t next_deadline(const simdsse_client_multi *m) {
    const simdsse_client *first = simdsse__client_timer_first(m);
    uint64_t ours = first ? first->deadline : SSE_NEVER;
    return ours < m->curl_deadline ? ours : m->curl_deadline;
}

static int64_t ms_until(uint64_t deadline, uint64_t now) {
    if (deadline == SSE_NEVER) return -1;
    return deadline <= now ? 0 : (int64_t)(deadline - now);
}

/* The caller's loop has one timer: tell it when the earliest is due. */
static void arm(simdsse_client_multi *m) {
    if (!m->on_timer || m->destroying) return;
    uint64_t d = next_deadline(m);
    if (d == m->armed) return;
    m->armed = d;
    m->on_timer(m->loop_user, ms_until(d, simdsse__client_now_ms()));
}

void simdsse__client_multi_changed(simdsse_client_multi *m) { arm(m); }

void simdsse__client_multi_defer(simdsse_client_multi *m, simdsse_client *c) {
    if (c->pending) return;
    c->pending = 1;
    c->pending_next = m->pending;
    m->pending = c;
}

/* MARK: - libcurl's callbacks */

static int on_curl_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    simdsse_client_multi *m = userp;
    (void)easy;
    unsigned events = 0;
    if (what != CURL_POLL_REMOVE) {
        if (what & CURL_POLL_IN) events |= SIMDSSE_CLIENT_POLL_IN;
        if (what & CURL_POLL_OUT) events |= SIMDSSE_CLIENT_POLL_OUT;
    }
    if (m->on_socket) {
        m->on_socket(m->loop_user, (int)s, events);
        return 0;
    }
    if (simdsse__client_loop_watch(&m->loop, &m->alloc, (int)s, events, socketp != NULL))
        return -1;
    /* Remember that the loop knows s (libcurl forgets it on REMOVE). */
    if (events) curl_multi_assign(m->curl, s, m);
    return 0;
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
    simdsse_client_multi *m = userp;
    (void)multi;
    m->curl_deadline = timeout_ms < 0 ? SSE_NEVER : simdsse__client_now_ms() + (uint64_t)timeout_ms;
    if (!m->depth) arm(m); /* inside a multi call, the turn's end arms */
    return 0;
}

/* MARK: - Create, destroy */

simdsse_client_multi *simdsse_client_multi_create(const simdsse_client_multi_options *options,
                                                  simdsse_status *status) {
    simdsse_status ignored;
    if (!status) status = &ignored;
    simdsse_client_multi_options o;
    simdsse_client_multi_options_init(&o);
    if (options && (*status = simdsse__client_read_options(&o, sizeof o, options)) != SIMDSSE_OK)
        return NULL;
    *status = SIMDSSE_ERR_INVALID_ARGUMENT;
    if (!o.on_socket != !o.on_timer) return NULL;
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = std_malloc, a.realloc = std_realloc, a.free = std_free;
    if (o.allocator) {
        if (o.allocator->size < sizeof a || !o.allocator->malloc || !o.allocator->realloc ||
            !o.allocator->free)
            return NULL;
        memcpy(&a, o.allocator, sizeof a);
    }

    *status = SIMDSSE_ERR_NO_MEMORY;
    /* Reference-counted by libcurl; undone by destroy. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return NULL;
    simdsse_client_multi *m = simdsse__client_alloc(&a, sizeof *m);
    if (!m) {
        curl_global_cleanup();
        return NULL;
    }
    m->alloc = a;
    m->on_socket = o.on_socket;
    m->on_timer = o.on_timer;
    m->loop_user = o.loop_user;
    m->loop.epfd = -1;
    m->curl_deadline = m->armed = SSE_NEVER;
    m->curl = curl_multi_init();
    if (!m->curl || (!m->on_socket && simdsse__client_loop_open(&m->loop, &a))) {
        curl_multi_cleanup(m->curl);
        simdsse__client_free(&a, m, sizeof *m);
        curl_global_cleanup();
        return NULL;
    }
    curl_multi_setopt(m->curl, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(m->curl, CURLMOPT_SOCKETDATA, m);
    curl_multi_setopt(m->curl, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(m->curl, CURLMOPT_TIMERDATA, m);
    *status = SIMDSSE_OK;
    return m;
}

static void destroy_now(simdsse_client_multi *m) {
    m->destroying = 1; /* no callback to the loop's timer from here on */
    while (m->clients) simdsse__client_free_now(m->clients);
    curl_multi_cleanup(m->curl);
    curl_slist_free_all(m->default_headers);
    if (!m->on_socket) simdsse__client_loop_close(&m->loop, &m->alloc);
    simdsse_allocator a = m->alloc;
    simdsse__client_free(&a, m->heap, m->heap_cap * sizeof *m->heap);
    simdsse__client_free(&a, m, sizeof *m);
    curl_global_cleanup();
}

void simdsse_client_multi_destroy(simdsse_client_multi *m) {
    if (!m) return;
    if (m->depth) { /* from a callback: the running call finishes it */
        if (!m->destroying) {
            m->destroying = 1;
            for (simdsse_client *c = m->clients; c; c = c->next) simdsse__client_close_quietly(c);
        }
        return;
    }
    destroy_now(m);
}

int simdsse_client_multi_running(const simdsse_client_multi *m) { return m ? m->running : 0; }

/* MARK: - A turn */

static void curl_action(simdsse_client_multi *m, int fd, unsigned events) {
    int mask = 0, still;
    /* libcurl's timer is one-shot: running it spends it. libcurl then asks
     * again if it still needs one (after a timeout action it does even for
     * the same deadline), but says nothing if it needs none: without this,
     * a spent deadline would stay due and the loop would spin. */
    if (fd == SIMDSSE_CLIENT_TIMEOUT) m->curl_deadline = SSE_NEVER;
    if (events & SIMDSSE_CLIENT_POLL_IN) mask |= CURL_CSELECT_IN;
    if (events & SIMDSSE_CLIENT_POLL_OUT) mask |= CURL_CSELECT_OUT;
    if (events & SIMDSSE_CLIENT_POLL_ERR) mask |= CURL_CSELECT_ERR;
    m->in_curl = 1;
    curl_multi_socket_action(m->curl, fd == SIMDSSE_CLIENT_TIMEOUT ? CURL_SOCKET_TIMEOUT : fd, mask,
                             &still);
    m->in_curl = 0;
}

/* Transfers libcurl has finished: each ends its client's connection. */
static void finished(simdsse_client_multi *m) {
    CURLMsg *msg;
    int left;
    while (!m->destroying && (msg = curl_multi_info_read(m->curl, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURLcode result = msg->data.result; /* msg dies with the handle's removal */
        char *c = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &c);
        if (c) simdsse__client_done((simdsse_client *)(void *)c, result);
    }
}

/* Our timers that are due: a reconnection to start, an idle check. Each
 * step moves or clears the client's timer, so the loop ends. */
static void due(simdsse_client_multi *m) {
    simdsse_client *c;
    while (!m->destroying && (c = simdsse__client_timer_first(m)) && c->deadline <= m->now) {
        if (c->closing)
            simdsse__client_timer_clear(m, c);
        else if (c->in_multi)
            simdsse__client_idle_check(c);
        else
            simdsse__client_start(c);
    }
}

/* What callbacks closed or destroyed while the turn ran. */
static void settle(simdsse_client_multi *m) {
    simdsse_client *c;
    while ((c = m->pending)) {
        m->pending = c->pending_next;
        c->pending = 0;
        simdsse__client_settle(c);
    }
}

static simdsse_status begin(simdsse_client_multi *m) {
    if (m->depth) return SIMDSSE_ERR_IN_CALLBACK;
    m->depth = 1;
    m->now = simdsse__client_now_ms();
    return SIMDSSE_OK;
}

static simdsse_status end(simdsse_client_multi *m, int *running) {
    finished(m);
    due(m);
    m->depth = 0;
    settle(m);
    if (m->destroying) {
        destroy_now(m);
        if (running) *running = 0;
        return SIMDSSE_DESTROYED;
    }
    arm(m);
    if (running) *running = m->running;
    return SIMDSSE_OK;
}

simdsse_status simdsse_client_multi_socket(simdsse_client_multi *m, int fd, unsigned events,
                                           int *running) {
    if (!m || !m->on_socket) return SIMDSSE_ERR_INVALID_ARGUMENT;
    simdsse_status st = begin(m);
    if (st != SIMDSSE_OK) return st;
    if (fd == SIMDSSE_CLIENT_TIMEOUT) m->armed = SSE_NEVER; /* the caller's timer is spent */
    /* libcurl runs its expired timers on every action, the socket's too. */
    curl_action(m, fd, events);
    return end(m, running);
}

simdsse_status simdsse_client_multi_poll(simdsse_client_multi *m, int timeout_ms, int *running) {
    if (!m || m->on_socket) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (m->depth) return SIMDSSE_ERR_IN_CALLBACK;
    if (!m->running) {
        if (running) *running = 0;
        return SIMDSSE_OK;
    }
    int64_t wait = ms_until(next_deadline(m), simdsse__client_now_ms());
    if (timeout_ms >= 0 && (wait < 0 || wait > timeout_ms)) wait = timeout_ms;
    if (wait > INT_MAX) wait = INT_MAX;
    sse_ready ready[SSE_READY_MAX];
    int n = simdsse__client_loop_wait(&m->loop, (int)wait, ready);

    begin(m);
    for (int i = 0; i < n && !m->destroying; i++) curl_action(m, ready[i].fd, ready[i].events);
    if (n == 0 && !m->destroying && m->curl_deadline <= m->now)
        curl_action(m, SIMDSSE_CLIENT_TIMEOUT, 0);
    return end(m, running);
}
