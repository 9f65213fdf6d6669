/*
 * sse_test_server.c -- a scripted HTTP/1.1 server for the client's tests
 * and benchmark: 127.0.0.1, an ephemeral port, every request recorded.
 * SPDX-License-Identifier: MIT
 *
 *     sse_test_server --script FILE [--record FILE] [--timeout S]
 *
 * Prints the port it listens on, then serves until --timeout seconds (30)
 * have passed or its standard input ends (so a test that dies takes its
 * server with it). One thread, epoll, any number of connections, each
 * running its request's section of the script:
 *
 *     # the first request gets this; "[*]" is every request without one
 *     [1]
 *     status 200                      status line (reason from a table)
 *     header Content-Type: text/event-stream
 *     chunked                         Transfer-Encoding: chunked from here on
 *     trailer NAME: VALUE             a trailer field after the last chunk
 *     gzip                            Content-Encoding: gzip (stored deflate
 *                                     blocks, one per write, so each arrives)
 *     send id: 1\ndata: one\n\n       C escapes: \n \r \t \\ \xHH; one write
 *     bytewise 2                      from here on one byte per write, 2 ms apart
 *     sleep 50                        milliseconds
 *     await                           until a line arrives on standard input
 *     end                             end the body (gzip trailer): chunked, with
 *                                     the 0-chunk, then read the next request
 *                                     on the connection; otherwise close
 *     close                           close the connection now (a body with
 *                                     no length ends there; chunked is cut)
 *     reset                           close with a TCP reset
 *     hang                            keep the connection, say nothing more
 *     feed COUNT PER                  events id: K / data: event K, from the
 *                                     request's Last-Event-ID + 1; after PER
 *                                     of them, part of the next and a close
 *                                     (or reset); past COUNT: 204
 *     stream COUNT SIZE INTERVAL_US   COUNT events of about SIZE bytes (LLM
 *                                     chunk-shaped, no id), one write each
 *                                     INTERVAL_US apart, or as fast as the
 *                                     socket takes them for 0; then close
 *
 * Headers are sent with the first body action (or at end/close). A section
 * that runs out ends as `end` does. The record (--record) holds, per
 * request, "=== request N" then the request head as it came (CRLF as LF),
 * "--- body LEN", the body and a newline.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* MARK: - Script */

typedef enum op {
    OP_STATUS, OP_HEADER, OP_CHUNKED, OP_GZIP, OP_SEND, OP_BYTEWISE, OP_SLEEP, OP_AWAIT,
    OP_END, OP_CLOSE, OP_RESET, OP_HANG, OP_FEED, OP_STREAM, OP_TRAILER
} op;

typedef struct action {
    op op;
    char *text; /* STATUS reason, HEADER line, SEND bytes */
    size_t len;
    long a, b, c;
} action;

typedef struct section {
    long request; /* 0: "[*]" */
    action *acts;
    size_t n;
} section;

static section *sections;
static size_t nsections;

static void die(const char *what) {
    fprintf(stderr, "sse_test_server: %s\n", what);
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n);
    if (!p) die("out of memory");
    return p;
}

/* C escapes in place; the decoded length. */
static size_t unescape(char *s) {
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *o++ = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case '0': *o++ = '\0'; break;
        case 'x': {
            char hex[3] = {p[1], p[1] ? p[2] : 0, 0};
            *o++ = (char)strtol(hex, NULL, 16);
            p += 2;
            break;
        }
        default: *o++ = *p; break;
        }
    }
    return (size_t)(o - s);
}

static void load_script(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open the script");
    char line[65536];
    section *cur = NULL;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        char *s = line;
        while (*s == ' ') s++;
        if (!*s || *s == '#') continue;
        if (*s == '[') {
            sections = xrealloc(sections, (nsections + 1) * sizeof *sections);
            cur = &sections[nsections++];
            cur->request = s[1] == '*' ? 0 : strtol(s + 1, NULL, 10);
            cur->acts = NULL;
            cur->n = 0;
            continue;
        }
        if (!cur) die("an action before the first [section]");
        char *arg = strchr(s, ' ');
        if (arg) *arg++ = '\0';
        else arg = s + strlen(s);
        action a = {0};
        static const struct { const char *name; op op; } names[] = {
            {"status", OP_STATUS}, {"header", OP_HEADER}, {"chunked", OP_CHUNKED},
            {"gzip", OP_GZIP},     {"send", OP_SEND},     {"bytewise", OP_BYTEWISE},
            {"sleep", OP_SLEEP},   {"await", OP_AWAIT},   {"end", OP_END},
            {"close", OP_CLOSE},   {"reset", OP_RESET},   {"hang", OP_HANG},
            {"feed", OP_FEED},     {"stream", OP_STREAM}, {"trailer", OP_TRAILER},
        };
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] && strcmp(names[k].name, s) != 0) k++;
        if (k == sizeof names / sizeof names[0]) die("unknown action in the script");
        a.op = names[k].op;
        char *end;
        a.a = strtol(arg, &end, 10);
        a.b = strtol(end, &end, 10);
        a.c = strtol(end, &end, 10);
        if (a.op == OP_STATUS || a.op == OP_HEADER || a.op == OP_SEND || a.op == OP_TRAILER) {
            char *t = arg;
            if (a.op == OP_STATUS) { /* the reason after the code */
                while (*t && *t != ' ') t++;
                while (*t == ' ') t++;
            }
            a.text = strdup(t);
            if (!a.text) die("out of memory");
            a.len = unescape(a.text);
        }
        cur->acts = xrealloc(cur->acts, (cur->n + 1) * sizeof *cur->acts);
        cur->acts[cur->n++] = a;
    }
    fclose(f);
}

static const section *section_for(long request) {
    const section *any = NULL;
    for (size_t i = 0; i < nsections; i++) {
        if (sections[i].request == request) return &sections[i];
        if (sections[i].request == 0) any = &sections[i];
    }
    return any;
}

/* MARK: - gzip without zlib: stored deflate blocks */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_update(uint32_t crc, const char *p, size_t n) {
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ (unsigned char)p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* MARK: - Connections */

typedef enum cstate { C_READ, C_RUN, C_SLEEP, C_AWAIT, C_DRAIN, C_HANG } cstate;

typedef struct conn {
    int fd;
    cstate state;
    char *in;
    size_t in_len, in_cap;
    long request;
    const section *sec;
    size_t pc;
    uint64_t wake; /* C_SLEEP: when to go on */
    char *out;
    size_t out_len, out_off, out_cap;
    int head_sent, chunked, gzip, gzip_started, bytewise;
    long byte_delay;
    uint32_t crc, isize;
    /* a send in progress (bytewise), a feed or stream in progress */
    const char *pend;
    size_t pend_len, pend_pos;
    long last_id, fed, stream_left;
    int status;
    const char *trailer;
    char *headers; /* the section's headers, collected until sent */
    size_t headers_len;
    struct conn *next;
} conn;

static conn *conns;
static int epfd;
static long requests;
static FILE *record;
static int stdin_open = 1;

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void out_raw(conn *c, const char *p, size_t n) {
    if (c->out_len + n > c->out_cap) {
        c->out_cap = (c->out_len + n) * 2 + 4096;
        c->out = xrealloc(c->out, c->out_cap);
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
}

static void out_str(conn *c, const char *s) { out_raw(c, s, strlen(s)); }

static const char *reason_for(int code) {
    switch (code) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 307: return "Temporary Redirect";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    default: return "Whatever";
    }
}

static void send_head(conn *c) {
    if (c->head_sent) return;
    c->head_sent = 1;
    char line[128];
    int status = c->status ? c->status : 200;
    snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status, reason_for(status));
    out_str(c, line);
    if (c->headers) out_raw(c, c->headers, c->headers_len);
    if (c->chunked) out_str(c, "Transfer-Encoding: chunked\r\n");
    if (c->gzip) out_str(c, "Content-Encoding: gzip\r\n");
    out_str(c, "\r\n");
}

static void add_header(conn *c, const char *h, size_t n) {
    c->headers = xrealloc(c->headers, c->headers_len + n + 2);
    memcpy(c->headers + c->headers_len, h, n);
    memcpy(c->headers + c->headers_len + n, "\r\n", 2);
    c->headers_len += n + 2;
}

/* Body bytes, framed: gzip (one stored block each) inside chunked. */
static void body(conn *c, const char *p, size_t n) {
    send_head(c);
    char frame[64];
    const char *data = p;
    size_t len = n;
    char *gz = NULL;
    if (c->gzip) {
        gz = xrealloc(NULL, n + 16);
        size_t g = 0;
        if (!c->gzip_started) { /* header: magic, deflate, no flags, mtime 0, OS unknown */
            static const char head[10] = {0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, (char)0xff};
            memcpy(gz, head, 10);
            g = 10;
            c->gzip_started = 1;
        }
        /* A non-final stored block: BFINAL 0, BTYPE 00, then LEN, NLEN. */
        gz[g++] = 0;
        gz[g++] = (char)(n & 0xff), gz[g++] = (char)(n >> 8);
        gz[g++] = (char)(~n & 0xff), gz[g++] = (char)((~n >> 8) & 0xff);
        memcpy(gz + g, p, n);
        g += n;
        c->crc = crc_update(c->crc, p, n);
        c->isize += (uint32_t)n;
        data = gz;
        len = g;
    }
    if (c->chunked) {
        snprintf(frame, sizeof frame, "%zx\r\n", len);
        out_str(c, frame);
        out_raw(c, data, len);
        out_str(c, "\r\n");
    } else {
        out_raw(c, data, len);
    }
    free(gz);
}

static void end_body(conn *c) {
    send_head(c);
    if (c->gzip) {
        char tail[16];
        size_t t = 0;
        if (!c->gzip_started) {
            static const char head[10] = {0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, (char)0xff};
            if (c->chunked) {
                out_str(c, "a\r\n");
                out_raw(c, head, 10);
                out_str(c, "\r\n");
            } else {
                out_raw(c, head, 10);
            }
        }
        tail[t++] = 1, tail[t++] = 0, tail[t++] = 0, tail[t++] = (char)0xff, tail[t++] = (char)0xff;
        for (int i = 0; i < 4; i++) tail[t++] = (char)(c->crc >> (8 * i));
        for (int i = 0; i < 4; i++) tail[t++] = (char)(c->isize >> (8 * i));
        if (c->chunked) {
            char frame[16];
            snprintf(frame, sizeof frame, "%zx\r\n", t);
            out_str(c, frame);
            out_raw(c, tail, t);
            out_str(c, "\r\n");
        } else {
            out_raw(c, tail, t);
        }
    }
    if (c->chunked) {
        out_str(c, "0\r\n");
        if (c->trailer) out_str(c, c->trailer), out_str(c, "\r\n");
        out_str(c, "\r\n");
    }
}

static void conn_free(conn *c, int reset) {
    if (reset) {
        struct linger l = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    for (conn **p = &conns; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    free(c->in);
    free(c->out);
    free(c->headers);
    free(c);
}

static void watch(conn *c, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is queued; 1 when all of it is out, 0 when the socket is
 * full (wait for EPOLLOUT), -1 when the peer is gone. */
static int flush(conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (n < 0) return -1;
        c->out_off += (size_t)n;
    }
    c->out_off = c->out_len = 0;
    return 1;
}

static const char *find_header(const char *head, const char *name, size_t *len) {
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
        const char *h = p + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            h += n + 1;
            while (*h == ' ') h++;
            const char *e = strstr(h, "\r\n");
            *len = (size_t)(e - h);
            return h;
        }
    }
    return NULL;
}

/* A whole request in c->in? Then record it and start its section. */
static int take_request(conn *c) {
    c->in[c->in_len] = '\0'; /* the buffer has room for it (in_cap + 1) */
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    size_t head = (size_t)(end - c->in) + 4, blen = 0, vlen;
    const char *v = find_header(c->in, "Content-Length", &vlen);
    if (v) blen = (size_t)strtoul(v, NULL, 10);
    if (find_header(c->in, "Expect", &vlen) && !c->head_sent) {
        out_str(c, "HTTP/1.1 100 Continue\r\n\r\n");
        flush(c);
    }
    if (c->in_len < head + blen) return 0;
    c->request = ++requests;
    if (record) {
        fprintf(record, "=== request %ld\n", c->request);
        for (size_t i = 0; i < head - 2; i++)
            if (c->in[i] != '\r') fputc(c->in[i], record);
        fprintf(record, "--- body %zu\n", blen);
        fwrite(c->in + head, 1, blen, record);
        fputc('\n', record);
        fflush(record);
    }
    c->last_id = 0;
    if ((v = find_header(c->in, "Last-Event-ID", &vlen))) c->last_id = strtol(v, NULL, 10);
    memmove(c->in, c->in + head + blen, c->in_len - head - blen);
    c->in_len -= head + blen;
    c->sec = section_for(c->request);
    c->pc = 0;
    c->head_sent = c->chunked = c->gzip = c->gzip_started = c->bytewise = 0;
    c->status = 0;
    c->trailer = NULL;
    c->crc = 0, c->isize = 0;
    c->fed = 0;
    c->stream_left = -1;
    free(c->headers);
    c->headers = NULL;
    c->headers_len = 0;
    c->state = C_RUN;
    return 1;
}

/* MARK: - Running a section */

static void feed_event(conn *c, long k, size_t cut) {
    char ev[128];
    int n = k % 5 == 0 ? snprintf(ev, sizeof ev, "id: %ld\ndata: event %ld\ndata: line 2\n\n", k, k)
                       : snprintf(ev, sizeof ev, "id: %ld\ndata: event %ld\n\n", k, k);
    body(c, ev, cut && cut < (size_t)n ? cut : (size_t)n);
}

/* An LLM chunk of about `size` bytes, as OpenAI-style APIs send them (no
 * id): built once, then copied. */
static const char *stream_chunk(long size, size_t *len) {
    static char ev[4096];
    static long built = -1;
    static size_t n;
    if (built != size) {
        static const char head[] = "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"";
        static const char tail[] = "\"}}]}\n\n";
        long fill = size - (long)(sizeof head - 1) - (long)(sizeof tail - 1);
        if (fill < 1) fill = 1;
        if (fill > (long)(sizeof ev - sizeof head - sizeof tail)) fill = (long)(sizeof ev - sizeof head - sizeof tail);
        memcpy(ev, head, sizeof head - 1);
        memset(ev + sizeof head - 1, 'x', (size_t)fill);
        memcpy(ev + sizeof head - 1 + fill, tail, sizeof tail - 1);
        n = sizeof head - 1 + (size_t)fill + sizeof tail - 1;
        built = size;
    }
    *len = n;
    return ev;
}

static void stream_event(conn *c, long size) {
    size_t n;
    const char *ev = stream_chunk(size, &n);
    body(c, ev, n);
}

/* Ends the body: a chunked one with its last chunk, and the connection
 * stays for the next request; any other by closing the connection. */
static int finish(conn *c) {
    /* A head not yet sent says the connection will close, as a server must
     * for a client not to reuse it (a 302 with Content-Length: 0, say). */
    if (!c->head_sent && !c->chunked) add_header(c, "Connection: close", 17);
    end_body(c);
    int f = flush(c);
    if (!c->chunked || f < 0) {
        conn_free(c, 0);
        return 0;
    }
    c->state = C_READ;
    return 1;
}

/* Runs actions until one has to wait; 0 when the connection is closed. */
static int run(conn *c) {
    for (;;) {
        if (c->state == C_DRAIN || c->out_len) {
            int f = flush(c);
            if (f < 0) return conn_free(c, 0), 0;
            if (f == 0) {
                c->state = C_DRAIN;
                watch(c, EPOLLIN | EPOLLOUT);
                return 1;
            }
            if (c->state == C_DRAIN) {
                watch(c, EPOLLIN);
                c->state = C_RUN;
            }
        }
        if (c->state != C_RUN) return 1;
        if (c->pend) { /* bytewise send in progress */
            body(c, c->pend + c->pend_pos++, 1);
            if (c->pend_pos == c->pend_len) c->pend = NULL;
            c->wake = now_ms() + (uint64_t)c->byte_delay;
            c->state = C_SLEEP;
            continue;
        }
        if (c->stream_left >= 0) {
            if (c->stream_left == 0) {
                c->stream_left = -1;
                c->pc++;
                continue;
            }
            const action *a = &c->sec->acts[c->pc];
            if (a->c > 0) { /* paced: one event per write */
                stream_event(c, a->b);
                c->stream_left--;
                c->wake = (now_us() + (uint64_t)a->c + 999) / 1000; /* ms timers */
                c->state = C_SLEEP;
                continue;
            }
            /* as fast as the socket takes it: fill, then wait for room */
            while (c->stream_left > 0 && c->out_len < 256 * 1024) {
                stream_event(c, a->b);
                c->stream_left--;
            }
            continue;
        }
        if (!c->sec || c->pc >= c->sec->n) return finish(c); /* the section ran out */
        const action *a = &c->sec->acts[c->pc];
        switch (a->op) {
        case OP_STATUS: c->status = (int)a->a; break;
        case OP_HEADER: add_header(c, a->text, a->len); break;
        case OP_TRAILER: c->trailer = a->text; break;
        case OP_CHUNKED: c->chunked = 1; break;
        case OP_GZIP: c->gzip = 1; break;
        case OP_BYTEWISE:
            c->bytewise = 1;
            c->byte_delay = a->a;
            break;
        case OP_SEND:
            if (c->bytewise && a->len) {
                c->pend = a->text;
                c->pend_len = a->len;
                c->pend_pos = 0;
                c->pc++;
                continue;
            }
            body(c, a->text, a->len);
            break;
        case OP_SLEEP:
            c->pc++;
            c->wake = now_ms() + (uint64_t)a->a;
            c->state = C_SLEEP;
            continue;
        case OP_AWAIT:
            send_head(c);
            c->pc++;
            c->state = C_AWAIT;
            continue;
        case OP_END:
            c->pc = c->sec->n; /* the rest of the section is not run */
            return finish(c);
        case OP_CLOSE:
        case OP_RESET:
            send_head(c);
            flush(c);
            conn_free(c, a->op == OP_RESET);
            return 0;
        case OP_HANG:
            c->state = C_HANG;
            return 1;
        case OP_FEED: {
            long count = a->a, per = a->b;
            if (c->last_id >= count) { /* all sent: tell the client to stop */
                c->status = 204;
                send_head(c);
                flush(c);
                conn_free(c, 0);
                return 0;
            }
            if (!c->status) c->status = 200;
            if (!c->headers) add_header(c, "Content-Type: text/event-stream", 31);
            body(c, "retry: 0\n", 9);
            long k = c->last_id;
            while (k < count && c->fed < per) feed_event(c, ++k, 0), c->fed++;
            int reset_it = (c->request % 2) == 0;
            if (k < count) feed_event(c, k + 1, 1 + (size_t)((k * 7) % 15)); /* part of the next */
            flush(c);
            conn_free(c, reset_it && k < count);
            return 0;
        }
        case OP_STREAM:
            if (!c->status) c->status = 200;
            if (!c->headers) add_header(c, "Content-Type: text/event-stream", 31);
            send_head(c);
            c->stream_left = a->a;
            continue;
        }
        c->pc++;
    }
}

/* MARK: - Main loop */

int main(int argc, char **argv) {
    const char *script = NULL, *rec = NULL;
    long timeout = 30;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--script") == 0 && i + 1 < argc) script = argv[++i];
        else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc) rec = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) timeout = atol(argv[++i]);
        else die("usage: sse_test_server --script FILE [--record FILE] [--timeout S]");
    }
    if (!script) die("--script FILE is required");
    signal(SIGPIPE, SIG_IGN);
    crc_init();
    load_script(script);
    if (rec && !(record = fopen(rec, "w"))) die("cannot open the record file");

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 4096) ||
        getsockname(ls, (struct sockaddr *)&sa, &sl))
        die("cannot listen on 127.0.0.1");
    printf("%d\n", ntohs(sa.sin_port));
    fflush(stdout);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, ls, &ev);
    static int stdin_tag;
    ev.data.ptr = &stdin_tag;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev)) stdin_open = 0; /* not pollable */

    uint64_t stop_at = now_ms() + (uint64_t)timeout * 1000u;
    while (now_ms() < stop_at) {
        uint64_t now = now_ms(), wake = stop_at;
        for (conn *c = conns; c; c = c->next)
            if (c->state == C_SLEEP && c->wake < wake) wake = c->wake;
        struct epoll_event evs[256];
        int n = epoll_wait(epfd, evs, 256, wake > now ? (int)(wake - now) : 0);
        for (int i = 0; i < n; i++) {
            void *tag = evs[i].data.ptr;
            if (tag == NULL) { /* new connections */
                int fd;
                while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn *c = calloc(1, sizeof *c);
                    if (!c) die("out of memory");
                    c->fd = fd;
                    c->state = C_READ;
                    c->stream_left = -1;
                    c->next = conns;
                    conns = c;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            if (tag == &stdin_tag) { /* a line releases every `await` */
                char buf[256];
                ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
                if (r <= 0) {
                    epoll_ctl(epfd, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
                    stdin_open = 0;
                    stop_at = now_ms(); /* the test is gone, or done */
                    continue;
                }
                for (conn *c = conns, *next; c; c = next) {
                    next = c->next;
                    if (c->state == C_AWAIT) {
                        c->state = C_RUN;
                        run(c);
                    }
                }
                continue;
            }
            conn *c = tag;
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                char buf[16384];
                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                    conn_free(c, 0); /* the client went away */
                    continue;
                }
                if (r > 0 && c->state == C_READ) {
                    if (c->in_len + (size_t)r > c->in_cap) {
                        c->in_cap = (c->in_len + (size_t)r) * 2;
                        c->in = xrealloc(c->in, c->in_cap + 1);
                    }
                    memcpy(c->in + c->in_len, buf, (size_t)r);
                    c->in_len += (size_t)r;
                    if (take_request(c)) run(c);
                    continue;
                }
            }
            if ((evs[i].events & EPOLLOUT) && c->state == C_DRAIN) run(c);
        }
        now = now_ms();
        for (conn *c = conns, *next; c; c = next) {
            next = c->next;
            if (c->state == C_SLEEP && c->wake <= now) {
                c->state = C_RUN;
                run(c);
            }
        }
    }
    while (conns) conn_free(conns, 0);
    if (record) fclose(record);
    return 0;
}
