/*
 * sse_load.c -- ngx_http_sse_module under load: N concurrent LLM-shaped
 * streams through Debian's nginx on loopback, with the module off, metering
 * and validating + extracting, side by side in one run.
 * SPDX-License-Identifier: MIT
 *
 *     sse_load --nginx BIN --module SO --work DIR [--streams N] [--rate R]
 *              [--seconds T] [--warmup W] [--quick]
 *
 * An upstream (a child process, epoll) serves each connection an endless
 * `llm` corpus stream (OpenAI and Anthropic shaped, ~200-byte events),
 * one event per write, R events/s per stream (0: as fast as the sockets
 * take them); a client (this process, epoll) holds N connections through
 * nginx (one worker) and counts the events it gets. After W seconds of
 * warm-up it measures for T seconds: events/s delivered, the nginx
 * worker's CPU time (utime + stime from /proc) per event, and its resident
 * memory with every stream open, less its memory before the first one, per
 * stream. The three configurations differ only in the module's directives;
 * all proxy unbuffered, as an SSE gateway without the module must. They
 * run at the same time, each in its own nginx with its own N streams, so
 * that the rest of a shared machine's load falls on all three alike.
 *
 * CPU time on a shared machine is noisy. --callgrind runs nginx under
 * valgrind's callgrind instead and reports the worker's instructions per
 * event, which do not depend on what else the machine runs (keep N and R
 * small: the worker is some 50 times slower).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "harness.h"

/* MARK: - Configurations */

static const char conf_head[] =
    "@USER@\n"
    "daemon off;\n"
    "master_process on;\n"
    "worker_processes 1;\n"
    "@RLIMIT@"
    "pid @PREFIX@/nginx.pid;\n"
    "lock_file @PREFIX@/nginx.lock;\n"
    "error_log @PREFIX@/error.log warn;\n"
    "load_module @MODULE@;\n"
    "events { worker_connections 8192; }\n"
    "http {\n"
    "@TEMP_PATHS@"
    "    access_log off;\n"
    "    proxy_buffering off;\n"
    "    proxy_read_timeout 120s;\n"
    "    server {\n"
    "        listen 127.0.0.1:@PORT@ backlog=4096;\n"
    "        location / {\n"
    "            proxy_pass http://127.0.0.1:@UPSTREAM@;\n";

static const char conf_tail[] = "        }\n    }\n}\n";

static const struct config {
    const char *name, *directives;
} configs[] = {
    {"module off", ""},
    {"metering", "            sse on;\n"},
    {"validation + extraction",
     "            sse on;\n"
     "            sse_validate on;\n"
     "            sse_extract $llm_output_tokens /usage/output_tokens message_delta;\n"
     "            sse_extract $llm_total_tokens /usage/total_tokens;\n"},
};
#define NCONFIGS (sizeof configs / sizeof configs[0])

/* MARK: - The corpus, cut into events */

static char *corpus;
static size_t corpus_len;
static size_t *events_at; /* start offsets; events_at[nevents] = corpus_len */
static size_t nevents;

static void make_corpus(void) {
    corpus = corpus_make(CORPUS_LLM, 256 << 10, 1, &corpus_len, NULL);
    if (!corpus) abort();
    events_at = malloc(sizeof *events_at * (corpus_len / 4 + 2));
    size_t at = 0;
    events_at[nevents++] = 0;
    for (size_t i = 1; i < corpus_len; i++)
        if (corpus[i] == '\n' && corpus[i - 1] == '\n') events_at[nevents++] = i + 1;
    (void)at;
    nevents--; /* the last boundary is the end */
}

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int set_nonblock(int fd) { return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* MARK: - The upstream (a child process) */

typedef struct up_conn {
    int fd;
    size_t slot;    /* index in the live list */
    int state;      /* 0 reading the request, 1 streaming */
    size_t event;   /* next event */
    size_t sent;    /* bytes of the pending write done */
    uint64_t due;   /* when the next event may go, in us */
    int blocked;    /* waiting for EPOLLOUT */
} up_conn;

static void drop(up_conn **live, size_t *nlive, up_conn *c) {
    live[c->slot] = live[--*nlive];
    live[c->slot]->slot = c->slot;
    close(c->fd);
    free(c);
}

static void upstream_main(int listen_fd, unsigned rate) {
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.ptr = NULL}};
    epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev);
    /* The live connections, densely: the due-event sweep walks them all. */
    up_conn **live = calloc(65536, sizeof *live);
    size_t nlive = 0;
    uint64_t interval = rate ? 1000000 / rate : 0;
    uint64_t seed = 7;
    static const char head[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\n\r\n";
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, rate ? 1 : 100);
        uint64_t t = now_us();
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL) {
                for (;;) {
                    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    up_conn *c = calloc(1, sizeof *c);
                    c->fd = fd;
                    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                    c->event = (size_t)((seed >> 33) % nevents);
                    c->due = t + (interval ? (seed >> 20) % interval : 0);
                    if (nlive == 65536) {
                        close(fd);
                        free(c);
                        continue;
                    }
                    c->slot = nlive;
                    live[nlive++] = c;
                    struct epoll_event e = {EPOLLIN | EPOLLOUT | EPOLLET, {.ptr = c}};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            up_conn *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLHUP | EPOLLERR)) {
                drop(live, &nlive, c);
                continue;
            }
            if (c->state == 0 && (evs[i].events & EPOLLIN)) {
                char buf[4096];
                ssize_t r = read(c->fd, buf, sizeof buf);
                if (r <= 0) {
                    drop(live, &nlive, c);
                    continue;
                }
                if (write(c->fd, head, sizeof head - 1) < 0) continue;
                c->state = 1;
            } else if (c->state == 1 && (evs[i].events & EPOLLIN)) {
                char buf[4096];
                ssize_t r = read(c->fd, buf, sizeof buf);
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    drop(live, &nlive, c);
                    continue;
                }
            }
            if (evs[i].events & EPOLLOUT) c->blocked = 0;
        }
        /* Every streaming connection whose event is due gets it. */
        for (size_t k = 0; k < nlive; k++) {
            up_conn *c = live[k];
            if (c->state != 1 || c->blocked) continue;
            for (int burst = 0; burst < (rate ? 4 : 16) && (!rate || c->due <= t); burst++) {
                size_t from = events_at[c->event] + c->sent, to = events_at[c->event + 1];
                ssize_t w = send(c->fd, corpus + from, to - from, MSG_NOSIGNAL);
                if (w < 0) {
                    if (errno == EAGAIN) c->blocked = 1;
                    break;
                }
                c->sent += (size_t)w;
                if (c->sent < to - events_at[c->event]) {
                    c->blocked = 1;
                    break;
                }
                c->sent = 0;
                c->event = (c->event + 1) % nevents;
                c->due += interval;
                if (rate && c->due + 1000000 < t) c->due = t; /* fell behind: no burst */
            }
        }
    }
}

/* MARK: - The client */

typedef struct client {
    int fd;
    int cfg; /* which configuration's nginx */
    int got_head;
    char last; /* the last byte seen */
    uint64_t events;
} client;

static int connect_nonblock(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Events (blank lines) in p[0, n): the corpus uses LF only. */
static uint64_t count_events(client *c, const char *p, size_t n) {
    uint64_t k = 0;
    const char *s = p, *end = p + n;
    if (n && c->last == '\n' && p[0] == '\n') k++;
    while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL && s + 1 < end) {
        if (s[1] == '\n') k++;
        s++;
    }
    c->last = p[n - 1];
    return k;
}

/* MARK: - nginx's worker: CPU and memory from /proc */

static pid_t worker_of(pid_t master) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = -1;
    while (d && (e = readdir(d)) != NULL) {
        char path[300], buf[512];
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *rp = strrchr(buf, ')');
        int ppid;
        if (rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 && ppid == master) found = atoi(e->d_name);
    }
    if (d) closedir(d);
    return found;
}

/* utime + stime of `pid`, in seconds. */
static double cpu_seconds(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime */
    if (p) sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Resident memory of `pid`, in bytes (VmRSS). */
static long rss_bytes(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    if (f) fclose(f);
    return kb * 1024;
}

/* MARK: - One configuration */

typedef struct figures {
    double events_per_s, cpu_us_per_event, cpu_share, instructions_per_event;
    double bytes_per_stream;
    uint64_t events;
    int streams_open;
} figures;

/* The worker's instruction count from its callgrind output, or 0. */
static double callgrind_total(const char *dir, pid_t worker) {
    char path[1100], line[512];
    snprintf(path, sizeof path, "%s/callgrind.%d", dir, (int)worker);
    FILE *f = fopen(path, "r");
    double total = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "summary: %lf", &total) == 1 || sscanf(line, "totals: %lf", &total) == 1) break;
    if (f) fclose(f);
    return total;
}

/* Starts nginx with one configuration in `dir`; its worker in *worker. */
static int start_nginx(const char *bin, const char *module, const char *dir, int up_port,
                       const struct config *cfg, int callgrind, h_nginx *ng, pid_t *worker) {
    char wrapper[1100];
    if (callgrind) {
        /* nginx under callgrind: the worker, forked, is traced too. */
        snprintf(wrapper, sizeof wrapper, "%s/nginx-callgrind.sh", dir);
        hbuf sh = {0};
        hbuf_printf(&sh, "#!/bin/sh\nexec valgrind --tool=callgrind --callgrind-out-file=%s/callgrind.%%p "
                         "'%s' \"$@\"\n", dir, bin);
        if (h_write_file(wrapper, sh.ptr, sh.len) != 0 || chmod(wrapper, 0755) != 0) return -1;
        hbuf_free(&sh);
        bin = wrapper;
    }
    hbuf conf = {0};
    /* valgrind keeps the descriptor limit where it is. */
    const char *head = strstr(conf_head, "@RLIMIT@");
    hbuf_add(&conf, conf_head, (size_t)(head - conf_head));
    if (!callgrind) hbuf_str(&conf, "worker_rlimit_nofile 16384;\n");
    hbuf_str(&conf, head + strlen("@RLIMIT@"));
    hbuf_str(&conf, cfg->directives);
    hbuf_str(&conf, conf_tail);
    int rc = h_nginx_start(ng, bin, dir, module, conf.ptr, up_port);
    hbuf_free(&conf);
    if (rc != 0) return -1;
    *worker = -1;
    for (int i = 0; i < 250 && *worker < 0; i++) {
        *worker = worker_of(ng->pid);
        if (*worker < 0) h_sleep_ms(20);
    }
    return *worker < 0 ? -1 : 0;
}

/*
 * Measures configurations configs[from, to) at once, each with its own
 * nginx and its own `streams` clients (so that whatever else the machine
 * runs weighs on them alike), into fig[from, to).
 */
static int measure(const char *bin, const char *module, const char *work, int up_port,
                   size_t from, size_t to, int streams, double warmup, double seconds,
                   int callgrind, figures fig[NCONFIGS]) {
    h_nginx ng[NCONFIGS];
    pid_t worker[NCONFIGS];
    long rss_idle[NCONFIGS];
    double cpu_at_warm[NCONFIGS];
    uint64_t total[NCONFIGS] = {0}, at_warm[NCONFIGS] = {0};
    char dirs[NCONFIGS][1024];
    int rc = 0;
    size_t started = from;
    memset(fig + from, 0, sizeof(figures) * (to - from));
    for (; started < to; started++) {
        size_t i = started;
        snprintf(dirs[i], sizeof dirs[i], "%s/%zu", work, i);
        mkdir(dirs[i], 0755);
        if (start_nginx(bin, module, dirs[i], up_port, &configs[i], callgrind, &ng[i], &worker[i]) != 0) {
            fprintf(stderr, "sse_load: %s: nginx did not start\n", configs[i].name);
            rc = -1;
            goto stop;
        }
    }
    h_sleep_ms(callgrind ? 2000 : 200);
    for (size_t i = from; i < to; i++) rss_idle[i] = rss_bytes(worker[i]);

    int ep = epoll_create1(0);
    size_t nconf = to - from, nclients = (size_t)streams * nconf;
    client *cs = calloc(nclients, sizeof *cs);
    static const char req[] = "GET /stream HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    for (size_t k = 0; k < nclients; k++) {
        cs[k].cfg = (int)(from + k % nconf);
        cs[k].fd = connect_nonblock(ng[cs[k].cfg].port);
        struct epoll_event e = {EPOLLIN | EPOLLOUT | EPOLLET, {.ptr = &cs[k]}};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[k].fd, &e);
    }
    uint64_t start = now_us(), warm_end = start + (uint64_t)(warmup * 1e6);
    uint64_t end = warm_end + (uint64_t)(seconds * 1e6);
    int warmed = 0;
    struct epoll_event evs[512];
    char buf[65536];
    for (;;) {
        uint64_t t = now_us();
        if (!warmed && t >= warm_end) {
            warmed = 1;
            for (size_t i = from; i < to; i++) {
                at_warm[i] = total[i];
                cpu_at_warm[i] = cpu_seconds(worker[i]);
            }
        }
        if (t >= end) break;
        int n = epoll_wait(ep, evs, 512, 10);
        for (int i = 0; i < n; i++) {
            client *c = evs[i].data.ptr;
            if ((evs[i].events & EPOLLOUT) && !c->got_head) {
                if (send(c->fd, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1)) {
                    c->got_head = 1;
                    fig[c->cfg].streams_open++;
                    struct epoll_event e = {EPOLLIN | EPOLLET, {.ptr = c}};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
            }
            if (evs[i].events & EPOLLIN) {
                for (;;) {
                    ssize_t r = read(c->fd, buf, sizeof buf);
                    if (r <= 0) break;
                    total[c->cfg] += count_events(c, buf, (size_t)r);
                }
            }
        }
    }
    for (size_t i = from; i < to; i++) {
        figures *g = &fig[i];
        double cpu = cpu_seconds(worker[i]) - cpu_at_warm[i];
        g->events = total[i] - at_warm[i];
        g->events_per_s = (double)g->events / seconds;
        g->cpu_us_per_event = g->events ? cpu * 1e6 / (double)g->events : 0;
        g->cpu_share = cpu / seconds;
        g->bytes_per_stream = (double)(rss_bytes(worker[i]) - rss_idle[i]) / streams;
    }
    for (size_t k = 0; k < nclients; k++) close(cs[k].fd);
    free(cs);
    close(ep);
    h_sleep_ms(callgrind ? 2000 : 200);
stop:
    for (size_t i = from; i < started; i++) {
        char *log = h_nginx_file(&ng[i], "error.log");
        if (strstr(log, "[alert]") || strstr(log, "[crit]") || strstr(log, "[error]")) {
            fprintf(stderr, "sse_load: %s: nginx complained:\n%s", configs[i].name, log);
            rc = -1;
        }
        free(log);
        h_nginx_stop(&ng[i]);
        if (callgrind && rc == 0) {
            fig[i].instructions_per_event = callgrind_total(dirs[i], worker[i]) / (double)total[i];
            if (fig[i].instructions_per_event == 0) rc = -1;
        }
    }
    return rc;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of one field over the rounds. */
static double median(const figures *f, int n, size_t field) {
    double v[15];
    for (int i = 0; i < n; i++) memcpy(&v[i], (const char *)&f[i] + field, sizeof v[i]);
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void cpu_name(char *out, size_t cap) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, cap, "unknown CPU");
    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, "model name");
        if (p && (p = strchr(p, ':'))) {
            snprintf(out, cap, "%s", p + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    if (f) fclose(f);
}

int main(int argc, char **argv) {
#ifdef SSE_LOAD_NGINX
    const char *bin = SSE_LOAD_NGINX, *module = SSE_LOAD_MODULE, *work = SSE_LOAD_WORK;
#else
    const char *bin = NULL, *module = NULL, *work = NULL;
#endif
    int streams = 1000;
    unsigned rate = 20;
    double seconds = 10, warmup = 3;
    int rounds = 3, callgrind = 0, together = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--nginx") && i + 1 < argc) bin = argv[++i];
        else if (!strcmp(argv[i], "--module") && i + 1 < argc) module = argv[++i];
        else if (!strcmp(argv[i], "--work") && i + 1 < argc) work = argv[++i];
        else if (!strcmp(argv[i], "--streams") && i + 1 < argc) streams = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc) rate = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--callgrind")) callgrind = 1;
        else if (!strcmp(argv[i], "--together")) together = 1;
        else if (!strcmp(argv[i], "--quick")) {
            streams = 50;
            seconds = 1;
            warmup = 0.5;
            rounds = 1;
        } else {
            fprintf(stderr, "usage: sse_load --nginx BIN --module SO --work DIR [--streams N] "
                            "[--rate EVENTS_PER_S] [--seconds T] [--warmup W] [--rounds R] [--quick] "
                            "[--callgrind] [--together]\n");
            return 2;
        }
    }
    if (!bin || !module || !work) return fprintf(stderr, "sse_load: --nginx, --module and --work are needed\n"), 2;
    struct rlimit rl = {65536, 65536};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
        getrlimit(RLIMIT_NOFILE, &rl);
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    mkdir(work, 0755);
    make_corpus();

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4096) != 0) return 1;
    socklen_t alen = sizeof a;
    getsockname(lfd, (struct sockaddr *)&a, &alen);
    set_nonblock(lfd);
    pid_t up = fork();
    if (up == 0) {
        upstream_main(lfd, rate);
        _exit(0);
    }
    close(lfd);

    char cpu[256];
    cpu_name(cpu, sizeof cpu);
    char pace[64];
    if (rate)
        snprintf(pace, sizeof pace, "%u events/s per stream", rate);
    else
        snprintf(pace, sizeof pace, "as fast as the sockets go");
    printf("sse_load: %d streams of `llm` events (%zu events, %.0f B/event), %s,\n"
           "          %.0f s after %.0f s warm-up; %s, %ld CPUs\n",
           streams, nevents, (double)corpus_len / (double)nevents, pace, seconds, warmup, cpu,
           sysconf(_SC_NPROCESSORS_ONLN));
    if (rounds < 1 || rounds > 15) rounds = 3;
    if (together)
        printf("          median of %d rounds; in each, the configurations run at the same time,\n"
               "          each its own nginx with its own %d streams\n", rounds, streams);
    else
        printf("          median of %d rounds; in each, the configurations take turns, "
               "the first changing from round to round\n", rounds);
    figures f[NCONFIGS][15];
    int rc = 0;
    for (int round = 0; round < rounds && !rc; round++) {
        figures g[NCONFIGS];
        /* Taking turns, each round starts with the next configuration, so
         * that none is always first (or last) after a change of load. */
        for (size_t k = 0; k < NCONFIGS && !rc; k += together ? NCONFIGS : 1) {
            size_t i = together ? 0 : (k + (size_t)round) % NCONFIGS;
            if (measure(bin, module, work, ntohs(a.sin_port), i, together ? NCONFIGS : i + 1,
                        streams, warmup, seconds, callgrind, g) != 0)
                rc = 1;
        }
        if (rc) break;
        for (size_t i = 0; i < NCONFIGS; i++) {
            f[i][round] = g[i];
            if (g[i].events == 0 || g[i].streams_open != streams) {
                fprintf(stderr, "sse_load: %s: no figures (%d of %d streams open, %" PRIu64
                                " events)\n",
                        configs[i].name, g[i].streams_open, streams, g[i].events);
                rc = 1;
            }
            fprintf(stderr, "  round %d, %-24s %9.0f events/s %7.2f us/event %7.0f B/stream",
                    round + 1, configs[i].name, g[i].events_per_s, g[i].cpu_us_per_event,
                    g[i].bytes_per_stream);
            if (callgrind) fprintf(stderr, " %8.0f instructions/event", g[i].instructions_per_event);
            fputc('\n', stderr);
        }
    }
    if (!rc && callgrind) {
        printf("%-26s %22s\n", "configuration", "nginx instructions/event");
        double base = 0;
        for (size_t i = 0; i < NCONFIGS; i++) {
            double ir = median(f[i], rounds, offsetof(figures, instructions_per_event));
            if (!i) base = ir;
            printf("%-26s %22.0f", configs[i].name, ir);
            if (i) printf("   %+.0f instructions (%+.2f%%) vs off", ir - base, 100 * (ir / base - 1));
            printf("\n");
        }
    } else if (!rc) {
        printf("%-26s %12s %14s %12s %16s\n", "configuration", "events/s", "nginx us/event",
               "nginx CPU", "memory/stream");
        figures m[NCONFIGS];
        for (size_t i = 0; i < NCONFIGS; i++) {
            m[i].events_per_s = median(f[i], rounds, offsetof(figures, events_per_s));
            m[i].cpu_us_per_event = median(f[i], rounds, offsetof(figures, cpu_us_per_event));
            m[i].cpu_share = median(f[i], rounds, offsetof(figures, cpu_share));
            m[i].bytes_per_stream = median(f[i], rounds, offsetof(figures, bytes_per_stream));
            printf("%-26s %12.0f %14.2f %11.1f%% %14.0f B", configs[i].name, m[i].events_per_s,
                   m[i].cpu_us_per_event, 100 * m[i].cpu_share, m[i].bytes_per_stream);
            if (i) {
                /* The median of each round's ratio: a round's configurations
                 * ran close together, under the same load. */
                figures ratio[15];
                for (int k = 0; k < rounds; k++)
                    ratio[k].cpu_us_per_event = f[i][k].cpu_us_per_event / f[0][k].cpu_us_per_event;
                printf("   CPU/event %+.1f%%, memory %+.0f B/stream vs off",
                       100 * (median(ratio, rounds, offsetof(figures, cpu_us_per_event)) - 1),
                       m[i].bytes_per_stream - m[0].bytes_per_stream);
            }
            printf("\n");
        }
    }
    kill(up, SIGKILL);
    waitpid(up, NULL, 0);
    return rc;
}
