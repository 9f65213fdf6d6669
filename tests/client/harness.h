/*
 * harness.h -- what the client's tests share: starting and stopping the
 * scripted test server (sse_test_server.c), reading what each request
 * sent, and running a program as a user would (ssecat, the examples).
 * SPDX-License-Identifier: MIT
 *
 * Every server and program is bounded in time: the server by its
 * --timeout and by its standard input (closed when the test ends, or
 * dies), programs by a deadline after which they are killed.
 */
#ifndef SIMDSSE_TEST_HARNESS_H
#define SIMDSSE_TEST_HARNESS_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *harness_server_bin; /* argv[1] */
static const char *harness_work;       /* argv[2] */

static inline uint64_t harness_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline void harness_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static inline void harness_fatal(const char *what) {
    fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
    exit(1);
}

static inline char *harness_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) harness_fatal("out of memory");
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static inline void harness_write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f)) harness_fatal(path);
}

/* MARK: - The test server */

typedef struct server {
    pid_t pid;
    int port;
    int control; /* its standard input: a line releases `await`, EOF stops it */
    char record[512];
    char url[128]; /* http://127.0.0.1:PORT */
} server;

static inline void server_start(server *s, const char *name, const char *script) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.script", harness_work, name);
    harness_write_file(path, script);
    snprintf(s->record, sizeof s->record, "%s/%s.record", harness_work, name);
    int in[2], out[2];
    if (pipe(in) || pipe(out)) harness_fatal("pipe");
    s->pid = fork();
    if (s->pid < 0) harness_fatal("fork");
    if (s->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        execl(harness_server_bin, harness_server_bin, "--script", path, "--record", s->record,
              "--timeout", "60", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->control = in[1];
    fcntl(s->control, F_SETFD, FD_CLOEXEC);
    char line[32] = {0};
    size_t n = 0;
    struct pollfd p = {out[0], POLLIN, 0};
    while (n < sizeof line - 1 && poll(&p, 1, 5000) > 0) {
        ssize_t r = read(out[0], line + n, 1);
        if (r <= 0 || line[n] == '\n') break;
        n++;
    }
    close(out[0]);
    s->port = atoi(line);
    if (s->port <= 0) {
        fprintf(stderr, "harness: %s printed no port\n", harness_server_bin);
        exit(1);
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
}

/* Lets every connection waiting at `await` go on. */
static inline void server_release(server *s) {
    if (write(s->control, "go\n", 3) != 3) harness_fatal("server control");
}

/* Stops the server and waits for it (killing it after 5 s). */
static inline void server_stop(server *s) {
    if (s->pid <= 0) return;
    close(s->control);
    uint64_t until = harness_now_ms() + 5000;
    int st;
    while (waitpid(s->pid, &st, WNOHANG) == 0) {
        if (harness_now_ms() > until) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
            break;
        }
        harness_sleep_ms(2);
    }
    s->pid = 0;
}

/* Request n (from 1) as the server recorded it: its head (LF line ends)
 * and "--- body LEN" with the body; NULL if there was no such request.
 * Free it. */
static inline char *server_request(const server *s, int n) {
    char *rec = harness_read_file(s->record, NULL);
    if (!rec) return NULL;
    char mark[48];
    snprintf(mark, sizeof mark, "=== request %d\n", n);
    char *start = strstr(rec, mark), *req = NULL;
    if (start) {
        start += strlen(mark);
        char *end = strstr(start, "\n=== request ");
        size_t len = end ? (size_t)(end - start) : strlen(start);
        req = malloc(len + 1);
        memcpy(req, start, len);
        req[len] = '\0';
    }
    free(rec);
    return req;
}

static inline int server_requests(const server *s) {
    int n = 0;
    char *r;
    while ((r = server_request(s, n + 1))) {
        free(r);
        n++;
    }
    return n;
}

/* Whether text has a line that is exactly `line`. */
static inline int has_line(const char *text, const char *line) {
    size_t n = strlen(line);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0')) return 1;
    return 0;
}

/* The value of header `name` in a recorded request (static buffer), or NULL. */
static inline const char *header_of(const char *req, const char *name) {
    static char value[1024];
    size_t n = strlen(name);
    for (const char *p = req; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, "--- body", 8) == 0) break;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ') v++;
            size_t len = strcspn(v, "\n");
            if (len >= sizeof value) len = sizeof value - 1;
            memcpy(value, v, len);
            value[len] = '\0';
            return value;
        }
    }
    return NULL;
}

/* MARK: - Programs, as a user runs them */

typedef struct program {
    pid_t pid;
    int out, err; /* pipes from its stdout and stderr */
    char *out_buf, *err_buf;
    size_t out_len, err_len;
    int status; /* exit status, 128 + signal, or -1 while it runs */
} program;

/* $SIMDSSE_TEST_WRAPPER (words split at spaces), when set, runs in front
 * of every program: `valgrind --error-exitcode=99 ...` checks the programs
 * themselves (CI does). Deadlines then stretch by harness_slow. */
static int harness_slow = 1;

static inline char **wrapped(char *const argv[]) {
    static char *words[64];
    static char buf[1024];
    const char *w = getenv("SIMDSSE_TEST_WRAPPER");
    size_t n = 0;
    if (w && *w) {
        snprintf(buf, sizeof buf, "%s", w);
        for (char *t = strtok(buf, " "); t && n < 32; t = strtok(NULL, " ")) words[n++] = t;
        harness_slow = 10;
    }
    for (size_t i = 0; argv[i] && n < 63; i++) words[n++] = argv[i];
    words[n] = NULL;
    return words;
}

/* Starts argv in directory dir (NULL: this one), its output piped to us. */
static inline void program_start_in(program *p, const char *dir, char *const argv[]) {
    int o[2], e[2];
    char **args = wrapped(argv);
    memset(p, 0, sizeof *p);
    p->status = -1;
    if (pipe(o) || pipe(e)) harness_fatal("pipe");
    p->pid = fork();
    if (p->pid < 0) harness_fatal("fork");
    if (p->pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(o[1], 1);
        dup2(e[1], 2);
        close(o[0]), close(o[1]), close(e[0]), close(e[1]);
        if (dir && chdir(dir) != 0) _exit(126);
        execvp(args[0], args);
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    p->out = o[0];
    p->err = e[0];
    p->out_buf = calloc(1, 1);
    p->err_buf = calloc(1, 1);
}

static inline void program_start(program *p, char *const argv[]) {
    program_start_in(p, NULL, argv);
}

static inline void drain(int *fd, char **buf, size_t *len) {
    char tmp[4096];
    ssize_t r = read(*fd, tmp, sizeof tmp);
    if (r <= 0) {
        close(*fd);
        *fd = -1;
        return;
    }
    *buf = realloc(*buf, *len + (size_t)r + 1);
    memcpy(*buf + *len, tmp, (size_t)r);
    *len += (size_t)r;
    (*buf)[*len] = '\0';
}

/* Reads its output until `want` appears on its stdout or stderr (NULL:
 * until it exits) or until ms pass; 1 if it appeared (or it exited). */
static inline int program_wait_for(program *p, const char *want, int ms) {
    uint64_t until = harness_now_ms() + (uint64_t)ms * (uint64_t)harness_slow;
    while (p->out >= 0 || p->err >= 0) {
        if (want && (strstr(p->out_buf, want) || strstr(p->err_buf, want))) return 1;
        uint64_t now = harness_now_ms();
        if (now >= until) return 0;
        struct pollfd f[2] = {{p->out, POLLIN, 0}, {p->err, POLLIN, 0}};
        if (poll(f, 2, (int)(until - now)) <= 0) continue;
        if (f[0].revents) drain(&p->out, &p->out_buf, &p->out_len);
        if (f[1].revents) drain(&p->err, &p->err_buf, &p->err_len);
    }
    return want ? strstr(p->out_buf, want) || strstr(p->err_buf, want) : 1;
}

/* Waits for it to exit (killing it after ms) and stores its status. */
static inline void program_finish(program *p, int ms) {
    program_wait_for(p, NULL, ms);
    uint64_t until = harness_now_ms() + (uint64_t)ms * (uint64_t)harness_slow;
    int st;
    while (waitpid(p->pid, &st, WNOHANG) == 0) {
        if (harness_now_ms() > until) {
            fprintf(stderr, "harness: %d did not exit, killed\n", (int)p->pid);
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            break;
        }
        harness_sleep_ms(2);
    }
    p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (p->out >= 0) close(p->out);
    if (p->err >= 0) close(p->err);
}

static inline void program_free(program *p) {
    free(p->out_buf);
    free(p->err_buf);
}

/* Runs argv to the end (at most ms). */
static inline void program_run(program *p, char *const argv[], int ms) {
    program_start(p, argv);
    program_finish(p, ms);
}

#endif
