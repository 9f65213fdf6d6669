/*
 * internal.h -- what the client library's files share: the client and
 * multi structs, the timer heap, the built-in loop, the request helpers.
 * SPDX-License-Identifier: MIT
 *
 * Names shared between files are simdsse__client_* (hidden); everything
 * else is static.
 */
#ifndef SIMDSSE_CLIENT_INTERNAL_H
#define SIMDSSE_CLIENT_INTERNAL_H

#include <curl/curl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "simdsse.h"
#include "simdsse_client.h"

#define SSE_NEVER UINT64_MAX /* a deadline that is not set */
#define SSE_NOT_QUEUED SIZE_MAX /* heap_index of a client not in the heap */

/* Where the current response stands (decided at the end of each head). */
typedef enum sse_response {
    SSE_RESP_PENDING,  /* no final head yet */
    SSE_RESP_STREAM,   /* 200 text/event-stream: the body goes to the parser */
    SSE_RESP_REDIRECT, /* 3xx that libcurl follows: its body is not ours */
    SSE_RESP_FAILED    /* any other final head: fail the connection */
} sse_response;

/* MARK: - The built-in loop (loop.c): epoll, or poll(2) elsewhere */

typedef struct sse_loop {
    int epfd;              /* epoll: its fd; -1 with poll(2) */
    struct pollfd *fds;    /* poll(2): the watched sockets */
    size_t nfds, cap;
    size_t turn;           /* poll(2): where the next scan of ready fds starts */
} sse_loop;

typedef struct sse_ready {
    int fd;
    unsigned events; /* SIMDSSE_CLIENT_POLL_* */
} sse_ready;

#define SSE_READY_MAX 64 /* sockets handled per wait */

int simdsse__client_loop_open(sse_loop *loop, const simdsse_allocator *a);
void simdsse__client_loop_close(sse_loop *loop, const simdsse_allocator *a);
/* Watch fd for events (SIMDSSE_CLIENT_POLL_IN/OUT); 0: forget it. `known`:
 * the fd is watched already. 0, or -1 if memory ran out. */
int simdsse__client_loop_watch(sse_loop *loop, const simdsse_allocator *a, int fd,
                               unsigned events, int known);
/* Waits up to timeout_ms (-1: no limit) and stores up to SSE_READY_MAX
 * ready sockets; their number (0 on a timeout or a signal). */
int simdsse__client_loop_wait(sse_loop *loop, int timeout_ms, sse_ready *ready);

/* MARK: - Objects */

struct simdsse_client {
    simdsse_client_multi *multi;
    simdsse_client *prev, *next;     /* every client of the multi */
    simdsse_client *pending_next;    /* the multi's settle list */
    CURL *easy;
    simdsse_parser *parser;

    void (*on_event)(void *, simdsse_client *, const simdsse_event *);
    void (*on_comment)(void *, simdsse_client *, simdsse_span);
    void (*on_notice)(void *, simdsse_client *, const simdsse_client_notice *);
    void *user;

    uint64_t idle_timeout_ms;
    uint64_t backoff_max_ms;
    unsigned max_retries;
    unsigned attempt;       /* reconnections since the stream was last open */
    int jitter;
    int reconnects;         /* whether a lost connection is reestablished */
    int follows;            /* redirects are followed */
    int location;           /* the head being read has a Location header */

    /* The request's header list: the caller's and ours, or NULL for the
     * multi's shared default_headers; for one request the Last-Event-ID
     * line goes in front of it (id_header->next). */
    struct curl_slist *headers, *id_header;

    simdsse_client_state state;
    sse_response response;
    int in_multi;           /* the easy handle is on the multi handle */
    int closing;            /* closed: no callback runs any more */
    int counted;            /* counted in multi->running */
    int destroying;         /* free once the running multi call returns */
    int pending;            /* on the multi's settle list */
    int no_memory;          /* the parser ran out during this connection */

    uint64_t last_activity; /* when a byte last arrived (multi->now) */
    uint64_t deadline;      /* reconnection or idle check; SSE_NEVER */
    size_t heap_index;
    uint64_t rng;           /* jitter */
    char errbuf[CURL_ERROR_SIZE];
};

struct simdsse_client_multi {
    CURLM *curl;
    simdsse_allocator alloc;
    void (*on_socket)(void *, int, unsigned);
    void (*on_timer)(void *, int64_t);
    void *loop_user;
    sse_loop loop;

    uint64_t now;           /* ms, monotonic: read once per multi call */
    uint64_t curl_deadline; /* libcurl's timer; SSE_NEVER */
    uint64_t armed;         /* what on_timer was last told; SSE_NEVER */

    simdsse_client **heap;  /* timers: a binary min-heap on deadline */
    size_t heap_len, heap_cap;
    size_t clients_alive;   /* created and not yet freed (heap_cap >= it) */

    struct curl_slist *default_headers; /* Accept, Cache-Control: shared */
    simdsse_client *clients;
    simdsse_client *pending; /* closed or destroyed inside a multi call */
    int running;
    int depth;              /* > 0 inside a multi call */
    int in_curl;            /* inside curl_multi_socket_action */
    int destroying;
};

/* MARK: - Shared helpers */

uint64_t simdsse__client_now_ms(void);
void *simdsse__client_alloc(const simdsse_allocator *a, size_t size);
void simdsse__client_free(const simdsse_allocator *a, void *ptr, size_t size);
void *simdsse__client_realloc(const simdsse_allocator *a, void *ptr, size_t old_size,
                              size_t new_size);
/* Copies the growable options struct at src (its first size_t is its
 * size) over dst, which holds the defaults: SIMDSSE_ERR_INVALID_ARGUMENT
 * for a size below `size` (the first layout) or unknown non-zero bytes. */
simdsse_status simdsse__client_read_options(void *dst, size_t size, const void *src);

/* timers.c: the heap. set inserts or moves; never allocates (create
 * reserves a slot per client). */
void simdsse__client_timer_set(simdsse_client_multi *m, simdsse_client *c, uint64_t deadline);
void simdsse__client_timer_clear(simdsse_client_multi *m, simdsse_client *c);
simdsse_client *simdsse__client_timer_first(const simdsse_client_multi *m);
int simdsse__client_timer_reserve(simdsse_client_multi *m);

/* request.c */
/* "text/event-stream", MIME essence compared, parameters allowed. */
int simdsse__client_is_event_stream(const char *content_type);
/* Builds the fixed header list for a caller's headers (with ours that they
 * do not replace); SIMDSSE_OK, INVALID_ARGUMENT (a header with CR/LF, no
 * colon, or Last-Event-ID) or NO_MEMORY. */
simdsse_status simdsse__client_headers(const char *const *user_headers, struct curl_slist **list);
/* Makes the multi's default list if it has none yet: OK or NO_MEMORY. */
simdsse_status simdsse__client_multi_headers(simdsse_client_multi *m);
/* The Last-Event-ID line for `id` (invalid UTF-8 as U+FFFD), or NULL if
 * memory ran out. */
struct curl_slist *simdsse__client_id_header(const simdsse_allocator *a, simdsse_span id);

/* delay.c: the wait before reconnection `attempt` (from 1). */
uint64_t simdsse__client_delay(uint64_t retry_ms, unsigned attempt, uint64_t backoff_max_ms,
                               int jitter, uint64_t *rng);

/* client.c, for multi.c */
void simdsse__client_start(simdsse_client *c);
void simdsse__client_idle_check(simdsse_client *c);
void simdsse__client_done(simdsse_client *c, CURLcode result);
void simdsse__client_free_now(simdsse_client *c);
void simdsse__client_close_quietly(simdsse_client *c);
/* Outside every callback: detach a closed client, free a destroyed one. */
void simdsse__client_settle(simdsse_client *c);

/* multi.c, for client.c */
/* After a change at depth 0 (outside a multi call): re-arm on_timer. */
void simdsse__client_multi_changed(simdsse_client_multi *m);
/* Queue c to be settled (handle removed, maybe freed) after the call. */
void simdsse__client_multi_defer(simdsse_client_multi *m, simdsse_client *c);

#endif
