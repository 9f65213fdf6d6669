/*
 * hub_load.c -- examples/hub.c under load: 1,000 subscribers, forced reconnections.
 * SPDX-License-Identifier: MIT
 *
 *     hub_load LOGFILE SUBSCRIBERS EVENTS [EMULATOR...] HUB
 *
 * Starts the hub on an ephemeral port (its log goes to LOGFILE; EMULATOR,
 * qemu-user in a cross build, runs it), subscribes SUBSCRIBERS (1000 in
 * CI) clients on one epoll loop, each with its own simdsse parser, and
 * publishes EVENTS (1500) events of varied shape (multi-line,
 * UTF-8, typed, 10 to 300 bytes) in rounds through the hub's standard
 * input. Along the way:
 *   - round 4: a tenth of the subscribers drop their connection, wherever
 *     they are in the stream, and reconnect at once with Last-Event-ID;
 *   - round 20: SIGUSR1 makes the hub close every stream; all reconnect;
 *   - one extra subscriber, with a 4 KiB receive buffer, reads nothing
 *     until the ring has passed it: the hub must drop it (memory bounded),
 *     and when it reconnects it must get one `too-old` event naming the
 *     oldest event kept, then every event from that one on;
 *   - after the last event, every subscriber must get a heartbeat.
 * Every event a subscriber receives must be the one after the last it got,
 * with the right type and data: so each sees every event once, in order.
 * Prints the hub's memory per subscriber (its struct, from /stats, and the
 * growth of its resident set per subscriber). Bounded: fails after 150 s.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "net.h"
#include "simdsse.h"

extern char **environ;

enum { ROUNDS = 30, SLEEPER_RCVBUF = 4096 };

static unsigned port;
static pid_t hub_pid = -1;
static int hub_in = -1;       /* the hub's standard input: we publish here */
static uint64_t published;    /* ids 1..published are out */
static unsigned long failures;

#define FAIL(...)                                   \
    do {                                            \
        if (++failures <= 20) {                     \
            fprintf(stderr, "hub_load: FAILED: ");  \
            fprintf(stderr, __VA_ARGS__);           \
            fputc('\n', stderr);                    \
        }                                           \
    } while (0)

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* MARK: - The events: what id N must look like */

static const char *expected_type(uint64_t id) { return id % 7 == 0 ? "tick" : "message"; }

static size_t expected_data(uint64_t id, char *out) {
    size_t n = (size_t)sprintf(out, "event %" PRIu64, id);
    if (id % 5 == 0) n += (size_t)sprintf(out + n, "\nsecond line\n\nafter an empty line");
    if (id % 3 == 0) n += (size_t)sprintf(out + n, " h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80");
    for (uint64_t pad = id * 37 % 290; pad > 0; pad--) out[n++] = (char)('a' + pad % 26);
    return n;
}

/* Publishes the next `count` events, formatted by the writer. */
static void publish(uint64_t count) {
    char buf[65536], data[512];
    size_t len = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t id = published + 1 + i;
        simdsse_event ev = {0};
        const char *type = expected_type(id);
        ev.type = (simdsse_span){type, strlen(type)};
        ev.data = (simdsse_span){data, expected_data(id, data)};
        size_t n;
        if (simdsse_format_event(&ev, 0, buf + len, sizeof buf - len, &n) != SIMDSSE_OK) {
            FAIL("cannot format event %" PRIu64, id);
            return;
        }
        len += n;
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = write(hub_in, buf + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            FAIL("cannot write to the hub: %s", strerror(errno));
            return;
        }
        off += (size_t)n;
    }
    published += count;
}

/* MARK: - Subscribers */

typedef struct sub {
    int fd;
    int in_head;           /* reading the response head */
    char head[512];
    size_t head_len;
    simdsse_parser *parser;
    uint64_t last;         /* the last event id verified */
    int subscribed;        /* this connection has sent its `retry` */
    uint64_t heartbeats;
    unsigned connections;
    int sleeping;          /* the slow one, not reading yet */
    int expect_too_old, got_too_old;
} sub;

static sub *subs;
static size_t nsubs;
static int epfd;

static int on_event(void *user, const simdsse_event *ev) {
    sub *s = user;
    char want[512];
    if (ev->type.len == 7 && memcmp(ev->type.ptr, "too-old", 7) == 0) {
        /* {"last_event_id":"L","oldest":O}: events L+1..O-1 are gone. */
        char json[128];
        unsigned long long l, o;
        snprintf(json, sizeof json, "%.*s", (int)ev->data.len, ev->data.ptr);
        if (!s->expect_too_old || sscanf(json, "{\"last_event_id\":\"%llu\",\"oldest\":%llu}", &l, &o) != 2 ||
            l != s->last || o <= s->last + 1) {
            FAIL("subscriber %zu: unexpected too-old event %s after %" PRIu64, (size_t)(s - subs),
                 json, s->last);
            return 0;
        }
        s->got_too_old = 1;
        s->expect_too_old = 0;
        s->last = o - 1; /* the stream goes on at O */
        return 0;
    }
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%.*s", (int)ev->id.len, ev->id.ptr);
    uint64_t id = strtoull(idbuf, NULL, 10);
    size_t wlen = expected_data(s->last + 1, want);
    const char *wtype = expected_type(s->last + 1);
    if (id != s->last + 1 || ev->data.len != wlen || memcmp(ev->data.ptr, want, wlen) != 0 ||
        ev->type.len != strlen(wtype) || memcmp(ev->type.ptr, wtype, ev->type.len) != 0) {
        FAIL("subscriber %zu: got id \"%s\" after %" PRIu64 " (or wrong type or data)",
             (size_t)(s - subs), idbuf, s->last);
    }
    s->last = id;
    return 0;
}

static int on_comment(void *user, simdsse_span text) {
    (void)text;
    ((sub *)user)->heartbeats++;
    return 0;
}

static int on_retry(void *user, uint64_t ms) {
    (void)ms;
    ((sub *)user)->subscribed = 1;
    return 0;
}

/* Opens a connection and asks for /events after the last id we have. */
static void sub_connect(sub *s, int rcvbuf) {
    s->fd = net_connect(port, rcvbuf);
    if (s->fd < 0) {
        FAIL("subscriber %zu: cannot connect: %s", (size_t)(s - subs), strerror(errno));
        return;
    }
    char req[256];
    int n;
    simdsse_span id = simdsse_parser_last_event_id(s->parser);
    if (id.len)
        n = snprintf(req, sizeof req,
                     "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                     "Last-Event-ID: %.*s\r\n\r\n", (int)id.len, id.ptr);
    else
        n = snprintf(req, sizeof req,
                     "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    if (net_send_all(s->fd, req, (size_t)n) != 0) FAIL("subscriber %zu: cannot send", (size_t)(s - subs));
    fcntl(s->fd, F_SETFL, O_NONBLOCK);
    struct epoll_event e = {EPOLLIN, {.ptr = s}};
    epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &e);
    s->in_head = 1;
    s->head_len = 0;
    s->subscribed = 0;
    s->connections++;
}

/* The connection ended (the hub closed it, or we did): as a browser does,
 * finish the stream (an event cut short is dropped), reset (the last event
 * ID survives) and reconnect. */
static void sub_reconnect(sub *s) {
    close(s->fd);
    simdsse_parser_finish(s->parser);
    simdsse_parser_reset(s->parser);
    sub_connect(s, 0);
}

static void sub_read(sub *s) {
    char buf[16384];
    ssize_t n = recv(s->fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        sub_reconnect(s);
        return;
    }
    size_t off = 0;
    if (s->in_head) { /* the response head, then the stream */
        size_t take = (size_t)n < sizeof s->head - 1 - s->head_len ? (size_t)n : sizeof s->head - 1 - s->head_len;
        memcpy(s->head + s->head_len, buf, take);
        s->head_len += take;
        s->head[s->head_len] = '\0';
        char *end = strstr(s->head, "\r\n\r\n");
        if (!end) return;
        if (strncmp(s->head, "HTTP/1.1 200 ", 13) != 0 || !strstr(s->head, "text/event-stream"))
            FAIL("subscriber %zu: bad response head: %.40s", (size_t)(s - subs), s->head);
        off = take - (s->head_len - (size_t)(end + 4 - s->head));
        s->in_head = 0;
    }
    simdsse_status st = simdsse_parser_feed(s->parser, buf + off, (size_t)n - off, NULL);
    if (st != SIMDSSE_OK) FAIL("subscriber %zu: feed: %s", (size_t)(s - subs), simdsse_strerror(st));
}

/* Runs the loop until cond() holds; fails after `seconds`. */
static void run_until(int (*cond)(void), double seconds, const char *what) {
    double deadline = now_s() + seconds;
    while (!cond()) {
        if (now_s() > deadline) {
            FAIL("timed out waiting for %s", what);
            return;
        }
        struct epoll_event ev[256];
        int n = epoll_wait(epfd, ev, 256, 100);
        for (int i = 0; i < n; i++) {
            sub *s = ev[i].data.ptr;
            if (!s->sleeping) sub_read(s);
        }
    }
}

static int all_subscribed(void) {
    for (size_t i = 0; i < nsubs; i++)
        if (!subs[i].subscribed) return 0;
    return 1;
}
static int all_caught_up(void) {
    for (size_t i = 0; i < nsubs; i++)
        if (!subs[i].sleeping && subs[i].last != published) return 0;
    return 1;
}
static uint64_t *heartbeats_before;
static int all_heartbeat(void) {
    for (size_t i = 0; i < nsubs; i++)
        if (subs[i].heartbeats <= heartbeats_before[i]) return 0;
    return 1;
}

/* MARK: - The hub */

static unsigned long hub_stat(const char *name) {
    int fd = net_connect(port, 0);
    char buf[1024], key[64];
    size_t len = 0;
    if (fd < 0) return 0;
    net_timeout(fd, 10);
    net_send_all(fd, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n", 33);
    ssize_t n;
    while (len < sizeof buf - 1 && (n = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0) len += (size_t)n;
    close(fd);
    buf[len] = '\0';
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *p = strstr(buf, key);
    return p ? strtoul(p + strlen(key), NULL, 10) : 0;
}

static long hub_rss_kib(void) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)hub_pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    fclose(f);
    return kib;
}

/* Runs cmd[0..ncmd) (the emulator, if any, then the hub) with the test's
 * options, its standard input a pipe we publish into, its log in `log`.
 * posix_spawn, not fork: a fork in a qemu-i386 guest was seen to hang. */
static int start_hub(char **cmd, int ncmd, const char *log) {
    int in[2], out[2];
    if (ncmd > 50 || pipe(in) != 0 || pipe(out) != 0) return -1;
    /* Ring: 256 events, 64 KiB; subscribers' send buffers 16 KiB. */
    static char *opts[] = {"--ring", "256", "--ring-bytes", "65536", "--retry", "50",
                           "--heartbeat", "300", "--sndbuf", "16384", NULL};
    char *args[64];
    int nargs = 0;
    for (int i = 0; i < ncmd; i++) args[nargs++] = cmd[i];
    for (int i = 0; opts[i]; i++) args[nargs++] = opts[i];
    args[nargs] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    int rc = posix_spawnp(&hub_pid, args[0], &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    hub_in = in[1];
    if (rc != 0) {
        hub_pid = -1;
        close(out[0]);
        return -1;
    }
    char line[32] = "";
    ssize_t n = read(out[0], line, sizeof line - 1);
    close(out[0]);
    if (n <= 0) return -1;
    line[n] = '\0';
    port = (unsigned)atoi(line);
    return port ? 0 : -1;
}

static void stop_hub(void) {
    if (hub_pid <= 0) return;
    int status;
    kill(hub_pid, SIGTERM);
    if (waitpid(hub_pid, &status, 0) == hub_pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        FAIL("the hub did not exit cleanly (status %d)", status);
    hub_pid = -1;
}

static void on_alarm(int sig) {
    (void)sig;
    if (hub_pid > 0) kill(hub_pid, SIGKILL);
    static const char msg[] = "hub_load: FAILED: out of time (150 s)\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(1);
    _exit(1);
}

/* MARK: - Main */

int main(int argc, char **argv) {
    if (argc < 5 || atoi(argv[2]) < 10 || atoi(argv[3]) < ROUNDS) {
        fputs("usage: hub_load LOGFILE SUBSCRIBERS EVENTS [EMULATOR...] HUB\n"
              "       (at least 10 subscribers and 30 events)\n", stderr);
        return 2;
    }
    size_t nregular = (size_t)atoi(argv[2]);
    uint64_t events = (uint64_t)atoi(argv[3]);
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(150);
    double t0 = now_s();

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < nregular + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < nregular + 64) {
            fprintf(stderr, "hub_load: needs %zu file descriptors, the limit is %llu\n",
                    nregular + 64, (unsigned long long)rl.rlim_cur);
            return 1;
        }
    }
    if (start_hub(argv + 4, argc - 4, argv[1]) != 0) {
        fprintf(stderr, "hub_load: cannot start %s\n", argv[argc - 1]);
        stop_hub();
        return 1;
    }
    long rss_before = hub_rss_kib();

    nsubs = nregular + 1; /* the last one is the sleeper */
    subs = calloc(nsubs, sizeof *subs);
    heartbeats_before = calloc(nsubs, sizeof *heartbeats_before);
    epfd = epoll_create1(0);
    for (size_t i = 0; i < nsubs; i++) {
        simdsse_parser_options o;
        simdsse_parser_options_init(&o);
        o.on_event = on_event;
        o.on_comment = on_comment;
        o.on_retry = on_retry;
        o.user = &subs[i];
        subs[i].parser = simdsse_parser_create(&o, NULL);
        sub_connect(&subs[i], i == nregular ? SLEEPER_RCVBUF : 0);
    }
    sub *sleeper = &subs[nregular];
    run_until(all_subscribed, 30, "every subscriber's first bytes");
    sleeper->sleeping = 1; /* and out of the loop, or its readable socket would spin it */
    epoll_ctl(epfd, EPOLL_CTL_DEL, sleeper->fd, NULL);
    unsigned long subscribers = hub_stat("subscribers");
    unsigned long per_sub = hub_stat("bytes_per_subscriber");
    long rss_after = hub_rss_kib();
    if (subscribers != nsubs) FAIL("the hub counts %lu subscribers, not %zu", subscribers, nsubs);

    srand(14);
    unsigned client_drops = 0;
    for (int round = 0; round < ROUNDS && !failures; round++) {
        publish(events * (uint64_t)(round + 1) / ROUNDS - published);
        if (round == 4) { /* client side: a tenth drop wherever they are */
            for (size_t i = 0; i < nregular; i++)
                if (rand() % 10 == 0) {
                    sub_reconnect(&subs[i]);
                    client_drops++;
                }
        }
        /* Server side: everyone. Late enough that the slow subscriber has
         * been dropped for being slow, not closed with the others. */
        if (round == 20) kill(hub_pid, SIGUSR1);
        run_until(all_caught_up, 30, "every subscriber to catch up");
    }
    unsigned long dropped = hub_stat("dropped_slow");
    unsigned long oldest = hub_stat("oldest");

    /* The sleeper wakes up: what its socket holds, then the hub's close,
     * then a reconnection that must start with `too-old`. */
    if (dropped < 1) FAIL("the slow subscriber was not dropped (dropped_slow %lu)", dropped);
    if (oldest <= 1) FAIL("the ring kept every event (oldest %lu): no too-old to test", oldest);
    sleeper->sleeping = 0;
    sleeper->expect_too_old = 1;
    struct epoll_event wake = {EPOLLIN, {.ptr = sleeper}};
    epoll_ctl(epfd, EPOLL_CTL_ADD, sleeper->fd, &wake);
    run_until(all_caught_up, 30, "the slow subscriber to resume");
    if (!sleeper->got_too_old) FAIL("the slow subscriber got no too-old event");

    /* Silence: every subscriber must hear a heartbeat. */
    for (size_t i = 0; i < nsubs; i++) heartbeats_before[i] = subs[i].heartbeats;
    run_until(all_heartbeat, 10, "a heartbeat on every subscription");

    unsigned reconnections = 0;
    for (size_t i = 0; i < nregular; i++) {
        reconnections += subs[i].connections - 1;
        if (subs[i].last != events)
            FAIL("subscriber %zu ends at event %" PRIu64 " of %" PRIu64, i, subs[i].last, events);
    }
    if (reconnections < nregular + client_drops)
        FAIL("%u reconnections, expected at least %zu", reconnections, nregular + client_drops);

    stop_hub();
    for (size_t i = 0; i < nsubs; i++) {
        if (subs[i].fd >= 0) close(subs[i].fd);
        simdsse_parser_destroy(subs[i].parser);
    }
    free(subs);
    free(heartbeats_before);
    close(epfd);
    close(hub_in);

    printf("%zu subscribers (+1 slow), %" PRIu64 " events each, in order, once: %s\n", nregular,
           events, failures ? "NO" : "yes");
    printf("reconnections: %u (%u dropped by the clients, %zu by SIGUSR1), the slow one "
           "dropped by the hub %lu time(s) and resumed after too-old (oldest %lu)\n",
           reconnections, client_drops, nregular, dropped, oldest);
    printf("hub memory per subscriber: %lu bytes (its struct, /stats); resident set +%ld KiB "
           "for %zu subscribers, %ld bytes each\n",
           per_sub, rss_after - rss_before, nsubs, (rss_after - rss_before) * 1024 / (long)nsubs);
    printf("%.1f s; %lu failure(s)\n", now_s() - t0, failures);
    return failures ? 1 : 0;
}
