/*
 * harness.c -- Debian's nginx and a test upstream on 127.0.0.1 (see
 * harness.h).
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* MARK: - Files, time */

char *h_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    hbuf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) hbuf_add(&b, tmp, n);
    fclose(f);
    if (!b.ptr) hbuf_add(&b, "", 0);
    if (len) *len = b.len;
    return b.ptr;
}

int h_write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

uint64_t h_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void h_sleep_ms(unsigned ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int listen_local(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int local_port(int fd) {
    struct sockaddr_in a;
    socklen_t n = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &n) != 0) return -1;
    return ntohs(a.sin_port);
}

int h_free_port(void) {
    int fd = listen_local(0);
    if (fd < 0) return -1;
    int port = local_port(fd);
    close(fd);
    return port;
}

/* MARK: - Signal */

void h_signal_init(h_signal *s) {
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->posted = 0;
}

void h_signal_post(h_signal *s) {
    pthread_mutex_lock(&s->mu);
    s->posted = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int h_signal_wait(h_signal *s, unsigned timeout_ms) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->posted)
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT) break;
    int got = s->posted;
    s->posted = 0;
    pthread_mutex_unlock(&s->mu);
    return got;
}

/* MARK: - nginx */

static void replace_all(hbuf *out, const char *text, const char *const *pairs, size_t npairs) {
    const char *p = text;
    while (*p) {
        size_t i;
        for (i = 0; i < npairs; i += 2)
            if (strncmp(p, pairs[i], strlen(pairs[i])) == 0) break;
        if (i < npairs) {
            hbuf_str(out, pairs[i + 1]);
            p += strlen(pairs[i]);
        } else {
            hbuf_add(out, p++, 1);
        }
    }
}

char *h_nginx_conf(const h_nginx *n, const char *module, const char *conf_template,
                   int upstream_port) {
    char port[16], up[16];
    snprintf(port, sizeof port, "%d", n->port);
    snprintf(up, sizeof up, "%d", upstream_port);
    /* Debian's nginx has its temp paths under /var/lib/nginx built in:
     * this nginx keeps everything in its prefix. */
    hbuf temp = {0};
    static const char *const kinds[] = {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        hbuf_printf(&temp, "%s_temp_path %s/tmp/%s;\n", kinds[i], n->prefix, kinds[i]);
    const char *pairs[] = {"@PREFIX@",     n->prefix, "@PORT@",   port,   "@UPSTREAM@",
                           up,             "@MODULE@", module,    "@USER@",
                           geteuid() == 0 ? "user root;" : "", "@TEMP_PATHS@", temp.ptr};
    hbuf out = {0};
    replace_all(&out, conf_template, pairs, sizeof pairs / sizeof pairs[0]);
    hbuf_free(&temp);
    return out.ptr;
}

char *h_nginx_file(const h_nginx *n, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", n->prefix, name);
    char *text = h_read_file(path, NULL);
    return text ? text : strdup("");
}

static int prepare_prefix(h_nginx *n, const char *work) {
    if (!realpath(work, n->prefix)) {
        fprintf(stderr, "harness: %s: %s\n", work, strerror(errno));
        return -1;
    }
    /* nginx creates its temp directories itself, inside the prefix (the
     * configuration names them), but not their parent. */
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s/tmp", n->prefix);
    mkdir(tmp, 0755);
    /* Logs of an earlier run would answer for this one. */
    static const char *const logs[] = {"access.log", "error.log", "startup.log"};
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        snprintf(tmp, sizeof tmp, "%s/%s", n->prefix, logs[i]);
        unlink(tmp);
    }
    return 0;
}

static int write_conf(const h_nginx *n, const char *module, const char *conf_template,
                      int upstream_port) {
    char *conf = h_nginx_conf(n, module, conf_template, upstream_port);
    char path[1024];
    snprintf(path, sizeof path, "%s/nginx.conf", n->prefix);
    int rc = h_write_file(path, conf, strlen(conf));
    free(conf);
    return rc;
}

static pid_t spawn(const char *bin, const h_nginx *n, const char *test_flag, int out_fd) {
    char conf[1024], startup_log[1024];
    snprintf(conf, sizeof conf, "%s/nginx.conf", n->prefix);
    snprintf(startup_log, sizeof startup_log, "%s/startup.log", n->prefix);
    pid_t pid = fork();
    if (pid != 0) return pid;
    setpgid(0, 0);
    if (out_fd >= 0) {
        dup2(out_fd, 1);
        dup2(out_fd, 2);
    }
    if (test_flag)
        execl(bin, bin, test_flag, "-p", n->prefix, "-c", conf, "-e", startup_log, (char *)NULL);
    else
        execl(bin, bin, "-p", n->prefix, "-c", conf, "-e", startup_log, (char *)NULL);
    _exit(127);
}

/* A connection to 127.0.0.1:port (with that receive buffer, if not 0). */
static int connect_local(int port, int rcvbuf) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Waits for the child to exit; 1 if it did within ms, with *status. */
static int wait_exit(pid_t pid, unsigned ms, int *status) {
    uint64_t until = h_now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) return 1;
        if (r < 0 && errno != EINTR) return 1;
        if (h_now_ms() >= until) return 0;
        h_sleep_ms(10);
    }
}

int h_nginx_start(h_nginx *n, const char *bin, const char *work, const char *module,
                  const char *conf_template, int upstream_port) {
    memset(n, 0, sizeof *n);
    n->pid = -1;
    if (prepare_prefix(n, work) != 0) return -1;
    for (int attempt = 0; attempt < 5; attempt++) {
        n->port = h_free_port();
        if (n->port < 0 || write_conf(n, module, conf_template, upstream_port) != 0) return -1;
        n->pid = spawn(bin, n, NULL, -1);
        if (n->pid < 0) return -1;
        /* Generous: under valgrind nginx takes seconds to start. */
        uint64_t until = h_now_ms() + 30000;
        while (h_now_ms() < until) {
            int status;
            if (waitpid(n->pid, &status, WNOHANG) == n->pid) {
                n->pid = -1;
                break; /* exited: a taken port, or a bad configuration */
            }
            int fd = connect_local(n->port, 0);
            if (fd >= 0) {
                close(fd);
                return 0;
            }
            h_sleep_ms(20);
        }
        if (n->pid > 0) {
            h_nginx_stop(n);
            fprintf(stderr, "harness: nginx did not listen on %d within 30 s\n", n->port);
            return -1;
        }
        char *log = h_nginx_file(n, "startup.log");
        char *err = h_nginx_file(n, "error.log");
        int taken = strstr(log, "Address already in use") || strstr(err, "Address already in use");
        if (!taken) fprintf(stderr, "harness: nginx did not start:\n%s%s", log, err);
        free(log);
        free(err);
        if (!taken) return -1;
    }
    fprintf(stderr, "harness: no free port for nginx\n");
    return -1;
}

void h_nginx_stop(h_nginx *n) {
    if (n->pid <= 0) return;
    int status;
    kill(n->pid, SIGTERM);
    if (!wait_exit(n->pid, 30000, &status)) {
        fprintf(stderr, "harness: nginx ignored SIGTERM for 30 s; killing it\n");
        kill(-n->pid, SIGKILL);
        wait_exit(n->pid, 5000, &status);
    }
    /* The worker goes with the master; make sure, in its process group. */
    kill(-n->pid, SIGKILL);
    n->pid = -1;
}

int h_nginx_check(const char *bin, const char *work, const char *module,
                  const char *conf_template, char **output) {
    h_nginx n;
    memset(&n, 0, sizeof n);
    *output = NULL;
    if (prepare_prefix(&n, work) != 0) return -1;
    n.port = h_free_port();
    if (write_conf(&n, module, conf_template, 1) != 0) return -1;
    char out_path[1024];
    snprintf(out_path, sizeof out_path, "%s/check.out", n.prefix);
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    pid_t pid = spawn(bin, &n, "-t", fd);
    close(fd);
    int status = 0;
    if (!wait_exit(pid, 20000, &status)) {
        kill(-pid, SIGKILL);
        wait_exit(pid, 5000, &status);
        return -1;
    }
    *output = h_read_file(out_path, NULL);
    char *log = h_nginx_file(&n, "startup.log");
    hbuf all = {0};
    hbuf_str(&all, *output ? *output : "");
    hbuf_str(&all, log);
    free(log);
    free(*output);
    *output = all.ptr ? all.ptr : strdup("");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* MARK: - The test upstream */

static int read_request(h_conn *c) {
    char buf[8192];
    size_t len = 0;
    uint64_t until = h_now_ms() + 10000;
    while (len < sizeof buf - 1) {
        struct pollfd p = {c->fd, POLLIN, 0};
        int left = (int)(until - h_now_ms());
        if (left <= 0 || poll(&p, 1, left) <= 0) return -1;
        ssize_t n = read(c->fd, buf + len, sizeof buf - 1 - len);
        if (n <= 0) return -1;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n")) break;
    }
    /* "GET /path HTTP/1.x" */
    char *sp = strchr(buf, ' ');
    if (!sp) return -1;
    char *end = strchr(sp + 1, ' ');
    if (!end || (size_t)(end - sp - 1) >= sizeof c->path) return -1;
    memcpy(c->path, sp + 1, (size_t)(end - sp - 1));
    c->path[end - sp - 1] = '\0';
    return 0;
}

typedef struct conn_job {
    h_upstream *u;
    int fd;
} conn_job;

static void *conn_main(void *arg) {
    conn_job *job = arg;
    h_conn c = {0};
    c.fd = job->fd;
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (read_request(&c) == 0) {
        job->u->serve(&c, job->u->user);
        __atomic_add_fetch(&job->u->served, 1, __ATOMIC_SEQ_CST);
    }
    close(c.fd);
    free(job);
    return NULL;
}

static void *accept_main(void *arg) {
    h_upstream *u = arg;
    while (!u->stop) {
        struct pollfd p = {u->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        int fd = accept4(u->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) continue;
        conn_job *job = malloc(sizeof *job);
        if (!job || u->nconns == H_MAX_CONNS) {
            free(job);
            close(fd);
            continue;
        }
        job->u = u;
        job->fd = fd;
        if (pthread_create(&u->conns[u->nconns], NULL, conn_main, job) == 0)
            u->nconns++;
        else {
            close(fd);
            free(job);
        }
    }
    return NULL;
}

int h_upstream_start(h_upstream *u, h_serve_fn serve, void *user) {
    memset(u, 0, sizeof *u);
    signal(SIGPIPE, SIG_IGN);
    u->serve = serve;
    u->user = user;
    u->fd = listen_local(0);
    if (u->fd < 0) return -1;
    u->port = local_port(u->fd);
    if (pthread_create(&u->thread, NULL, accept_main, u) != 0) {
        close(u->fd);
        return -1;
    }
    return 0;
}

void h_upstream_stop(h_upstream *u) {
    u->stop = 1;
    pthread_join(u->thread, NULL);
    for (int i = 0; i < u->nconns; i++) pthread_join(u->conns[i], NULL);
    close(u->fd);
}

static int write_all(h_conn *c, const void *p, size_t n) {
    const char *s = p;
    while (n) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int h_head(h_conn *c, const char *status, const char *content_type, const char *extra,
           int chunked) {
    hbuf h = {0};
    hbuf_printf(&h, "HTTP/1.1 %s\r\nContent-Type: %s\r\n%s%s\r\n", status, content_type,
                extra ? extra : "", chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n");
    c->chunked = chunked;
    int rc = write_all(c, h.ptr, h.len);
    hbuf_free(&h);
    return rc;
}

int h_send(h_conn *c, const void *p, size_t n) {
    if (!n) return 0;
    if (c->chunked) {
        char size[32];
        int k = snprintf(size, sizeof size, "%zx\r\n", n);
        if (write_all(c, size, (size_t)k) || write_all(c, p, n) || write_all(c, "\r\n", 2))
            return -1;
        return 0;
    }
    return write_all(c, p, n);
}

int h_send_pieces(h_conn *c, const void *p, size_t n, size_t piece, unsigned pause_us) {
    const char *s = p;
    for (size_t at = 0; at < n; at += piece) {
        if (h_send(c, s + at, n - at < piece ? n - at : piece)) return -1;
        if (pause_us) {
            struct timespec ts = {0, (long)pause_us * 1000L};
            nanosleep(&ts, NULL);
        }
    }
    return 0;
}

int h_end(h_conn *c) { return c->chunked ? write_all(c, "0\r\n\r\n", 5) : 0; }

/* MARK: - The client */

/* De-chunks what arrived so far: raw[*at, len) -> body. Returns 1 at the
 * last chunk, 0 for more, -1 for a malformed stream. */
typedef struct dechunk {
    size_t left; /* bytes of the current chunk still to come */
    int state;   /* 0 size line, 1 data, 2 CRLF after data, 3 done */
} dechunk;

static int dechunk_step(dechunk *d, const char *raw, size_t len, size_t *at, hbuf *body) {
    while (*at < len) {
        if (d->state == 0) {
            const char *eol = memmem(raw + *at, len - *at, "\r\n", 2);
            if (!eol) return 0;
            char *end;
            unsigned long n = strtoul(raw + *at, &end, 16);
            if (end == raw + *at) return -1;
            *at = (size_t)(eol - raw) + 2;
            if (n == 0) {
                d->state = 3;
                return 1;
            }
            d->left = n;
            d->state = 1;
        } else if (d->state == 1) {
            size_t take = len - *at < d->left ? len - *at : d->left;
            hbuf_add(body, raw + *at, take);
            *at += take;
            d->left -= take;
            if (!d->left) d->state = 2;
        } else if (d->state == 2) {
            if (len - *at < 2) return 0;
            if (raw[*at] != '\r' || raw[*at + 1] != '\n') return -1;
            *at += 2;
            d->state = 0;
        } else {
            return 1;
        }
    }
    return d->state == 3;
}

char *h_header(const h_response *res, const char *name) {
    size_t n = strlen(name);
    const char *p = res->head.ptr;
    while (p && (p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ') v++;
            const char *e = strstr(v, "\r\n");
            return strndup(v, e ? (size_t)(e - v) : strlen(v));
        }
    }
    return NULL;
}

static int get(int port, const char *path, unsigned timeout_ms, h_response *res, h_body_fn on_body,
               void *user, int rcvbuf, size_t read_size, unsigned pause_us, unsigned linger_ms) {
    memset(res, 0, sizeof *res);
    int fd = connect_local(port, rcvbuf);
    if (fd < 0) return -1;
    hbuf req = {0};
    hbuf_printf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", path,
                linger_ms ? "" : "Connection: close\r\n");
    int sent = send(fd, req.ptr, req.len, MSG_NOSIGNAL) == (ssize_t)req.len;
    hbuf_free(&req);
    if (!sent) {
        close(fd);
        return -1;
    }
    hbuf raw = {0};
    size_t at = 0;
    long content_length = -1;
    int have_head = 0;
    dechunk d = {0, 0};
    uint64_t until = h_now_ms() + timeout_ms;
    for (;;) {
        int left = (int)(until - h_now_ms());
        if (left <= 0) {
            res->timed_out = 1;
            break;
        }
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, left) <= 0) continue;
        char tmp[65536];
        if (pause_us) {
            struct timespec ts = {0, (long)pause_us * 1000L};
            nanosleep(&ts, NULL);
        }
        ssize_t n = read(fd, tmp, read_size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* closed: complete only if the body said so */
        hbuf_add(&raw, tmp, (size_t)n);
        size_t before = res->body.len;
        if (!have_head) {
            char *e = memmem(raw.ptr, raw.len, "\r\n\r\n", 4);
            if (!e) continue;
            have_head = 1;
            hbuf_add(&res->head, raw.ptr, (size_t)(e - raw.ptr) + 2);
            at = (size_t)(e - raw.ptr) + 4;
            res->status = atoi(raw.ptr + 9);
            char *te = h_header(res, "Transfer-Encoding");
            res->chunked = te && strcasecmp(te, "chunked") == 0;
            free(te);
            char *cl = h_header(res, "Content-Length");
            if (cl) content_length = atol(cl);
            free(cl);
        }
        if (res->chunked) {
            int rc = dechunk_step(&d, raw.ptr, raw.len, &at, &res->body);
            if (rc < 0) break;
            if (rc == 1) res->complete = 1;
        } else {
            hbuf_add(&res->body, raw.ptr + at, raw.len - at);
            at = raw.len;
            if (content_length >= 0 && res->body.len >= (size_t)content_length) res->complete = 1;
        }
        if (res->body.len > before && on_body && on_body(user, &res->body)) break;
        if (res->complete) break;
    }
    if (!res->body.ptr) hbuf_add(&res->body, "", 0);
    hbuf_free(&raw);
    if (linger_ms) h_sleep_ms(linger_ms);
    close(fd);
    return have_head ? 0 : -1;
}

int h_get(int port, const char *path, unsigned timeout_ms, h_response *res, h_body_fn on_body,
          void *user) {
    return get(port, path, timeout_ms, res, on_body, user, 0, 65536, 0, 0);
}

int h_get_keepalive(int port, const char *path, unsigned timeout_ms, h_response *res,
                    unsigned linger_ms) {
    return get(port, path, timeout_ms, res, NULL, NULL, 0, 65536, 0, linger_ms);
}

int h_get_slowly(int port, const char *path, unsigned timeout_ms, h_response *res, int rcvbuf,
                 size_t read_size, unsigned pause_us) {
    if (read_size > 65536) read_size = 65536;
    return get(port, path, timeout_ms, res, NULL, NULL, rcvbuf, read_size, pause_us, 0);
}

void h_response_free(h_response *res) {
    hbuf_free(&res->head);
    hbuf_free(&res->body);
}
