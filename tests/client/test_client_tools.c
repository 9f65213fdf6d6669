/*
 * test_client_tools.c -- the programs built on the client, run as a user
 * runs them against the scripted test server: `ssecat URL` and the
 * examples llm_stream, client_poll, sse_client and client_libuv.
 * SPDX-License-Identifier: MIT
 *
 *     test_client_tools SSE_TEST_SERVER WORKDIR [--ssecat PATH]
 *                       [--llm PATH] [--poll PATH] [--sse-client PATH]
 *                       [--libuv PATH]
 *
 * Runs the cases of each program given. Every program is killed if it runs
 * past its deadline (which fails the case). With $SIMDSSE_TEST_WRAPPER set
 * (say, to a valgrind command line) every program runs under it.
 */
#include "harness.h"

#include "check.h"

static const char *ssecat_bin, *llm_bin, *poll_bin, *sse_client_bin, *libuv_bin;

static const char stream_head[] = "status 200\nheader Content-Type: text/event-stream\n";

/* Runs argv (NULL-terminated, argv[0] the program) to its end. */
static void run(program *p, const char *const *argv, int ms) {
    program_run(p, (char *const *)argv, ms);
}

/* MARK: - ssecat URL */

static void test_ssecat_plain(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend id: 1\\ndata: one\\n\\nid: 2\\nevent: tick\\ndata: two\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head);
    server srv;
    server_start(&srv, "ssecat-plain", script);
    char url[160];
    snprintf(url, sizeof url, "%s/events", srv.url);
    program p;
    const char *argv[] = {ssecat_bin, url, NULL};
    run(&p, argv, 5000);
    CHECK(p.status == 0, "exit %d: %s", p.status, p.err_buf);
    CHECK(strcmp(p.out_buf, "#1 type=\"message\" id=\"1\" data=\"one\"\n"
                            "#2 type=\"tick\" id=\"2\" data=\"two\"\n") == 0,
          "the events, as for a file:\n%s", p.out_buf);
    CHECK(p.err_len == 0, "nothing on stderr without --follow: %s", p.err_buf);
    program_free(&p);

    /* --json, -H, -X, -d: an LLM-style POST. */
    const char *jargv[] = {ssecat_bin, "--json", "-H", "Authorization: Bearer t0k",
                           "-H", "Content-Type: application/json", "-X", "POST",
                           "-d", "{\"stream\":true}", url, NULL};
    run(&p, jargv, 5000);
    CHECK(p.status == 0, "--json exit %d: %s", p.status, p.err_buf);
    CHECK(strstr(p.out_buf, "{\"event\":\"message\",\"data\":\"\",\"id\":\"\"}") == NULL &&
              p.status == 0,
          "a 204 prints nothing");
    server_stop(&srv);
    char *r = server_request(&srv, 2);
    CHECK(r && has_line(r, "POST /events HTTP/1.1") && has_line(r, "Authorization: Bearer t0k") &&
              has_line(r, "Content-Type: application/json") && has_line(r, "{\"stream\":true}"),
          "-H, -X and -d reach the server:\n%s", r ? r : "(none)");
    CHECK(r && has_line(r, "Accept: text/event-stream"), "Accept");
    free(r);
    program_free(&p);
}

static void test_ssecat_failures(void) {
    static const struct {
        const char *script, *reason;
        int status;
    } cases[] = {
        {"[*]\nstatus 404\nsend nope\n", "HTTP 404", 1},
        {"[*]\nstatus 200\nheader Content-Type: text/html\nsend <p>\n", "text/html", 1},
        {"[*]\nstatus 204\n", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        server srv;
        server_start(&srv, "ssecat-fail", cases[i].script);
        program p;
        const char *argv[] = {ssecat_bin, srv.url, NULL};
        run(&p, argv, 5000);
        server_stop(&srv);
        CHECK(p.status == cases[i].status, "case %zu: exit %d, want %d", i, p.status,
              cases[i].status);
        CHECK(strstr(p.err_buf, cases[i].reason) != NULL, "case %zu: says why: %s", i, p.err_buf);
        CHECK(server_requests(&srv) == 1, "case %zu: one request", i);
        program_free(&p);
    }
    /* Nobody listening, and an accepted connection that never answers. */
    server srv;
    server_start(&srv, "ssecat-hang", "[*]\nhang\n");
    program p;
    char url[160];
    snprintf(url, sizeof url, "%s/", srv.url);
    const char *hang[] = {ssecat_bin, "--timeout", "0.3", url, NULL};
    uint64_t t0 = harness_now_ms();
    run(&p, hang, 5000);
    CHECK(p.status == 1 && strstr(p.err_buf, "nothing received for 300 ms"),
          "--timeout: exit %d: %s", p.status, p.err_buf);
    CHECK(harness_now_ms() - t0 < 3000u * (unsigned)harness_slow, "--timeout took %llu ms",
          (unsigned long long)(harness_now_ms() - t0));
    program_free(&p);
    server_stop(&srv);
    const char *refused[] = {ssecat_bin, url, NULL}; /* the server is gone */
    run(&p, refused, 5000);
    CHECK(p.status == 1 && strstr(p.err_buf, "connect"), "refused: exit %d: %s", p.status,
          p.err_buf);
    program_free(&p);
    /* Usage errors. */
    const char *bad[][5] = {{ssecat_bin, "-H", NULL, NULL},
                            {ssecat_bin, "--follow", NULL, NULL},
                            {ssecat_bin, "--max-events", "0", "http://127.0.0.1:1/"},
                            {ssecat_bin, "--timeout", "-1", "http://127.0.0.1:1/"},
                            {ssecat_bin, "-H", "Bad\r\nX: y", "http://127.0.0.1:1/"},
                            {ssecat_bin, "--chunk", "4", "http://127.0.0.1:1/"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run(&p, bad[i], 5000);
        CHECK(p.status == 2 && p.err_len > 0, "usage %zu: exit %d: %s", i, p.status, p.err_buf);
        program_free(&p);
    }
}

/* --follow: status lines, reconnection with Last-Event-ID, the end at 204;
 * --max-events; -d @FILE. */
static void test_ssecat_follow(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend retry: 30\\nid: 1\\ndata: one\\n\\nid: 2\\ndata: tw\nclose\n"
             "[2]\n%ssend id: 2\\ndata: two\\n\\n\nclose\n"
             "[*]\nstatus 204\n",
             stream_head, stream_head);
    server srv;
    server_start(&srv, "ssecat-follow", script);
    char body[512];
    snprintf(body, sizeof body, "%s/body.json", harness_work);
    harness_write_file(body, "{\"a\":\n1}\n");
    char at[520];
    snprintf(at, sizeof at, "@%s", body);
    program p;
    const char *argv[] = {ssecat_bin, "--follow", "-d", at, srv.url, NULL};
    run(&p, argv, 5000);
    server_stop(&srv);
    CHECK(p.status == 0, "exit %d", p.status);
    CHECK(strcmp(p.out_buf, "#1 type=\"message\" id=\"1\" data=\"one\"\n"
                            "#2 type=\"message\" id=\"2\" data=\"two\"\n") == 0,
          "events once each:\n%s", p.out_buf);
    CHECK(strstr(p.err_buf, "ssecat: connected (HTTP 200, text/event-stream)\n") &&
              strstr(p.err_buf, "ssecat: end of stream; reconnecting in 30 ms with "
                                "Last-Event-ID \"1\"\n") &&
              strstr(p.err_buf, "ssecat: closed: HTTP 204 No Content: the server is done\n"),
          "status lines:\n%s", p.err_buf);
    char *r = server_request(&srv, 2);
    CHECK(r && has_line(r, "POST / HTTP/1.1") && strstr(r, "--- body 9\n{\"a\":\n1}\n"),
          "--follow repeats the POST with the file's bytes as they are:\n%s", r ? r : "");
    const char *id = r ? header_of(r, "Last-Event-ID") : NULL;
    CHECK(id && strcmp(id, "1") == 0, "Last-Event-ID 1");
    free(r);
    program_free(&p);

    /* --max-events across a reconnection. */
    server_start(&srv, "ssecat-max", "[*]\nfeed 50 4\n");
    const char *max[] = {ssecat_bin, "--follow", "--max-events", "6", "--json", srv.url, NULL};
    run(&p, max, 5000);
    server_stop(&srv);
    CHECK(p.status == 0, "--max-events: exit %d", p.status);
    CHECK(strstr(p.out_buf, "{\"event\":\"message\",\"data\":\"event 6\",\"id\":\"6\"}\n") &&
              !strstr(p.out_buf, "event 7"),
          "stops after 6:\n%s", p.out_buf);
    CHECK(server_requests(&srv) == 2, "%d requests", server_requests(&srv));
    program_free(&p);
}

/* Events appear as they arrive (flushed per event, through a pipe), and
 * Ctrl-C ends --follow cleanly. */
static void test_ssecat_live(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend data: first\\n\\n\nawait\nsend data: second\\n\\n\nhang\n", stream_head);
    server srv;
    server_start(&srv, "ssecat-live", script);
    program p;
    char *const argv[] = {(char *)ssecat_bin, "--follow", srv.url, NULL};
    program_start(&p, argv);
    CHECK(program_wait_for(&p, "data=\"first\"", 5000), "the first event arrives at once");
    server_release(&srv); /* only now is the second sent */
    CHECK(program_wait_for(&p, "data=\"second\"", 5000), "then the second");
    kill(p.pid, SIGINT);
    program_finish(&p, 5000);
    CHECK(p.status == 0, "Ctrl-C: exit %d", p.status);
    CHECK(strstr(p.err_buf, "ssecat: closed: interrupted\n"), "says so:\n%s", p.err_buf);
    server_stop(&srv);
    program_free(&p);
}

/* MARK: - Examples */

static const char llm_stream_script[] =
    "[1]\nstatus 200\nheader Content-Type: text/event-stream\nchunked\n"
    "send data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
    "\"content\":\"\"}}]}\\n\\n\n"
    "send data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\\n\\n\n"
    "send data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo, "
    "\\\\\"w\\\\u00f6rld\\\\\" \\\\ud83d\\\\ude00\"}}]}\\n\\n\n"
    "send data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
    "\"stop\"}]}\\n\\n\n"
    "send data: [DONE]\\n\\n\nend\n"
    "[*]\nstatus 500\n";

static void test_llm_stream(void) {
    server srv;
    server_start(&srv, "llm", llm_stream_script);
    char url[160];
    snprintf(url, sizeof url, "%s/v1/chat/completions", srv.url);
    setenv("OPENAI_API_KEY", "sk-test-42", 1);
    program p;
    const char *argv[] = {llm_bin, "--url", url, "--model", "m1", "Say \"hi\"", NULL};
    run(&p, argv, 5000);
    harness_sleep_ms(50);
    server_stop(&srv);
    CHECK(p.status == 0, "exit %d: %s", p.status, p.err_buf);
    CHECK(strcmp(p.out_buf, "Hello, \"w\xC3\xB6rld\" \xF0\x9F\x98\x80\n") == 0,
          "the deltas, decoded: '%s'", p.out_buf);
    char *r = server_request(&srv, 1);
    CHECK(r && has_line(r, "POST /v1/chat/completions HTTP/1.1") &&
              has_line(r, "Authorization: Bearer sk-test-42") &&
              has_line(r, "Content-Type: application/json") &&
              has_line(r, "{\"model\":\"m1\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                          "\"content\":\"Say \\\"hi\\\"\"}]}"),
          "the request:\n%s", r ? r : "");
    free(r);
    CHECK(server_requests(&srv) == 1, "not repeated");
    program_free(&p);

    /* A stream that ends before [DONE], and an API error. */
    static const struct {
        const char *script, *says;
    } bad[] = {
        {"[*]\nstatus 200\nheader Content-Type: text/event-stream\n"
         "send data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\\n\\n\nclose\n",
         "end of stream before [DONE]"},
        {"[*]\nstatus 401\nheader Content-Type: application/json\nsend {\"error\":{}}\n",
         "HTTP 401"},
    };
    for (size_t i = 0; i < 2; i++) {
        server_start(&srv, "llm-bad", bad[i].script);
        snprintf(url, sizeof url, "%s/v1/chat/completions", srv.url);
        run(&p, argv, 5000);
        server_stop(&srv);
        CHECK(p.status == 1 && strstr(p.err_buf, bad[i].says), "case %zu: exit %d: %s", i,
              p.status, p.err_buf);
        program_free(&p);
    }
}

static void test_client_poll(void) {
    server srv;
    server_start(&srv, "poll", "[*]\nfeed 12 5\n");
    char a[160], b[160], c[160];
    snprintf(a, sizeof a, "%s/a", srv.url);
    snprintf(b, sizeof b, "%s/b", srv.url);
    snprintf(c, sizeof c, "%s/c", srv.url);
    program p;
    const char *argv[] = {poll_bin, a, b, c, NULL};
    run(&p, argv, 10000);
    server_stop(&srv);
    CHECK(p.status == 0, "exit %d: %s", p.status, p.err_buf);
    for (int s = 1; s <= 3; s++) {
        int all = 1;
        for (int k = 1; k <= 12; k++) {
            char line[64];
            snprintf(line, sizeof line, "%d: event %d", s, k);
            int n = 0;
            for (const char *q = p.out_buf; (q = strstr(q, line)); q++)
                if ((q == p.out_buf || q[-1] == '\n') && (q[strlen(line)] == '\n')) n++;
            all &= n == 1;
        }
        CHECK(all, "stream %d: events 1..12 once each", s);
    }
    CHECK(server_requests(&srv) == 3 * 4, "%d requests", server_requests(&srv));
    program_free(&p);
}

static void test_sse_client(void) {
    char script[512];
    snprintf(script, sizeof script,
             "[1]\n%ssend retry: 10\\nid: 1\\ndata: one\\n\\n\nclose\n"
             "[2]\n%ssend id: 2\\ndata: two\\n\\n\nclose\n[*]\nstatus 204\n",
             stream_head, stream_head);
    server srv;
    server_start(&srv, "sse-client", script);
    program p;
    const char *argv[] = {sse_client_bin, "--json", srv.url, NULL};
    run(&p, argv, 5000);
    server_stop(&srv);
    CHECK(p.status == 0, "exit %d: %s", p.status, p.err_buf);
    CHECK(strcmp(p.out_buf, "{\"event\":\"message\",\"data\":\"one\",\"id\":\"1\"}\n"
                            "{\"event\":\"message\",\"data\":\"two\",\"id\":\"2\"}\n") == 0,
          "events:\n%s", p.out_buf);
    CHECK(strstr(p.err_buf, "reconnecting in 10 ms (#1, Last-Event-ID \"1\")") &&
              strstr(p.err_buf, "204 No Content"),
          "log:\n%s", p.err_buf);
    program_free(&p);
}

/* The lines of out that start with "N: ", in order, without that prefix
 * (the events of stream N as client_libuv prints them). Free it. */
static char *stream_lines(const char *out, int n) {
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%d: ", n);
    size_t plen = strlen(prefix);
    char *lines = calloc(1, strlen(out) + 1);
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        size_t len = strcspn(p, "\n");
        if (strncmp(p, prefix, plen) == 0) {
            strncat(lines, p + plen, len - plen);
            strcat(lines, "\n");
        }
    }
    return lines;
}

/* The Last-Event-ID of every request for `path`, in order ("-" for none),
 * as "-,5,10". Free it. */
static char *ids_sent(const server *srv, const char *path) {
    char want[160];
    snprintf(want, sizeof want, "GET %s HTTP/1.1", path);
    size_t cap = 4096, len = 0;
    char *ids = calloc(1, cap);
    char *r;
    for (int i = 1; ids && (r = server_request(srv, i)); i++) {
        if (has_line(r, want) && len < cap) {
            const char *id = header_of(r, "Last-Event-ID");
            /* Truncated past cap: the comparison then fails, as it should. */
            int n = snprintf(ids + len, cap - len, "%s%.64s", len ? "," : "", id ? id : "-");
            if (n > 0) len += (size_t)n;
        }
        free(r);
    }
    return ids;
}

/* client_libuv: two streams on one libuv loop, each dropped twice by the
 * server in the middle of an event (a close, then a TCP reset), resumed
 * with Last-Event-ID each time, until a 204 ends it; then --max-events on
 * a stream that never ends, and usage errors. */
static void test_client_libuv(void) {
    server srv;
    server_start(&srv, "libuv", "[*]\nfeed 12 5\n");
    char a[160], b[160];
    snprintf(a, sizeof a, "%s/a", srv.url);
    snprintf(b, sizeof b, "%s/b", srv.url);
    program p;
    const char *argv[] = {libuv_bin, a, b, NULL};
    run(&p, argv, 10000);
    server_stop(&srv);
    CHECK(p.status == 0, "exit %d: %s", p.status, p.err_buf);
    /* Every event once, in order; a multi-line one on one line. */
    char want[512] = "";
    for (int k = 1; k <= 12; k++) {
        char line[48];
        snprintf(line, sizeof line, k % 5 == 0 ? "event %d\\nline 2\n" : "event %d\n", k);
        strcat(want, line);
    }
    size_t lines = 0;
    for (const char *q = p.out_buf; (q = strchr(q, '\n')); q++) lines++;
    CHECK(lines == 24, "24 lines, one per event: %zu\n%s", lines, p.out_buf);
    for (int s = 1; s <= 2; s++) {
        char *got = stream_lines(p.out_buf, s);
        CHECK(strcmp(got, want) == 0, "stream %d: events 1..12 once each, in order:\n%s", s, got);
        free(got);
        char *ids = ids_sent(&srv, s == 1 ? "/a" : "/b");
        CHECK(strcmp(ids, "-,5,10,12") == 0, "stream %d: Last-Event-ID per request: %s", s, ids);
        free(ids);
        char closed[64];
        snprintf(closed, sizeof closed, "%d: HTTP 204 No Content", s);
        CHECK(strstr(p.err_buf, closed) != NULL, "stream %d: closed by the 204:\n%s", s,
              p.err_buf);
    }
    CHECK(strstr(p.err_buf, "reset by peer") != NULL, "a reset was among the drops:\n%s",
          p.err_buf);
    program_free(&p);

    /* --max-events: the stream would go on for ever. */
    char script[512];
    snprintf(script, sizeof script,
             "[*]\n%ssend id: 1\\ndata: a\\n\\nid: 2\\ndata\\n\\nid: 3\\ndata: c\\n\\n\nhang\n",
             stream_head);
    server_start(&srv, "libuv-max", script);
    const char *max[] = {libuv_bin, "--max-events", "2", srv.url, NULL};
    run(&p, max, 5000);
    server_stop(&srv);
    CHECK(p.status == 0, "--max-events: exit %d: %s", p.status, p.err_buf);
    CHECK(strcmp(p.out_buf, "1: a\n1: \n") == 0, "--max-events 2 (an empty data):\n%s",
          p.out_buf);
    program_free(&p);

    const char *usage[][4] = {{libuv_bin, NULL}, {libuv_bin, "--max-events", "1", NULL},
                              {libuv_bin, "ftp://127.0.0.1/", NULL}};
    for (size_t i = 0; i < 3; i++) {
        run(&p, usage[i], 5000);
        CHECK(p.status == 2 && p.err_len > 0, "usage %zu: exit %d: %s", i, p.status, p.err_buf);
        program_free(&p);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_client_tools SSE_TEST_SERVER WORKDIR [--ssecat PATH] "
                        "[--llm PATH] [--poll PATH] [--sse-client PATH] [--libuv PATH]\n");
        return 2;
    }
    harness_server_bin = argv[1];
    harness_work = argv[2];
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--ssecat") == 0) ssecat_bin = argv[i + 1];
        if (strcmp(argv[i], "--llm") == 0) llm_bin = argv[i + 1];
        if (strcmp(argv[i], "--poll") == 0) poll_bin = argv[i + 1];
        if (strcmp(argv[i], "--sse-client") == 0) sse_client_bin = argv[i + 1];
        if (strcmp(argv[i], "--libuv") == 0) libuv_bin = argv[i + 1];
    }
    signal(SIGPIPE, SIG_IGN);
    if (ssecat_bin) {
        test_ssecat_plain();
        test_ssecat_failures();
        test_ssecat_follow();
        test_ssecat_live();
    }
    if (llm_bin) test_llm_stream();
    if (poll_bin) test_client_poll();
    if (sse_client_bin) test_sse_client();
    if (libuv_bin) test_client_libuv();
    return check_done();
}
