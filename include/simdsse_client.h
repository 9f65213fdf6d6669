/*
 * simdsse_client.h -- a reconnecting EventSource client on libcurl.
 * SPDX-License-Identifier: MIT
 *
 * The client library (libsimdsse_client, pkg-config `simdsse_client`, CMake
 * `find_package(simdsse_client)` and `simdsse::client`) is an optional part
 * of simdsse, built when libcurl is found. It does what the WHATWG HTML
 * standard's EventSource does (section 9.2, "Server-sent events"): it asks
 * for `text/event-stream`, opens the stream on a 200 of that type, hands
 * every event to you as the parser's zero-copy spans, and when the
 * connection drops it waits the reconnection time and reconnects with
 * `Last-Event-ID`, so that the server resumes where it left off. On top of
 * what a browser does it takes any method, body and headers (an LLM API's
 * POST with a JSON body and an Authorization header), an idle timeout, and
 * capped exponential backoff with jitter.
 *
 * Thousands of streams run on one thread: every client belongs to a
 * `simdsse_client_multi` (one libcurl multi handle), which either runs its
 * own loop (simdsse_client_multi_poll, on epoll where there is one) or
 * plugs into yours through a socket and a timer callback (see "Your own
 * event loop").
 *
 *     static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
 *         printf("%.*s\n", (int)ev->data.len, ev->data.ptr);
 *     }
 *     simdsse_client_multi *m = simdsse_client_multi_create(NULL, NULL);
 *     simdsse_client_options o;
 *     simdsse_client_options_init(&o);
 *     o.url = "https://example.com/events";
 *     o.on_event = on_event;
 *     simdsse_client *c = simdsse_client_create(m, &o, NULL);
 *     int running = 1;
 *     while (running && simdsse_client_multi_poll(m, -1, &running) == SIMDSSE_OK) {}
 *     simdsse_client_destroy(c);
 *     simdsse_client_multi_destroy(m);
 *
 * Conventions are those of simdsse.h: create functions take options (NULL
 * for the defaults where that makes sense) and a status pointer, options
 * structs start with `size_t size` set by their inline *_init function,
 * strings and spans handed to callbacks live until the callback returns.
 *
 * Thread safety: a multi and its clients are one object for this purpose:
 * use them from one thread at a time. Distinct multis share no state and
 * may run on different threads. simdsse_client_multi_create calls
 * curl_global_init(CURL_GLOBAL_DEFAULT), which is thread-safe only in
 * libcurl builds that report CURL_VERSION_THREADSAFE (7.84 and later);
 * with older ones, create the first multi before starting threads.
 */
#ifndef SIMDSSE_CLIENT_H
#define SIMDSSE_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h> /* memset, for the inline *_init functions */

#include "simdsse.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SIMDSSE_CLIENT_STATIC)
#  define SIMDSSE_CLIENT_API
#elif defined(_WIN32)
#  if defined(SIMDSSE_CLIENT_BUILDING)
#    define SIMDSSE_CLIENT_API __declspec(dllexport)
#  else
#    define SIMDSSE_CLIENT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define SIMDSSE_CLIENT_API __attribute__((visibility("default")))
#else
#  define SIMDSSE_CLIENT_API
#endif

typedef struct simdsse_client_multi simdsse_client_multi;
typedef struct simdsse_client simdsse_client;

/* MARK: - Notifications */

/** What a notification says. */
typedef enum simdsse_client_notice_kind {
    /** The stream is open: a 200 response of type text/event-stream
     *  ("announce the connection"). Events follow. */
    SIMDSSE_CLIENT_OPEN = 1,
    /** A parser limit dropped one event (reason SIMDSSE_CLIENT_REASON_LIMIT,
     *  `error` says which limit and where); the stream goes on. */
    SIMDSSE_CLIENT_ERROR = 2,
    /** The connection ended or could not be made, and the client will
     *  reconnect after `delay_ms` ("reestablish the connection"). */
    SIMDSSE_CLIENT_RECONNECTING = 3,
    /** The client has stopped for good ("fail the connection", a 204, a
     *  connection loss it may not retry, a spent retry budget). Nothing
     *  follows; the client object stays until simdsse_client_destroy. */
    SIMDSSE_CLIENT_CLOSED = 4
} simdsse_client_notice_kind;

/** Why. The numbers and names (simdsse_client_reason_name) are stable. */
typedef enum simdsse_client_reason {
    /** SIMDSSE_CLIENT_OPEN: no reason needed. */
    SIMDSSE_CLIENT_REASON_NONE = 0,
    /** "end-of-stream": the server ended the body cleanly. The standard
     *  reconnects ("if res is not a network error, then reestablish the
     *  connection"). */
    SIMDSSE_CLIENT_REASON_END_OF_STREAM = 1,
    /** "network": libcurl failed (refused, reset, DNS, TLS, a body cut
     *  short, connect timeout): `curl_code` and `message` say how. */
    SIMDSSE_CLIENT_REASON_NETWORK = 2,
    /** "idle-timeout": nothing arrived for idle_timeout_ms. */
    SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT = 3,
    /** "http-status": a final status other than 200 and 204. Closes. */
    SIMDSSE_CLIENT_REASON_HTTP_STATUS = 4,
    /** "content-type": a 200 whose type is not text/event-stream. Closes. */
    SIMDSSE_CLIENT_REASON_CONTENT_TYPE = 5,
    /** "no-content": 204 No Content, the server's way to say "stop".
     *  Closes. */
    SIMDSSE_CLIENT_REASON_NO_CONTENT = 6,
    /** "max-retries": max_retries reconnections in a row opened no stream.
     *  Closes; `message` carries the last attempt's reason. */
    SIMDSSE_CLIENT_REASON_MAX_RETRIES = 7,
    /** "no-memory": an allocation failed. Closes. */
    SIMDSSE_CLIENT_REASON_NO_MEMORY = 8,
    /** "limit": SIMDSSE_CLIENT_ERROR, a parser limit dropped an event. */
    SIMDSSE_CLIENT_REASON_LIMIT = 9
} simdsse_client_reason;

/**
 * One notification, in the library's memory: valid during the callback
 * only (copy what you keep). Only the fields its kind names are set; the
 * others are 0, NULL or empty.
 */
typedef struct simdsse_client_notice {
    simdsse_client_notice_kind kind;
    simdsse_client_reason reason;
    /** One line of English, never NULL: "connected", "HTTP 404",
     *  "Couldn't connect to server: Failed to connect to ...", ... */
    const char *message;
    /** The last response's status (0 if none arrived): OPEN, CLOSED and
     *  RECONNECTING after an HTTP answer. */
    long http_status;
    /** The last response's Content-Type, or NULL. */
    const char *content_type;
    /** REASON_NETWORK: libcurl's CURLcode (0 otherwise). */
    int curl_code;
    /** OPEN: the URL that answered, after redirects. */
    const char *url;
    /** RECONNECTING: milliseconds until the next request. */
    uint64_t delay_ms;
    /** RECONNECTING: reconnections since the stream was last open, from 1. */
    unsigned attempt;
    /** RECONNECTING: the last event ID the next request sends (raw bytes, as
     *  the stream gave them; empty: no Last-Event-ID header). */
    simdsse_span last_event_id;
    /** ERROR: the parser's limit error (status and stream offset). */
    simdsse_error error;
} simdsse_client_notice;

/** The stable name of a reason ("end-of-stream", ...); NULL for a number that
 *  is no reason. */
SIMDSSE_CLIENT_API const char *simdsse_client_reason_name(int reason);

/* MARK: - Client options */

/** Whether a lost connection is reestablished. */
typedef enum simdsse_client_reconnect {
    /** GET (a request without a body) reconnects, as EventSource does; a
     *  request with a body does not: repeating a POST is the caller's
     *  decision. */
    SIMDSSE_CLIENT_RECONNECT_AUTO = 0,
    /** Reconnect whatever the method (opt-in for POST). */
    SIMDSSE_CLIENT_RECONNECT_ALWAYS = 1,
    /** Never: the first end of the stream closes the client. */
    SIMDSSE_CLIENT_RECONNECT_NEVER = 2
} simdsse_client_reconnect;

/** Defaults. */
#define SIMDSSE_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS ((uint64_t)30000)
#define SIMDSSE_CLIENT_DEFAULT_MAX_REDIRECTS 20L /* fetch's redirect limit */
#define SIMDSSE_CLIENT_DEFAULT_BUFFER_SIZE ((size_t)3072)

/**
 * One stream. Start from simdsse_client_options_init(); only `url` is
 * required. Every string, the header list and the body are copied at
 * create: none need outlive that call.
 */
typedef struct simdsse_client_options {
    size_t size; /**< set by simdsse_client_options_init (see "Growable structs") */

    /** http:// or https:// (no other scheme is followed, redirects
     *  included). Reconnections request this URL again, not the one a
     *  redirect led to, as the standard's request does. */
    const char *url;
    /** NULL: GET, or POST when there is a body. Any other token is sent
     *  as given ("PUT", ...). */
    const char *method;
    /** The request body, body_len bytes (may hold NUL); NULL: none. Sent
     *  as libcurl sends a POST body: without a Content-Type header of
     *  yours, as application/x-www-form-urlencoded (as `curl -d` does). */
    const void *body;
    size_t body_len;
    /** Extra request headers, "Name: value" each, ending with a NULL
     *  pointer; NULL: none. A header of yours replaces the client's of the
     *  same name (Accept, Cache-Control). Refused (INVALID_ARGUMENT): a
     *  header with CR or LF, without a colon, or named Last-Event-ID (set
     *  last_event_id instead). libcurl drops Authorization and Cookie
     *  headers when a redirect leads to another host. */
    const char *const *headers;

    /** An event was dispatched: the parser's event, spans valid during the
     *  call (zero copy: a single-line data value inside one network read
     *  points into libcurl's buffer). */
    void (*on_event)(void *user, simdsse_client *client, const simdsse_event *event);
    /** A comment line (heartbeat): the bytes after the colon. NULL: ignored. */
    void (*on_comment)(void *user, simdsse_client *client, simdsse_span text);
    /** Open, error, reconnecting, closed. NULL: not told. */
    void (*on_notice)(void *user, simdsse_client *client, const simdsse_client_notice *notice);
    /** Passed to every callback. */
    void *user;

    /** The reconnection time until the server sends `retry`, in ms. */
    uint64_t retry_ms;
    /** Longest time to establish a connection (TCP and TLS), in ms; 0:
     *  libcurl's default (300 s). A timeout is a network error. */
    uint64_t connect_timeout_ms;
    /** Reconnect when nothing (no byte: heartbeat comments count) has
     *  arrived for this long, in ms, from the request on; 0: never (the
     *  standard's behaviour). Set it above the server's heartbeat period. */
    uint64_t idle_timeout_ms;
    /** Which losses are reconnected (default AUTO: GET only). */
    simdsse_client_reconnect reconnect;
    /** Close (REASON_MAX_RETRIES) after this many reconnections in a row
     *  that opened no stream; 0: no limit. */
    unsigned max_retries;
    /** 0: every reconnection waits the reconnection time, as the standard
     *  says. Otherwise exponential backoff, capped at this many ms: the
     *  n-th reconnection in a row without an open stream waits the
     *  reconnection time * 2^(n-1), doubling no further than this cap
     *  (and never less than the reconnection time): "if the previous
     *  attempt failed, then user agents might introduce an exponential
     *  backoff delay". */
    uint64_t backoff_max_ms;
    /** Non-zero: each delay grows by a random amount of up to half of it
     *  (drawn uniformly from [delay, 1.5 * delay]), so that clients dropped
     *  together do not all return together. Only ever longer: the standard
     *  allows waiting more than the reconnection time, never less. */
    int jitter;
    /** Resume after this event ID: it is the last event ID from the start
     *  (sent on the first request as Last-Event-ID). NULL or "": none.
     *  Refused if it holds CR, LF or NUL. */
    const char *last_event_id;

    /** Non-zero: do not verify the server's TLS certificate and host name.
     *  For tests only; verification is on by default. */
    int tls_insecure;
    /** CA bundle file / directory for verification; NULL: libcurl's. */
    const char *ca_file;
    const char *ca_path;
    /** Redirects followed per request (default 20, as fetch); 0: none, a
     *  redirect is then an HTTP status that fails the connection. */
    long max_redirects;
    /** libcurl's receive buffer per stream (CURLOPT_BUFFERSIZE, 1024 to
     *  524288 bytes; default 3072): the largest piece of body handed to
     *  the parser at once, and the largest part of libcurl's memory per
     *  stream. The default keeps an open plain-HTTP stream under 16 KiB,
     *  libcurl's share included (README, "The client"); raise it for
     *  streams of large events. */
    size_t buffer_size;
    /** Non-zero: send no Accept-Encoding (by default libcurl offers gzip,
     *  deflate and whatever else it was built with, and decodes). */
    int no_compression;
    /** Parser limits and kernel (NULL: the defaults). Its callbacks, user,
     *  initial_retry_ms (see retry_ms) and allocator (see the multi's) are
     *  not used. Copied at create. */
    const simdsse_parser_options *parser;
} simdsse_client_options;

/** Fills *options with the defaults: no URL, GET, no callbacks, retry 3 s,
 *  connect timeout 30 s, no idle timeout, AUTO reconnect, no retry limit,
 *  no backoff, no jitter, TLS verified, 20 redirects, 3 KiB buffer. */
static inline void simdsse_client_options_init(simdsse_client_options *options) {
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->retry_ms = SIMDSSE_DEFAULT_RETRY_MS;
    options->connect_timeout_ms = SIMDSSE_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS;
    options->max_redirects = SIMDSSE_CLIENT_DEFAULT_MAX_REDIRECTS;
    options->buffer_size = SIMDSSE_CLIENT_DEFAULT_BUFFER_SIZE;
}

/* MARK: - Clients */

/**
 * Creates a client on `multi` and starts it: the first request goes out
 * from the multi's next poll or socket call (a client created inside a
 * callback starts after that callback's call returns). Returns NULL on
 * failure with the reason in *status (if not NULL): SIMDSSE_ERR_INVALID_ARGUMENT
 * (no or a non-http(s) URL, a bad header or last_event_id, an options size
 * this library cannot read), SIMDSSE_ERR_NO_MEMORY, or the parser's
 * create errors (an unknown kernel, ...).
 *
 * What the request carries, per the standard: `Accept: text/event-stream`
 * ("user agents may set (`Accept`, `text/event-stream`)"), `Cache-Control:
 * no-cache` (its cache mode "no-store", as fetch sends it), your headers,
 * and on every request while the last event ID is not empty
 * `Last-Event-ID`: the ID "encoded as UTF-8", so bytes that are not UTF-8
 * are sent as U+FFFD, as a browser (which decodes the stream first) would.
 * The parser never keeps an ID with CR, LF or NUL, so the header cannot be
 * broken or injected.
 *
 * Then: redirects are followed; a 200 of type text/event-stream (any
 * case, parameters such as `; charset=utf-8` allowed) opens the stream;
 * a 204 closes the client (REASON_NO_CONTENT); any other final status or
 * type closes it with that reason and no reconnection ("fail the
 * connection"), and so does a network error that retrying cannot mend (a
 * malformed URL, an unsupported scheme, too many redirects). Any other
 * network error, an idle timeout or the end of the body discards the
 * partial event and reconnects after the delay (see `reconnect`,
 * `backoff_max_ms`, `jitter`). Compressed (gzip, deflate) and chunked
 * bodies are decoded by libcurl; libcurl's proxy environment variables
 * (http_proxy, https_proxy, no_proxy, ...) apply.
 */
SIMDSSE_CLIENT_API simdsse_client *simdsse_client_create(simdsse_client_multi *multi,
                                                         const simdsse_client_options *options,
                                                         simdsse_status *status);

/**
 * Stops the client for good: the connection (or the pending reconnection)
 * is dropped and no callback of this client runs after close returns. No
 * CLOSED notice is sent for a close of yours. The state becomes
 * SIMDSSE_CLIENT_STATE_CLOSED; the getters keep answering. Allowed at any
 * moment, from any callback of any client; NULL and a closed client are
 * ignored.
 */
SIMDSSE_CLIENT_API void simdsse_client_close(simdsse_client *client);

/**
 * Closes the client (if it is not closed) and frees it. Allowed at any
 * moment, from any callback (the memory is then freed when the running
 * multi call returns); NULL is ignored. Do not use `client` afterwards.
 */
SIMDSSE_CLIENT_API void simdsse_client_destroy(simdsse_client *client);

/** EventSource's readyState. */
typedef enum simdsse_client_state {
    /** Connecting, or waiting to reconnect. */
    SIMDSSE_CLIENT_STATE_CONNECTING = 0,
    /** The stream is open and events are dispatched as they arrive. */
    SIMDSSE_CLIENT_STATE_OPEN = 1,
    /** Closed for good (a CLOSED notice, or simdsse_client_close). */
    SIMDSSE_CLIENT_STATE_CLOSED = 2
} simdsse_client_state;

/** The client's state. Getters are allowed in callbacks. */
SIMDSSE_CLIENT_API simdsse_client_state simdsse_client_state_get(const simdsse_client *client);

/** The last event ID string (raw bytes; valid until the client next reads
 *  from the network or is destroyed). */
SIMDSSE_CLIENT_API simdsse_span simdsse_client_last_event_id(const simdsse_client *client);

/** The reconnection time in ms: retry_ms until the server sends `retry`. */
SIMDSSE_CLIENT_API uint64_t simdsse_client_retry(const simdsse_client *client);

/** Bytes of heap the client holds (its struct, copies of its options, its
 *  parser), without libcurl's own (the easy handle and its buffers). */
SIMDSSE_CLIENT_API size_t simdsse_client_memory(const simdsse_client *client);

/* MARK: - The multi: many clients, one thread
 *
 * A multi drives any number of clients on one thread, over one libcurl
 * multi handle (connections to one host are reused, HTTP/2 streams share
 * one connection). Either it runs the loop itself:
 *
 *     int running = 1;
 *     while (running && simdsse_client_multi_poll(m, -1, &running) == SIMDSSE_OK) {}
 *
 * (on epoll where the system has it, so a wait costs what is ready, not
 * what is open; poll(2) elsewhere), or it plugs into your own loop. Every
 * callback of every client runs from inside simdsse_client_multi_poll or
 * simdsse_client_multi_socket.
 *
 * Your own event loop: set on_socket and on_timer (both) in the options.
 * The multi then asks you to watch sockets and to arm one timer, and you
 * tell it what happened:
 *
 *  - on_socket(loop_user, fd, events): watch fd for SIMDSSE_CLIENT_POLL_IN
 *    and/or SIMDSSE_CLIENT_POLL_OUT from now on; events 0: stop watching
 *    it (it is about to be closed). When fd is ready, call
 *    simdsse_client_multi_socket(m, fd, what_happened, &running).
 *  - on_timer(loop_user, ms): (re)arm your one timer to fire in ms
 *    milliseconds (0: as soon as you can), or disarm it for -1. When it
 *    fires, call simdsse_client_multi_socket(m, SIMDSSE_CLIENT_TIMEOUT, 0,
 *    &running).
 *
 * These two are libcurl's socket and timer callbacks, with the multi's own
 * timers (reconnection delays, idle timeouts) merged into the one timer.
 * They may be called from create, close, destroy and the multi calls, and
 * must not call back into the multi. examples/client_poll.c is a complete
 * loop on poll(2).
 */

/** Events for on_socket and simdsse_client_multi_socket. */
#define SIMDSSE_CLIENT_POLL_IN 1u
#define SIMDSSE_CLIENT_POLL_OUT 2u
#define SIMDSSE_CLIENT_POLL_ERR 4u /* only to simdsse_client_multi_socket */
/** The fd for simdsse_client_multi_socket when your timer fired. */
#define SIMDSSE_CLIENT_TIMEOUT (-1)

/** Multi options. Start from simdsse_client_multi_options_init(). */
typedef struct simdsse_client_multi_options {
    size_t size; /**< set by simdsse_client_multi_options_init */
    /** Your loop (both or neither): see "Your own event loop". */
    void (*on_socket)(void *loop_user, int fd, unsigned events);
    void (*on_timer)(void *loop_user, int64_t timeout_ms);
    void *loop_user;
    /** For the clients and their parsers (NULL: malloc, realloc, free);
     *  copied at create. libcurl allocates through its own functions
     *  (curl_global_init_mem). */
    const simdsse_allocator *allocator;
} simdsse_client_multi_options;

/** Fills *options with the defaults: the multi's own loop, malloc. */
static inline void simdsse_client_multi_options_init(simdsse_client_multi_options *options) {
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
}

/**
 * Creates a multi; `options` may be NULL (its own loop, malloc). Returns
 * NULL on failure with the reason in *status: SIMDSSE_ERR_INVALID_ARGUMENT
 * (one loop callback without the other, an incomplete allocator, a size
 * this library cannot read), SIMDSSE_ERR_NO_MEMORY (also when libcurl or
 * the system's epoll cannot be set up).
 */
SIMDSSE_CLIENT_API simdsse_client_multi *simdsse_client_multi_create(
    const simdsse_client_multi_options *options, simdsse_status *status);

/**
 * Destroys every client still on the multi (no notices are sent: their
 * pointers become invalid), then the multi. From inside a callback it is
 * deferred: the running poll or socket call finishes it and returns
 * SIMDSSE_DESTROYED. NULL is ignored.
 */
SIMDSSE_CLIENT_API void simdsse_client_multi_destroy(simdsse_client_multi *multi);

/**
 * The multi's own loop, one turn: waits until a socket is ready or a
 * timer is due, but at most timeout_ms (-1: no limit; 0: do not wait),
 * then does everything that is due, callbacks included. A signal ends the
 * wait early (check your flags after each turn). Stores in *running (if
 * not NULL) how many clients are not closed; with none it returns at once.
 * Returns SIMDSSE_OK; SIMDSSE_DESTROYED if a callback destroyed the multi
 * (it is freed); SIMDSSE_ERR_IN_CALLBACK from inside a callback;
 * SIMDSSE_ERR_INVALID_ARGUMENT for a NULL multi or one created with
 * on_socket/on_timer (use simdsse_client_multi_socket).
 */
SIMDSSE_CLIENT_API simdsse_status simdsse_client_multi_poll(simdsse_client_multi *multi,
                                                            int timeout_ms, int *running);

/**
 * Your loop: `fd` is ready (`events`: SIMDSSE_CLIENT_POLL_IN, _OUT, _ERR
 * as your loop saw them), or your timer fired (fd SIMDSSE_CLIENT_TIMEOUT,
 * events 0). Does what is due, callbacks included. *running and the
 * returns as simdsse_client_multi_poll; SIMDSSE_ERR_INVALID_ARGUMENT for a
 * multi without on_socket/on_timer.
 */
SIMDSSE_CLIENT_API simdsse_status simdsse_client_multi_socket(simdsse_client_multi *multi,
                                                              int fd, unsigned events,
                                                              int *running);

/** Clients on the multi that are not closed. */
SIMDSSE_CLIENT_API int simdsse_client_multi_running(const simdsse_client_multi *multi);

#ifdef __cplusplus
}
#endif

#endif /* SIMDSSE_CLIENT_H */
