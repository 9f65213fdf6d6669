/*
 * harness.h -- Debian's real nginx and a test upstream, on 127.0.0.1, for
 * the module's tests and its load benchmark.
 * SPDX-License-Identifier: MIT
 *
 * Every server listens on 127.0.0.1 on a port the kernel picks; nginx runs
 * from its own prefix (a temporary directory holding its configuration,
 * logs, pid and temp files) with one worker, in the foreground, in its own
 * process group, and is stopped (and, if it must be, killed) by
 * h_nginx_stop. Every wait is bounded.
 */
#ifndef SIMDSSE_TEST_NGINX_HARNESS_H
#define SIMDSSE_TEST_NGINX_HARNESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hbuf.h"

/* MARK: - Files, time */

/* The whole file, NUL-terminated (not counted in *len); NULL if unreadable. */
char *h_read_file(const char *path, size_t *len);
int h_write_file(const char *path, const void *p, size_t n);
uint64_t h_now_ms(void);
void h_sleep_ms(unsigned ms);
/* A port no one listens on right now (the kernel's pick, then released). */
int h_free_port(void);

/* MARK: - A one-shot signal between threads */

typedef struct h_signal {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int posted;
} h_signal;

void h_signal_init(h_signal *s);
void h_signal_post(h_signal *s);
/* 1 if posted within timeout_ms (then consumed), 0 if not. */
int h_signal_wait(h_signal *s, unsigned timeout_ms);

/* MARK: - nginx */

typedef struct h_nginx {
    char prefix[512]; /* its directory: nginx.conf, error.log, access.log */
    int port;         /* where it listens */
    pid_t pid;
} h_nginx;

/*
 * Writes `conf_template` to <work>/nginx.conf and starts `bin` on it, once
 * it listens; returns 0, or -1 with the reason on stderr. The template's
 * placeholders: @PREFIX@ (the prefix, no trailing slash), @PORT@ (a free
 * port), @UPSTREAM@ (upstream_port), @MODULE@ (module, the .so path),
 * @USER@ ("user root;" when run as root, so the worker can read the
 * prefix, else nothing), @TEMP_PATHS@ (the http{} temp path directives,
 * all in the prefix). A port someone took meanwhile is retried.
 */
int h_nginx_start(h_nginx *n, const char *bin, const char *work, const char *module,
                  const char *conf_template, int upstream_port);
/* Stops nginx (TERM, then KILL to its process group after 30 s). */
void h_nginx_stop(h_nginx *n);
/* The configuration with its placeholders filled, for `nginx -t`. */
char *h_nginx_conf(const h_nginx *n, const char *module, const char *conf_template,
                   int upstream_port);
/* Runs `bin -t` on <work>/nginx.conf made from the template; returns its
 * exit status and its output (malloc'd) in *output. */
int h_nginx_check(const char *bin, const char *work, const char *module,
                  const char *conf_template, char **output);
/* The file in the prefix, e.g. "error.log" (malloc'd, NUL-terminated). */
char *h_nginx_file(const h_nginx *n, const char *name);

/* MARK: - The test upstream */

typedef struct h_conn {
    int fd;
    int chunked; /* h_send writes chunks */
    char path[512];
} h_conn;

/* Serves one request on its own thread; the connection closes when it
 * returns. */
typedef void (*h_serve_fn)(h_conn *c, void *user);

#define H_MAX_CONNS 64

typedef struct h_upstream {
    int fd, port;
    h_serve_fn serve;
    void *user;
    pthread_t thread;
    pthread_t conns[H_MAX_CONNS];
    int nconns;
    volatile int stop;
    volatile int served; /* requests served so far */
    volatile int closed_early; /* a write failed: the peer closed first */
} h_upstream;

int h_upstream_start(h_upstream *u, h_serve_fn serve, void *user);
void h_upstream_stop(h_upstream *u);

/* The response head; `extra` is more header lines, each ending in CRLF. */
int h_head(h_conn *c, const char *status, const char *content_type, const char *extra,
           int chunked);
/* Writes n bytes (as one chunk if chunked); -1 once the peer is gone. */
int h_send(h_conn *c, const void *p, size_t n);
/* Writes p in pieces of `piece` bytes, sleeping `pause_us` between. */
int h_send_pieces(h_conn *c, const void *p, size_t n, size_t piece, unsigned pause_us);
/* The last chunk of a chunked response. */
int h_end(h_conn *c);

/* MARK: - The client */

typedef struct h_response {
    int status;
    hbuf head;     /* status line and headers */
    hbuf body;     /* de-chunked */
    int chunked;   /* Transfer-Encoding: chunked */
    int complete;  /* the body's end arrived (last chunk, or Content-Length) */
    int timed_out; /* the deadline passed first */
} h_response;

/* Called as body bytes arrive; non-zero stops reading (not complete). */
typedef int (*h_body_fn)(void *user, const hbuf *body);

/* GET path from 127.0.0.1:port over HTTP/1.1, reading until the response
 * ends, the connection closes or timeout_ms pass. Returns 0 if a response
 * head arrived. */
int h_get(int port, const char *path, unsigned timeout_ms, h_response *res, h_body_fn on_body,
          void *user);
/* The same, from a client that reads at most read_size bytes every
 * pause_us, with a receive buffer of rcvbuf bytes: nginx's writes then
 * block, and what it sends stays queued in nginx for a while. */
int h_get_slowly(int port, const char *path, unsigned timeout_ms, h_response *res, int rcvbuf,
                 size_t read_size, unsigned pause_us);
/* The same over a keep-alive connection, kept open linger_ms after the
 * response ends (as a browser's would be). */
int h_get_keepalive(int port, const char *path, unsigned timeout_ms, h_response *res,
                    unsigned linger_ms);
void h_response_free(h_response *res);
/* The value of header `name` (case-insensitive) in res->head, malloc'd, or NULL. */
char *h_header(const h_response *res, const char *name);

#endif
