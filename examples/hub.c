/*
 * hub.c -- a fan-out server: one publisher, many subscribers, replay on reconnect.
 * SPDX-License-Identifier: MIT
 *
 *     publisher | hub [--port P] [--ring N] [--ring-bytes B] [--retry MS]
 *                     [--heartbeat MS] [--sndbuf B] [--max-subscribers N]
 *
 * The publisher writes a text/event-stream to the hub's standard input; the
 * hub parses it (simdsse parser), numbers the events 1, 2, 3, ... (their
 * `id`; the publisher's own ids are ignored, types and data are kept),
 * writes each once (simdsse writer) into a ring of recent events, and sends
 * the ring to every subscriber of http://127.0.0.1:P/events. One thread and
 * epoll serve them all. GET / is a page whose EventSource shows the events
 * (a browser's view of the stream); GET /stats the hub's figures, as JSON.
 *
 * Replay. A subscriber that reconnects sends the id of the last event it
 * got (Last-Event-ID, which EventSource sends by itself) and receives
 * exactly the events after it. If some of those fell off the ring it first
 * gets one `too-old` event, data {"last_event_id":"L","oldest":O}: events
 * L+1 to O-1 are lost, the stream goes on at O. A new subscriber starts
 * with the next event.
 *
 * Memory is bounded. Every event is formatted once, into the ring (N events,
 * B bytes at most, the oldest dropped first); a subscriber is only a
 * position in it plus a fixed struct (see /stats), so a slow reader costs
 * nothing while it catches up. One that falls so far behind that its next
 * event leaves the ring is disconnected; it may reconnect and resume.
 *
 * Heartbeats. Every --heartbeat MS (15000 by default) each subscriber that
 * got nothing since the last tick gets a comment line, `:`, which keeps
 * proxies from closing the idle connection and shows a dead client as a
 * failed send.
 *
 * Signals: SIGUSR1 closes every subscriber's stream (as a restart would:
 * browsers reconnect and resume), SIGINT and SIGTERM stop the hub. The
 * first line on standard output is the port (--port 0, the default, picks a
 * free one); a log goes to standard error. Linux only (epoll, signalfd).
 */
#define _GNU_SOURCE /* accept4 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "simdsse.h"

/* MARK: - The ring of recent events */

/* Events are stored back to back in a circular byte buffer, already
 * formatted; positions are absolute byte counts since the hub started, so
 * "has this been overwritten?" is one comparison. */
typedef struct ring {
    char *bytes;
    size_t cap;           /* bytes */
    uint64_t *starts;     /* where event id starts: starts[id % nslots] */
    size_t nslots;        /* events */
    uint64_t first, next; /* events held: ids [first, next) */
    uint64_t tail, head;  /* bytes held: [tail, head) */
} ring;

static int ring_init(ring *r, size_t nslots, size_t cap) {
    r->bytes = malloc(cap);
    r->starts = calloc(nslots, sizeof *r->starts);
    r->cap = cap;
    r->nslots = nslots;
    r->first = r->next = 1;
    r->tail = r->head = 0;
    return r->bytes && r->starts ? 0 : -1;
}

static void ring_free(ring *r) {
    free(r->bytes);
    free(r->starts);
}

/* Appends event `next` (len <= cap bytes), dropping the oldest as needed. */
static void ring_append(ring *r, const char *p, size_t len) {
    while (r->next - r->first == r->nslots || r->head + len - r->tail > r->cap) {
        r->first++;
        r->tail = r->first == r->next ? r->head : r->starts[r->first % r->nslots];
    }
    size_t at = (size_t)(r->head % r->cap), room = r->cap - at;
    memcpy(r->bytes + at, p, len < room ? len : room);
    if (len > room) memcpy(r->bytes, p + room, len - room);
    r->starts[r->next % r->nslots] = r->head;
    r->head += len;
    r->next++;
}

/* The bytes from `pos` to the head, as at most two pieces. */
static int ring_pieces(const ring *r, uint64_t pos, struct iovec iov[2]) {
    size_t at = (size_t)(pos % r->cap), len = (size_t)(r->head - pos);
    size_t room = r->cap - at;
    iov[0] = (struct iovec){r->bytes + at, len < room ? len : room};
    iov[1] = (struct iovec){r->bytes, len > room ? len - room : 0};
    return len > room ? 2 : 1;
}

/* MARK: - Connections */

enum { REQUEST_MAX = 2048 };

typedef enum state {
    READING,   /* waiting for the request head */
    REPLYING,  /* sending a whole reply (page, stats, error), then closing */
    STREAMING, /* a subscriber */
    CLOSING    /* we said all we will say; waiting for the client to close */
} state;

typedef struct conn {
    int fd;
    state state;
    int blocked;          /* the socket was full: waiting for EPOLLOUT */
    int idle;             /* nothing sent since the last heartbeat tick */
    unsigned ticks;       /* heartbeat ticks spent in READING or CLOSING */
    struct conn *prev, *next;
    uint64_t pos;         /* STREAMING: the next ring byte to send */
    const char *out;      /* bytes to send before any ring bytes */
    size_t out_len;
    size_t len;           /* READING: bytes of the request in buf */
    char buf[REQUEST_MAX]; /* the request head; then our response head */
} conn;

typedef struct hub {
    int epfd, lfd, sigfd;
    int accepting;
    ring ring;
    simdsse_parser *parser; /* reads the publisher's stream */
    simdsse_writer *writer; /* formats each event once, for the ring */
    conn *conns;            /* every connection */
    conn *dead;             /* closed, freed once the current epoll batch is done */
    size_t nconns, subscribers, max_subscribers;
    uint64_t retry_ms, heartbeat_ms, dropped_slow;
    uint64_t batch_events, batch_bytes; /* published since the last fan-out */
    int sndbuf;
} hub;

/* epoll tags for the hub's own descriptors (connections use their conn). */
static char tag_listen, tag_stdin, tag_signal;

static const char heartbeat[] = ":\n";
static char page_reply[4096];
static size_t page_reply_len;

static void watch(hub *h, conn *c, int write_too) {
    struct epoll_event e = {EPOLLIN | (write_too ? EPOLLOUT : 0), {.ptr = c}};
    epoll_ctl(h->epfd, EPOLL_CTL_MOD, c->fd, &e);
}

/* Closes the connection. Its struct is freed later (free_dead): an event
 * for it may still wait in the batch epoll_wait returned. */
static void conn_close(hub *h, conn *c) {
    if (c->state == STREAMING) h->subscribers--;
    close(c->fd); /* also removes it from the epoll set */
    c->fd = -1;
    if (c->prev) c->prev->next = c->next;
    else h->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->next = h->dead;
    h->dead = c;
    h->nconns--;
    if (!h->accepting) { /* a descriptor is free again */
        struct epoll_event e = {EPOLLIN, {.ptr = &tag_listen}};
        epoll_ctl(h->epfd, EPOLL_CTL_MOD, h->lfd, &e);
        h->accepting = 1;
    }
}

static void free_dead(hub *h) {
    while (h->dead) {
        conn *c = h->dead;
        h->dead = c->next;
        free(c);
    }
}

/* Says "no more" and waits for the client to close, so that a reset cannot
 * destroy bytes it has not read yet. */
static void conn_finish(hub *h, conn *c) {
    if (c->state == STREAMING) h->subscribers--;
    shutdown(c->fd, SHUT_WR);
    c->state = CLOSING;
    c->ticks = 0;
    c->out_len = 0;
    if (c->blocked) watch(h, c, 0);
    c->blocked = 0;
}

/* Sends what the connection has waiting: its own bytes, then the ring's.
 * Returns -1 if the connection was closed. */
static int pump(hub *h, conn *c) {
    for (;;) {
        ssize_t n;
        if (c->out_len) {
            n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
            if (n > 0) {
                c->out += n;
                c->out_len -= (size_t)n;
            }
        } else if (c->state == STREAMING && c->pos < h->ring.head) {
            if (c->pos < h->ring.tail) { /* its next event has left the ring */
                fprintf(stderr, "hub: subscriber %d too slow, dropped\n", c->fd);
                h->dropped_slow++;
                conn_close(h, c);
                return -1;
            }
            struct iovec iov[2];
            struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)ring_pieces(&h->ring, c->pos, iov)};
            n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
            if (n > 0) c->pos += (uint64_t)n;
        } else {
            break; /* all sent */
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->blocked) watch(h, c, 1);
            c->blocked = 1;
            return 0;
        }
        if (n <= 0) { /* the client went away */
            conn_close(h, c);
            return -1;
        }
        c->idle = 0;
    }
    if (c->blocked) watch(h, c, 0);
    c->blocked = 0;
    if (c->state == REPLYING) conn_finish(h, c);
    return 0;
}

/* MARK: - Requests */

/* Where a subscriber starts, from its Last-Event-ID. Writes a `too-old`
 * event into *w when events it missed are gone. */
static uint64_t resume_at(hub *h, conn *c, const char *last_id, simdsse_writer *w) {
    const ring *r = &h->ring;
    if (!last_id || !*last_id) return r->head; /* new: from the next event */
    /* Ours are written in decimal without leading zeros, below r->next. */
    char *end;
    errno = 0;
    unsigned long long id = strtoull(last_id, &end, 10);
    int ours = last_id[0] >= '0' && last_id[0] <= '9' && (last_id[0] != '0' || !last_id[1]) &&
               !*end && !errno && id < r->next;
    if (ours && id + 1 >= r->first) {
        fprintf(stderr, "hub: subscriber %d resumes after %llu: %" PRIu64 " event(s) to replay\n",
                c->fd, id, (uint64_t)(r->next - 1 - id));
        return id + 1 == r->next ? r->head : r->starts[(id + 1) % r->nslots];
    }
    /* Gone (or an id we never issued): say so, and replay what the ring has. */
    char quoted[400], data[460]; /* last_id is under 64 bytes: at most 6 per byte in JSON */
    size_t qlen;
    simdsse_format_json_string(last_id, strlen(last_id), quoted, sizeof quoted, &qlen);
    simdsse_event ev = {0};
    ev.type = (simdsse_span){"too-old", 7};
    ev.data = (simdsse_span){data, (size_t)snprintf(data, sizeof data,
                                                    "{\"last_event_id\":%.*s,\"oldest\":%" PRIu64 "}",
                                                    (int)qlen, quoted, r->first)};
    simdsse_writer_event(w, &ev, 0);
    fprintf(stderr, "hub: subscriber %d: Last-Event-ID %s is too old, resuming at %" PRIu64 "\n",
            c->fd, last_id, r->first);
    return r->tail;
}

/* Sets c->out to a whole reply in c->buf. */
static void reply(conn *c, const char *status, const char *type, const char *body) {
    int n = snprintf(c->buf, sizeof c->buf,
                     "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Cache-Control: no-cache\r\nConnection: close\r\n\r\n%s",
                     status, type, strlen(body), body);
    c->out = c->buf;
    c->out_len = n < (int)sizeof c->buf ? (size_t)n : sizeof c->buf - 1;
    c->state = REPLYING;
}

static void start_stream(hub *h, conn *c, const char *last_id) {
    /* The response head, the reconnection time (a `retry` line: it sets it
     * and dispatches nothing), and a `too-old` event if one is due, all in
     * c->buf: the writer below only borrows its own buffer. */
    int n = snprintf(c->buf, sizeof c->buf,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n"
                     "Connection: close\r\n\r\n");
    simdsse_writer_clear(h->writer);
    simdsse_writer_retry(h->writer, h->retry_ms);
    c->pos = resume_at(h, c, last_id, h->writer);
    simdsse_span out = simdsse_writer_output(h->writer);
    if (out.len > sizeof c->buf - (size_t)n) out.len = 0; /* cannot happen: both are short */
    memcpy(c->buf + n, out.ptr, out.len);
    simdsse_writer_clear(h->writer);
    c->out = c->buf;
    c->out_len = (size_t)n + out.len;
    c->state = STREAMING;
    c->idle = 0;
    h->subscribers++;
    if (h->sndbuf) setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &h->sndbuf, sizeof h->sndbuf);
}

/* Finds header `name` in the head; copies its value, trimmed, to out. */
static int header(const char *head, const char *name, char *out, size_t cap) {
    size_t nlen = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, name, nlen) != 0 || line[nlen] != ':') continue;
        const char *v = line + nlen + 1, *end = strstr(v, "\r\n");
        while (v < end && (*v == ' ' || *v == '\t')) v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
        size_t len = (size_t)(end - v) < cap - 1 ? (size_t)(end - v) : cap - 1;
        memcpy(out, v, len);
        out[len] = '\0';
        return 1;
    }
    return 0;
}

static void on_request(hub *h, conn *c) {
    char method[8] = "", path[256] = "", last_id[64];
    sscanf(c->buf, "%7s %255s", method, path);
    char *query = strchr(path, '?');
    if (query) *query = '\0';
    int has_id = header(c->buf, "Last-Event-ID", last_id, sizeof last_id);
    if (strcmp(method, "GET") != 0) {
        reply(c, "405 Method Not Allowed", "text/plain", "GET only\n");
    } else if (strcmp(path, "/") == 0) {
        c->out = page_reply;
        c->out_len = page_reply_len;
        c->state = REPLYING;
    } else if (strcmp(path, "/events") == 0) {
        if (h->subscribers >= h->max_subscribers)
            reply(c, "503 Service Unavailable", "text/plain", "too many subscribers\n");
        else
            start_stream(h, c, has_id ? last_id : NULL);
    } else if (strcmp(path, "/stats") == 0) {
        char body[512];
        snprintf(body, sizeof body,
                 "{\"subscribers\":%zu,\"connections\":%zu,\"published\":%" PRIu64
                 ",\"oldest\":%" PRIu64 ",\"ring_events\":%" PRIu64 ",\"ring_bytes\":%" PRIu64
                 ",\"ring_capacity\":%zu,\"dropped_slow\":%" PRIu64
                 ",\"bytes_per_subscriber\":%zu}\n",
                 h->subscribers, h->nconns, h->ring.next - 1, h->ring.first,
                 h->ring.next - h->ring.first, h->ring.head - h->ring.tail, h->ring.cap,
                 h->dropped_slow, sizeof(conn));
        reply(c, "200 OK", "application/json", body);
    } else {
        reply(c, "404 Not Found", "text/plain", "not found\n");
    }
    pump(h, c);
}

/* The socket is readable. */
static void on_readable(hub *h, conn *c) {
    char sink[512];
    char *dst = c->state == READING ? c->buf + c->len : sink;
    size_t room = c->state == READING ? sizeof c->buf - 1 - c->len : sizeof sink;
    ssize_t n = recv(c->fd, dst, room, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) { /* closed (or reset) by the client */
        conn_close(h, c);
        return;
    }
    if (c->state != READING) return; /* subscribers have nothing to say */
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    if (strstr(c->buf, "\r\n\r\n")) {
        on_request(h, c);
    } else if (c->len == sizeof c->buf - 1) {
        reply(c, "431 Request Header Fields Too Large", "text/plain", "request head too large\n");
        pump(h, c);
    }
}

static void on_accept(hub *h) {
    for (;;) {
        int fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) { /* stop accepting until a close */
                fprintf(stderr, "hub: out of file descriptors, pausing accept\n");
                struct epoll_event e = {0, {.ptr = &tag_listen}};
                epoll_ctl(h->epfd, EPOLL_CTL_MOD, h->lfd, &e);
                h->accepting = 0;
            }
            return; /* EAGAIN: no more for now; other errors: the client's */
        }
        conn *c = calloc(1, sizeof *c);
        struct epoll_event e = {EPOLLIN, {.ptr = c}};
        if (!c || epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &e) != 0) {
            free(c);
            close(fd);
            continue;
        }
        c->fd = fd;
        c->state = READING;
        c->next = h->conns;
        if (h->conns) h->conns->prev = c;
        h->conns = c;
        h->nconns++;
    }
}

/* MARK: - Publishing */

/* Sends the new events to every subscriber that can take them now; the
 * others get them when their socket drains (EPOLLOUT), unless they have
 * fallen off the ring, which pump() finds out. */
static void fan_out(hub *h) {
    for (conn *c = h->conns, *next; c; c = next) {
        next = c->next;
        if (c->state == STREAMING && (!c->blocked || c->pos < h->ring.tail)) pump(h, c);
    }
    h->batch_events = h->batch_bytes = 0;
}

/* The parser's on_event: one event from the publisher. */
static int on_publish(void *user, const simdsse_event *in) {
    hub *h = user;
    char id[24];
    simdsse_event ev = {0};
    if (in->type.len != 7 || memcmp(in->type.ptr, "message", 7) != 0)
        ev.type = in->type; /* "message" is what no type reads back as */
    ev.data = in->data;
    ev.id = (simdsse_span){id, (size_t)snprintf(id, sizeof id, "%" PRIu64, h->ring.next)};
    if (simdsse_writer_event(h->writer, &ev, 0) != SIMDSSE_OK) {
        fprintf(stderr, "hub: out of memory, event not published\n");
        return 0;
    }
    simdsse_span out = simdsse_writer_output(h->writer);
    if (out.len > h->ring.cap)
        fprintf(stderr, "hub: an event of %zu bytes does not fit the ring, not published\n", out.len);
    else
        ring_append(&h->ring, out.ptr, out.len);
    h->batch_events++;
    h->batch_bytes += out.len;
    simdsse_writer_clear(h->writer);
    /* Pause the parser (non-zero) before one batch could push events that
     * caught-up subscribers have not been sent yet off the ring. */
    return h->batch_events >= (h->ring.nslots + 1) / 2 || h->batch_bytes >= h->ring.cap / 2;
}

/* Parses a piece of the publisher's stream, publishing and sending. */
static void publish(hub *h, const char *buf, size_t len) {
    for (size_t off = 0; off < len;) {
        size_t used = 0;
        simdsse_status st = simdsse_parser_feed(h->parser, buf + off, len - off, &used);
        off += used;
        fan_out(h);
        if (st == SIMDSSE_PAUSED && used > 0) continue; /* on_publish asked: feed the rest */
        if (st == SIMDSSE_ERR_NO_MEMORY) simdsse_parser_reset(h->parser);
        if (st < 0) fprintf(stderr, "hub: publisher: %s\n", simdsse_strerror(st));
        break;
    }
}

/* The publisher wrote. */
static void on_stdin(hub *h) {
    static char buf[65536];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        fprintf(stderr, "hub: the publisher closed its stream; still serving\n");
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
        simdsse_parser_finish(h->parser);
        return;
    }
    publish(h, buf, (size_t)n);
}

/* MARK: - Timers and signals */

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Every --heartbeat MS: a comment for idle subscribers; connections that
 * have sat in READING or CLOSING for two ticks are closed. */
static void on_tick(hub *h) {
    for (conn *c = h->conns, *next; c; c = next) {
        next = c->next;
        if (c->state == STREAMING) {
            if (c->idle && !c->out_len && c->pos == h->ring.head) {
                c->out = heartbeat;
                c->out_len = sizeof heartbeat - 1;
                if (pump(h, c) != 0) continue;
            }
            c->idle = 1;
        } else if ((c->state == READING || c->state == CLOSING) && ++c->ticks > 2) {
            conn_close(h, c);
        }
    }
}

/* Returns 1 when the hub must stop. */
static int on_signal(hub *h) {
    struct signalfd_siginfo si;
    if (read(h->sigfd, &si, sizeof si) != (ssize_t)sizeof si) return 0;
    if (si.ssi_signo != SIGUSR1) return 1;
    fprintf(stderr, "hub: SIGUSR1: closing %zu subscriber stream(s)\n", h->subscribers);
    for (conn *c = h->conns; c; c = c->next)
        if (c->state == STREAMING) conn_finish(h, c);
    return 0;
}

/* MARK: - Main */

static int parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (s[0] < '0' || s[0] > '9') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

static const char page[] =
    "<!doctype html>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>simdsse hub</title>\n"
    "<style>body{font:15px system-ui,sans-serif;margin:2em} li{white-space:pre-wrap}</style>\n"
    "<h1>simdsse hub</h1>\n"
    "<p id=\"status\">connecting...</p>\n"
    "<ol id=\"log\"></ol>\n"
    "<script>\n"
    "// Every event as EventSource delivers it; the browser test reads these.\n"
    "const received = [];\n"
    "let opens = 0;\n"
    "const status = document.getElementById('status');\n"
    "const log = document.getElementById('log');\n"
    "const source = new EventSource('/events');\n"
    "source.onopen = () => { opens++; status.textContent = 'connected'; };\n"
    "source.onerror = () => { status.textContent = 'reconnecting...'; };\n"
    "function show(e) {\n"
    "  received.push({type: e.type, data: e.data, id: e.lastEventId});\n"
    "  const li = document.createElement('li');\n"
    "  // textContent: the data is shown as text. Never put it in innerHTML:\n"
    "  // the stream carries whatever the publisher sent.\n"
    "  li.textContent = e.type + ' #' + e.lastEventId + ': ' + e.data;\n"
    "  log.append(li);\n"
    "}\n"
    "// EventSource hands an event only to listeners of its type.\n"
    "source.addEventListener('message', show);\n"
    "source.addEventListener('too-old', show);\n"
    "</script>\n";

int main(int argc, char **argv) {
    uint64_t port = 0, nslots = 1024, ring_bytes = 1 << 20, retry = 1000, hb = 15000, sndbuf = 0;
    uint64_t max_subs = 10000;
    for (int i = 1; i < argc; i += 2) {
        uint64_t *opt = !strcmp(argv[i], "--port")              ? &port
                        : !strcmp(argv[i], "--ring")            ? &nslots
                        : !strcmp(argv[i], "--ring-bytes")      ? &ring_bytes
                        : !strcmp(argv[i], "--retry")           ? &retry
                        : !strcmp(argv[i], "--heartbeat")       ? &hb
                        : !strcmp(argv[i], "--sndbuf")          ? &sndbuf
                        : !strcmp(argv[i], "--max-subscribers") ? &max_subs
                                                                : NULL;
        if (!opt || i + 1 == argc || parse_u64(argv[i + 1], opt) != 0 || port > 65535 ||
            nslots < 1 || nslots > (1u << 24) || ring_bytes < 256 || ring_bytes > (1u << 30) ||
            hb < 1 || hb > 3600000 || sndbuf > (1u << 30)) {
            fputs("usage: publisher | hub [--port P] [--ring N] [--ring-bytes B] [--retry MS]\n"
                  "                       [--heartbeat MS] [--sndbuf B] [--max-subscribers N]\n",
                  stderr);
            return 2;
        }
    }

    hub h = {0};
    h.retry_ms = retry;
    h.heartbeat_ms = hb;
    h.sndbuf = (int)sndbuf;
    h.max_subscribers = (size_t)max_subs;
    h.accepting = 1;
    page_reply_len = (size_t)snprintf(page_reply, sizeof page_reply,
                                      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                      "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                      sizeof page - 1, page);

    /* Each subscriber is a descriptor: allow as many as the system lets us. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    /* Signals arrive as reads on a descriptor, in the loop like the rest. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    sigprocmask(SIG_BLOCK, &sigs, NULL);

    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    po.on_event = on_publish;
    po.user = &h;
    po.max_data_length = (size_t)ring_bytes; /* a longer event could not be kept */
    simdsse_status st;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    int one = 1;
    h.epfd = epoll_create1(EPOLL_CLOEXEC);
    h.sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    h.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    h.parser = simdsse_parser_create(&po, &st);
    h.writer = simdsse_writer_create(NULL, &st);
    struct epoll_event el = {EPOLLIN, {.ptr = &tag_listen}}, es = {EPOLLIN, {.ptr = &tag_signal}};
    struct epoll_event ei = {EPOLLIN, {.ptr = &tag_stdin}};
    if (!h.parser || !h.writer || ring_init(&h.ring, (size_t)nslots, (size_t)ring_bytes) != 0) {
        fprintf(stderr, "hub: %s\n", h.parser && h.writer ? "out of memory" : simdsse_strerror(st));
        return 1;
    }
    if (h.epfd < 0 || h.sigfd < 0 || h.lfd < 0 ||
        setsockopt(h.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(h.lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(h.lfd, SOMAXCONN) != 0 ||
        getsockname(h.lfd, (struct sockaddr *)&addr, &alen) != 0 ||
        epoll_ctl(h.epfd, EPOLL_CTL_ADD, h.lfd, &el) != 0 ||
        epoll_ctl(h.epfd, EPOLL_CTL_ADD, h.sigfd, &es) != 0) {
        perror("hub");
        return 1;
    }
    /* The publisher: a pipe, FIFO or terminal is watched like a socket; a
     * regular file (which epoll refuses) is published whole right now. */
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    if (epoll_ctl(h.epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ei) != 0) {
        char buf[65536];
        ssize_t n;
        while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) publish(&h, buf, (size_t)n);
        simdsse_parser_finish(h.parser);
    }
    printf("%u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    fprintf(stderr, "hub: serving http://127.0.0.1:%u/ (stream at /events)\n",
            (unsigned)ntohs(addr.sin_port));

    uint64_t next_tick = now_ms() + hb;
    for (int stop = 0; !stop;) {
        struct epoll_event ev[64];
        uint64_t now = now_ms();
        int n = epoll_wait(h.epfd, ev, 64, now >= next_tick ? 0 : (int)(next_tick - now));
        if (n < 0 && errno != EINTR) {
            perror("hub: epoll_wait");
            break;
        }
        for (int i = 0; i < n; i++) {
            void *p = ev[i].data.ptr;
            if (p == &tag_listen) {
                on_accept(&h);
            } else if (p == &tag_stdin) {
                on_stdin(&h);
            } else if (p == &tag_signal) {
                stop = on_signal(&h);
            } else {
                /* A connection closed here may still have an entry later in
                 * ev[]: closes wait until the batch is done (see below). */
                conn *c = p;
                if (c->fd >= 0 && (ev[i].events & EPOLLOUT)) pump(&h, c);
                if (c->fd >= 0 && (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                    on_readable(&h, c);
            }
        }
        if (now_ms() >= next_tick) {
            on_tick(&h);
            next_tick = now_ms() + hb;
        }
        free_dead(&h);
    }

    fprintf(stderr, "hub: stopping (%zu connection(s) closed)\n", h.nconns);
    while (h.conns) conn_close(&h, h.conns);
    free_dead(&h);
    simdsse_parser_destroy(h.parser);
    simdsse_writer_destroy(h.writer);
    ring_free(&h.ring);
    close(h.lfd);
    close(h.sigfd);
    close(h.epfd);
    return 0;
}
