/*
 * nginx_test.c -- ngx_http_sse_module in Debian's real nginx, in front of a
 * test upstream, one case per run:
 *
 *     nginx_test --nginx BIN --module SO [--ssecat BIN] --work DIR CASE
 *
 * Each case starts its own upstream and nginx (own prefix in DIR, its own
 * configuration, 127.0.0.1, ports the kernel picks), checks what a client
 * gets, what the access log's variables say and what the error log says,
 * and stops both. It exits 0 when every check passed, 1 otherwise, and 77
 * (ctest's skip) with a message when nginx is not installed.
 *
 * Expectations are computed here, independently of the module: from the
 * stream the upstream sent, with simdsse's parser (events, last event ID),
 * `ssecat --count`, and plain string work on the stream (blocks to drop,
 * the usage numbers it carries).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdsse.h>

#include "../check.h"
#include "corpus.h"
#include "harness.h"

/* MARK: - The configuration */

/* Every case runs this nginx.conf; each location is one way to use the
 * module (or not to). The upstream serves /LOCATION/STREAM/MODE. */
static const char conf_template[] =
    "@USER@\n"
    "daemon off;\n"
    "master_process on;\n"
    "worker_processes 1;\n"
    "pid @PREFIX@/nginx.pid;\n"
    "lock_file @PREFIX@/nginx.lock;\n"
    "error_log @PREFIX@/error.log info;\n"
    "load_module @MODULE@;\n"
    "events { worker_connections 256; }\n"
    "http {\n"
    "@TEMP_PATHS@"
    "    log_format sse '$request_uri\\t$status\\t$sse_events\\t$sse_bytes\\t$sse_last_event_id'\n"
    "                   '\\t$sse_dropped\\t$sse_error\\t$llm_total_tokens\\t$llm_prompt_tokens'\n"
    "                   '\\t$llm_output_tokens\\t$llm_input_tokens';\n"
    "    access_log @PREFIX@/access.log sse;\n"
    "    sendfile on;\n"
    "    proxy_read_timeout 20s;\n"
    "    server {\n"
    "        listen 127.0.0.1:@PORT@ sndbuf=16k;\n"
    "        location /off/ { proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /plain/ { sse on; proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /unbuffered/ { sse on; proxy_buffering off;\n"
    "                                proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /chunked/ { sse on; proxy_http_version 1.1;\n"
    "                             proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /drop/ { sse on; sse_drop_types ping;\n"
    "                          proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /limit-event/ { sse on; sse_max_event 1k;\n"
    "                                 proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /limit-line/ { sse on; sse_max_line 100;\n"
    "                                proxy_http_version 1.1;\n"
    "                                proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /heartbeat/ { sse on; sse_heartbeat 200ms;\n"
    "                               proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /openai/ {\n"
    "            sse on;\n"
    "            sse_extract $llm_total_tokens /usage/total_tokens;\n"
    "            sse_extract $llm_prompt_tokens /usage/prompt_tokens;\n"
    "            proxy_pass http://127.0.0.1:@UPSTREAM@;\n"
    "        }\n"
    "        location /anthropic/ {\n"
    "            sse on;\n"
    "            sse_extract $llm_output_tokens /usage/output_tokens message_delta;\n"
    "            sse_extract $llm_input_tokens /message/usage/input_tokens message_start;\n"
    "            proxy_pass http://127.0.0.1:@UPSTREAM@;\n"
    "        }\n"
    "        location /validate/ { sse on; sse_validate on;\n"
    "                              proxy_pass http://127.0.0.1:@UPSTREAM@; }\n"
    "        location /static/ { sse on; sse_drop_types ping; root @PREFIX@/www;\n"
    "                            types { text/event-stream sse; } }\n"
    "    }\n"
    "}\n";

/* MARK: - Streams */

typedef struct stream {
    const char *name;
    hbuf bytes;
} stream;

#define MAX_STREAMS 16
static stream streams[MAX_STREAMS];
static int nstreams;

static hbuf *add_stream(const char *name) {
    streams[nstreams].name = name;
    return &streams[nstreams++].bytes;
}

static const hbuf *find_stream(const char *name) {
    for (int i = 0; i < nstreams; i++)
        if (strcmp(streams[i].name, name) == 0) return &streams[i].bytes;
    return NULL;
}

static void from_corpus(hbuf *b, corpus_shape shape, size_t bytes, uint64_t seed) {
    size_t len;
    char *p = corpus_make(shape, bytes, seed, &len, NULL);
    if (!p) abort();
    hbuf_add(b, p, len);
    free(p);
}

/* The same stream with every LF replaced by `eol`. */
static void with_line_ends(hbuf *out, const hbuf *in, const char *eol) {
    for (size_t i = 0; i < in->len; i++) {
        if (in->ptr[i] == '\n')
            hbuf_str(out, eol);
        else
            hbuf_add(out, in->ptr + i, 1);
    }
}

/* An OpenAI chat completion stream with stream_options.include_usage: every
 * chunk has "usage":null, the last one before [DONE] the usage. */
static void openai_stream(hbuf *b, unsigned prompt, unsigned completion) {
    for (unsigned i = 0; i < completion; i++)
        hbuf_printf(b,
                    "data: {\"id\":\"chatcmpl-AbC\",\"object\":\"chat.completion.chunk\","
                    "\"created\":1730000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                    "\"delta\":{\"content\":\" tok%u\"},\"finish_reason\":null}],\"usage\":null}\n\n",
                    i);
    hbuf_printf(b,
                "data: {\"id\":\"chatcmpl-AbC\",\"object\":\"chat.completion.chunk\","
                "\"created\":1730000000,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":"
                "{\"prompt_tokens\":%u,\"completion_tokens\":%u,\"total_tokens\":%u}}\n\n",
                prompt, completion, prompt + completion);
    hbuf_str(b, "data: [DONE]\n\n");
}

static void make_streams(void) {
    from_corpus(add_stream("llm"), CORPUS_LLM, 64 << 10, 1);
    /* About 3 KB of whole events from the start of an Anthropic response
     * (message_start, content_block_start, ping, deltas). */
    {
        const hbuf *llm = find_stream("llm");
        const char *from = memmem(llm->ptr, llm->len, "event: message_start\n", 21);
        if (!from) abort();
        const char *to = from + 3000;
        while (!(to[-1] == '\n' && to[-2] == '\n')) to++;
        hbuf_add(add_stream("llm-small"), from, (size_t)(to - from));
    }
    with_line_ends(add_stream("llm-crlf"), find_stream("llm"), "\r\n");
    with_line_ends(add_stream("llm-cr"), find_stream("llm"), "\r");
    with_line_ends(add_stream("llm-small-crlf"), find_stream("llm-small"), "\r\n");
    with_line_ends(add_stream("llm-small-cr"), find_stream("llm-small"), "\r");
    from_corpus(add_stream("mixed"), CORPUS_MIXED, 32 << 10, 3);
    from_corpus(add_stream("llm-large"), CORPUS_LLM, 512 << 10, 4);
    openai_stream(add_stream("openai"), 1234, 57);
    /* Three events, then one of 2 KiB, then more. */
    hbuf *big = add_stream("big");
    hbuf_str(big, "data: one\n\nid: 2\ndata: two\n\n: a comment\nevent: e\ndata: three\n\n");
    hbuf_str(big, "data: ");
    for (int i = 0; i < 2048; i++) hbuf_add(big, "x", 1);
    hbuf_str(big, "\n\ndata: after\n\n");
    /* Two events, then a comment line of 500 bytes. */
    hbuf *longline = add_stream("longline");
    hbuf_str(longline, "data: one\n\ndata: two\n\n:");
    for (int i = 0; i < 500; i++) hbuf_add(longline, "y", 1);
    hbuf_str(longline, "\ndata: three\n\n");
    /* A stream a browser reads differently than meant. */
    hbuf *bad = add_stream("bad");
    hbuf_str(bad, "data: ok\n\ndta: typo\n\nDATA: case\n\n data: space\n\ndata: \xff\xfe\n\n");
    hbuf_str(add_stream("json"), "{\"not\": \"an event stream\"}\n");
}

/* MARK: - Expectations */

typedef struct counts {
    uint64_t events;
    hbuf last_id;
} counts;

static int count_event(void *user, const simdsse_event *ev) {
    counts *c = user;
    c->events++;
    c->last_id.len = 0;
    hbuf_add(&c->last_id, ev->id.ptr, ev->id.len);
    return 0;
}

static counts count_stream(const hbuf *s) {
    counts c = {0};
    hbuf_add(&c.last_id, "", 0);
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = count_event;
    o.user = &c;
    simdsse_parse(s->ptr, s->len, &o);
    return c;
}

static const char *ssecat_bin;
static const char *work_dir;
static const char *readme_path;

/* `ssecat --count` of the stream, or -1 if ssecat is not at hand. */
static long ssecat_count(const hbuf *s) {
    if (!ssecat_bin) return -1;
    char path[1024], cmd[2200];
    snprintf(path, sizeof path, "%s/count.sse", work_dir);
    if (h_write_file(path, s->ptr, s->len) != 0) return -1;
    snprintf(cmd, sizeof cmd, "'%s' --count '%s'", ssecat_bin, path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    long n = -1;
    if (fscanf(p, "%ld", &n) != 1) n = -1;
    pclose(p);
    return n;
}

/* The stream without the blocks (split at the blank line `sep`) whose type
 * line is `type_line`; *dropped counts them. */
static void without_type(hbuf *out, const hbuf *in, const char *sep, const char *type_line,
                         uint64_t *dropped) {
    size_t seplen = strlen(sep), tl = strlen(type_line);
    const char *p = in->ptr, *end = in->ptr + in->len;
    *dropped = 0;
    while (p < end) {
        const char *e = memmem(p, (size_t)(end - p), sep, seplen);
        const char *next = e ? e + seplen : end;
        if ((size_t)(next - p) > tl && memcmp(p, type_line, tl) == 0)
            ++*dropped;
        else
            hbuf_add(out, p, (size_t)(next - p));
        p = next;
    }
}

/* The number after `key` in the last block of type `event_line`. */
static long last_number(const hbuf *s, const char *event_line, const char *key) {
    long v = -1;
    const char *p = s->ptr, *end = s->ptr + s->len;
    while ((p = memmem(p, (size_t)(end - p), event_line, strlen(event_line))) != NULL) {
        const char *blk_end = memmem(p, (size_t)(end - p), "\n\n", 2);
        const char *k = memmem(p, (size_t)((blk_end ? blk_end : end) - p), key, strlen(key));
        if (k) v = atol(k + strlen(key));
        p += strlen(event_line);
    }
    return v;
}

/* MARK: - The test upstream */

static h_signal got_first;       /* the client has the first event */
static volatile int handshake_ok; /* the upstream saw it before sending more */
static volatile uint64_t forever_closed_ms; /* when nginx closed a "forever" stream */

static void serve(h_conn *c, void *user) {
    (void)user;
    /* /LOCATION/STREAM/MODE */
    char loc[64] = "", name[64] = "", mode[64] = "";
    sscanf(c->path, "/%63[^/]/%63[^/]/%63s", loc, name, mode);
    int chunked = strcmp(loc, "chunked") == 0 || strcmp(loc, "limit-line") == 0;
    const hbuf *s = find_stream(name);
    if (!s) {
        h_head(c, "404 Not Found", "text/plain", "Content-Length: 0\r\n", 0);
        return;
    }
    if (strcmp(mode, "json") == 0) {
        char extra[64];
        snprintf(extra, sizeof extra, "Content-Length: %zu\r\n", s->len);
        h_head(c, "200 OK", "application/json", extra, 0);
        h_send(c, s->ptr, s->len);
        return;
    }
    const char *extra = strcmp(mode, "gzip") == 0 ? "Content-Encoding: gzip\r\n" : NULL;
    h_head(c, "200 OK", "text/event-stream; charset=utf-8", extra, chunked);
    if (strcmp(mode, "bytes") == 0) {
        h_send_pieces(c, s->ptr, s->len, 1, 150);
    } else if (strcmp(mode, "pieces") == 0) {
        /* Random cuts, so that CR and LF of a CRLF land in different reads. */
        uint64_t x = 12345;
        for (size_t at = 0; at < s->len;) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            size_t n = 1 + (size_t)((x >> 33) % 61);
            if (n > s->len - at) n = s->len - at;
            if (h_send(c, s->ptr + at, n)) break;
            at += n;
            h_sleep_ms(1);
        }
    } else if (strcmp(mode, "cut") == 0) {
        /* Every event but the last, and half of that; then the upstream dies. */
        size_t end = s->len - 2;
        while (end > 0 && !(s->ptr[end - 1] == '\n' && s->ptr[end - 2] == '\n')) end--;
        size_t half = end + (s->len - end) / 2;
        h_send(c, s->ptr, half);
        h_sleep_ms(100);
        return; /* no last chunk: nginx sees the response cut short */
    } else if (strcmp(mode, "forever") == 0) {
        h_send(c, s->ptr, s->len);
        uint64_t start = h_now_ms();
        while (h_now_ms() - start < 10000) {
            if (h_send(c, "data: more\n\n", 12)) break;
            h_sleep_ms(10);
        }
        forever_closed_ms = h_now_ms() - start;
        return;
    } else if (strcmp(mode, "silent") == 0) {
        h_send(c, "data: one\n\n", 11);
        h_sleep_ms(1100);
        h_send(c, "data: par", 9);
        h_sleep_ms(700);
        h_send(c, "tial\n\n", 6);
    } else if (strcmp(mode, "chatty") == 0) {
        for (int i = 0; i < 20; i++) {
            if (h_send(c, "data: tick\n\n", 12)) break;
            h_sleep_ms(50);
        }
    } else if (strcmp(mode, "handshake") == 0 || strcmp(mode, "handshake-split") == 0) {
        /* Not in nginx's first read with the head: that one nginx passes
         * on at once even when it buffers. Split, the event ends in a
         * later read, out of the module's carry. */
        h_sleep_ms(100);
        if (mode[9]) {
            h_send(c, "data: fi", 8);
            h_sleep_ms(50);
            h_send(c, "rst\n\n", 5);
        } else {
            h_send(c, "data: first\n\n", 13);
        }
        handshake_ok = h_signal_wait(&got_first, 3000);
        h_send(c, "data: second\n\n", 14);
    } else {
        h_send(c, s->ptr, s->len);
    }
    h_end(c);
}

/* MARK: - Running a case */

typedef struct run {
    const char *nginx_bin, *module;
    h_upstream up;
    h_nginx nginx;
    int up_started, nginx_started;
} run;

static int start(run *t) {
    h_signal_init(&got_first);
    if (h_upstream_start(&t->up, serve, NULL) != 0) {
        fprintf(stderr, "cannot start the test upstream\n");
        return -1;
    }
    t->up_started = 1;
    if (h_nginx_start(&t->nginx, t->nginx_bin, work_dir, t->module, conf_template, t->up.port) != 0)
        return -1;
    t->nginx_started = 1;
    return 0;
}

static void stop(run *t) {
    if (t->nginx_started) {
        /* Whatever the case, nginx must not have complained or crashed. */
        char *log = h_nginx_file(&t->nginx, "error.log");
        CHECK(!strstr(log, "[alert]") && !strstr(log, "[crit]") && !strstr(log, "[emerg]") &&
                  !strstr(log, "exited on signal"),
              "error.log:\n%s", log);
        free(log);
        h_nginx_stop(&t->nginx);
    }
    if (t->up_started) h_upstream_stop(&t->up);
}

static h_response get(run *t, const char *path, unsigned timeout_ms) {
    h_response r;
    int rc = h_get(t->nginx.port, path, timeout_ms, &r, NULL, NULL);
    CHECK(rc == 0, "GET %s: no response", path);
    return r;
}

/* The access log line of `uri`, split at tabs: waits for nginx to write it. */
#define LOG_FIELDS 11
typedef struct log_line {
    char *text;
    char *f[LOG_FIELDS];
} log_line;

static int access_log(run *t, const char *uri, log_line *out) {
    memset(out, 0, sizeof *out);
    uint64_t until = h_now_ms() + 5000;
    size_t ul = strlen(uri);
    do {
        char *log = h_nginx_file(&t->nginx, "access.log");
        for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
            if (strncmp(line, uri, ul) == 0 && line[ul] == '\t') {
                out->text = strdup(line);
                int i = 0;
                for (char *p = out->text; i < LOG_FIELDS && p; i++) {
                    out->f[i] = p;
                    p = strchr(p, '\t');
                    if (p) *p++ = '\0';
                }
                free(log);
                return i == LOG_FIELDS ? 0 : -1;
            }
        }
        free(log);
        h_sleep_ms(20);
    } while (h_now_ms() < until);
    CHECK(0, "no access log line for %s", uri);
    return -1;
}

enum { F_URI, F_STATUS, F_EVENTS, F_BYTES, F_LAST_ID, F_DROPPED, F_ERROR, F_TOTAL, F_PROMPT,
       F_OUTPUT, F_INPUT };

static int same(const hbuf *a, const hbuf *b) {
    return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

static int same_str(const hbuf *a, const char *s) {
    return a->len == strlen(s) && memcmp(a->ptr, s, a->len) == 0;
}

static size_t first_diff(const hbuf *a, const hbuf *b) {
    size_t i = 0;
    while (i < a->len && i < b->len && a->ptr[i] == b->ptr[i]) i++;
    return i;
}

static void expect_log_counts(run *t, const char *uri, const hbuf *sent, const hbuf *delivered,
                              uint64_t dropped, const char *error) {
    log_line l;
    if (access_log(t, uri, &l) != 0) return;
    counts c = count_stream(sent);
    char want[64];
    snprintf(want, sizeof want, "%" PRIu64, c.events);
    CHECK(strcmp(l.f[F_EVENTS], want) == 0, "%s: $sse_events %s, the stream has %s", uri,
          l.f[F_EVENTS], want);
    (void)delivered;
    if (ssecat_bin) {
        long sc = ssecat_count(sent);
        CHECK(sc >= 0 && atol(l.f[F_EVENTS]) == sc, "%s: $sse_events %s, ssecat --count %ld", uri,
              l.f[F_EVENTS], sc);
    }
    snprintf(want, sizeof want, "%zu", sent->len);
    CHECK(strcmp(l.f[F_BYTES], want) == 0, "%s: $sse_bytes %s, the stream has %s", uri,
          l.f[F_BYTES], want);
    const char *id = c.last_id.len ? c.last_id.ptr : "-";
    CHECK(strcmp(l.f[F_LAST_ID], id) == 0, "%s: $sse_last_event_id %s, the stream's is %s", uri,
          l.f[F_LAST_ID], id);
    snprintf(want, sizeof want, "%" PRIu64, dropped);
    CHECK(strcmp(l.f[F_DROPPED], want) == 0, "%s: $sse_dropped %s, want %s", uri, l.f[F_DROPPED],
          want);
    CHECK(strcmp(l.f[F_ERROR], error) == 0, "%s: $sse_error %s, want %s", uri, l.f[F_ERROR], error);
    CHECK(strcmp(l.f[F_STATUS], "200") == 0, "%s: status %s", uri, l.f[F_STATUS]);
    hbuf_free(&c.last_id);
    free(l.text);
}

/* A stream through a location: the client gets `want`, whole and ended. */
static void expect_stream(run *t, const char *loc, const char *name, const char *mode,
                          const hbuf *want, uint64_t dropped) {
    char uri[256];
    snprintf(uri, sizeof uri, "/%s/%s/%s", loc, name, mode);
    const hbuf *sent = find_stream(name);
    h_response r = get(t, uri, 20000);
    CHECK(r.status == 200, "%s: status %d", uri, r.status);
    CHECK(r.complete, "%s: the response did not end cleanly (timed out: %d)", uri, r.timed_out);
    CHECK(same(&r.body, want), "%s: %zu bytes arrived, %zu expected; first difference at %zu", uri,
          r.body.len, want->len, first_diff(&r.body, want));
    h_response_free(&r);
    expect_log_counts(t, uri, sent, want, dropped, "-");
}

static void expect_same(run *t, const char *loc, const char *name, const char *mode) {
    expect_stream(t, loc, name, mode, find_stream(name), 0);
}

/* MARK: - Cases */

/* Debian's nginx loads the module and `nginx -t` is clean; directive
 * errors are refused with a clear message. */
static void case_load(run *t) {
    char *out;
    int rc = h_nginx_check(t->nginx_bin, work_dir, t->module, conf_template, &out);
    CHECK(rc == 0, "nginx -t exited %d:\n%s", rc, out);
    CHECK(strstr(out, "syntax is ok") && strstr(out, "test is successful"), "nginx -t:\n%s", out);
    CHECK(!strstr(out, "[warn]") && !strstr(out, "[emerg]") && !strstr(out, "[alert]"),
          "nginx -t complained:\n%s", out);
    free(out);

    static const struct {
        const char *directive, *message;
    } bad[] = {
        {"sse_extract llm /a;", "invalid variable name"},
        {"sse_extract $x a/b;", "invalid JSON pointer"},
        {"sse_extract $x /a~2;", "must be followed by 0 or 1"},
        {"sse_extract $host /a;", "host"},
        {"sse_max_line 0;", "must be at least 1"},
        {"sse_max_event lots;", "invalid value"},
        {"sse_heartbeat 0;", "invalid value"},
        {"sse_drop_types a; sse_drop_types b;", "is duplicate"},
        {"sse maybe;", "invalid value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hbuf conf = {0};
        hbuf_printf(&conf,
                    "@USER@\npid @PREFIX@/nginx.pid;\nerror_log @PREFIX@/error.log;\n"
                    "load_module @MODULE@;\nevents {}\nhttp {\n@TEMP_PATHS@"
                    "    server { listen 127.0.0.1:@PORT@; location / { %s } }\n}\n",
                    bad[i].directive);
        rc = h_nginx_check(t->nginx_bin, work_dir, t->module, conf.ptr, &out);
        CHECK(rc != 0 && strstr(out, bad[i].message), "%s: nginx -t exited %d:\n%s",
              bad[i].directive, rc, out);
        free(out);
        hbuf_free(&conf);
    }
}

/* An LLM-shaped stream goes through byte for byte, proxy buffering on
 * (nginx's default) or off, and the log variables say what it held. */
static void case_passthrough(run *t) {
    expect_same(t, "plain", "llm", "whole");
    expect_same(t, "unbuffered", "llm", "whole");
    expect_same(t, "plain", "llm", "pieces");
    /* With the module off nothing changes, and there is nothing to log. */
    h_response r = get(t, "/off/llm/whole", 20000);
    CHECK(same(&r.body, find_stream("llm")), "module off: the stream changed");
    h_response_free(&r);
    log_line l;
    if (access_log(t, "/off/llm/whole", &l) == 0) {
        CHECK(strcmp(l.f[F_EVENTS], "-") == 0 && strcmp(l.f[F_ERROR], "-") == 0,
              "module off: %s", l.text);
        free(l.text);
    }
}

/* The same streams in 1-byte upstream writes. */
static void case_bytewise(run *t) {
    expect_same(t, "plain", "llm-small", "bytes");
    expect_same(t, "plain", "llm-small-crlf", "bytes");
    expect_same(t, "plain", "llm-small-cr", "bytes");
}

/* CRLF and CR streams, and one mixing every line end with ids, comments
 * and events that dispatch nothing, cut at random places. */
static void case_line_ends(run *t) {
    expect_same(t, "plain", "llm-crlf", "pieces");
    expect_same(t, "plain", "llm-cr", "pieces");
    expect_same(t, "plain", "mixed", "pieces");
    expect_same(t, "plain", "mixed", "whole");
}

/* sse_drop_types ping: those events are gone, the rest is untouched. */
static void case_drop(run *t) {
    static const struct {
        const char *name, *sep, *type_line;
    } v[] = {
        {"llm", "\n\n", "event: ping\n"},
        {"llm-crlf", "\r\n\r\n", "event: ping\r\n"},
        {"llm-cr", "\r\r", "event: ping\r"},
        {"llm-small", "\n\n", "event: ping\n"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        hbuf want = {0};
        uint64_t dropped;
        without_type(&want, find_stream(v[i].name), v[i].sep, v[i].type_line, &dropped);
        CHECK(dropped > 0, "%s has no ping events to drop", v[i].name);
        expect_stream(t, "drop", v[i].name, "whole", &want, dropped);
        expect_stream(t, "drop", v[i].name, i == 3 ? "bytes" : "pieces", &want, dropped);
        hbuf_free(&want);
    }
}

/* A limit breach ends the stream, cleanly, after the last whole event. */
static void expect_cut(run *t, const char *uri, const char *want_body, const char *error,
                       const char *events, const char *last_id, const char *log_says) {
    h_response r = get(t, uri, 20000);
    hbuf want = {0};
    hbuf_str(&want, want_body);
    CHECK(r.status == 200, "%s: status %d", uri, r.status);
    CHECK(r.complete, "%s: the stream did not end cleanly", uri);
    CHECK(same(&r.body, &want), "%s: got %zu bytes:\n%.*s", uri, r.body.len, (int)r.body.len,
          r.body.ptr);
    h_response_free(&r);
    hbuf_free(&want);
    log_line l;
    if (access_log(t, uri, &l) == 0) {
        CHECK(strcmp(l.f[F_ERROR], error) == 0, "%s: $sse_error %s", uri, l.f[F_ERROR]);
        CHECK(strcmp(l.f[F_EVENTS], events) == 0, "%s: $sse_events %s", uri, l.f[F_EVENTS]);
        CHECK(strcmp(l.f[F_LAST_ID], last_id) == 0, "%s: $sse_last_event_id %s", uri,
              l.f[F_LAST_ID]);
        free(l.text);
    }
    char *log = h_nginx_file(&t->nginx, "error.log");
    CHECK(strstr(log, log_says), "%s: the error log does not say \"%s\":\n%s", uri, log_says, log);
    free(log);
}

static void case_limit_event(run *t) {
    const char *three = "data: one\n\nid: 2\ndata: two\n\n: a comment\nevent: e\ndata: three\n\n";
    expect_cut(t, "/limit-event/big/whole", three, "event-too-long", "3", "2", "event too long");
    expect_cut(t, "/limit-event/big/bytes", three, "event-too-long", "3", "2", "event too long");
    /* An upstream that would go on forever is let go at once, while the
     * client, which has its response, keeps the connection. */
    forever_closed_ms = 0;
    h_response r;
    h_get_keepalive(t->nginx.port, "/limit-event/big/forever", 10000, &r, 3000);
    CHECK(r.complete && same_str(&r.body, three), "forever: got %zu bytes", r.body.len);
    h_response_free(&r);
    uint64_t until = h_now_ms() + 5000;
    while (!forever_closed_ms && h_now_ms() < until) h_sleep_ms(20);
    CHECK(forever_closed_ms && forever_closed_ms < 1500,
          "nginx kept reading an upstream past the cut (%" PRIu64 " ms)", forever_closed_ms);
}

static void case_limit_line(run *t) {
    expect_cut(t, "/limit-line/longline/whole", "data: one\n\ndata: two\n\n", "line-too-long", "2",
               "-", "line too long");
}

/* Heartbeats while the upstream is silent, between events and inside a
 * held one; none while it talks. */
static void case_heartbeat(run *t) {
    h_response r = get(t, "/heartbeat/llm-small/silent", 10000);
    const char *head = "data: one\n\n", *tail = "data: partial\n\n";
    size_t hl = strlen(head), tl = strlen(tail), beats = 0;
    int shape = r.complete && r.body.len >= hl + tl && memcmp(r.body.ptr, head, hl) == 0 &&
                memcmp(r.body.ptr + r.body.len - tl, tail, tl) == 0;
    if (shape) {
        for (size_t i = hl; i + tl < r.body.len; i += 2) {
            if (memcmp(r.body.ptr + i, ":\n", 2) != 0) {
                shape = 0;
                break;
            }
            beats++;
        }
    }
    CHECK(shape, "heartbeats: got\n%.*s", (int)r.body.len, r.body.ptr);
    /* 1.8 s of silence at 200 ms: about nine; timers are coarse. */
    CHECK(beats >= 5 && beats <= 10, "%zu heartbeats in 1.8 s of silence at 200 ms", beats);
    h_response_free(&r);

    r = get(t, "/heartbeat/llm-small/chatty", 10000);
    CHECK(r.complete && !memmem(r.body.ptr, r.body.len, ":\n", 2),
          "heartbeats while the upstream talks:\n%.*s", (int)r.body.len, r.body.ptr);
    h_response_free(&r);

    r = get(t, "/plain/llm-small/silent", 10000);
    hbuf want = {0};
    hbuf_printf(&want, "%s%s", head, tail);
    CHECK(same(&r.body, &want), "no sse_heartbeat, yet:\n%.*s", (int)r.body.len, r.body.ptr);
    h_response_free(&r);
    hbuf_free(&want);
}

/* No event waits for the next: the upstream sends its second event only
 * once the client has the first. */
static int on_first(void *user, const hbuf *body) {
    int *posted = user;
    if (!*posted && memmem(body->ptr, body->len, "data: first\n\n", 13)) {
        *posted = 1;
        h_signal_post(&got_first);
    }
    return 0;
}

static void handshake(run *t, const char *loc, const char *mode, int want_ok) {
    char uri[128];
    snprintf(uri, sizeof uri, "/%s/llm-small/%s", loc, mode);
    handshake_ok = -1;
    h_signal_init(&got_first);
    int posted = 0;
    h_response r;
    h_get(t->nginx.port, uri, 10000, &r, on_first, &posted);
    CHECK(r.complete && same_str(&r.body, "data: first\n\ndata: second\n\n"),
          "%s: got\n%.*s", uri, (int)r.body.len, r.body.ptr);
    CHECK(handshake_ok == want_ok, "%s: the first event %s", uri,
          want_ok ? "waited for the second" : "arrived at once, with the module off");
    h_response_free(&r);
}

static void case_flush(run *t) {
    handshake(t, "plain", "handshake", 1); /* proxy_buffering on: the module turns it off */
    handshake(t, "plain", "handshake-split", 1);
    handshake(t, "unbuffered", "handshake", 1); /* proxy_buffering off */
    handshake(t, "unbuffered", "handshake-split", 1);
    handshake(t, "off", "handshake", 0); /* the test can fail: nginx alone holds it */
}

/* Token usage, as the stream carried it, in the access log. */
static void case_openai(run *t) {
    const char *modes[] = {"whole", "pieces"};
    for (int i = 0; i < 2; i++) {
        char uri[128];
        snprintf(uri, sizeof uri, "/openai/openai/%s", modes[i]);
        expect_stream(t, "openai", "openai", modes[i], find_stream("openai"), 0);
        log_line l;
        if (access_log(t, uri, &l) != 0) continue;
        CHECK(strcmp(l.f[F_TOTAL], "1291") == 0, "%s: $llm_total_tokens %s", uri, l.f[F_TOTAL]);
        CHECK(strcmp(l.f[F_PROMPT], "1234") == 0, "%s: $llm_prompt_tokens %s", uri, l.f[F_PROMPT]);
        CHECK(strcmp(l.f[F_OUTPUT], "-") == 0, "%s: $llm_output_tokens %s", uri, l.f[F_OUTPUT]);
        free(l.text);
    }
}

static void case_anthropic(run *t) {
    const hbuf *s = find_stream("llm");
    long out = last_number(s, "event: message_delta\n", "\"output_tokens\":");
    long in = last_number(s, "event: message_start\n", "\"input_tokens\":");
    CHECK(out > 0 && in > 0, "the llm stream has no Anthropic usage");
    const char *modes[] = {"whole", "pieces"};
    for (int i = 0; i < 2; i++) {
        char uri[128];
        snprintf(uri, sizeof uri, "/anthropic/llm/%s", modes[i]);
        expect_same(t, "anthropic", "llm", modes[i]);
        log_line l;
        if (access_log(t, uri, &l) != 0) continue;
        CHECK(atol(l.f[F_OUTPUT]) == out, "%s: $llm_output_tokens %s, the stream says %ld", uri,
              l.f[F_OUTPUT], out);
        CHECK(atol(l.f[F_INPUT]) == in, "%s: $llm_input_tokens %s, the stream says %ld", uri,
              l.f[F_INPUT], in);
        CHECK(strcmp(l.f[F_TOTAL], "-") == 0, "%s: $llm_total_tokens %s", uri, l.f[F_TOTAL]);
        free(l.text);
    }
}

/* The upstream dies inside an event: the client has every whole event and
 * not a byte of the broken one. */
static void case_upstream_cut(run *t) {
    const hbuf *s = find_stream("llm");
    size_t end = s->len - 2;
    while (end > 0 && !(s->ptr[end - 1] == '\n' && s->ptr[end - 2] == '\n')) end--;
    hbuf whole = {0};
    hbuf_add(&whole, s->ptr, end);
    counts c = count_stream(&whole);
    char events[32];
    snprintf(events, sizeof events, "%" PRIu64, c.events);
    static const struct {
        const char *uri, *error;
        int complete;
    } v[] = {
        /* Chunked: nginx knows the response was cut short, and so does the
         * client (no last chunk). */
        {"/chunked/llm/cut", "truncated", 0},
        /* Until the close: to nginx the response is whole; the unfinished
         * event is not. */
        {"/plain/llm/cut", "unterminated", 1},
    };
    for (size_t i = 0; i < 2; i++) {
        h_response r = get(t, v[i].uri, 20000);
        CHECK(same(&r.body, &whole), "%s: %zu bytes arrived, %zu expected", v[i].uri, r.body.len,
              whole.len);
        CHECK(r.complete == v[i].complete && !r.timed_out, "%s: complete %d, timed out %d",
              v[i].uri, r.complete, r.timed_out);
        h_response_free(&r);
        log_line l;
        if (access_log(t, v[i].uri, &l) != 0) continue;
        CHECK(strcmp(l.f[F_ERROR], v[i].error) == 0, "%s: $sse_error %s", v[i].uri, l.f[F_ERROR]);
        CHECK(strcmp(l.f[F_EVENTS], events) == 0, "%s: $sse_events %s, %s whole", v[i].uri,
              l.f[F_EVENTS], events);
        free(l.text);
    }
    hbuf_free(&whole);
    hbuf_free(&c.last_id);
}

/* What is not an event stream the module does not touch. */
static void case_not_sse(run *t) {
    const hbuf *json = find_stream("json");
    h_response r = get(t, "/plain/json/json", 10000);
    char *cl = h_header(&r, "Content-Length");
    CHECK(r.complete && same(&r.body, json) && !r.chunked && cl && (size_t)atol(cl) == json->len,
          "application/json: changed (chunked %d, Content-Length %s)", r.chunked, cl ? cl : "none");
    free(cl);
    h_response_free(&r);
    log_line l;
    if (access_log(t, "/plain/json/json", &l) == 0) {
        CHECK(strcmp(l.f[F_EVENTS], "-") == 0 && strcmp(l.f[F_ERROR], "-") == 0,
              "application/json: %s", l.text);
        free(l.text);
    }
    /* A compressed event stream is not read either, and says why. */
    r = get(t, "/plain/llm/gzip", 10000);
    CHECK(r.complete && same(&r.body, find_stream("llm")), "Content-Encoding: the body changed");
    h_response_free(&r);
    if (access_log(t, "/plain/llm/gzip", &l) == 0) {
        CHECK(strcmp(l.f[F_EVENTS], "-") == 0 && strcmp(l.f[F_ERROR], "encoded") == 0,
              "Content-Encoding: %s", l.text);
        free(l.text);
    }
}

/* A file nginx serves itself (sendfile buffers, read into memory for the
 * module), with events dropped. */
static void case_static(run *t) {
    const hbuf *s = find_stream("llm");
    hbuf want = {0};
    uint64_t dropped;
    without_type(&want, s, "\n\n", "event: ping\n", &dropped);
    h_response r = get(t, "/static/llm.sse", 20000);
    CHECK(r.complete && same(&r.body, &want), "static: %zu bytes, %zu expected", r.body.len,
          want.len);
    h_response_free(&r);
    expect_log_counts(t, "/static/llm.sse", s, &want, dropped, "-");
    hbuf_free(&want);
}

/* sse_validate: the validator's diagnostics in the error log, each at its
 * byte offset, as simdsse_validate finds them. */
typedef struct found {
    hbuf text;
    unsigned n;
} found;

static int on_diag(void *user, const simdsse_diagnostic *d) {
    found *f = user;
    hbuf_printf(&f->text, "%s at byte %" PRIu64 " [%s]\n", simdsse_severity_name(d->severity),
                d->offset, simdsse_diagnostic_code_name(d->code));
    f->n++;
    return 0;
}

static void case_validate(run *t) {
    const hbuf *s = find_stream("bad");
    found want = {{0}, 0};
    simdsse_validator_options o;
    simdsse_validator_options_init(&o);
    o.on_diagnostic = on_diag;
    o.user = &want;
    simdsse_validate(s->ptr, s->len, &o, NULL);
    CHECK(want.n >= 4, "the bad stream has only %u diagnostics", want.n);
    expect_same(t, "validate", "bad", "whole");
    /* Logged at request end at the latest; the access log line is later. */
    log_line l;
    if (access_log(t, "/validate/bad/whole", &l) == 0) free(l.text);
    char *log = h_nginx_file(&t->nginx, "error.log");
    CHECK(strstr(log, "did you mean 'data'") != NULL, "no suggestion in the log");
    hbuf got = {0};
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        char *m = strstr(line, "sse: ");
        if (!m || !(strstr(m, "sse: error at byte") || strstr(m, "sse: warning at byte"))) continue;
        char sev[16], code[64];
        unsigned long long at;
        char *br = strrchr(m, '[');
        if (sscanf(m, "sse: %15s at byte %llu", sev, &at) != 2 || !br ||
            sscanf(br, "[%63[^]]]", code) != 1)
            continue;
        hbuf_printf(&got, "%s at byte %llu [%s]\n", sev, at, code);
    }
    CHECK(got.len && same(&got, &want.text), "diagnostics logged:\n%s\nexpected:\n%s",
          got.ptr ? got.ptr : "", want.text.ptr);
    free(log);
    hbuf_free(&got);
    hbuf_free(&want.text);
}

/* A client slower than the upstream: what nginx has not sent yet stays
 * queued, pointing into the upstream's buffer (ranges) or the module's
 * carry, while the upstream goes on reading. Nothing may be overwritten. */
static void case_slow_client(run *t) {
    /* Written whole, the stream reaches nginx in reads cut anywhere. */
    static const char *const uris[] = {"/drop/llm-large/whole", "/plain/llm-large/whole"};
    const hbuf *s = find_stream("llm-large");
    hbuf dropped_form = {0};
    uint64_t dropped;
    without_type(&dropped_form, s, "\n\n", "event: ping\n", &dropped);
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        h_response r;
        int rc = h_get_slowly(t->nginx.port, uris[i], 60000, &r, 4096, 8192, 300);
        const hbuf *want = i == 0 ? &dropped_form : s;
        CHECK(rc == 0 && r.complete && same(&r.body, want),
              "%s: %zu bytes, %zu expected, first difference at %zu", uris[i], r.body.len,
              want->len, first_diff(&r.body, want));
        h_response_free(&r);
    }
    hbuf_free(&dropped_form);
}

/* The README's LLM gateway configuration, as written, but for its paths
 * and ports: nginx loads it, and an OpenAI stream through it leaves its
 * token usage in the access log in the README's format. */
static char *readme_conf(void) {
    size_t len;
    char *md = readme_path ? h_read_file(readme_path, &len) : NULL;
    CHECK(md != NULL, "no README (--readme)");
    if (!md) return NULL;
    char *from = strstr(md, "```nginx\n"), *to = from ? strstr(from + 9, "```") : NULL;
    CHECK(from && to, "README.md has no nginx block");
    if (!from || !to) {
        free(md);
        return NULL;
    }
    *to = '\0';
    static const char *const pairs[][2] = {
        {"modules/ngx_http_sse_module.so", "@MODULE@"},
        {"/var/log/nginx/", "@PREFIX@/"},
        {"listen 8080;", "listen 127.0.0.1:@PORT@;"},
        {"127.0.0.1:8000", "127.0.0.1:@UPSTREAM@"},
        {"http {\n", "http {\n@TEMP_PATHS@"},
    };
    hbuf conf = {0};
    /* In the foreground, as every other case runs it: a daemon would outlive
     * the test (the harness stops the process it started). */
    hbuf_str(&conf, "@USER@\ndaemon off;\npid @PREFIX@/nginx.pid;\nerror_log @PREFIX@/error.log info;\n");
    for (const char *p = from + 9; *p;) {
        size_t k;
        for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            if (strncmp(p, pairs[k][0], strlen(pairs[k][0])) == 0) break;
        if (k < sizeof pairs / sizeof pairs[0]) {
            hbuf_str(&conf, pairs[k][1]);
            p += strlen(pairs[k][0]);
        } else {
            hbuf_add(&conf, p++, 1);
        }
    }
    free(md);
    return conf.ptr;
}

static void case_readme(run *t) {
    char *conf = readme_conf();
    if (!conf) return;
    CHECK(strstr(conf, "@MODULE@") && strstr(conf, "@PORT@") && strstr(conf, "@UPSTREAM@") &&
              strstr(conf, "@PREFIX@/llm.log"),
          "the README's configuration is not the one this test knows:\n%s", conf);
    char *out;
    int rc = h_nginx_check(t->nginx_bin, work_dir, t->module, conf, &out);
    CHECK(rc == 0 && !strstr(out, "[warn]") && !strstr(out, "[emerg]"), "nginx -t:\n%s", out);
    free(out);
    if (h_upstream_start(&t->up, serve, NULL) != 0) return;
    t->up_started = 1;
    if (h_nginx_start(&t->nginx, t->nginx_bin, work_dir, t->module, conf, t->up.port) != 0) {
        free(conf);
        return;
    }
    t->nginx_started = 1;
    free(conf);
    h_response r = get(t, "/v1/openai/whole", 10000);
    CHECK(r.complete && same(&r.body, find_stream("openai")), "README gateway: the stream changed");
    h_response_free(&r);
    uint64_t until = h_now_ms() + 5000;
    char *log = NULL;
    do {
        free(log);
        log = h_nginx_file(&t->nginx, "llm.log");
        if (strstr(log, "/v1/openai/whole")) break;
        h_sleep_ms(20);
    } while (h_now_ms() < until);
    CHECK(strstr(log, "prompt=1234 completion=57") && strstr(log, "events=59 ") &&
              strstr(log, "error=- "),
          "README gateway's access log:\n%s", log);
    free(log);
}

/* MARK: - main */

static const struct {
    const char *name;
    void (*fn)(run *t);
    int needs_server;
} cases[] = {
    {"load", case_load, 0},
    {"passthrough", case_passthrough, 1},
    {"bytewise", case_bytewise, 1},
    {"line_ends", case_line_ends, 1},
    {"drop", case_drop, 1},
    {"limit_event", case_limit_event, 1},
    {"limit_line", case_limit_line, 1},
    {"heartbeat", case_heartbeat, 1},
    {"flush", case_flush, 1},
    {"openai", case_openai, 1},
    {"anthropic", case_anthropic, 1},
    {"upstream_cut", case_upstream_cut, 1},
    {"not_sse", case_not_sse, 1},
    {"static", case_static, 1},
    {"validate", case_validate, 1},
    {"slow_client", case_slow_client, 1},
    {"readme", case_readme, 0},
};

static int usage(void) {
    fprintf(stderr, "usage: nginx_test --nginx BIN --module SO [--ssecat BIN] [--readme README.md] "
                    "--work DIR CASE\ncases:");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) fprintf(stderr, " %s", cases[i].name);
    fputc('\n', stderr);
    return 2;
}

int main(int argc, char **argv) {
    run t;
    memset(&t, 0, sizeof t);
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--nginx") == 0 && i + 1 < argc)
            t.nginx_bin = argv[++i];
        else if (strcmp(argv[i], "--module") == 0 && i + 1 < argc)
            t.module = argv[++i];
        else if (strcmp(argv[i], "--ssecat") == 0 && i + 1 < argc)
            ssecat_bin = argv[++i];
        else if (strcmp(argv[i], "--work") == 0 && i + 1 < argc)
            work_dir = argv[++i];
        else if (strcmp(argv[i], "--readme") == 0 && i + 1 < argc)
            readme_path = argv[++i];
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else
            return usage();
    }
    if (!t.nginx_bin || !t.module || !work_dir || !name) return usage();
    if (access(t.nginx_bin, X_OK) != 0) {
        printf("SKIP: %s: not installed (Debian: apt-get install nginx nginx-dev)\n", t.nginx_bin);
        return 77;
    }
    /* nginx reads a relative load_module path from its prefix. */
    static char module_path[4096];
    if (!realpath(t.module, module_path)) {
        fprintf(stderr, "%s: %s\n", t.module, strerror(errno));
        return 1;
    }
    t.module = module_path;
    if (ssecat_bin && access(ssecat_bin, X_OK) != 0) {
        /* The log variables are held to it: a missing one is a failure. */
        fprintf(stderr, "%s: %s (build the ssecat target)\n", ssecat_bin, strerror(errno));
        return 1;
    }
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(cases[i].name, name) == 0) break;
    if (i == sizeof cases / sizeof cases[0]) return usage();

    mkdir(work_dir, 0755);
    make_streams();
    char www[1024];
    snprintf(www, sizeof www, "%s/www", work_dir);
    mkdir(www, 0755);
    snprintf(www, sizeof www, "%s/www/static", work_dir);
    mkdir(www, 0755);
    snprintf(www, sizeof www, "%s/www/static/llm.sse", work_dir);
    h_write_file(www, find_stream("llm")->ptr, find_stream("llm")->len);

    if (!cases[i].needs_server) {
        cases[i].fn(&t);
    } else if (start(&t) == 0) {
        cases[i].fn(&t);
    } else {
        CHECK(0, "could not start nginx and the upstream");
    }
    stop(&t);
    return check_done();
}
