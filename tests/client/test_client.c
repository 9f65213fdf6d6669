/*
 * test_client.c -- the client library against the scripted test server:
 * every case of the EventSource processing model, stopping from callbacks,
 * many streams on one thread, and your own event loop.
 * SPDX-License-Identifier: MIT
 *
 *     test_client SSE_TEST_SERVER WORKDIR
 *
 * Each case starts its own server (127.0.0.1, an ephemeral port), runs
 * clients on a multi until they close (bounded: a case that runs past its
 * deadline fails), then checks the events, the notices, and what every
 * request sent.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "check.h"
#include "simdsse_client.h"

/* MARK: - What a client saw */

typedef struct seen_event {
    char *type, *data, *id;
} seen_event;

typedef struct seen_notice {
    int kind, reason, curl_code;
    long status;
    uint64_t delay, at;
    unsigned attempt;
    char id[64];
    char message[256];
    simdsse_error error;
} seen_notice;

typedef struct seen {
    seen_event *ev;
    size_t n, cap;
    seen_notice no[64];
    size_t nn;
    seen_notice last; /* the last notice, however many came */
    size_t comments;
    /* what the callbacks do */
    size_t close_after, destroy_after; /* events; 0: never */
    int close_on_kind, destroy_on_kind, destroy_multi_on_kind; /* notice kind; 0: none */
    simdsse_client *other;       /* destroyed with the first event, if set */
    simdsse_client_multi *multi; /* for destroy_multi_on_kind */
    int destroyed;
} seen;

static char *dup_span(simdsse_span s) {
    char *p = malloc(s.len + 1);
    memcpy(p, s.ptr, s.len);
    p[s.len] = '\0';
    return p;
}

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    seen *s = user;
    CHECK(!s->destroyed, "a callback after destroy");
    if (s->n == s->cap) s->ev = realloc(s->ev, (s->cap = s->cap ? 2 * s->cap : 64) * sizeof *s->ev);
    s->ev[s->n].type = dup_span(ev->type);
    s->ev[s->n].data = dup_span(ev->data);
    s->ev[s->n].id = dup_span(ev->id);
    s->n++;
    if (s->other) {
        simdsse_client_destroy(s->other);
        s->other = NULL;
    }
    if (s->close_after && s->n == s->close_after) simdsse_client_close(c);
    if (s->destroy_after && s->n == s->destroy_after) {
        simdsse_client_destroy(c);
        s->destroyed = 1;
    }
}

static void on_comment(void *user, simdsse_client *c, simdsse_span text) {
    (void)c, (void)text;
    ((seen *)user)->comments++;
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    seen *s = user;
    CHECK(!s->destroyed, "a notice after destroy");
    {
        seen_notice *o = s->nn < sizeof s->no / sizeof s->no[0] ? &s->no[s->nn++] : &s->last;
        o->kind = n->kind;
        o->reason = n->reason;
        o->status = n->http_status;
        o->delay = n->delay_ms;
        o->attempt = n->attempt;
        o->curl_code = n->curl_code;
        o->error = n->error;
        o->at = harness_now_ms();
        snprintf(o->id, sizeof o->id, "%.*s", (int)n->last_event_id.len, n->last_event_id.ptr);
        snprintf(o->message, sizeof o->message, "%s", n->message);
        CHECK(n->message != NULL, "a notice without a message");
        s->last = *o;
    }
    if (s->close_on_kind == (int)n->kind) simdsse_client_close(c);
    if (s->destroy_on_kind == (int)n->kind) {
        simdsse_client_destroy(c);
        s->destroyed = 1;
    }
    if (s->destroy_multi_on_kind == (int)n->kind) simdsse_client_multi_destroy(s->multi);
}

static void seen_free(seen *s) {
    for (size_t i = 0; i < s->n; i++) free(s->ev[i].type), free(s->ev[i].data), free(s->ev[i].id);
    free(s->ev);
    memset(s, 0, sizeof *s);
}

/* The kinds of the notices, as a string: O(pen) E(rror) R(econnecting) C(losed). */
static const char *kinds(const seen *s) {
    static char k[80];
    size_t i;
    for (i = 0; i < s->nn && i < sizeof k - 1; i++) k[i] = " OERC"[s->no[i].kind];
    k[i] = '\0';
    return k;
}

static int data_is(const seen *s, size_t i, const char *data) {
    return i < s->n && strcmp(s->ev[i].data, data) == 0;
}

/* MARK: - Running */

static void options_for(simdsse_client_options *o, seen *s, const server *srv, const char *path) {
    static char url[256];
    simdsse_client_options_init(o);
    snprintf(url, sizeof url, "%s%s", srv->url, path);
    o->url = url;
    o->on_event = on_event;
    o->on_comment = on_comment;
    o->on_notice = on_notice;
    o->user = s;
    o->retry_ms = 20;
}

/* Polls until no client runs; 0 if that took longer than ms. */
static int run_multi(simdsse_client_multi *m, int ms) {
    uint64_t until = harness_now_ms() + (uint64_t)ms;
    int running = 1;
    while (running && harness_now_ms() < until)
        if (simdsse_client_multi_poll(m, 50, &running) != SIMDSSE_OK) return -1;
    return !running;
}

/* One client, one server, until it closes. */
static simdsse_client_multi *run_one(seen *s, server *srv, const char *path,
                                     void (*tweak)(simdsse_client_options *), int ms) {
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
    simdsse_client_options o;
    options_for(&o, s, srv, path);
    if (tweak) tweak(&o);
    simdsse_status st;
    simdsse_client *c = simdsse_client_create(m, &o, &st);
    CHECK(c != NULL, "create: %s", simdsse_strerror(st));
    CHECK(run_multi(m, ms) == 1, "the client did not close within %d ms (notices %s)", ms,
          kinds(s));
    CHECK(simdsse_client_state_get(c) == SIMDSSE_CLIENT_STATE_CLOSED, "state %d",
          simdsse_client_state_get(c));
    return m;
}

static const char *stream_head =
    "status 200\nheader Content-Type: text/event-stream\n";

/* MARK: - The processing model */

/* Dropped mid-event: the partial event is discarded, the reconnection
 * carries the last dispatched id (not the id line of the cut event), and
 * every event arrives once. */
static void test_drop_mid_event(void) {
    char script[1024];
    snprintf(script, sizeof script,
             "[1]\n%ssend id: 1\\ndata: one\\n\\nid: 2\\ndata: two\\n\\nid: 3\\ndata: thr\nclose\n"
             "[2]\n%ssend id: 3\\ndata: three\\n\\n\nsend id: 4\\nda\nreset\n"
             "[3]\n%ssend data: four\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head, stream_head);
    server srv;
    server_start(&srv, "drop", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/events", NULL, 5000);
    server_stop(&srv);
    CHECK(s.n == 4, "%zu events", s.n);
    CHECK(data_is(&s, 0, "one") && data_is(&s, 1, "two") && data_is(&s, 2, "three") &&
              data_is(&s, 3, "four"),
          "events in order, once each");
    CHECK(s.n == 4 && strcmp(s.ev[3].id, "3") == 0, "the last event keeps id 3");
    CHECK(strcmp(kinds(&s), "ORORORC") == 0, "notices %s", kinds(&s));
    CHECK(s.nn >= 2 && s.no[1].reason == SIMDSSE_CLIENT_REASON_END_OF_STREAM &&
              strcmp(s.no[1].id, "2") == 0,
          "first drop: end of stream, Last-Event-ID 2 (%s, %s)", s.no[1].message, s.no[1].id);
    CHECK(s.nn >= 4 && s.no[3].reason == SIMDSSE_CLIENT_REASON_NETWORK && s.no[3].curl_code != 0,
          "a reset is a network error: %s", s.no[3].message);
    CHECK(s.nn == 7 && s.no[6].reason == SIMDSSE_CLIENT_REASON_NO_CONTENT, "closed by 204");
    CHECK(server_requests(&srv) == 4, "%d requests", server_requests(&srv));
    for (int i = 1; i <= 4; i++) {
        char *r = server_request(&srv, i);
        CHECK(r && has_line(r, "GET /events HTTP/1.1"), "request %d: GET /events", i);
        CHECK(r && has_line(r, "Accept: text/event-stream"), "request %d: Accept", i);
        CHECK(r && has_line(r, "Cache-Control: no-cache"), "request %d: Cache-Control", i);
        const char *want = i == 1 ? NULL : i == 2 ? "2" : "3";
        const char *got = r ? header_of(r, "Last-Event-ID") : NULL;
        CHECK(want ? got && strcmp(got, want) == 0 : got == NULL,
              "request %d: Last-Event-ID %s, want %s", i, got ? got : "(none)",
              want ? want : "(none)");
        free(r);
    }
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* Many drops at random places (plain closes and resets): across the whole
 * run, events 1..300 arrive exactly once and in order. The server resumes
 * after each request's Last-Event-ID, so a wrong one would show. */
static void test_feed_exactly_once(void) {
    server srv;
    server_start(&srv, "feed", "[*]\nfeed 300 7\n");
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/feed", NULL, 20000);
    server_stop(&srv);
    int ok = s.n == 300;
    for (size_t i = 0; ok && i < s.n; i++) {
        char want[64];
        snprintf(want, sizeof want, (i + 1) % 5 ? "event %zu" : "event %zu\nline 2", i + 1);
        ok = strcmp(s.ev[i].data, want) == 0;
        if (!ok) fprintf(stderr, "event %zu: '%s', want '%s'\n", i, s.ev[i].data, want);
    }
    CHECK(ok, "300 events once each, in order (got %zu)", s.n);
    int requests = server_requests(&srv);
    CHECK(requests == 300 / 7 + 2, "%d requests, want %d", requests, 300 / 7 + 2);
    CHECK(s.last.reason == SIMDSSE_CLIENT_REASON_NO_CONTENT, "ends with 204: %s", s.last.message);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* `retry:` sets the wait (checked loosely: the delay is reported exactly,
 * the gap between requests is at least it). */
static void test_retry(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend retry: 300\\ndata: a\\n\\n\nclose\n"
             "[2]\n%ssend retry: 60\\ndata: b\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head);
    server srv;
    server_start(&srv, "retry", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", NULL, 5000);
    server_stop(&srv);
    CHECK(strcmp(kinds(&s), "ORORC") == 0, "notices %s", kinds(&s));
    CHECK(s.no[1].delay == 300 && s.no[3].delay == 60, "delays %" PRIu64 ", %" PRIu64,
          s.no[1].delay, s.no[3].delay);
    uint64_t gap1 = s.no[2].at - s.no[1].at, gap2 = s.no[4].at - s.no[3].at;
    CHECK(gap1 >= 290 && gap1 < 3000, "waited %" PRIu64 " ms for retry: 300", gap1);
    CHECK(gap2 >= 55 && gap2 < gap1, "waited %" PRIu64 " ms for retry: 60", gap2);
    CHECK(simdsse_client_retry(NULL) == 0, "retry of NULL");
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* 204, 404, 500, a wrong or missing type: closed at once, no reconnection. */
static void test_fail_the_connection(void) {
    static const struct {
        const char *name, *script;
        int reason;
        long status;
    } cases[] = {
        {"204", "[*]\nstatus 204\n", SIMDSSE_CLIENT_REASON_NO_CONTENT, 204},
        {"404", "[*]\nstatus 404\nheader Content-Type: text/html\nsend <html>gone</html>\n",
         SIMDSSE_CLIENT_REASON_HTTP_STATUS, 404},
        {"500", "[*]\nstatus 500\nheader Content-Type: text/event-stream\nsend data: x\\n\\n\n",
         SIMDSSE_CLIENT_REASON_HTTP_STATUS, 500},
        {"type", "[*]\nstatus 200\nheader Content-Type: text/plain\nsend data: x\\n\\n\n",
         SIMDSSE_CLIENT_REASON_CONTENT_TYPE, 200},
        {"notype", "[*]\nstatus 200\nsend data: x\\n\\n\n", SIMDSSE_CLIENT_REASON_CONTENT_TYPE,
         200},
        {"prefix", "[*]\nstatus 200\nheader Content-Type: text/event-streams\nsend data: x\\n\\n\n",
         SIMDSSE_CLIENT_REASON_CONTENT_TYPE, 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        server srv;
        server_start(&srv, cases[i].name, cases[i].script);
        seen s = {0};
        simdsse_client_multi *m = run_one(&s, &srv, "/", NULL, 3000);
        harness_sleep_ms(100); /* a reconnection would come after 20 ms */
        server_stop(&srv);
        CHECK(s.n == 0, "%s: %zu events", cases[i].name, s.n);
        CHECK(strcmp(kinds(&s), "C") == 0, "%s: notices %s", cases[i].name, kinds(&s));
        CHECK(s.nn && s.no[0].reason == cases[i].reason && s.no[0].status == cases[i].status,
              "%s: reason %d, status %ld (%s)", cases[i].name, s.no[0].reason, s.no[0].status,
              s.no[0].message);
        CHECK(server_requests(&srv) == 1, "%s: %d requests", cases[i].name, server_requests(&srv));
        simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
}

/* Content types: parameters, case and whitespace do not matter. */
static void test_content_types(void) {
    static const char *const types[] = {"text/event-stream; charset=utf-8", "Text/Event-Stream",
                                        "text/event-stream ;charset=UTF-8"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char script[256];
        snprintf(script, sizeof script,
                 "[1]\nstatus 200\nheader Content-Type: %s\nsend data: ok\\n\\n\n[*]\nstatus 204\n",
                 types[i]);
        server srv;
        server_start(&srv, "types", script);
        seen s = {0};
        simdsse_client_multi *m = run_one(&s, &srv, "/", NULL, 3000);
        server_stop(&srv);
        CHECK(s.n == 1 && data_is(&s, 0, "ok"), "'%s' opens the stream", types[i]);
        simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
}

/* Redirects are followed; a reconnection asks the original URL again. */
static void test_redirect(void) {
    char script[1024];
    snprintf(script, sizeof script,
             "[1]\nstatus 302\nheader Location: /stream\nheader Content-Length: 0\nend\n"
             "[2]\n%ssend id: 1\\ndata: one\\n\\n\nclose\n"
             "[3]\nstatus 307\nheader Location: /stream2\nheader Content-Length: 0\nend\n"
             "[4]\n%ssend data: two\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head);
    server srv;
    server_start(&srv, "redirect", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/start", NULL, 5000);
    server_stop(&srv);
    CHECK(s.n == 2 && data_is(&s, 0, "one") && data_is(&s, 1, "two"), "%zu events", s.n);
    static const char *const paths[] = {"/start", "/stream", "/start", "/stream2", "/start"};
    for (int i = 0; i < 5; i++) {
        char *r = server_request(&srv, i + 1), line[64];
        snprintf(line, sizeof line, "GET %s HTTP/1.1", paths[i]);
        CHECK(r && has_line(r, line), "request %d: %s", i + 1, line);
        const char *id = r ? header_of(r, "Last-Event-ID") : NULL;
        CHECK(i < 2 ? id == NULL : id && strcmp(id, "1") == 0, "request %d: Last-Event-ID %s",
              i + 1, id ? id : "(none)");
        free(r);
    }
    CHECK(strcmp(kinds(&s), "ORORC") == 0, "notices %s", kinds(&s));
    simdsse_client_multi_destroy(m);
    seen_free(&s);

    /* A redirect loop: past 20 redirects, fetch's network error, and one
     * that waiting cannot mend: closed, no reconnection. */
    server_start(&srv, "redirect-loop",
                 "[*]\nstatus 302\nheader Location: /x\nheader Content-Length: 0\nend\n");
    seen z = {0};
    m = run_one(&z, &srv, "/", NULL, 3000);
    harness_sleep_ms(60);
    server_stop(&srv);
    CHECK(strcmp(kinds(&z), "C") == 0 && z.no[0].reason == SIMDSSE_CLIENT_REASON_NETWORK &&
              z.no[0].curl_code == 47,
          "a redirect loop closes: %s %s", kinds(&z), z.no[0].message);
    CHECK(server_requests(&srv) == 21, "%d requests", server_requests(&srv));
    simdsse_client_multi_destroy(m);
    seen_free(&z);
}

static void no_redirects(simdsse_client_options *o) { o->max_redirects = 0; }

static void test_redirect_limit(void) {
    server srv;
    server_start(&srv, "redirect-none",
                 "[*]\nstatus 302\nheader Location: /x\nheader Content-Length: 0\n");
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", no_redirects, 3000);
    server_stop(&srv);
    CHECK(s.nn == 1 && s.no[0].reason == SIMDSSE_CLIENT_REASON_HTTP_STATUS && s.no[0].status == 302,
          "302 without redirects: %s", s.no[0].message);
    CHECK(server_requests(&srv) == 1, "%d requests", server_requests(&srv));
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* Chunked and gzip bodies, split anywhere; one byte per write; CRLF and a
 * BOM (re-armed for every connection). */
static void test_bodies(void) {
    static const struct {
        const char *name, *framing, *send;
    } cases[] = {
        {"chunked", "chunked\ntrailer X-Checksum: 1\n",
         "send id: 1\\nda\nsend ta: one\\n\nsend \\n\nsend data: two\\n\\n\n"},
        {"gzip", "gzip\n", "send id: 1\\ndata: one\\n\\n\nsleep 20\nsend data: two\\n\\n\n"},
        {"gzip-chunked", "chunked\ngzip\n", "send id: 1\\ndata: one\\n\\ndata: tw\nsend o\\n\\n\n"},
        {"bytewise", "bytewise 1\n", "send id: 1\\r\\ndata: one\\r\\n\\r\\ndata: two\\r\\r\n"},
        {"crlf-bom", "", "send \\xEF\\xBB\\xBFid: 1\\r\\ndata: one\\r\\n\\r\\ndata: two\\r\\n\\r\\n\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char script[1024];
        snprintf(script, sizeof script,
                 "[1]\n%s%s%s\nend\n[2]\n%s%s"
                 "send \\xEF\\xBB\\xBFdata: three\\n\\n\nend\n[*]\nstatus 204\n",
                 stream_head, cases[i].framing, cases[i].send, stream_head, cases[i].framing);
        server srv;
        server_start(&srv, cases[i].name, script);
        seen s = {0};
        simdsse_client_multi *m = run_one(&s, &srv, "/", NULL, 5000);
        server_stop(&srv);
        CHECK(s.n == 3 && data_is(&s, 0, "one") && data_is(&s, 1, "two") &&
                  data_is(&s, 2, "three"),
              "%s: %zu events: %s / %s", cases[i].name, s.n, s.n > 0 ? s.ev[0].data : "",
              s.n > 1 ? s.ev[1].data : "");
        CHECK(s.n == 3 && strcmp(s.ev[0].id, "1") == 0 && strcmp(s.ev[2].id, "1") == 0,
              "%s: ids", cases[i].name);
        CHECK(strcmp(kinds(&s), "ORORC") == 0, "%s: notices %s", cases[i].name, kinds(&s));
        char *r = server_request(&srv, 1);
        const char *enc = r ? header_of(r, "Accept-Encoding") : NULL;
        CHECK(enc && strstr(enc, "gzip"), "%s: Accept-Encoding %s", cases[i].name,
              enc ? enc : "(none)");
        free(r);
        simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
}

static void plain(simdsse_client_options *o) { o->no_compression = 1; }

static void test_no_compression(void) {
    char script[256];
    snprintf(script, sizeof script, "[1]\n%ssend data: x\\n\\n\n[*]\nstatus 204\n", stream_head);
    server srv;
    server_start(&srv, "plain", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", plain, 3000);
    server_stop(&srv);
    char *r = server_request(&srv, 1);
    CHECK(r && !header_of(r, "Accept-Encoding"), "no Accept-Encoding");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* An accepted connection that never answers, and a stream that goes
 * silent: the idle timeout reconnects; heartbeat comments keep it up. */
/* 450 ms: three times the heartbeats' 150, so a slow machine (valgrind,
 * a loaded CI) does not take a live stream for a dead one. */
static void idle_450(simdsse_client_options *o) { o->idle_timeout_ms = 450; }

static void test_idle_timeout(void) {
    char script[1024];
    snprintf(script, sizeof script,
             "[1]\nhang\n"
             "[2]\n%ssend id: 5\\ndata: five\\n\\n\nhang\n"
             "[3]\n%ssend :hb\\n\nsleep 150\nsend :hb\\n\nsleep 150\nsend :hb\\n\nsleep 150\n"
             "send :hb\\n\nsleep 150\nsend data: six\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head);
    server srv;
    server_start(&srv, "idle", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", idle_450, 5000);
    server_stop(&srv);
    CHECK(s.n == 2 && data_is(&s, 0, "five") && data_is(&s, 1, "six"), "%zu events", s.n);
    CHECK(strcmp(kinds(&s), "RORORC") == 0, "notices %s", kinds(&s));
    CHECK(s.nn > 2 && s.no[0].reason == SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT &&
              s.no[2].reason == SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT &&
              s.no[4].reason == SIMDSSE_CLIENT_REASON_END_OF_STREAM,
          "two idle timeouts, then the end (%s, %s, %s)", s.no[0].message, s.no[2].message,
          s.no[4].message);
    CHECK(s.comments == 4, "%zu heartbeats", s.comments);
    char *r = server_request(&srv, 3);
    const char *id = r ? header_of(r, "Last-Event-ID") : NULL;
    CHECK(id && strcmp(id, "5") == 0, "after the silent stream, Last-Event-ID 5");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* MARK: - Requests: POST, headers, ids */

static const char *const llm_headers[] = {"Authorization: Bearer sk-test-123",
                                          "Content-Type: application/json", NULL};
static const char llm_body[] =
    "{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

static void llm_post(simdsse_client_options *o) {
    o->headers = llm_headers;
    o->body = llm_body;
    o->body_len = sizeof llm_body - 1;
}

static void llm_post_reconnect(simdsse_client_options *o) {
    llm_post(o);
    o->reconnect = SIMDSSE_CLIENT_RECONNECT_ALWAYS;
}

static const char llm_script[] =
    "[1]\nstatus 200\nheader Content-Type: text/event-stream; charset=utf-8\nchunked\n"
    "send data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\\n\\n\n"
    "send data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\\n\\n\n"
    "send data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\\n\\n\n"
    "send data: [DONE]\\n\\n\nend\n"
    "[*]\nstatus 500\n";

static void test_post(void) {
    server srv;
    server_start(&srv, "post", llm_script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/v1/chat/completions", llm_post, 3000);
    harness_sleep_ms(100);
    server_stop(&srv);
    CHECK(s.n == 4 && data_is(&s, 3, "[DONE]"), "%zu events", s.n);
    CHECK(strcmp(kinds(&s), "OC") == 0 && s.no[1].reason == SIMDSSE_CLIENT_REASON_END_OF_STREAM,
          "a POST is not repeated by default: notices %s", kinds(&s));
    CHECK(server_requests(&srv) == 1, "%d requests", server_requests(&srv));
    char *r = server_request(&srv, 1), body[256];
    snprintf(body, sizeof body, "--- body %zu", sizeof llm_body - 1);
    CHECK(r && has_line(r, "POST /v1/chat/completions HTTP/1.1"), "POST");
    CHECK(r && has_line(r, "Authorization: Bearer sk-test-123"), "Authorization");
    CHECK(r && has_line(r, "Content-Type: application/json"), "Content-Type");
    CHECK(r && has_line(r, "Accept: text/event-stream"), "Accept");
    CHECK(r && has_line(r, body) && strstr(r, llm_body), "the body, whole");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);

    /* Opted in: the POST is repeated, body and Last-Event-ID included. */
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend id: 9\\ndata: a\\n\\n\nclose\n[*]\nstatus 204\n", stream_head);
    server_start(&srv, "post-again", script);
    m = run_one(&s, &srv, "/", llm_post_reconnect, 3000);
    server_stop(&srv);
    CHECK(strcmp(kinds(&s), "ORC") == 0, "notices %s", kinds(&s));
    r = server_request(&srv, 2);
    CHECK(r && has_line(r, "POST / HTTP/1.1") && strstr(r, llm_body), "the POST again");
    const char *id = r ? header_of(r, "Last-Event-ID") : NULL;
    CHECK(id && strcmp(id, "9") == 0, "with Last-Event-ID 9");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

static void put_method(simdsse_client_options *o) {
    o->method = "PUT";
    o->body = "x=1";
    o->body_len = 3;
}

static void test_method(void) {
    server srv;
    server_start(&srv, "put", "[*]\nstatus 204\n");
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/put", put_method, 3000);
    server_stop(&srv);
    char *r = server_request(&srv, 1);
    CHECK(r && has_line(r, "PUT /put HTTP/1.1") && has_line(r, "x=1"), "PUT with its body");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* Last-Event-ID: an id that is not UTF-8 is sent as a browser sends it
 * (U+FFFD per bad sequence); a caller's starting id is sent at once. */
static void resume_41(simdsse_client_options *o) { o->last_event_id = "41"; }

static void test_last_event_id(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend id: \\xFF\\xE2\\x82a\\xC3\\xA9\\xF0\\x9F\\x98\\x80\\ndata: x\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head);
    server srv;
    server_start(&srv, "id-utf8", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", resume_41, 3000);
    server_stop(&srv);
    char *r = server_request(&srv, 1);
    const char *id = r ? header_of(r, "Last-Event-ID") : NULL;
    CHECK(id && strcmp(id, "41") == 0, "the starting id is sent: %s", id ? id : "(none)");
    free(r);
    r = server_request(&srv, 2);
    id = r ? header_of(r, "Last-Event-ID") : NULL;
    CHECK(id && strcmp(id, "\xEF\xBF\xBD\xEF\xBF\xBD" "a\xC3\xA9\xF0\x9F\x98\x80") == 0,
          "invalid UTF-8 becomes U+FFFD, valid stays: %s", id ? id : "(none)");
    free(r);
    CHECK(s.nn > 1 && strcmp(s.no[1].id, "\xFF\xE2\x82" "a\xC3\xA9\xF0\x9F\x98\x80") == 0,
          "the notice reports the raw id");
    simdsse_client_multi_destroy(m);
    seen_free(&s);

    /* An empty id resets it: no header on the next request. */
    snprintf(script, sizeof script,
             "[1]\n%ssend id: 7\\ndata: a\\n\\n\nclose\n[2]\n%ssend id\\ndata: b\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head);
    server_start(&srv, "id-reset", script);
    m = run_one(&s, &srv, "/", NULL, 3000);
    server_stop(&srv);
    r = server_request(&srv, 3);
    CHECK(r && !header_of(r, "Last-Event-ID"), "an empty id sends no header");
    free(r);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* libcurl's proxy variables apply: with http_proxy set, the request goes
 * to the proxy (here the test server) in absolute form. */
static void test_proxy_variable(void) {
    char script[256];
    snprintf(script, sizeof script, "[1]\n%ssend data: via proxy\\n\\n\nclose\n[*]\nstatus 204\n",
             stream_head);
    server srv;
    server_start(&srv, "proxy", script);
    const char *saved[4] = {getenv("http_proxy"), getenv("no_proxy"), getenv("NO_PROXY"), NULL};
    char *keep[3];
    for (int i = 0; i < 3; i++) keep[i] = saved[i] ? strdup(saved[i]) : NULL;
    setenv("http_proxy", srv.url, 1);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
    seen s = {0};
    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = "http://stream.example.invalid/events";
    o.on_event = on_event;
    o.on_notice = on_notice;
    o.user = &s;
    o.retry_ms = 20;
    simdsse_client *c = simdsse_client_create(m, &o, NULL);
    CHECK(run_multi(m, 3000) == 1, "closed");
    static const char *const names[] = {"http_proxy", "no_proxy", "NO_PROXY"};
    for (int i = 0; i < 3; i++) {
        if (keep[i]) setenv(names[i], keep[i], 1);
        else unsetenv(names[i]);
        free(keep[i]);
    }
    server_stop(&srv);
    CHECK(s.n == 1 && data_is(&s, 0, "via proxy"), "%zu events through the proxy", s.n);
    char *r = server_request(&srv, 1);
    CHECK(r && has_line(r, "GET http://stream.example.invalid/events HTTP/1.1"),
          "the proxy got the absolute URL:\n%s", r ? r : "");
    free(r);
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* TLS, against a real TLS server (`openssl s_server -HTTP` sends a file
 * as the whole response): verification is on by default and a self-signed
 * certificate fails; with it as ca_file, or tls_insecure, the stream
 * arrives. Skipped, with a message, without the openssl command. */
static int tls_client(const char *url, const char *ca, int insecure, seen *s) {
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = url;
    o.on_event = on_event;
    o.on_notice = on_notice;
    o.user = s;
    o.ca_file = ca;
    o.tls_insecure = insecure;
    o.reconnect = SIMDSSE_CLIENT_RECONNECT_NEVER;
    simdsse_client *c = simdsse_client_create(m, &o, NULL);
    int ok = run_multi(m, 5000) == 1;
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    return ok;
}

static void test_tls(void) {
    if (system("openssl version >/dev/null 2>&1") != 0) {
        printf("tls                    SKIP: no openssl command (Debian: openssl)\n");
        return;
    }
    char dir[512], cmd[2048], path[600];
    snprintf(dir, sizeof dir, "%s/tls", harness_work);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
             "ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem -days 2 "
             "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
             dir, dir);
    CHECK(system(cmd) == 0, "a certificate");
    snprintf(path, sizeof path, "%s/events", dir);
    harness_write_file(path, "HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                             "id: 1\ndata: over tls\n\n");
    char *const argv[] = {"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", "cert.pem",
                          "-key", "key.pem", "-HTTP", "-naccept", "3", NULL};
    program p;
    program_start_in(&p, dir, argv);
    CHECK(program_wait_for(&p, "ACCEPT 127.0.0.1:", 5000), "s_server started: %s", p.out_buf);
    const char *at = strstr(p.out_buf, "ACCEPT 127.0.0.1:");
    char url[96];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/events", at ? atoi(at + 17) : 1);

    seen s = {0};
    CHECK(tls_client(url, NULL, 0, &s), "a self-signed server: closed in time");
    CHECK(s.n == 0 && s.nn == 1 && s.no[0].reason == SIMDSSE_CLIENT_REASON_NETWORK &&
              s.no[0].curl_code == 60,
          "verification is on by default: %s (curl %d)", s.nn ? s.no[0].message : "",
          s.nn ? s.no[0].curl_code : 0);
    seen_free(&s);
    snprintf(path, sizeof path, "%s/cert.pem", dir);
    for (int insecure = 0; insecure <= 1; insecure++) {
        CHECK(tls_client(url, insecure ? NULL : path, insecure, &s), "closed in time");
        CHECK(s.n == 1 && data_is(&s, 0, "over tls") && strcmp(kinds(&s), "OC") == 0 &&
                  s.no[1].reason == SIMDSSE_CLIENT_REASON_END_OF_STREAM,
              "%s: %zu events, notices %s", insecure ? "tls_insecure" : "ca_file", s.n, kinds(&s));
        seen_free(&s);
    }
    kill(p.pid, SIGTERM);
    program_finish(&p, 3000);
    program_free(&p);
}

/* What create refuses. */
static void test_bad_options(void) {
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
    simdsse_client_options o;
    simdsse_status st;
    static const char *const crlf[] = {"X-A: 1\r\nX-Injected: 2", NULL};
    static const char *const nocolon[] = {"X-A 1", NULL};
    static const char *const lei[] = {"last-event-id: 3", NULL};
    for (int i = 0; i < 10; i++) {
        simdsse_client_options_init(&o);
        o.url = "http://127.0.0.1:1/";
        switch (i) {
        case 0: o.url = NULL; break;
        case 1: o.url = "ftp://127.0.0.1/x"; break;
        case 2: o.url = "http://[::1"; break;
        case 3: o.headers = crlf; break;
        case 4: o.headers = nocolon; break;
        case 5: o.headers = lei; break;
        case 6: o.last_event_id = "1\n2"; break;
        case 7: o.method = "GE T"; break;
        case 8: o.buffer_size = 100; break;
        case 9: o.size = sizeof o - 8; break;
        }
        CHECK(simdsse_client_create(m, &o, &st) == NULL && st == SIMDSSE_ERR_INVALID_ARGUMENT,
              "case %d refused: %s", i, simdsse_strerror(st));
    }
    /* A larger struct from a newer header: fine while the unknown tail is 0. */
    struct {
        simdsse_client_options o;
        uint64_t newer;
    } big;
    memset(&big, 0, sizeof big);
    simdsse_client_options_init(&big.o);
    big.o.size = sizeof big;
    big.o.url = "http://127.0.0.1:1/";
    simdsse_client *c = simdsse_client_create(m, &big.o, &st);
    CHECK(c != NULL, "a larger zero-tailed struct: %s", simdsse_strerror(st));
    simdsse_client_destroy(c);
    big.newer = 1;
    CHECK(simdsse_client_create(m, &big.o, &st) == NULL && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "an option this library lacks is refused");
    simdsse_client_multi_options mo;
    simdsse_client_multi_options_init(&mo);
    mo.on_timer = (void (*)(void *, int64_t))1;
    CHECK(simdsse_client_multi_create(&mo, &st) == NULL && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "a timer callback without a socket callback");
    CHECK(simdsse_client_multi_poll(NULL, 0, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT, "poll NULL");
    CHECK(simdsse_client_multi_socket(m, 3, 0, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "socket() on a multi with its own loop");
    CHECK(strcmp(simdsse_client_reason_name(SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT), "idle-timeout") == 0 &&
              simdsse_client_reason_name(99) == NULL,
          "reason names");
    simdsse_client_multi_destroy(m);
}

/* Network errors: retried, with backoff; max_retries gives up. */
static int refused_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    bind(fd, (struct sockaddr *)&sa, sizeof sa);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    close(fd); /* nobody listens there now */
    return ntohs(sa.sin_port);
}

static void test_network_errors(void) {
    for (int jitter = 0; jitter <= 1; jitter++) {
        simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
        seen s = {0};
        char url[64];
        snprintf(url, sizeof url, "http://127.0.0.1:%d/", refused_port());
        simdsse_client_options o;
        simdsse_client_options_init(&o);
        o.url = url;
        o.on_notice = on_notice;
        o.user = &s;
        o.retry_ms = 10;
        o.backoff_max_ms = 80;
        o.max_retries = 5;
        o.jitter = jitter;
        simdsse_client *c = simdsse_client_create(m, &o, NULL);
        CHECK(run_multi(m, 5000) == 1, "gave up in time");
        CHECK(strcmp(kinds(&s), "RRRRRC") == 0, "notices %s", kinds(&s));
        static const uint64_t want[] = {10, 20, 40, 80, 80};
        for (size_t i = 0; i < 5 && i < s.nn; i++) {
            CHECK(s.no[i].reason == SIMDSSE_CLIENT_REASON_NETWORK && s.no[i].curl_code == 7,
                  "refused: %s", s.no[i].message);
            CHECK(s.no[i].attempt == i + 1, "attempt %u", s.no[i].attempt);
            CHECK(jitter ? s.no[i].delay >= want[i] && s.no[i].delay <= want[i] * 3 / 2
                         : s.no[i].delay == want[i],
                  "jitter %d: delay %" PRIu64 " for attempt %zu", jitter, s.no[i].delay, i + 1);
        }
        CHECK(s.nn == 6 && s.no[5].reason == SIMDSSE_CLIENT_REASON_MAX_RETRIES &&
                  strstr(s.no[5].message, "Couldn't connect"),
              "gave up: %s", s.nn == 6 ? s.no[5].message : "");
        simdsse_client_destroy(c);
        simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
}

/* A parser limit drops one event, says so, and the stream goes on. */
static simdsse_parser_options small_limits;

static void small_data(simdsse_client_options *o) {
    simdsse_parser_options_init(&small_limits);
    small_limits.max_data_length = 8;
    o->parser = &small_limits;
}

static void test_limit(void) {
    char script[256];
    snprintf(script, sizeof script,
             "[1]\n%ssend data: 0123456789\\n\\ndata: short\\n\\n\nend\n[*]\nstatus 204\n",
             stream_head);
    server srv;
    server_start(&srv, "limit", script);
    seen s = {0};
    simdsse_client_multi *m = run_one(&s, &srv, "/", small_data, 3000);
    server_stop(&srv);
    CHECK(s.n == 1 && data_is(&s, 0, "short"), "%zu events", s.n);
    CHECK(strcmp(kinds(&s), "OERC") == 0, "notices %s", kinds(&s));
    CHECK(s.nn > 1 && s.no[1].reason == SIMDSSE_CLIENT_REASON_LIMIT &&
              s.no[1].error.status == SIMDSSE_ERR_DATA_TOO_LONG,
          "a data limit: %s", s.no[1].message);
    simdsse_client_multi_destroy(m);
    seen_free(&s);
}

/* MARK: - Stopping, from anywhere */

static void test_stop_from_callbacks(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[*]\n%ssend id: 1\\ndata: a\\n\\nid: 2\\ndata: b\\n\\nid: 3\\ndata: c\\n\\n\nend\n",
             stream_head);
    /* close and destroy from on_event, after the 2nd of 3 events in one read */
    for (int destroy = 0; destroy <= 1; destroy++) {
        server srv;
        server_start(&srv, "stop-event", script);
        simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
        seen s = {0};
        if (destroy)
            s.destroy_after = 2;
        else
            s.close_after = 2;
        simdsse_client_options o;
        options_for(&o, &s, &srv, "/");
        simdsse_client *c = simdsse_client_create(m, &o, NULL);
        CHECK(run_multi(m, 3000) == 1, "stops");
        CHECK(s.n == 2, "%s in on_event: %zu events", destroy ? "destroy" : "close", s.n);
        CHECK(strcmp(kinds(&s), "O") == 0, "no notice after a close: %s", kinds(&s));
        if (!destroy) {
            CHECK(simdsse_client_state_get(c) == SIMDSSE_CLIENT_STATE_CLOSED, "closed");
            simdsse_span id = simdsse_client_last_event_id(c);
            CHECK(id.len == 1 && id.ptr[0] == '2', "the last id stays readable");
            simdsse_client_close(c); /* again: nothing */
            simdsse_client_destroy(c);
        }
        harness_sleep_ms(50);
        server_stop(&srv);
        CHECK(server_requests(&srv) == 1, "%d requests", server_requests(&srv));
        simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
    /* close in OPEN (no event), in RECONNECTING (no next request), destroy in
     * CLOSED, destroy the multi in OPEN */
    static const struct {
        int close_on, destroy_on, multi_on;
        const char *script, *kinds;
        size_t events;
        int requests;
    } cases[] = {
        {SIMDSSE_CLIENT_OPEN, 0, 0, NULL, "O", 0, 1},
        {SIMDSSE_CLIENT_RECONNECTING, 0, 0, NULL, "OR", 3, 1},
        {0, SIMDSSE_CLIENT_RECONNECTING, 0, NULL, "OR", 3, 1},
        {0, SIMDSSE_CLIENT_CLOSED, 0, "[*]\nstatus 404\n", "C", 0, 1},
        {0, 0, SIMDSSE_CLIENT_OPEN, NULL, "O", 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        server srv;
        server_start(&srv, "stop-notice", cases[i].script ? cases[i].script : script);
        simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
        seen s = {0};
        s.close_on_kind = cases[i].close_on;
        s.destroy_on_kind = cases[i].destroy_on;
        s.destroy_multi_on_kind = cases[i].multi_on;
        s.multi = m;
        simdsse_client_options o;
        options_for(&o, &s, &srv, "/");
        simdsse_client *c = simdsse_client_create(m, &o, NULL);
        simdsse_status st = SIMDSSE_OK;
        int running = 1;
        uint64_t until = harness_now_ms() + 3000;
        while (running && st == SIMDSSE_OK && harness_now_ms() < until)
            st = simdsse_client_multi_poll(m, 50, &running);
        CHECK(cases[i].multi_on ? st == SIMDSSE_DESTROYED : st == SIMDSSE_OK && !running,
              "case %zu: %s", i, simdsse_strerror(st));
        CHECK(strcmp(kinds(&s), cases[i].kinds) == 0, "case %zu: notices %s", i, kinds(&s));
        CHECK(s.n == cases[i].events, "case %zu: %zu events", i, s.n);
        harness_sleep_ms(60);
        server_stop(&srv);
        CHECK(server_requests(&srv) == cases[i].requests, "case %zu: %d requests", i,
              server_requests(&srv));
        if (cases[i].close_on) simdsse_client_destroy(c);
        if (!cases[i].multi_on) simdsse_client_multi_destroy(m);
        seen_free(&s);
    }
}

/* MARK: - Many streams, one thread */

/* 40 clients on one multi, each dropped every 5 events: each gets its own
 * 60 events exactly once. One of them destroys another from its callback. */
static void test_many(void) {
    enum { N = 40 };
    server srv;
    server_start(&srv, "many", "[*]\nfeed 60 5\n");
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
    seen s[N];
    simdsse_client *c[N];
    memset(s, 0, sizeof s);
    for (int i = 0; i < N; i++) {
        simdsse_client_options o;
        options_for(&o, &s[i], &srv, "/many");
        c[i] = simdsse_client_create(m, &o, NULL);
    }
    s[0].other = c[1]; /* destroyed by c[0]'s first event */
    CHECK(simdsse_client_multi_running(m) == N, "%d running", simdsse_client_multi_running(m));
    CHECK(run_multi(m, 20000) == 1, "all done");
    int all = 1;
    for (int i = 0; i < N; i++) {
        if (i == 1) continue;
        int ok = s[i].n == 60;
        for (size_t k = 0; ok && k < 60; k++) {
            char want[48];
            snprintf(want, sizeof want, (k + 1) % 5 ? "event %zu" : "event %zu\nline 2", k + 1);
            ok = strcmp(s[i].ev[k].data, want) == 0;
        }
        if (!ok) fprintf(stderr, "client %d: %zu events\n", i, s[i].n);
        all &= ok;
    }
    CHECK(all, "every client got its 60 events once each");
    CHECK(s[1].n <= 5, "the destroyed client stopped (%zu events)", s[1].n);
    server_stop(&srv);
    for (int i = 0; i < N; i++) {
        CHECK(i == 1 || simdsse_client_memory(c[i]) > 0, "memory");
        if (i != 1) simdsse_client_destroy(c[i]);
        seen_free(&s[i]);
    }
    simdsse_client_multi_destroy(m);
}

/* Idle streams cost nothing: the loop sleeps until something happens.
 * (libcurl's timer is one-shot; a spent one that stayed due made the loop
 * spin at 100% CPU when no connect timeout kept another timer pending.) */
static void test_idle_sleeps(void) {
    char script[256];
    snprintf(script, sizeof script, "[*]\n%ssend : hello\\n\nhang\n", stream_head);
    for (int ct = 0; ct <= 1; ct++) {
        server srv;
        server_start(&srv, "idle-sleeps", script);
        simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
        seen s[5];
        simdsse_client *c[5];
        memset(s, 0, sizeof s);
        for (int i = 0; i < 5; i++) {
            simdsse_client_options o;
            options_for(&o, &s[i], &srv, "/");
            o.connect_timeout_ms = ct ? 10000 : 0;
            c[i] = simdsse_client_create(m, &o, NULL);
        }
        int running = 5, open = 0;
        uint64_t until = harness_now_ms() + 3000;
        while (open < 5 && harness_now_ms() < until) {
            simdsse_client_multi_poll(m, 50, &running);
            open = 0;
            for (int i = 0; i < 5; i++) open += s[i].comments == 1;
        }
        CHECK(open == 5, "all open and idle");
        int turns = 0;
        until = harness_now_ms() + 400;
        while (harness_now_ms() < until) {
            simdsse_client_multi_poll(m, 1000, &running);
            turns++;
        }
        CHECK(turns < 40, "connect timeout %d: %d turns in 400 idle ms", ct, turns);
        for (int i = 0; i < 5; i++) simdsse_client_destroy(c[i]), seen_free(&s[i]);
        simdsse_client_multi_destroy(m);
        server_stop(&srv);
    }
}

/* MARK: - Your own loop (poll(2)) */

typedef struct my_loop {
    struct pollfd fds[256];
    int n;
    int64_t timer; /* absolute ms, -1: none */
    int sockets_calls, timer_calls;
} my_loop;

static void my_socket(void *user, int fd, unsigned events) {
    my_loop *l = user;
    l->sockets_calls++;
    int i = 0;
    while (i < l->n && l->fds[i].fd != fd) i++;
    if (!events) {
        if (i < l->n) l->fds[i] = l->fds[--l->n];
        return;
    }
    if (i == l->n) l->fds[l->n++].fd = fd;
    l->fds[i].events = (short)((events & SIMDSSE_CLIENT_POLL_IN ? POLLIN : 0) |
                               (events & SIMDSSE_CLIENT_POLL_OUT ? POLLOUT : 0));
}

static void my_timer(void *user, int64_t ms) {
    my_loop *l = user;
    l->timer_calls++;
    l->timer = ms < 0 ? -1 : (int64_t)harness_now_ms() + ms;
}

static void test_own_loop(void) {
    enum { N = 10 };
    server srv;
    server_start(&srv, "own-loop", "[*]\nfeed 30 4\n");
    my_loop l = {.timer = -1};
    simdsse_client_multi_options mo;
    simdsse_client_multi_options_init(&mo);
    mo.on_socket = my_socket;
    mo.on_timer = my_timer;
    mo.loop_user = &l;
    simdsse_client_multi *m = simdsse_client_multi_create(&mo, NULL);
    seen s[N];
    simdsse_client *c[N];
    memset(s, 0, sizeof s);
    for (int i = 0; i < N; i++) {
        simdsse_client_options o;
        options_for(&o, &s[i], &srv, "/own");
        c[i] = simdsse_client_create(m, &o, NULL);
    }
    CHECK(l.timer >= 0, "create armed the timer");
    CHECK(simdsse_client_multi_poll(m, 0, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "poll() on a multi with your loop");
    int running = N;
    uint64_t until = harness_now_ms() + 10000;
    while (running && harness_now_ms() < until) {
        int64_t now = (int64_t)harness_now_ms();
        int wait = l.timer < 0 ? 100 : l.timer <= now ? 0 : (int)(l.timer - now);
        struct pollfd fds[256];
        int n = l.n;
        memcpy(fds, l.fds, (size_t)n * sizeof *fds);
        int r = poll(fds, (nfds_t)n, wait);
        for (int i = 0; r > 0 && i < n; i++) {
            if (!fds[i].revents) continue;
            unsigned ev = (fds[i].revents & POLLIN ? SIMDSSE_CLIENT_POLL_IN : 0u) |
                          (fds[i].revents & POLLOUT ? SIMDSSE_CLIENT_POLL_OUT : 0u) |
                          (fds[i].revents & (POLLERR | POLLHUP) ? SIMDSSE_CLIENT_POLL_ERR : 0u);
            simdsse_client_multi_socket(m, fds[i].fd, ev, &running);
        }
        if (l.timer >= 0 && (int64_t)harness_now_ms() >= l.timer)
            simdsse_client_multi_socket(m, SIMDSSE_CLIENT_TIMEOUT, 0, &running);
    }
    CHECK(running == 0, "%d still running", running);
    int all = 1;
    for (int i = 0; i < N; i++) {
        if (!(s[i].n == 30 && data_is(&s[i], 29, "event 30\nline 2")))
            fprintf(stderr, "client %d: %zu events, notices %s\n", i, s[i].n, kinds(&s[i]));
        all &= s[i].n == 30 && data_is(&s[i], 29, "event 30\nline 2");
        simdsse_client_destroy(c[i]);
        seen_free(&s[i]);
    }
    CHECK(all, "every client got its 30 events");
    CHECK(l.sockets_calls > 0 && l.timer_calls > 0, "the loop was used");
    simdsse_client_multi_destroy(m);
    CHECK(l.n == 0, "every socket was given back (%d left)", l.n);
    server_stop(&srv);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_client SSE_TEST_SERVER WORKDIR\n");
        return 2;
    }
    harness_server_bin = argv[1];
    harness_work = argv[2];
    signal(SIGPIPE, SIG_IGN);
    const char *only = getenv("TEST_CLIENT_ONLY");
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"drop_mid_event", test_drop_mid_event},
        {"feed_exactly_once", test_feed_exactly_once},
        {"retry", test_retry},
        {"fail_the_connection", test_fail_the_connection},
        {"content_types", test_content_types},
        {"redirect", test_redirect},
        {"redirect_limit", test_redirect_limit},
        {"bodies", test_bodies},
        {"no_compression", test_no_compression},
        {"idle_timeout", test_idle_timeout},
        {"post", test_post},
        {"method", test_method},
        {"last_event_id", test_last_event_id},
        {"proxy_variable", test_proxy_variable},
        {"tls", test_tls},
        {"bad_options", test_bad_options},
        {"network_errors", test_network_errors},
        {"limit", test_limit},
        {"stop_from_callbacks", test_stop_from_callbacks},
        {"many", test_many},
        {"idle_sleeps", test_idle_sleeps},
        {"own_loop", test_own_loop},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (only && !strstr(only, tests[i].name)) continue;
        unsigned long failed = check_failed;
        uint64_t t0 = harness_now_ms();
        tests[i].fn();
        printf("%-22s %s (%" PRIu64 " ms)\n", tests[i].name,
               check_failed == failed ? "ok" : "FAILED", harness_now_ms() - t0);
    }
    return check_done();
}
