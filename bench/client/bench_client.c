/*
 * bench_client.c -- many concurrent streams on one thread, on loopback:
 * events per second, client CPU per event, memory per stream.
 * SPDX-License-Identifier: MIT
 *
 *     bench_client [--streams N] [--events E] [--size B] [--shape full|paced|both]
 *                  [--interval-us U] [--buffer-size B] [--server PATH] [--node DIR]
 *
 * The scripted test server (tests/client/sse_test_server.c) runs in its own
 * process, so RUSAGE_SELF is the client alone. Each run:
 *  1. opens N streams on one multi and waits until every one is open and
 *     idle (the server holds them at `await`); then memory is read: what
 *     libcurl holds (counted through curl_global_init_mem), what the client
 *     and its parsers hold (the multi's allocator, and simdsse_client_memory),
 *     and the process's resident set growth, each per stream;
 *  2. releases the server, which sends every stream E events of about B
 *     bytes (an LLM chunk's shape): "full" as fast as the socket takes them
 *     (reads come full), "paced" one write per event every U µs (each read
 *     brings one event, as LLM token streams arrive);
 *  3. reports events/s over the run, client CPU (user + system) per event,
 *     and how many events each read delivered (events per stream wakeup).
 * Then the same load runs through libcurl alone (a bare multi_socket loop
 * that only counts bytes): the floor under any client on libcurl; and
 * through the sockets alone (a hand-written GET, epoll and recv, no HTTP):
 * what loopback TCP costs any client.
 * With --node DIR (where `npm install --prefix DIR eventsource@5` put the
 * npm client), the same load runs through eventsource_baseline.mjs next,
 * against a fresh server, for a baseline in the same run: its CPU per event
 * and RSS per connection, and the ratios.
 * A benchmark, not a test: ctest only runs it small, as a smoke test.
 */
#define _GNU_SOURCE /* malloc_usable_size */
#include <curl/curl.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "simdsse_client.h"

#ifndef SSE_TEST_SERVER
#define SSE_TEST_SERVER "sse_test_server"
#endif
#ifndef NODE_BASELINE_SCRIPT
#define NODE_BASELINE_SCRIPT "eventsource_baseline.mjs"
#endif

/* MARK: - Counting allocators */

static size_t curl_live, curl_peak; /* libcurl's bytes (usable sizes) */
static size_t our_live;             /* the client's and parsers' bytes */

static size_t curl_allocs; /* malloc, realloc, calloc calls by libcurl */

static void count_curl(void *p) {
    curl_allocs++;
    if (!p) return;
    curl_live += malloc_usable_size(p);
    if (curl_live > curl_peak) curl_peak = curl_live;
}
static void *c_malloc(size_t n) {
    void *p = malloc(n);
    count_curl(p);
    return p;
}
static void c_free(void *p) {
    if (p) curl_live -= malloc_usable_size(p);
    free(p);
}
static void *c_realloc(void *p, size_t n) {
    if (p) curl_live -= malloc_usable_size(p);
    void *q = realloc(p, n);
    if (!q && p) curl_live += malloc_usable_size(p);
    count_curl(q);
    return q;
}
static char *c_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = c_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}
static void *c_calloc(size_t a, size_t b) {
    void *p = calloc(a, b);
    count_curl(p);
    return p;
}

static void *o_malloc(void *ctx, size_t n) {
    (void)ctx;
    our_live += n;
    return malloc(n);
}
static void *o_realloc(void *ctx, void *p, size_t old, size_t n) {
    (void)ctx;
    void *q = realloc(p, n);
    if (q) our_live += n - old;
    return q;
}
static void o_free(void *ctx, void *p, size_t n) {
    (void)ctx;
    our_live -= n;
    free(p);
}

/* MARK: - Measuring */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User and system CPU of this process (the server is another). */
static double cpu_s(double *user) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    return *user + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static size_t rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* MARK: - The streams */

typedef struct stream {
    uint64_t events, wakeups, last_turn;
    int open, closed, failed;
} stream;

static uint64_t turn; /* multi calls so far */
static uint64_t floor_got; /* curl_floor: streams that have received bytes */
static uint64_t total_events, opened, closed_count, failures;

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    stream *s = user;
    (void)c, (void)ev;
    s->events++;
    total_events++;
    if (s->last_turn != turn) { /* the first event of this stream's wakeup */
        s->last_turn = turn;
        s->wakeups++;
    }
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    stream *s = user;
    (void)c;
    if (n->kind == SIMDSSE_CLIENT_OPEN) {
        s->open = 1;
        opened++;
    } else if (n->kind == SIMDSSE_CLIENT_CLOSED) {
        s->closed = 1;
        closed_count++;
        if (n->reason != SIMDSSE_CLIENT_REASON_END_OF_STREAM) {
            if (!failures++) fprintf(stderr, "bench_client: a stream failed: %s\n", n->message);
            s->failed = 1;
        }
    }
}

typedef struct server {
    pid_t pid;
    int control, port;
} server;

static server start_server(const char *bin, const char *script_text) {
    char path[] = "/tmp/bench_client_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, script_text, strlen(script_text)) < 0) exit(1);
    close(fd);
    int in[2], out[2];
    if (pipe(in) || pipe(out)) exit(1);
    server s = {fork(), in[1], 0};
    if (s.pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]), close(out[0]);
        execl(bin, bin, "--script", path, "--timeout", "600", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    char line[32] = {0};
    for (size_t n = 0; n < sizeof line - 1 && read(out[0], line + n, 1) == 1 && line[n] != '\n';)
        n++;
    close(out[0]);
    unlink(path);
    s.port = atoi(line);
    if (s.port <= 0) {
        fprintf(stderr, "bench_client: %s did not start (--server PATH)\n", bin);
        exit(1);
    }
    return s;
}

static void stop_server(server *s) {
    close(s->control);
    int st;
    waitpid(s->pid, &st, 0);
}

typedef struct result {
    double open_s, run_s, cpu_s, user_s, events_per_wakeup;
    size_t curl_allocs;
    uint64_t events;
    size_t curl_per_stream, ours_per_stream, rss_per_stream, curl_peak_per_stream;
} result;

/* Every stream: open, held at `await` until released, then its events. */
static server start_load(const char *server_bin, const char *shape, long events, long size,
                         long interval_us) {
    char script[512];
    snprintf(script, sizeof script,
             "[*]\nstatus 200\nheader Content-Type: text/event-stream\nsend : ready\\n\n"
             "await\nstream %ld %ld %ld\n",
             events, size, strcmp(shape, "paced") == 0 ? interval_us : 0L);
    return start_server(server_bin, script);
}

/* The measured part, a function of its own so that a profiler can be told
 * to count it alone (valgrind --tool=callgrind --collect-atstart=no
 * --toggle-collect=stream_phase). */
__attribute__((noinline)) static void stream_phase(simdsse_client_multi *m, int running) {
    while (running) {
        turn++;
        simdsse_client_multi_poll(m, 1000, &running);
    }
}

static int bench(const char *server_bin, const char *shape, int n, long events, long size,
                 long interval_us, size_t buffer_size, result *r) {
    server srv = start_load(server_bin, shape, events, size, interval_us);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/stream", srv.port);

    simdsse_allocator a;
    simdsse_allocator_init(&a);
    a.malloc = o_malloc, a.realloc = o_realloc, a.free = o_free;
    simdsse_client_multi_options mo;
    simdsse_client_multi_options_init(&mo);
    mo.allocator = &a;
    simdsse_client_multi *m = simdsse_client_multi_create(&mo, NULL);
    /* The benchmark's own bookkeeping, touched before the baseline. */
    stream *st = calloc((size_t)n, sizeof *st);
    simdsse_client **c = calloc((size_t)n, sizeof *c);
    if (!m || !st || !c) return -1;
    memset(st, 0xff, (size_t)n * sizeof *st), memset(st, 0, (size_t)n * sizeof *st);
    memset(c, 0xff, (size_t)n * sizeof *c);
    total_events = opened = closed_count = failures = 0;

    size_t rss0 = rss_bytes(), curl0 = curl_live, ours0 = our_live;
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        simdsse_client_options o;
        simdsse_client_options_init(&o);
        o.url = url;
        o.on_event = on_event;
        o.on_notice = on_notice;
        o.user = &st[i];
        o.reconnect = SIMDSSE_CLIENT_RECONNECT_NEVER;
        o.connect_timeout_ms = 60000;
        o.buffer_size = buffer_size;
        c[i] = simdsse_client_create(m, &o, NULL);
        if (!c[i]) return -1;
    }
    int running = n;
    while (opened + failures < (uint64_t)n && running) {
        turn++;
        simdsse_client_multi_poll(m, 100, &running);
    }
    r->open_s = now_s() - t0;
    /* All open, all idle: what each stream costs to hold. */
    size_t ours = 0;
    for (int i = 0; i < n; i++) ours += simdsse_client_memory(c[i]);
    r->curl_per_stream = (curl_live - curl0) / (size_t)n;
    r->ours_per_stream = ours / (size_t)n;
    if (our_live - ours0 > ours) r->ours_per_stream = (our_live - ours0) / (size_t)n;
    r->rss_per_stream = (rss_bytes() - rss0) / (size_t)n;
    curl_peak = curl_live;
    size_t curl_base = curl_live - curl0;

    if (write(srv.control, "go\n", 3) != 3) return -1;
    double u0, u1, w0 = now_s(), c0 = cpu_s(&u0);
    size_t allocs0 = curl_allocs;
    stream_phase(m, running);
    r->run_s = now_s() - w0;
    r->cpu_s = cpu_s(&u1) - c0;
    r->curl_allocs = curl_allocs - allocs0;
    r->user_s = u1 - u0;
    r->events = total_events;
    r->curl_peak_per_stream = (curl_peak - curl0) / (size_t)n;
    (void)curl_base;
    uint64_t wakeups = 0;
    for (int i = 0; i < n; i++) wakeups += st[i].wakeups;
    r->events_per_wakeup = wakeups ? (double)total_events / (double)wakeups : 0;

    for (int i = 0; i < n; i++) simdsse_client_destroy(c[i]);
    simdsse_client_multi_destroy(m);
    stop_server(&srv);
    free(st);
    free(c);
    if (failures || r->events != (uint64_t)n * (uint64_t)events) {
        fprintf(stderr, "bench_client: %s: %" PRIu64 " events of %ld, %" PRIu64 " failures\n",
                shape, r->events, (long)n * events, failures);
        return -1;
    }
    return 0;
}

/* The npm eventsource client under the same load (see the top). */
typedef struct node_result {
    double cpu_us_per_event, wall_s;
    uint64_t events;
    long rss_per_stream;
} node_result;

static int node_bench(const char *server_bin, const char *dir, const char *shape, int n,
                      long events, long size, long interval_us, node_result *r) {
    server srv = start_load(server_bin, shape, events, size, interval_us);
    char url[64], count[16];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/stream", srv.port);
    snprintf(count, sizeof count, "%d", n);
    int out[2];
    if (pipe(out)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execlp("node", "node", NODE_BASELINE_SCRIPT, dir, url, count, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256];
    long rss0 = 0, rss1 = 0, cpu_us = 0;
    double wall_ms = 0;
    unsigned long long ev = 0;
    int ok = f && fgets(line, sizeof line, f) && sscanf(line, "open %ld %ld", &rss0, &rss1) == 2;
    if (ok) ok = write(srv.control, "go\n", 3) == 3;
    if (ok)
        ok = fgets(line, sizeof line, f) &&
             sscanf(line, "done %llu %ld %lf", &ev, &cpu_us, &wall_ms) == 3;
    if (f) fclose(f);
    int st;
    waitpid(pid, &st, 0);
    stop_server(&srv);
    if (!ok) {
        fprintf(stderr, "bench_client: the node baseline failed (node, %s, --node %s)\n",
                NODE_BASELINE_SCRIPT, dir);
        return -1;
    }
    r->events = ev;
    r->cpu_us_per_event = (double)cpu_us / (double)ev;
    r->wall_s = wall_ms / 1000;
    r->rss_per_stream = (rss1 - rss0) / n;
    return 0;
}

/* MARK: - The floor: libcurl alone, no parser, no client */

/* The same load through a bare curl_multi_socket_action loop on epoll whose
 * write callback only counts bytes: what libcurl and the kernel cost by
 * themselves, so that the client's own share shows. */
typedef struct floor_stream {
    uint64_t bytes;
} floor_stream;

typedef struct floor_loop {
    int ep;
    int64_t deadline; /* ms, -1: none */
    uint64_t done, failed;
} floor_loop;

static int64_t now_ms(void) { return (int64_t)(now_s() * 1000); }

static size_t floor_write(char *p, size_t size, size_t n, void *user) {
    floor_stream *s = user;
    (void)p;
    if (!s->bytes) floor_got++;
    s->bytes += size * n;
    return size * n;
}

static int floor_socket(CURL *e, curl_socket_t fd, int what, void *user, void *sockp) {
    floor_loop *l = user;
    (void)e;
    struct epoll_event ev = {0};
    ev.data.fd = fd;
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
    if (what == CURL_POLL_REMOVE) epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
    else if (epoll_ctl(l->ep, sockp ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) && errno == EEXIST)
        epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev);
    return 0;
}

static int floor_timer(CURLM *m, long ms, void *user) {
    (void)m;
    ((floor_loop *)user)->deadline = ms < 0 ? -1 : now_ms() + ms;
    return 0;
}

static void floor_turn(CURLM *m, floor_loop *l) {
    struct epoll_event evs[64];
    int64_t now = now_ms();
    int wait = l->deadline < 0 ? 1000 : l->deadline <= now ? 0 : (int)(l->deadline - now);
    int n = epoll_wait(l->ep, evs, 64, wait), still;
    for (int i = 0; i < n; i++) {
        int fd = evs[i].data.fd;
        int mask = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                   (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0);
        curl_multi_assign(m, fd, l); /* known to epoll */
        curl_multi_socket_action(m, fd, mask, &still);
    }
    if (n <= 0 && l->deadline >= 0 && now_ms() >= l->deadline) {
        l->deadline = -1;
        curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0, &still);
    }
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left)))
        if (msg->msg == CURLMSG_DONE) l->done++, l->failed += msg->data.result != CURLE_OK;
}

static int curl_floor(const char *server_bin, const char *shape, int n, long events, long size,
                      long interval_us, size_t buffer_size, double *cpu_us_per_event) {
    server srv = start_load(server_bin, shape, events, size, interval_us);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/stream", srv.port);
    floor_loop l = {epoll_create1(0), -1, 0, 0};
    /* The server's chunks are exactly `size` bytes from 65 on (its head and
     * tail take 64, and it writes at least one byte between). */
    uint64_t chunk_bytes = (uint64_t)(size < 65 ? 65 : size);
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, floor_socket);
    curl_multi_setopt(m, CURLMOPT_SOCKETDATA, &l);
    curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, floor_timer);
    curl_multi_setopt(m, CURLMOPT_TIMERDATA, &l);
    floor_stream *st = calloc((size_t)n, sizeof *st);
    CURL **e = calloc((size_t)n, sizeof *e);
    if (!st || !e) return -1;
    floor_got = 0;
    for (int i = 0; i < n; i++) {
        e[i] = curl_easy_init();
        curl_easy_setopt(e[i], CURLOPT_URL, url);
        curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, floor_write);
        curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &st[i]);
        curl_easy_setopt(e[i], CURLOPT_BUFFERSIZE,
                         (long)(buffer_size ? buffer_size : SIMDSSE_CLIENT_DEFAULT_BUFFER_SIZE));
        curl_easy_setopt(e[i], CURLOPT_CONNECTTIMEOUT_MS, 60000L);
        /* As the client sets it: without it libcurl swaps the SIGPIPE
         * handler twice on every socket_action, two system calls a read
         * that no client needs (it sends with MSG_NOSIGNAL). */
        curl_easy_setopt(e[i], CURLOPT_NOSIGNAL, 1L);
        curl_multi_add_handle(m, e[i]);
    }
    l.deadline = 0;
    while (floor_got < (uint64_t)n) floor_turn(m, &l);
    if (write(srv.control, "go\n", 3) != 3) return -1;
    double u, c0 = cpu_s(&u);
    while (l.done < (uint64_t)n) floor_turn(m, &l);
    double cpu = cpu_s(&u) - c0;
    uint64_t bytes = 0, total = (uint64_t)n * (uint64_t)events;
    for (int i = 0; i < n; i++) {
        bytes += st[i].bytes;
        curl_multi_remove_handle(m, e[i]);
        curl_easy_cleanup(e[i]);
    }
    curl_multi_cleanup(m);
    close(l.ep);
    stop_server(&srv);
    free(st);
    free(e);
    *cpu_us_per_event = cpu * 1e6 / (double)total;
    /* Every stream: its ": ready" comment, then all its events. */
    return !l.failed && bytes == (uint64_t)n * (8 + (uint64_t)events * chunk_bytes) ? 0 : -1;
}

/* MARK: - Under the floor: the kernel alone, no HTTP */

/* The same load read straight off the sockets: a hand-written GET, then
 * epoll and recv until a short read, bytes counted and dropped; no HTTP
 * parsing, no libcurl. What loopback TCP and epoll cost this process per
 * event, under any client at all. */
static int raw_floor(const char *server_bin, const char *shape, int n, long events, long size,
                     long interval_us, size_t buffer_size, double *cpu_us_per_event,
                     double *user_share) {
    server srv = start_load(server_bin, shape, events, size, interval_us);
    int ep = epoll_create1(0);
    int *fds = calloc((size_t)n, sizeof *fds);
    uint64_t *got = calloc((size_t)n, sizeof *got);
    size_t cap = buffer_size ? buffer_size : SIMDSSE_CLIENT_DEFAULT_BUFFER_SIZE;
    char *buf = malloc(cap);
    if (ep < 0 || !fds || !got || !buf) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char req[128];
    int req_len = snprintf(req, sizeof req,
                           "GET /stream HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                           "Accept: text/event-stream\r\n\r\n",
                           srv.port);
    for (int i = 0; i < n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&sa, sizeof sa) ||
            write(fds[i], req, (size_t)req_len) != req_len)
            return -1;
    }
    /* Open: each stream's head and ": ready" comment in (they fit a read). */
    for (int i = 0; i < n; i++) {
        char head[1024];
        size_t len = 0;
        while (len < sizeof head - 1) {
            ssize_t k = read(fds[i], head + len, sizeof head - 1 - len);
            if (k <= 0) return -1;
            len += (size_t)k;
            head[len] = '\0';
            if (strstr(head, ": ready\n")) break;
        }
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev)) return -1;
    }
    if (write(srv.control, "go\n", 3) != 3) return -1;
    double u0, c0 = cpu_s(&u0);
    int open = n;
    while (open) {
        struct epoll_event evs[64];
        int k = epoll_wait(ep, evs, 64, 1000);
        for (int j = 0; j < k; j++) {
            uint32_t i = evs[j].data.u32;
            ssize_t r;
            /* Until a short read: a full one may leave more behind. */
            while ((r = recv(fds[i], buf, cap, 0)) == (ssize_t)cap) got[i] += (uint64_t)r;
            if (r > 0) got[i] += (uint64_t)r;
            else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                close(fds[i]); /* also leaves the epoll set */
                open--;
            }
        }
    }
    double u1, cpu = cpu_s(&u1) - c0;
    *user_share = cpu > 0 ? (u1 - u0) / cpu : 0;
    uint64_t bytes = 0, want = (uint64_t)events * (uint64_t)(size < 65 ? 65 : size);
    for (int i = 0; i < n; i++) bytes += got[i];
    close(ep);
    stop_server(&srv);
    free(fds), free(got), free(buf);
    *cpu_us_per_event = cpu * 1e6 / ((double)n * (double)events);
    return bytes == (uint64_t)n * want ? 0 : -1;
}

static int run_shape(const char *server_bin, const char *node_dir, const char *s, int streams,
                     long e, long size, long interval_us, size_t buffer_size) {
    result r;
    if (bench(server_bin, s, streams, e, size, interval_us, buffer_size, &r)) return 1;
    double ours = r.cpu_s * 1e6 / (double)r.events;
    printf("%-5s %8" PRIu64 " events in %6.2f s: %9.0f events/s (one core's worth of client CPU: "
           "%.0f), %6.3f us CPU/event (%.0f%% user), %5.2f events/wakeup\n",
           s, r.events, r.run_s, (double)r.events / r.run_s, 1e6 / ours, ours,
           100 * r.user_s / r.cpu_s, r.events_per_wakeup);
    printf("      open+idle per stream: %zu B libcurl + %zu B client and parser = %zu B "
           "(RSS growth %zu B); libcurl peak while streaming %zu B; opened in %.2f s\n",
           r.curl_per_stream, r.ours_per_stream, r.curl_per_stream + r.ours_per_stream,
           r.rss_per_stream, r.curl_peak_per_stream, r.open_s);
    printf("      libcurl allocations while streaming: %.3f per event\n",
           (double)r.curl_allocs / (double)r.events);
    double floor_us;
    if (curl_floor(server_bin, s, streams, e, size, interval_us, buffer_size, &floor_us)) return 1;
    printf("      libcurl alone (floor, same load, no parsing): %.3f us CPU/event; the client "
           "and parser add %.3f us\n",
           floor_us, ours - floor_us);
    double raw_us, raw_user;
    if (raw_floor(server_bin, s, streams, e, size, interval_us, buffer_size, &raw_us, &raw_user))
        return 1;
    printf("      sockets alone (epoll and recv, no HTTP, no libcurl): %.3f us "
           "CPU/event (%.0f%% user); libcurl adds %.3f us\n",
           raw_us, 100 * raw_user, floor_us - raw_us);
    node_result nr;
    if (node_dir) {
        if (node_bench(server_bin, node_dir, s, streams, e, size, interval_us, &nr)) return 1;
        printf("      npm eventsource (baseline, same load): %" PRIu64 " events in %.2f s, "
               "%.3f us CPU/event (%.1fx simdsse), RSS %ld B per stream (%.1fx)\n",
               nr.events, nr.wall_s, nr.cpu_us_per_event, nr.cpu_us_per_event / ours,
               nr.rss_per_stream,
               (double)nr.rss_per_stream / (double)(r.rss_per_stream ? r.rss_per_stream : 1));
    }
    fflush(stdout);
    return 0;
}

static const char *cpu_name(void) {
    static char name[128] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *v = strchr(line, ':');
            if (v) snprintf(name, sizeof name, "%s", v + 2);
            name[strcspn(name, "\n")] = '\0';
            break;
        }
    if (f) fclose(f);
    return name;
}

int main(int argc, char **argv) {
    int streams = 1000;
    long events = -1, size = 180, interval_us = 50000;
    size_t buffer_size = 0;
    const char *shape = "both", *server_bin = SSE_TEST_SERVER, *node_dir = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--streams") == 0) streams = atoi(v);
        else if (strcmp(k, "--events") == 0) events = atol(v);
        else if (strcmp(k, "--size") == 0) size = atol(v);
        else if (strcmp(k, "--shape") == 0) shape = v;
        else if (strcmp(k, "--interval-us") == 0) interval_us = atol(v);
        else if (strcmp(k, "--buffer-size") == 0) buffer_size = (size_t)atol(v);
        else if (strcmp(k, "--server") == 0) server_bin = v;
        else if (strcmp(k, "--node") == 0) node_dir = v;
        else {
            fprintf(stderr, "bench_client: unknown option %s\n", k);
            return 2;
        }
    }
    if (streams < 1 || (argc % 2) == 0) {
        fprintf(stderr, "usage: bench_client [--streams N] [--events E] [--size B] "
                        "[--shape full|paced|both] [--interval-us U] [--buffer-size B] "
                        "[--server PATH] [--node DIR]\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max; /* two sockets per stream on this machine */
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    curl_global_init_mem(CURL_GLOBAL_DEFAULT, c_malloc, c_free, c_realloc, c_strdup, c_calloc);

    printf("bench_client: %d streams on one thread, %ld-byte events, %s, libcurl %s\n", streams,
           size, cpu_name(), curl_version_info(CURLVERSION_NOW)->version);
    int rc = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass ? "paced" : "full";
        if (strcmp(shape, "both") != 0 && strcmp(shape, s) != 0) continue;
        long e = events > 0 ? events : pass ? 100 : 2000;
        /* Each shape in a process of its own, so that its resident set
         * grows from the same start (freed memory is not handed back). */
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) _exit(run_shape(server_bin, node_dir, s, streams, e, size, interval_us,
                                      buffer_size));
        int st;
        if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) rc = 1;
    }
    curl_global_cleanup();
    return rc;
}
