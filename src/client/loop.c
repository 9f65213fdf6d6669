/*
 * loop.c -- the multi's own event loop: epoll on Linux, poll(2) elsewhere
 * (and on Linux too when built with SIMDSSE_CLIENT_POLL, so that both are
 * tested).
 * SPDX-License-Identifier: MIT
 *
 * libcurl's socket callback tells which sockets to watch; a wait reports
 * which are ready. With epoll a wait costs what is ready, not what is
 * watched, which is what lets one thread hold thousands of idle streams.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "internal.h"

#if defined(__linux__) && !defined(SIMDSSE_CLIENT_POLL)
#  define SSE_EPOLL 1
#  include <sys/epoll.h>
#else
#  define SSE_EPOLL 0
#endif

#if SSE_EPOLL

int simdsse__client_loop_open(sse_loop *loop, const simdsse_allocator *a) {
    (void)a;
    loop->fds = NULL;
    loop->nfds = loop->cap = 0;
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    return loop->epfd < 0 ? -1 : 0;
}

void simdsse__client_loop_close(sse_loop *loop, const simdsse_allocator *a) {
    (void)a;
    if (loop->epfd >= 0) close(loop->epfd);
    loop->epfd = -1;
}

int simdsse__client_loop_watch(sse_loop *loop, const simdsse_allocator *a, int fd,
                               unsigned events, int known) {
    (void)a;
    if (!events) {
        /* libcurl says so before it closes the socket; the fd may be gone
         * already if it was closed elsewhere, which epoll forgets itself. */
        epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    struct epoll_event ev = {0};
    ev.events = (events & SIMDSSE_CLIENT_POLL_IN ? EPOLLIN : 0u) |
                (events & SIMDSSE_CLIENT_POLL_OUT ? EPOLLOUT : 0u);
    ev.data.fd = fd;
    if (epoll_ctl(loop->epfd, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0) return 0;
    /* A socket libcurl reused under a number we still had (or lost): */
    if (errno == EEXIST) return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) ? -1 : 0;
    if (errno == ENOENT) return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) ? -1 : 0;
    return -1;
}

int simdsse__client_loop_wait(sse_loop *loop, int timeout_ms, sse_ready *ready) {
    struct epoll_event evs[SSE_READY_MAX];
    int n = epoll_wait(loop->epfd, evs, SSE_READY_MAX, timeout_ms);
    if (n < 0) return 0; /* EINTR: a signal; the caller looks at its flags */
    for (int i = 0; i < n; i++) {
        unsigned e = evs[i].events, what = 0;
        if (e & EPOLLIN) what |= SIMDSSE_CLIENT_POLL_IN;
        if (e & EPOLLOUT) what |= SIMDSSE_CLIENT_POLL_OUT;
        if (e & (EPOLLERR | EPOLLHUP)) what |= SIMDSSE_CLIENT_POLL_ERR;
        ready[i].fd = evs[i].data.fd;
        ready[i].events = what;
    }
    return n;
}

#else /* poll(2) */

int simdsse__client_loop_open(sse_loop *loop, const simdsse_allocator *a) {
    (void)a;
    loop->epfd = -1;
    loop->fds = NULL;
    loop->nfds = loop->cap = 0;
    return 0;
}

void simdsse__client_loop_close(sse_loop *loop, const simdsse_allocator *a) {
    simdsse__client_free(a, loop->fds, loop->cap * sizeof *loop->fds);
    loop->fds = NULL;
    loop->nfds = loop->cap = 0;
}

int simdsse__client_loop_watch(sse_loop *loop, const simdsse_allocator *a, int fd,
                               unsigned events, int known) {
    (void)known;
    size_t i = 0;
    while (i < loop->nfds && loop->fds[i].fd != fd) i++;
    if (!events) {
        if (i < loop->nfds) loop->fds[i] = loop->fds[--loop->nfds];
        return 0;
    }
    if (i == loop->nfds) {
        if (loop->nfds == loop->cap) {
            size_t cap = loop->cap ? loop->cap * 2 : 16;
            struct pollfd *f = simdsse__client_realloc(a, loop->fds, loop->cap * sizeof *f,
                                                       cap * sizeof *f);
            if (!f) return -1;
            loop->fds = f;
            loop->cap = cap;
        }
        loop->nfds++;
        loop->fds[i].fd = fd;
    }
    loop->fds[i].events = (short)((events & SIMDSSE_CLIENT_POLL_IN ? POLLIN : 0) |
                                  (events & SIMDSSE_CLIENT_POLL_OUT ? POLLOUT : 0));
    loop->fds[i].revents = 0;
    return 0;
}

int simdsse__client_loop_wait(sse_loop *loop, int timeout_ms, sse_ready *ready) {
    if (poll(loop->fds, (nfds_t)loop->nfds, timeout_ms) <= 0) return 0;
    /* More ready than fit: start where the last wait stopped, so none
     * starves. */
    int n = 0;
    for (size_t k = 0; k < loop->nfds && n < SSE_READY_MAX; k++) {
        size_t i = (loop->turn + k) % loop->nfds;
        short r = loop->fds[i].revents;
        if (!r) continue;
        unsigned what = 0;
        if (r & POLLIN) what |= SIMDSSE_CLIENT_POLL_IN;
        if (r & POLLOUT) what |= SIMDSSE_CLIENT_POLL_OUT;
        if (r & (POLLERR | POLLHUP | POLLNVAL)) what |= SIMDSSE_CLIENT_POLL_ERR;
        ready[n].fd = loop->fds[i].fd;
        ready[n].events = what;
        n++;
        loop->turn = i + 1;
    }
    return n;
}

#endif
