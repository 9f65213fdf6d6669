/*
 * client.c -- one EventSource: the request, the response checks, the body
 * into the parser, and what happens when the connection ends.
 * SPDX-License-Identifier: MIT
 *
 * The standard's steps (WHATWG HTML, 9.2.2 "The EventSource interface" and
 * 9.2.3 "Processing model") are quoted where they are implemented. Every
 * callback of a client runs from inside a multi call (multi.c), which is
 * what lets close and destroy be allowed anywhere: what libcurl forbids
 * inside its callbacks (removing a handle) and what would pull memory from
 * under a running callback (freeing) waits until that call returns.
 *
 * The body goes to the parser's callback API, not its pull API: libcurl
 * already hands us each piece in a callback, so feed() maps onto it
 * one-to-one, with no per-stream item block (the pull API's few KiB, times
 * thousands of streams) and no queue between the bytes and the event.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* MARK: - Notices */

static void notify(simdsse_client *c, simdsse_client_notice *n) {
    if (c->on_notice && !c->multi->destroying) c->on_notice(c->user, c, n);
}

/* Fills the response fields of a notice from the transfer just ended. */
static void describe_response(simdsse_client *c, simdsse_client_notice *n) {
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &n->http_status);
    curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &n->content_type);
}

/* MARK: - Leaving the multi handle */

/* Takes the easy handle off the multi handle and ends the stream: "any
 * pending data must be discarded" (the parser's reset drops a partial
 * event and keeps the last event ID and the reconnection time). Never
 * inside a libcurl callback. */
static void detach(simdsse_client *c) {
    if (c->in_multi) {
        curl_multi_remove_handle(c->multi->curl, c->easy);
        c->in_multi = 0;
    }
    if (c->id_header) {
        c->id_header->next = NULL; /* the rest of the list is not its own */
        curl_slist_free_all(c->id_header);
        c->id_header = NULL;
    }
    simdsse_parser_reset(c->parser);
    c->response = SSE_RESP_PENDING;
}

/* Closed, by the caller or by us: no callback of c runs after this. */
static void stop(simdsse_client *c) {
    simdsse_client_multi *m = c->multi;
    c->state = SIMDSSE_CLIENT_STATE_CLOSED;
    c->closing = 1;
    if (c->counted) {
        c->counted = 0;
        m->running--;
    }
    simdsse__client_timer_clear(m, c);
    if (c->in_multi) {
        if (m->in_curl)
            simdsse__client_multi_defer(m, c); /* libcurl forbids it from its callbacks */
        else
            detach(c);
    }
}

void simdsse__client_close_quietly(simdsse_client *c) {
    if (!c->closing) stop(c);
}

/* "Fail the connection": "Once the user agent has failed the connection,
 * it does not attempt to reconnect." The CLOSED notice is the last
 * callback of this client. */
static void fail(simdsse_client *c, simdsse_client_notice *n) {
    if (c->closing) return;
    stop(c);
    n->kind = SIMDSSE_CLIENT_CLOSED;
    notify(c, n);
}

static void fail_no_memory(simdsse_client *c) {
    simdsse_client_notice n = {0};
    n.reason = SIMDSSE_CLIENT_REASON_NO_MEMORY;
    n.message = "out of memory";
    fail(c, &n);
}

/* "Reestablish the connection": "Wait a delay equal to the reconnection
 * time of the event source. Optionally, wait some more." (delay.c), then
 * the next request (simdsse__client_start). */
static void lost(simdsse_client *c, simdsse_client_notice *n) {
    simdsse_client_multi *m = c->multi;
    if (!c->reconnects) { /* NEVER, or a POST without opt-in */
        fail(c, n);
        return;
    }
    if (c->max_retries && c->attempt >= c->max_retries) {
        char msg[CURL_ERROR_SIZE + 64];
        simdsse_client_notice gave_up = *n;
        snprintf(msg, sizeof msg, "gave up after %u reconnection(s): %s", c->attempt, n->message);
        gave_up.reason = SIMDSSE_CLIENT_REASON_MAX_RETRIES;
        gave_up.message = msg;
        fail(c, &gave_up);
        return;
    }
    c->attempt++;
    uint64_t delay = simdsse__client_delay(simdsse_parser_retry(c->parser), c->attempt,
                                           c->backoff_max_ms, c->jitter, &c->rng);
    c->state = SIMDSSE_CLIENT_STATE_CONNECTING;
    simdsse__client_timer_set(m, c, delay > SSE_NEVER - 1 - m->now ? SSE_NEVER - 1 : m->now + delay);
    /* "Set the readyState attribute to CONNECTING. Fire an event named error
     * at the EventSource object." */
    n->kind = SIMDSSE_CLIENT_RECONNECTING;
    n->delay_ms = delay;
    n->attempt = c->attempt;
    n->last_event_id = simdsse_parser_last_event_id(c->parser);
    notify(c, n);
}

/* "if res is a network error, then reestablish the connection, unless the
 * user agent knows that to be futile, in which case the user agent may
 * fail the connection": these do not mend by waiting. */
static int futile(CURLcode r) {
    return r == CURLE_UNSUPPORTED_PROTOCOL || r == CURLE_URL_MALFORMAT ||
           r == CURLE_NOT_BUILT_IN || r == CURLE_TOO_MANY_REDIRECTS ||
           r == CURLE_BAD_FUNCTION_ARGUMENT || r == CURLE_BAD_CONTENT_ENCODING ||
           r == CURLE_FUNCTION_NOT_FOUND;
}

void simdsse__client_done(simdsse_client *c, CURLcode result) {
    sse_response resp = c->response;
    int no_memory = c->no_memory;
    detach(c);
    if (c->closing) return;

    simdsse_client_notice n = {0};
    char msg[CURL_ERROR_SIZE + 64];
    describe_response(c, &n);
    n.message = msg;
    if (no_memory || result == CURLE_OUT_OF_MEMORY) {
        fail_no_memory(c);
        return;
    }
    if (resp == SSE_RESP_FAILED) {
        /* "if res's status is not 200, or if res's `Content-Type` is not
         * `text/event-stream`, then fail the connection." And "a client can
         * be told to stop reconnecting using the HTTP 204 No Content
         * response code." */
        if (n.http_status == 204) {
            n.reason = SIMDSSE_CLIENT_REASON_NO_CONTENT;
            snprintf(msg, sizeof msg, "HTTP 204 No Content: the server is done");
        } else if (n.http_status != 200) {
            n.reason = SIMDSSE_CLIENT_REASON_HTTP_STATUS;
            snprintf(msg, sizeof msg, "HTTP %ld", n.http_status);
        } else {
            n.reason = SIMDSSE_CLIENT_REASON_CONTENT_TYPE;
            snprintf(msg, sizeof msg, "Content-Type %.200s is not text/event-stream",
                     n.content_type ? n.content_type : "(none)");
        }
        fail(c, &n);
        return;
    }
    if (resp == SSE_RESP_STREAM && result == CURLE_OK) {
        /* "if res is not a network error, then reestablish the connection" */
        n.reason = SIMDSSE_CLIENT_REASON_END_OF_STREAM;
        snprintf(msg, sizeof msg, "end of stream");
        lost(c, &n);
        return;
    }
    n.reason = SIMDSSE_CLIENT_REASON_NETWORK;
    n.curl_code = (int)result;
    if (result == CURLE_OK) /* a transfer that ended with no final head */
        snprintf(msg, sizeof msg, "no response");
    else if (c->errbuf[0])
        snprintf(msg, sizeof msg, "%s: %s", curl_easy_strerror(result), c->errbuf);
    else
        snprintf(msg, sizeof msg, "%s", curl_easy_strerror(result));
    if (resp != SSE_RESP_STREAM && futile(result))
        fail(c, &n);
    else
        lost(c, &n);
}

/* MARK: - Timers: the next request, the idle check */

void simdsse__client_start(simdsse_client *c) {
    simdsse_client_multi *m = c->multi;
    /* "If the EventSource object's last event ID string is not the empty
     * string, then: Let lastEventIDValue be the EventSource object's last
     * event ID string, encoded as UTF-8. Set (`Last-Event-ID`,
     * lastEventIDValue) in request's header list." */
    simdsse_span id = simdsse_parser_last_event_id(c->parser);
    struct curl_slist *headers = c->headers ? c->headers : m->default_headers;
    if (id.len) {
        c->id_header = simdsse__client_id_header(&m->alloc, id);
        if (!c->id_header) {
            fail_no_memory(c);
            return;
        }
        c->id_header->next = headers; /* first, so the rest can be shared */
        headers = c->id_header;
    }
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, headers);
    c->response = SSE_RESP_PENDING;
    c->no_memory = 0;
    c->errbuf[0] = '\0';
    c->last_activity = m->now;
    /* "Fetch request and process the response obtained in this fashion." */
    if (curl_multi_add_handle(m->curl, c->easy) != CURLM_OK) {
        detach(c);
        fail_no_memory(c);
        return;
    }
    c->in_multi = 1;
    if (c->idle_timeout_ms)
        simdsse__client_timer_set(m, c, m->now + c->idle_timeout_ms);
    else
        simdsse__client_timer_clear(m, c);
}

/* Due: the stream has been silent for idle_timeout_ms, or it has not and
 * the check moves to when it would be. */
void simdsse__client_idle_check(simdsse_client *c) {
    simdsse_client_multi *m = c->multi;
    uint64_t due = c->last_activity + c->idle_timeout_ms;
    if (due > m->now) {
        simdsse__client_timer_set(m, c, due);
        return;
    }
    simdsse_client_notice n = {0};
    char msg[96];
    describe_response(c, &n);
    detach(c);
    n.reason = SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT;
    snprintf(msg, sizeof msg, "nothing received for %llu ms",
             (unsigned long long)c->idle_timeout_ms);
    n.message = msg;
    lost(c, &n);
}

/* MARK: - libcurl callbacks: the response */

/* Every header line of every response (interim, redirects, the final one,
 * trailers); the decision is made at the blank line that ends a head. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *user) {
    simdsse_client *c = user;
    size_t len = size * nmemb;
    if (c->closing) return 0; /* abort the transfer */
    c->last_activity = c->multi->now;
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) { /* a status line: a new head */
        c->response = SSE_RESP_PENDING;
        c->location = 0;
        return len;
    }
    if (c->response != SSE_RESP_PENDING) return len; /* trailers */
    if (len > 9 && strncasecmp(line, "Location:", 9) == 0) c->location = 1;
    if (!(len == 2 && line[0] == '\r' && line[1] == '\n') && !(len == 1 && line[0] == '\n'))
        return len;

    long status = 0;
    char *type = NULL;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 100 && status < 200) return len; /* interim: the real head follows */
    /* libcurl follows a 3xx with a Location (CURLINFO_REDIRECT_URL is only
     * set once the transfer is over, hence our own note of the header). */
    if (status >= 300 && status < 400 && c->location && c->follows) {
        c->response = SSE_RESP_REDIRECT; /* fetch follows it; its body is not ours */
        return len;
    }
    curl_easy_getinfo(c->easy, CURLINFO_CONTENT_TYPE, &type);
    if (status != 200 || !simdsse__client_is_event_stream(type)) {
        c->response = SSE_RESP_FAILED; /* done() says why */
        return 0; /* no need to read an error page: abort now */
    }
    /* "Otherwise, announce the connection and interpret res's body line by
     * line": "sets the readyState attribute to OPEN and fires an event named
     * open at the EventSource object." */
    c->response = SSE_RESP_STREAM;
    c->state = SIMDSSE_CLIENT_STATE_OPEN;
    c->attempt = 0;
    simdsse_client_notice n = {0};
    n.kind = SIMDSSE_CLIENT_OPEN;
    n.message = "connected";
    n.http_status = status;
    n.content_type = type;
    curl_easy_getinfo(c->easy, CURLINFO_EFFECTIVE_URL, &n.url);
    notify(c, &n);
    return c->closing ? 0 : len;
}

/* The body, in whatever pieces the network (and libcurl's decoding of
 * chunked and compressed bodies) delivers: the parser takes any split. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
    simdsse_client *c = user;
    size_t len = size * nmemb;
    if (c->closing) return len ? 0 : 1; /* anything but len aborts */
    c->last_activity = c->multi->now;
    if (c->response != SSE_RESP_STREAM) return len; /* a redirect's body */
    simdsse_status st = simdsse_parser_feed(c->parser, data, len, NULL);
    if (st == SIMDSSE_PAUSED) return 0; /* only a callback that closed c pauses */
    if (st == SIMDSSE_ERR_NO_MEMORY) {
        c->no_memory = 1;
        return 0;
    }
    /* SIMDSSE_OK, or a limit error: its event was dropped and reported
     * (on_error below), every byte was read, the stream goes on. */
    return len;
}

/* MARK: - Parser callbacks */

static int on_parser_event(void *user, const simdsse_event *ev) {
    simdsse_client *c = user;
    if (c->closing) return 1;
    c->on_event(c->user, c, ev);
    return c->closing; /* closed inside: pause, and on_body aborts */
}

static int on_parser_comment(void *user, simdsse_span text) {
    simdsse_client *c = user;
    if (c->closing) return 1;
    c->on_comment(c->user, c, text);
    return c->closing;
}

static int on_parser_error(void *user, const simdsse_error *error) {
    simdsse_client *c = user;
    if (c->closing) return 1;
    simdsse_client_notice n = {0};
    n.kind = SIMDSSE_CLIENT_ERROR;
    n.reason = SIMDSSE_CLIENT_REASON_LIMIT;
    n.message = simdsse_strerror(error->status);
    n.error = *error;
    notify(c, &n);
    return c->closing;
}

static void ignore_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    (void)user, (void)c, (void)ev;
}

/* MARK: - Create */

static int http_url(const char *url) {
    if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) return 0;
    CURLU *u = curl_url();
    if (!u) return -1;
    CURLUcode r = curl_url_set(u, CURLUPART_URL, url, 0);
    curl_url_cleanup(u);
    return r == CURLUE_OK ? 1 : r == CURLUE_OUT_OF_MEMORY ? -1 : 0;
}

/* An HTTP method is a token: no spaces, controls or separators. */
static int valid_method(const char *m) {
    if (!*m) return 0;
    for (; *m; m++)
        if (!strchr("!#$%&'*+-.^_`|~", *m) && !(*m >= '0' && *m <= '9') &&
            !((*m | 0x20) >= 'a' && (*m | 0x20) <= 'z'))
            return 0;
    return 1;
}

static simdsse_status check_options(const simdsse_client_options *o,
                                    const simdsse_parser_options *po) {
    if (o->body == NULL && o->body_len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (o->method && !valid_method(o->method)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (o->buffer_size && (o->buffer_size < 1024 || o->buffer_size > 512 * 1024))
        return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (o->max_redirects < 0) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (o->reconnect < SIMDSSE_CLIENT_RECONNECT_AUTO || o->reconnect > SIMDSSE_CLIENT_RECONNECT_NEVER)
        return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (o->last_event_id && (strpbrk(o->last_event_id, "\r\n") ||
                             strlen(o->last_event_id) > po->max_id_length))
        return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (!o->url) return SIMDSSE_ERR_INVALID_ARGUMENT;
    int u = http_url(o->url);
    return u > 0 ? SIMDSSE_OK : u < 0 ? SIMDSSE_ERR_NO_MEMORY : SIMDSSE_ERR_INVALID_ARGUMENT;
}

/* The parser has no setter for the last event ID, but the standard gives
 * one: an `id` line and a blank line set the last event ID string ("Set
 * the last event ID string of the event source to the value of the last
 * event ID buffer") and dispatch nothing (the data buffer is empty). The
 * space after the colon is the one the parser removes. Then a reset: the
 * real stream starts afresh, with that ID. */
static void resume_from(simdsse_parser *p, const char *id) {
    simdsse_parser_feed(p, "id: ", 4, NULL);
    simdsse_parser_feed(p, id, strlen(id), NULL);
    simdsse_parser_feed(p, "\n\n", 2, NULL);
    simdsse_parser_reset(p);
}

static int configure(simdsse_client *c, const simdsse_client_options *o) {
    CURL *e = c->easy;
    int bad = 0;
#define SET(opt, val) (bad |= curl_easy_setopt(e, opt, val) != CURLE_OK)
    SET(CURLOPT_URL, o->url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    /* Fetch's "follow" redirect mode, at most 20 in a row. */
    SET(CURLOPT_FOLLOWLOCATION, o->max_redirects > 0 ? 1L : 0L);
    SET(CURLOPT_MAXREDIRS, o->max_redirects);
    if (!o->no_compression) SET(CURLOPT_ACCEPT_ENCODING, ""); /* all libcurl decodes */
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, c);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, c);
    SET(CURLOPT_ERRORBUFFER, c->errbuf);
    SET(CURLOPT_PRIVATE, c);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L); /* a proxy's 200 is not the stream's */
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_USERAGENT, "simdsse-client/" SIMDSSE_VERSION_STRING); /* a header of yours wins */
    if (o->connect_timeout_ms) SET(CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    SET(CURLOPT_BUFFERSIZE, (long)(o->buffer_size ? o->buffer_size
                                                  : SIMDSSE_CLIENT_DEFAULT_BUFFER_SIZE));
    if (o->tls_insecure) {
        SET(CURLOPT_SSL_VERIFYPEER, 0L);
        SET(CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (o->ca_file) SET(CURLOPT_CAINFO, o->ca_file);
    if (o->ca_path) SET(CURLOPT_CAPATH, o->ca_path);
    int post = o->method ? strcmp(o->method, "POST") == 0 : o->body != NULL;
    if (o->method && !post && strcmp(o->method, "GET") != 0) SET(CURLOPT_CUSTOMREQUEST, o->method);
    if (post || o->body) {
        /* The size first: the body may hold NUL. libcurl keeps its copy. */
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
        SET(CURLOPT_COPYPOSTFIELDS, o->body ? (const char *)o->body : "");
    }
#undef SET
    return bad ? -1 : 0;
}

simdsse_client *simdsse_client_create(simdsse_client_multi *m, const simdsse_client_options *options,
                                      simdsse_status *status) {
    simdsse_status ignored;
    if (!status) status = &ignored;
    *status = SIMDSSE_ERR_INVALID_ARGUMENT;
    if (!m || !options || m->destroying) return NULL;
    simdsse_client_options o;
    simdsse_client_options_init(&o);
    if ((*status = simdsse__client_read_options(&o, sizeof o, options)) != SIMDSSE_OK) return NULL;
    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    if (o.parser && (*status = simdsse__client_read_options(&po, sizeof po, o.parser)) != SIMDSSE_OK)
        return NULL;
    if ((*status = check_options(&o, &po)) != SIMDSSE_OK) return NULL;

    *status = SIMDSSE_ERR_NO_MEMORY;
    if (simdsse__client_timer_reserve(m)) return NULL;
    simdsse_client *c = simdsse__client_alloc(&m->alloc, sizeof *c);
    if (!c) return NULL;
    c->multi = m;
    c->heap_index = SSE_NOT_QUEUED;
    c->deadline = SSE_NEVER;
    c->state = SIMDSSE_CLIENT_STATE_CONNECTING;

    po.size = sizeof po;
    po.on_event = on_parser_event;
    po.on_comment = o.on_comment ? on_parser_comment : NULL;
    po.on_retry = NULL; /* the parser keeps it: simdsse_parser_retry */
    po.on_error = on_parser_error;
    po.user = c;
    po.initial_retry_ms = o.retry_ms;
    po.allocator = &m->alloc;
    c->parser = simdsse_parser_create(&po, status);
    if (!c->parser) goto fail;
    if (o.last_event_id && *o.last_event_id) resume_from(c->parser, o.last_event_id);

    /* Without headers of its own a client shares the multi's list. */
    *status = o.headers ? simdsse__client_headers(o.headers, &c->headers)
                        : simdsse__client_multi_headers(m);
    if (*status != SIMDSSE_OK) goto fail;
    *status = SIMDSSE_ERR_NO_MEMORY;
    if (!(c->easy = curl_easy_init()) || configure(c, &o)) goto fail;

    c->on_event = o.on_event ? o.on_event : ignore_event;
    c->on_comment = o.on_comment;
    c->on_notice = o.on_notice;
    c->user = o.user;
    c->idle_timeout_ms = o.idle_timeout_ms;
    c->backoff_max_ms = o.backoff_max_ms;
    c->max_retries = o.max_retries;
    c->jitter = o.jitter;
    c->follows = o.max_redirects > 0;
    int get = o.method ? strcmp(o.method, "GET") == 0 : o.body == NULL;
    c->reconnects = o.reconnect == SIMDSSE_CLIENT_RECONNECT_ALWAYS ||
                    (o.reconnect == SIMDSSE_CLIENT_RECONNECT_AUTO && get);

    if (!m->depth) m->now = simdsse__client_now_ms();
    c->rng = (m->now << 20) ^ (uint64_t)(uintptr_t)c ^ 0x9E3779B97F4A7C15u;
    c->next = m->clients;
    if (m->clients) m->clients->prev = c;
    m->clients = c;
    m->clients_alive++;
    c->counted = 1;
    m->running++;
    simdsse__client_timer_set(m, c, m->now); /* connect from the next multi call */
    if (!m->depth) simdsse__client_multi_changed(m);
    *status = SIMDSSE_OK;
    return c;

fail:
    curl_easy_cleanup(c->easy);
    curl_slist_free_all(c->headers);
    simdsse_parser_destroy(c->parser);
    simdsse__client_free(&m->alloc, c, sizeof *c);
    return NULL;
}

/* MARK: - Close, destroy, getters */

void simdsse_client_close(simdsse_client *c) {
    if (!c || c->closing) return;
    stop(c);
    if (!c->multi->depth) simdsse__client_multi_changed(c->multi);
}

void simdsse__client_free_now(simdsse_client *c) {
    simdsse_client_multi *m = c->multi;
    if (c->in_multi) detach(c);
    simdsse__client_timer_clear(m, c);
    curl_easy_cleanup(c->easy);
    curl_slist_free_all(c->headers);
    simdsse_parser_destroy(c->parser);
    if (c->prev)
        c->prev->next = c->next;
    else
        m->clients = c->next;
    if (c->next) c->next->prev = c->prev;
    m->clients_alive--;
    simdsse__client_free(&m->alloc, c, sizeof *c);
}

void simdsse__client_settle(simdsse_client *c) {
    if (c->destroying)
        simdsse__client_free_now(c);
    else if (c->in_multi)
        detach(c); /* now that libcurl allows it */
}

void simdsse_client_destroy(simdsse_client *c) {
    if (!c || c->destroying) return;
    simdsse_client_multi *m = c->multi;
    simdsse__client_close_quietly(c);
    if (m->depth) { /* a callback may be running on it: free it on the way out */
        c->destroying = 1;
        simdsse__client_multi_defer(m, c);
        return;
    }
    simdsse__client_free_now(c);
    simdsse__client_multi_changed(m);
}

simdsse_client_state simdsse_client_state_get(const simdsse_client *c) {
    return c ? c->state : SIMDSSE_CLIENT_STATE_CLOSED;
}

simdsse_span simdsse_client_last_event_id(const simdsse_client *c) {
    simdsse_span none = {"", 0};
    return c ? simdsse_parser_last_event_id(c->parser) : none;
}

uint64_t simdsse_client_retry(const simdsse_client *c) {
    return c ? simdsse_parser_retry(c->parser) : 0;
}

size_t simdsse_client_memory(const simdsse_client *c) {
    return c ? sizeof *c + simdsse_parser_memory(c->parser) : 0;
}
