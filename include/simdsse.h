/*
 * simdsse.h -- fast, exact Server-Sent Events (text/event-stream) for C.
 * SPDX-License-Identifier: MIT
 *
 * simdsse parses the `text/event-stream` format of the WHATWG HTML standard
 * ("Server-sent events", section 9.2) exactly as the standard's "interpret an
 * event stream" steps say, writes it without letting any value inject a
 * field, and validates it. Line ends are found with SIMD kernels chosen at
 * run time.
 *
 * Parsing with callbacks:
 *
 *     static int on_event(void *user, const simdsse_event *ev) {
 *         printf("%.*s: %.*s\n", (int)ev->type.len, ev->type.ptr,
 *                                (int)ev->data.len, ev->data.ptr);
 *         return 0;                       // non-zero would pause the parser
 *     }
 *     simdsse_parser_options o;
 *     simdsse_parser_options_init(&o);
 *     o.on_event = on_event;
 *     simdsse_parser *p = simdsse_parser_create(&o, NULL);
 *     while ((n = read(fd, buf, sizeof buf)) > 0)
 *         if (simdsse_parser_feed(p, buf, n, NULL) < 0) ...; // see below
 *     simdsse_parser_finish(p);           // an unterminated last event is dropped
 *     simdsse_parser_destroy(p);
 *
 * or pulling items one at a time (iterators, event loops, bindings):
 *
 *     simdsse_parser *p = simdsse_parser_create(NULL, NULL);
 *     const simdsse_item *it;
 *     while ((n = read(fd, buf, sizeof buf)) > 0) {
 *         simdsse_parser_push(p, buf, n); // buf must stay put until NEED_INPUT
 *         while (simdsse_parser_next(p, &it) == SIMDSSE_OK)
 *             if (it->kind == SIMDSSE_ITEM_EVENT) use(&it->event);
 *     }
 *
 * Conventions, the same for every object (parser, writer, validator):
 *  - `simdsse_T *simdsse_T_create(const simdsse_T_options *options,
 *    simdsse_status *status)`: options may be NULL for the defaults; on
 *    failure it returns NULL and says why in *status (if status is not NULL;
 *    SIMDSSE_OK on success). `simdsse_T_destroy(NULL)` does nothing.
 *  - Structs the caller fills and the library reads (the options, the
 *    allocator) and structs the library fills in the caller's memory (the
 *    validation counts) start with `size_t size`, set by their
 *    `simdsse_T_init()`, which is an inline function: it records the layout
 *    the caller was compiled with. See "Growable structs" below.
 *  - Calls that fill a caller's buffer (`simdsse_format_*`) take
 *    `char *out, size_t cap, size_t *len`, return a status, store the length
 *    in *len, and on SIMDSSE_ERR_BUFFER_TOO_SMALL store the exact size
 *    needed: call with cap 0 (out may then be NULL) to size the buffer.
 *  - Spans (`simdsse_span`) the library hands out are never NULL, not
 *    NUL-terminated, and may hold NUL; each call says how long they live.
 *
 * Thread safety: an object (parser, writer, validator) is used by one thread
 * at a time; distinct objects share no state, so one per connection may run
 * on any thread. Functions without an object argument are safe from any
 * thread.
 */
#ifndef SIMDSSE_H
#define SIMDSSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h> /* memset, for the inline *_init functions */

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Version and export */

#define SIMDSSE_VERSION_MAJOR 0
#define SIMDSSE_VERSION_MINOR 2
#define SIMDSSE_VERSION_PATCH 0
#define SIMDSSE_VERSION_STRING "0.2.0"

#if defined(SIMDSSE_STATIC)
#  define SIMDSSE_API
#elif defined(_WIN32)
#  if defined(SIMDSSE_BUILDING)
#    define SIMDSSE_API __declspec(dllexport)
#  else
#    define SIMDSSE_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define SIMDSSE_API __attribute__((visibility("default")))
#else
#  define SIMDSSE_API
#endif

/**
 * The library's version, e.g. "0.2.0" (may differ from the header's). While
 * the major version is 0, every minor version may change the ABI, and the
 * shared library's soname carries both numbers (libsimdsse.so.0.2): a
 * program only ever loads the minor version it was built against.
 */
SIMDSSE_API const char *simdsse_version(void);

/* MARK: - Status codes */

/**
 * Every call that can fail returns one of these. Zero is success, positive
 * values are not errors (they say why a call stopped early), negative
 * values are. Each has its own message (simdsse_strerror). The numbers are
 * stable; new codes get new numbers.
 */
typedef enum simdsse_status {
    SIMDSSE_OK = 0,
    /** A callback returned non-zero: feed stopped right after that item. */
    SIMDSSE_PAUSED = 1,
    /** simdsse_parser_next: the pushed chunk is used up; push the next. */
    SIMDSSE_NEED_INPUT = 2,
    /** A callback reset the object: the call stopped right after that
     *  callback and the rest of the chunk was not read (see "Callbacks"). */
    SIMDSSE_RESET = 3,
    /** A callback destroyed the object: it is freed now, do not use it;
     *  the rest of the chunk was not read. */
    SIMDSSE_DESTROYED = 4,

    /** A line was longer than max_line_length bytes (terminator excluded). */
    SIMDSSE_ERR_LINE_TOO_LONG = -1,
    /** An event's data would exceed max_data_length bytes. */
    SIMDSSE_ERR_DATA_TOO_LONG = -2,
    /** An `event` field value was longer than max_type_length bytes. */
    SIMDSSE_ERR_TYPE_TOO_LONG = -3,
    /** An `id` field value was longer than max_id_length bytes. */
    SIMDSSE_ERR_ID_TOO_LONG = -4,
    /** The allocator failed. A parser must be reset before reuse. */
    SIMDSSE_ERR_NO_MEMORY = -5,
    /** A NULL pointer, an impossible option, or an options struct whose
     *  size this library cannot read (see "Growable structs"). */
    SIMDSSE_ERR_INVALID_ARGUMENT = -6,
    /** No kernel has that name. */
    SIMDSSE_ERR_UNKNOWN_KERNEL = -7,
    /** The kernel exists but this CPU (or this build) cannot run it. */
    SIMDSSE_ERR_KERNEL_UNSUPPORTED = -8,
    /** Input after finish, or after SIMDSSE_ERR_NO_MEMORY: call reset. */
    SIMDSSE_ERR_NEEDS_RESET = -9,
    /** The writer was given a value that cannot be written (see writer). */
    SIMDSSE_ERR_INVALID_FIELD = -10,
    /** A caller-supplied output buffer is too small; *len says how big it
     *  must be. */
    SIMDSSE_ERR_BUFFER_TOO_SMALL = -11,
    /** A call a callback may not make on the object that called it (feed,
     *  finish, push, next, trim): nothing was done (see "Callbacks"). */
    SIMDSSE_ERR_IN_CALLBACK = -12,
    /** feed, push or finish while a pushed chunk is not used up: call
     *  simdsse_parser_next until SIMDSSE_NEED_INPUT (or reset). */
    SIMDSSE_ERR_INPUT_PENDING = -13
} simdsse_status;

/** A static, human-readable message for a status ("line too long", ...). */
SIMDSSE_API const char *simdsse_strerror(int status);

/* MARK: - Growable structs
 *
 * Every struct the caller fills for the library to read (parser, writer and
 * validator options, the allocator) and every struct the library fills in
 * the caller's memory (simdsse_validation) begins with `size_t size`: the
 * sizeof of the struct as the caller's copy of this header declares it. Its
 * simdsse_T_init() sets it, and every field, to the defaults; change fields
 * after that. (A struct filled by hand must set size = sizeof itself.)
 *
 * Later versions add fields only at the end. The library then:
 *  - reads, or writes, only the first `size` bytes: fields past them (added
 *    after the caller was built) take their defaults;
 *  - refuses a size below the first layout (0.2.0) with
 *    SIMDSSE_ERR_INVALID_ARGUMENT;
 *  - accepts a size above its own (a caller built against a newer header)
 *    only when every byte it does not know is zero, so an option this
 *    library lacks is refused, never silently ignored. Fields added later
 *    therefore mean "the default" when zero, and the *_init functions zero
 *    padding too.
 *
 * Structs the library fills in its own memory and hands out (event, item,
 * error, diagnostic) carry no size: their memory is the library's, so they
 * can grow without one. simdsse_event is also filled by callers for the
 * writer: the writer reads type, data and id (the standard's fixed field
 * set) and will never read a field added after them, so an event built
 * against an older header stays valid.
 */

/* MARK: - Spans and events */

/** Bytes in someone else's memory: not NUL-terminated, may contain NUL. */
typedef struct simdsse_span {
    const char *ptr;
    size_t len;
} simdsse_span;

/**
 * One event: what the parser dispatches, and what the writer writes. A
 * proxy may hand a parsed event straight to the writer, which then writes a
 * stream that reads back as that event.
 *
 * Parsed (on_event, or a SIMDSSE_ITEM_EVENT), as the standard's "dispatch
 * the event" builds it: no span is NULL; `type` is the event type buffer or
 * "message" when that is empty; `data` is the data lines joined with LF,
 * final LF removed; `id` is the last event ID string after this event;
 * `offset` is the stream offset of the blank line that dispatched it. (A
 * `retry` field is reported on its own, on_retry: it sets the connection's
 * reconnection time, not the event's; the writer writes one with
 * simdsse_format_retry.) A single-line
 * data value that lies inside one fed chunk points straight into the
 * caller's buffer (no copy); other values point into the parser.
 *
 * Written (simdsse_format_event, simdsse_writer_event): zero-initialised,
 * it has no field. A span whose ptr is NULL is absent (its len must be 0)
 * and its line is not written; one with a non-NULL ptr and len 0 is present
 * and empty.
 *  - type: absent or empty, no `event` line is written; the event reads
 *    back as "message" either way. "message" itself is written as given.
 *  - data: absent, no `data` line, so the event sets the id but dispatches
 *    nothing; present (empty too), it dispatches.
 *  - id: present, it becomes the client's last event ID; present and
 *    empty, it resets it (the client then sends no Last-Event-ID).
 *  - offset: ignored.
 * The writer reads the spans during the call only.
 */
typedef struct simdsse_event {
    simdsse_span type;  /**< the `event` field / the event's type */
    simdsse_span data;  /**< the `data` lines, joined with LF */
    simdsse_span id;    /**< the `id` field / the last event ID string */
    uint64_t offset;    /**< parsed: stream offset of the dispatching blank line */
} simdsse_event;

/**
 * A limit error: the event it was in is dropped (nothing of it is
 * dispatched; its lines up to the blank line that ends it are skipped; id
 * and retry fields before the offending line keep their effect), and
 * parsing goes on. `offset` is the stream offset where the limit tripped:
 * for a line, its first byte past max_line_length; for a field, the start
 * of its value.
 */
typedef struct simdsse_error {
    simdsse_status status; /**< SIMDSSE_ERR_LINE/DATA/TYPE/ID_TOO_LONG */
    uint64_t offset;
} simdsse_error;

/* MARK: - Allocator */

/**
 * Custom allocation. All three functions must be set. The library copies
 * the struct at create: it need not outlive that call.
 */
typedef struct simdsse_allocator {
    size_t size; /**< sizeof(simdsse_allocator): simdsse_allocator_init sets it */
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} simdsse_allocator;

/** Sets size; the functions and ctx to NULL (set them all). */
static inline void simdsse_allocator_init(simdsse_allocator *allocator) {
    memset(allocator, 0, sizeof *allocator);
    allocator->size = sizeof *allocator;
}

/* MARK: - Parser options */

/** Default limits: generous for real streams, fatal for hostile ones. */
#define SIMDSSE_DEFAULT_MAX_LINE_LENGTH ((size_t)1 << 20)  /* 1 MiB */
#define SIMDSSE_DEFAULT_MAX_DATA_LENGTH ((size_t)8 << 20)  /* 8 MiB */
#define SIMDSSE_DEFAULT_MAX_TYPE_LENGTH ((size_t)1024)
#define SIMDSSE_DEFAULT_MAX_ID_LENGTH ((size_t)1024)
#define SIMDSSE_DEFAULT_RETRY_MS ((uint64_t)3000)

/**
 * Parser options: the callbacks that simdsse_parser_feed calls, the limits,
 * the kernel and the allocator. Start from simdsse_parser_options_init().
 *
 * Callbacks may each be NULL (that item is then not reported). Each
 * receives `user`; returning non-zero pauses feed right after the line that
 * produced the item (SIMDSSE_PAUSED). What a callback may call is set out
 * in "Callbacks" below. The pull API (simdsse_parser_next) calls none of
 * them: it returns the same items instead.
 *
 * Limits: SIZE_MAX means "no limit". Memory a parser holds never exceeds
 * max_line_length + max_data_length + 2 * max_id_length + max_type_length
 * plus its fixed size (and the pull API's fixed block, once used), however
 * long the stream.
 */
typedef struct simdsse_parser_options {
    size_t size; /**< set by simdsse_parser_options_init (see "Growable structs") */

    /** An event was dispatched. */
    int (*on_event)(void *user, const simdsse_event *event);
    /** A comment line (one starting with ':'): the bytes after the colon,
     *  unmodified. Heartbeats are usually comments. */
    int (*on_comment)(void *user, simdsse_span text);
    /** A valid `retry` field set the reconnection time (milliseconds;
     *  values above UINT64_MAX saturate to UINT64_MAX). */
    int (*on_retry)(void *user, uint64_t milliseconds);
    /** A limit dropped an event (see simdsse_error); parsing goes on. */
    int (*on_error)(void *user, const simdsse_error *error);
    /** Passed to every callback. */
    void *user;

    size_t max_line_length;    /**< bytes per line, terminator excluded */
    size_t max_data_length;    /**< bytes of data per event (joined, no final LF) */
    size_t max_type_length;    /**< bytes of an `event` value */
    size_t max_id_length;      /**< bytes of an `id` value */
    uint64_t initial_retry_ms; /**< reconnection time before any `retry` */
    /** NULL: the default kernel (simdsse_kernel_default). */
    const char *kernel;
    /** NULL: malloc, realloc, free. Copied at create. */
    const simdsse_allocator *allocator;
} simdsse_parser_options;

/** Fills *options with no callbacks and the defaults above. */
static inline void simdsse_parser_options_init(simdsse_parser_options *options) {
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->max_line_length = SIMDSSE_DEFAULT_MAX_LINE_LENGTH;
    options->max_data_length = SIMDSSE_DEFAULT_MAX_DATA_LENGTH;
    options->max_type_length = SIMDSSE_DEFAULT_MAX_TYPE_LENGTH;
    options->max_id_length = SIMDSSE_DEFAULT_MAX_ID_LENGTH;
    options->initial_retry_ms = SIMDSSE_DEFAULT_RETRY_MS;
}

/* MARK: - Streaming parser */

typedef struct simdsse_parser simdsse_parser;

/**
 * Creates a parser for one stream; `options` may be NULL for the defaults
 * (no callbacks: use the pull API). Returns NULL on failure, with the
 * reason in *status: SIMDSSE_ERR_NO_MEMORY, SIMDSSE_ERR_INVALID_ARGUMENT
 * (an incomplete allocator, a size this library cannot read),
 * SIMDSSE_ERR_UNKNOWN_KERNEL or SIMDSSE_ERR_KERNEL_UNSUPPORTED.
 */
SIMDSSE_API simdsse_parser *simdsse_parser_create(const simdsse_parser_options *options,
                                                  simdsse_status *status);

/** Frees the parser. NULL is allowed. From inside a callback: deferred
 *  until the running feed returns (it then returns SIMDSSE_DESTROYED). */
SIMDSSE_API void simdsse_parser_destroy(simdsse_parser *parser);

/**
 * Feeds the next `len` bytes of the stream, of any size (zero included),
 * and calls the callbacks for what they complete, before returning. Lines
 * cut by a chunk boundary are carried over; a CR ending one chunk and an LF
 * starting the next are one line end; a UTF-8 BOM is skipped once, at
 * stream start, even when split. The caller's buffer may be reused as soon
 * as feed returns.
 *
 * Feed reads the whole chunk unless it is stopped, and *consumed (if not
 * NULL) says how many bytes it read. Limit errors do not stop it: each
 * drops only its own event, is reported to on_error, and parsing goes on.
 * It returns, first match wins:
 *  - SIMDSSE_DESTROYED / SIMDSSE_RESET: a callback destroyed or reset the
 *    parser; the rest of the chunk was not read (see "Callbacks").
 *  - SIMDSSE_ERR_NO_MEMORY: the allocator failed; reset the parser.
 *  - SIMDSSE_PAUSED: a callback returned non-zero; *consumed < len unless
 *    it was the chunk's last item. Feed the rest to continue. (Limit errors
 *    of a paused call are reported by on_error only.)
 *  - the first limit error of the call (SIMDSSE_ERR_*_TOO_LONG), so a
 *    caller that only checks the return value sees it; every byte was
 *    read and nothing else was lost.
 *  - SIMDSSE_OK.
 * Before reading anything it may return SIMDSSE_ERR_INVALID_ARGUMENT (NULL
 * parser, or NULL data with a length), SIMDSSE_ERR_NEEDS_RESET (after
 * finish or NO_MEMORY), SIMDSSE_ERR_IN_CALLBACK, or
 * SIMDSSE_ERR_INPUT_PENDING (a pushed chunk is not used up).
 *
 * The loop that loses nothing is therefore the plain one:
 *
 *     while ((n = read(fd, buf, sizeof buf)) > 0) {
 *         simdsse_status st = simdsse_parser_feed(p, buf, n, NULL);
 *         if (st == SIMDSSE_ERR_NO_MEMORY) break;  // or reset and go on
 *         // st < 0 otherwise: a limit dropped one event, the rest was parsed
 *     }
 */
SIMDSSE_API simdsse_status simdsse_parser_feed(simdsse_parser *parser, const void *data,
                                               size_t len, size_t *consumed);

/**
 * Ends the stream. As the standard says, an event not yet ended by a blank
 * line is discarded, and so is an unterminated last line. Afterwards input
 * is refused with SIMDSSE_ERR_NEEDS_RESET until simdsse_parser_reset.
 * Returns SIMDSSE_OK, SIMDSSE_ERR_NEEDS_RESET after NO_MEMORY,
 * SIMDSSE_ERR_INPUT_PENDING, SIMDSSE_ERR_IN_CALLBACK.
 */
SIMDSSE_API simdsse_status simdsse_parser_finish(simdsse_parser *parser);

/**
 * Starts a new stream on the same parser (a reconnection): pending lines,
 * a pushed chunk not used up, the data and event type buffers and any error
 * are cleared, the BOM check is re-armed. The last event ID and the
 * reconnection time survive, and the last event ID buffer starts at the
 * last event ID, as browsers do. Buffers keep their capacity (see
 * simdsse_parser_trim). From inside a callback: deferred until the running
 * feed returns (it then returns SIMDSSE_RESET, and the rest of that chunk,
 * which belonged to the old stream, is not read).
 */
SIMDSSE_API void simdsse_parser_reset(simdsse_parser *parser);

/** Frees buffer capacity the parser does not need for pending input
 *  (the pull API's block too, when no pushed chunk is pending). Returns
 *  SIMDSSE_OK, or SIMDSSE_ERR_IN_CALLBACK (and frees nothing). */
SIMDSSE_API simdsse_status simdsse_parser_trim(simdsse_parser *parser);

/* MARK: - Pull API
 *
 * The same parser, without callbacks: push a chunk, then take what it
 * completes one item at a time until simdsse_parser_next says it needs more
 * input. Items are exactly what the callbacks would have been called with,
 * in the same order, whatever the chunking, with the same zero-copy spans.
 * A parser may switch between feed and push/next at any chunk boundary.
 *
 *     simdsse_parser_push(p, buf, n);
 *     for (;;) {
 *         const simdsse_item *it;
 *         simdsse_status st = simdsse_parser_next(p, &it);
 *         if (st == SIMDSSE_NEED_INPUT) break;       // read the next chunk
 *         if (st != SIMDSSE_OK) { ...; break; }      // NO_MEMORY: reset
 *         switch (it->kind) {
 *         case SIMDSSE_ITEM_EVENT: ... it->event ...; break;
 *         case SIMDSSE_ITEM_ERROR: ... it->error.status, it->error.offset ...; break;
 *         default: break;
 *         }
 *     }
 */

/** What a pull item is. */
typedef enum simdsse_item_kind {
    SIMDSSE_ITEM_EVENT = 1,   /**< `event`: an event was dispatched (on_event) */
    SIMDSSE_ITEM_COMMENT = 2, /**< `comment`: a comment line (on_comment) */
    SIMDSSE_ITEM_RETRY = 3,   /**< `retry`: a valid retry field (on_retry) */
    SIMDSSE_ITEM_ERROR = 4    /**< `error`: a limit dropped an event (on_error) */
} simdsse_item_kind;

/** One item: only the member `kind` names is meaningful. In the parser's
 *  memory; see simdsse_parser_next for how long it lives. */
typedef struct simdsse_item {
    simdsse_item_kind kind;
    simdsse_event event;  /**< SIMDSSE_ITEM_EVENT */
    simdsse_span comment; /**< SIMDSSE_ITEM_COMMENT: the bytes after the colon */
    uint64_t retry;       /**< SIMDSSE_ITEM_RETRY: milliseconds, saturating */
    simdsse_error error;  /**< SIMDSSE_ITEM_ERROR */
} simdsse_item;

/**
 * Gives the parser the next `len` bytes of the stream (any size, zero
 * included) to read through simdsse_parser_next. Nothing is copied or read
 * yet: data[0, len) must stay valid and unchanged until next returns
 * SIMDSSE_NEED_INPUT (or reset or destroy). Returns SIMDSSE_OK;
 * SIMDSSE_ERR_INPUT_PENDING if the previous chunk is not used up;
 * SIMDSSE_ERR_NEEDS_RESET after finish or NO_MEMORY;
 * SIMDSSE_ERR_NO_MEMORY if the pull API's fixed block (allocated by the
 * first push, about 10 KiB) cannot be allocated, the parser being
 * unchanged;
 * SIMDSSE_ERR_INVALID_ARGUMENT; SIMDSSE_ERR_IN_CALLBACK.
 */
SIMDSSE_API simdsse_status simdsse_parser_push(simdsse_parser *parser, const void *data,
                                               size_t len);

/**
 * Takes the next item of the pushed chunk. Returns SIMDSSE_OK and points
 * *item at it; or SIMDSSE_NEED_INPUT (and *item = NULL) when the chunk is
 * used up: everything in it has been returned and its bytes are no longer
 * needed (a last line without its line end is carried over). Limit errors
 * are items (SIMDSSE_ITEM_ERROR), not statuses: parsing goes on past them.
 * After SIMDSSE_ERR_NO_MEMORY (items before the failure have all been
 * returned) the parser must be reset. Also SIMDSSE_ERR_NEEDS_RESET,
 * SIMDSSE_ERR_INVALID_ARGUMENT, SIMDSSE_ERR_IN_CALLBACK.
 *
 * *item and the spans in it stay valid until the next call on this parser
 * other than the getters below. The getters (last event ID, reconnection
 * time) answer as a callback for that item would see them.
 *
 * Like getc, simdsse_parser_next is also a macro, which takes an item
 * already queued without a call (the parser assembles items in batches);
 * (simdsse_parser_next)(...) or &simdsse_parser_next reach the function,
 * which does the same, for foreign-function interfaces.
 */
SIMDSSE_API simdsse_status simdsse_parser_next(simdsse_parser *parser,
                                               const simdsse_item **item);

/** @private Not API: the queued items [head, tail), SIMDSSE__ITEM_STRIDE
 *  bytes apart (so simdsse_item may grow up to that without breaking a
 *  program that inlined the macro), the first member of every parser, read
 *  by the simdsse_parser_next macro. Its layout and the stride are part of
 *  this minor version's ABI; never use them. */
typedef struct simdsse__queue {
    const simdsse_item *head, *tail;
} simdsse__queue;
#define SIMDSSE__ITEM_STRIDE 128

/** @private The simdsse_parser_next macro's body. (The function gets a
 *  pointer of its own, so that the caller's item variable can stay in a
 *  register.) */
static inline simdsse_status simdsse__next_inline(simdsse_parser *parser,
                                                  const simdsse_item **item) {
    simdsse__queue *q = (simdsse__queue *)(void *)parser;
    if (parser && item && q->head != q->tail) {
        *item = q->head;
        q->head = (const simdsse_item *)(const void *)((const char *)q->head +
                                                       SIMDSSE__ITEM_STRIDE);
        return SIMDSSE_OK;
    } else {
        const simdsse_item *got = NULL;
        simdsse_status status = (simdsse_parser_next)(parser, item ? &got : NULL);
        if (item) *item = got;
        return status;
    }
}
#define simdsse_parser_next(parser, item) simdsse__next_inline(parser, item)

/**
 * The loop `while ((status = simdsse_parser_next(parser, &item)) ==
 * SIMDSSE_OK) { ... }`, with the queue's cursor kept in the caller's
 * registers instead of the parser, which saves a store-to-load round trip
 * per item: the fastest way to drain a chunk from C.
 *
 *     const simdsse_item *it;
 *     simdsse_status st;
 *     simdsse_parser_push(p, buf, n);
 *     SIMDSSE_PARSER_FOREACH(p, it, st) {
 *         if (it->kind == SIMDSSE_ITEM_EVENT) ...
 *     }
 *     // st: SIMDSSE_NEED_INPUT, or what went wrong
 *
 * As in that loop, `item` and its spans stay valid until the next
 * iteration, `break` leaves the items not yet taken for later, and the body
 * may call the getters; after any other call on the parser it must break.
 * One loop at a time per parser; do not nest two in one scope.
 */
#define SIMDSSE_PARSER_FOREACH(parser, item, status)                                      \
    for (simdsse__queue simdsse__cursor = simdsse__cursor_start(parser);                  \
         ((status) = simdsse__cursor_next(parser, &simdsse__cursor, &(item))) == SIMDSSE_OK;)

/** @private SIMDSSE_PARSER_FOREACH's cursor: a copy of the queue. */
static inline simdsse__queue simdsse__cursor_start(simdsse_parser *parser) {
    simdsse__queue c = {NULL, NULL};
    if (parser) c = *(simdsse__queue *)(void *)parser;
    return c;
}

/** @private SIMDSSE_PARSER_FOREACH's step. The parser's cursor is written
 *  (never read) at each item, so that a `break` leaves it right. */
static inline simdsse_status simdsse__cursor_next(simdsse_parser *parser, simdsse__queue *c,
                                                  const simdsse_item **item) {
    if (c->head != c->tail) {
        *item = c->head;
        c->head = (const simdsse_item *)(const void *)((const char *)c->head +
                                                       SIMDSSE__ITEM_STRIDE);
        ((simdsse__queue *)(void *)parser)->head = c->head;
        return SIMDSSE_OK;
    } else {
        const simdsse_item *got = NULL;
        simdsse_status status = (simdsse_parser_next)(parser, &got);
        *item = got;
        if (status == SIMDSSE_OK) *c = *(simdsse__queue *)(void *)parser;
        return status;
    }
}

/* MARK: - Parser state (getters; allowed in callbacks) */

/** The last event ID string (set when an event is dispatched). */
SIMDSSE_API simdsse_span simdsse_parser_last_event_id(const simdsse_parser *parser);

/** The reconnection time in milliseconds (initial_retry_ms until `retry`). */
SIMDSSE_API uint64_t simdsse_parser_retry(const simdsse_parser *parser);

/** Stream bytes of the chunks fed, or pushed and used up, so far (the BOM
 *  included). In a callback, or between next calls, it is the stream
 *  offset at which the current chunk starts. */
SIMDSSE_API uint64_t simdsse_parser_offset(const simdsse_parser *parser);

/** Bytes of heap the parser holds now (its own struct and buffers). */
SIMDSSE_API size_t simdsse_parser_memory(const simdsse_parser *parser);

/** The name of the kernel this parser uses ("avx2", "scalar", ...). */
SIMDSSE_API const char *simdsse_parser_kernel(const simdsse_parser *parser);

/**
 * Parses a whole stream in one call: create, feed, finish, destroy, with
 * the callbacks of `options` (NULL: defaults, which report nothing). Goes
 * on past limit errors. Returns what feed would (the first limit error,
 * SIMDSSE_PAUSED if a callback stopped it, SIMDSSE_ERR_NO_MEMORY), or a
 * create error.
 */
SIMDSSE_API simdsse_status simdsse_parse(const void *data, size_t len,
                                         const simdsse_parser_options *options);

/* MARK: - Callbacks: what they may call
 *
 * While feed runs a parser's callbacks (or validator feed/finish runs
 * on_diagnostic), that object is "in a callback". There:
 *  - allowed: every getter (simdsse_parser_last_event_id, _retry, _offset,
 *    _memory, _kernel; simdsse_validator_result), pausing by returning
 *    non-zero, and anything on other objects (another parser, a writer);
 *  - refused with SIMDSSE_ERR_IN_CALLBACK, changing nothing: feed, finish,
 *    push, next and trim on that parser; validator feed and finish;
 *  - deferred: reset and destroy. The callback returns normally (its
 *    return value no longer matters), the call that ran it stops right
 *    after it without reading the rest of its chunk, does the reset or
 *    destroy, and returns SIMDSSE_RESET or SIMDSSE_DESTROYED (destroy wins
 *    if both were asked for); *consumed counts the bytes read before. The
 *    spans the callback was given stay valid until it returns, as always.
 * This is what a "reconnect on error" handler needs: reset (or destroy)
 * from on_error or on_event, then start the next connection's stream.
 */

/* MARK: - Kernels */

/**
 * Kernels are the SIMD scanners behind the parser and the writer, named
 * "avx512", "avx2", "sse2", "neon" and "scalar" (always present, the
 * reference). Index 0 upwards enumerates the kernels compiled in, best
 * first; NULL past the end. $SIMDSSE_CPU_DISABLE, a testing aid read once,
 * makes every call here behave as on a CPU without the features it lists
 * (comma-separated: sse2, avx2, avx512, neon, all, ...; see README).
 */
SIMDSSE_API const char *simdsse_kernel_name_at(size_t index);

/** SIMDSSE_OK if this CPU can run the named kernel, or why not. */
SIMDSSE_API simdsse_status simdsse_kernel_supported(const char *name);

/** The kernel parsers and writers use by default: $SIMDSSE_KERNEL if set
 *  and usable, else the best this CPU runs. */
SIMDSSE_API const char *simdsse_kernel_default(void);

/* MARK: - JSON rendering */

/**
 * Renders an event as one JSON object, {"event":..,"data":..,"id":..},
 * with no newline, into out[0, cap), and stores its length in *len. No NUL
 * is appended. Strings are decoded as a browser decodes the stream (UTF-8,
 * each invalid sequence becoming U+FFFD per the WHATWG Encoding standard)
 * and escaped as JSON requires: `"` `\\` `\b` `\f` `\n` `\r` `\t`, other
 * controls as \u00xx; everything else is written as UTF-8. An absent (NULL)
 * span renders as "". Returns SIMDSSE_OK; SIMDSSE_ERR_BUFFER_TOO_SMALL with
 * the exact size needed in *len (out[0, cap) then holds its first bytes);
 * SIMDSSE_ERR_INVALID_ARGUMENT (NULL event or len, NULL out with a cap, a
 * NULL span with a length).
 */
SIMDSSE_API simdsse_status simdsse_format_json(const simdsse_event *event, char *out, size_t cap,
                                               size_t *len);

/** One JSON string literal (quotes included) for text[0, text_len),
 *  decoded and escaped as above; returns and *len as simdsse_format_json. */
SIMDSSE_API simdsse_status simdsse_format_json_string(const char *text, size_t text_len,
                                                      char *out, size_t cap, size_t *len);

/* MARK: - UTF-8 */

/**
 * text[0, text_len) decoded as a browser decodes the stream (UTF-8, each
 * invalid sequence becoming U+FFFD per the WHATWG Encoding standard) and
 * encoded as UTF-8 again, into out[0, cap); its length in *len. No NUL is
 * appended. Valid UTF-8 comes out byte for byte; the output is at most
 * 3 * text_len bytes. The parser hands out raw bytes (spans of the stream):
 * this is the text a page's EventSource would see for them, e.g. for a
 * Last-Event-ID header or a binding's strings. Returns as
 * simdsse_format_json: SIMDSSE_OK; SIMDSSE_ERR_BUFFER_TOO_SMALL with the
 * exact size needed in *len; SIMDSSE_ERR_INVALID_ARGUMENT (NULL len, NULL
 * out with a cap, NULL text with a length).
 */
SIMDSSE_API simdsse_status simdsse_utf8_repair(const char *text, size_t text_len, char *out,
                                               size_t cap, size_t *len);

/* MARK: - Writer */

/**
 * The writer turns events into text/event-stream bytes that a conforming
 * parser reads back as exactly those events: no value can add a field, a
 * line or an event. An event is written as
 *
 *     event: TYPE\n        only when TYPE is not empty
 *     id: ID\n
 *     data: LINE\n         one per line of the data
 *     \n                   the blank line that dispatches it
 *
 * A reconnection time is a line of its own, `retry: MILLISECONDS\n`, which
 * the client applies as soon as it reads it (simdsse_format_retry); a proxy
 * forwards what on_event, on_comment and on_retry report with the three
 * matching writer calls.
 * with LF line ends and one space after every colon, so a value that starts
 * with a space keeps it (the parser removes exactly one). A comment is
 * written as `:TEXT\n`, with nothing added, so on_comment reads back TEXT.
 *
 * Data may hold any bytes. It is split at every CR, LF and CRLF, one `data`
 * line per piece, and the parser joins the pieces with LF: data reads back
 * exactly, except that each CR and CRLF in it comes back as LF (the format
 * has no way to carry them). Empty data is written as one `data: ` line so
 * that the event still dispatches, with data "": the standard dispatches
 * nothing for an event without a data line.
 *
 * An event type or an id cannot hold CR or LF (either would end the line,
 * and the rest would be read as a field of its own), and an id cannot hold
 * NUL (the standard ignores such an id). By default the call then fails
 * with SIMDSSE_ERR_INVALID_FIELD; SIMDSSE_WRITE_SANITIZE removes those
 * bytes instead. Any other byte, invalid UTF-8 included, is written as is.
 * A comment holding line ends is split into comment lines like data.
 * Every line starts with a field name or ':', so no output can begin with
 * the byte order mark a parser would strip. The writer sets no length
 * limits: a reader's own (max_line_length, ...) may still refuse a value.
 *
 *     simdsse_event ev = {0};   // no field yet
 *     ev.type = (simdsse_span){"delta", 5};
 *     ev.data = (simdsse_span){json, json_len};
 *     size_t n;
 *     if (simdsse_format_event(&ev, 0, buf, sizeof buf, &n) == SIMDSSE_OK)
 *         send(fd, buf, n, 0);        // "event: delta\ndata: {...}\n\n"
 *
 * Line ends in data and comments are found with the SIMD kernels, and the
 * runs between them are copied whole. Functions without a writer argument
 * read only their arguments and are safe from any thread. The event and
 * comment calls use the default kernel (simdsse_kernel_default) and, as
 * parsers and writers do, fail when $SIMDSSE_KERNEL names no kernel this
 * CPU runs (with SIMDSSE_ERR_UNKNOWN_KERNEL or
 * SIMDSSE_ERR_KERNEL_UNSUPPORTED); simdsse_format_retry and the JSON calls
 * scan nothing and use no kernel. A writer is used by one thread at a time;
 * writers share no state.
 */

/** Flags for the writer calls, OR-ed together; 0 is the strict default. */
typedef enum simdsse_write_flags {
    /** Remove CR and LF from an event type, and CR, LF and NUL from an id,
     *  instead of failing with SIMDSSE_ERR_INVALID_FIELD. A type left empty
     *  is omitted; an id left empty is still written (as an empty id). */
    SIMDSSE_WRITE_SANITIZE = 1,
    /** A comment holding CR or LF is an invalid field (or, with
     *  SIMDSSE_WRITE_SANITIZE, loses them) instead of being split into
     *  several comment lines. */
    SIMDSSE_WRITE_ONE_LINE_COMMENT = 2
} simdsse_write_flags;

/**
 * Writes `event` (see simdsse_event for which fields are written) into
 * out[0, cap), for instance straight into a socket buffer, and stores the
 * number of bytes written in *len. No NUL is appended. out may be NULL when
 * cap is 0. Returns SIMDSSE_OK; SIMDSSE_ERR_BUFFER_TOO_SMALL with the exact
 * size it needs in *len (call with cap 0 to size a buffer; out[0, cap) may
 * then hold the first bytes of the event, and nothing past cap is written);
 * SIMDSSE_ERR_INVALID_FIELD for a value `flags` does not allow, and
 * SIMDSSE_ERR_INVALID_ARGUMENT for a NULL event or len, a span with a NULL
 * ptr and a length, or an unknown flag: on those two nothing is written
 * and *len is 0.
 */
SIMDSSE_API simdsse_status simdsse_format_event(const simdsse_event *event, unsigned flags,
                                                char *out, size_t cap, size_t *len);

/** Writes `retry: MILLISECONDS\n` into out[0, cap); returns and *len as
 *  simdsse_format_event. */
SIMDSSE_API simdsse_status simdsse_format_retry(uint64_t milliseconds, char *out, size_t cap,
                                                size_t *len);

/**
 * Writes a comment, `:TEXT\n`, into out[0, cap): one comment line per line
 * of `text` (split at CR, LF and CRLF) unless SIMDSSE_WRITE_ONE_LINE_COMMENT
 * is set. `text` may be NULL when `text_len` is 0 (a bare ":" heartbeat).
 * Comments dispatch nothing; proxies and clients use them as heartbeats.
 * Returns and *len as simdsse_format_event (SIMDSSE_ERR_INVALID_FIELD only
 * under SIMDSSE_WRITE_ONE_LINE_COMMENT).
 */
SIMDSSE_API simdsse_status simdsse_format_comment(const char *text, size_t text_len,
                                                  unsigned flags, char *out, size_t cap,
                                                  size_t *len);

/** Writer options. Start from simdsse_writer_options_init(). */
typedef struct simdsse_writer_options {
    size_t size; /**< set by simdsse_writer_options_init (see "Growable structs") */
    /** NULL: the default kernel (simdsse_kernel_default). */
    const char *kernel;
    /** NULL: malloc, realloc, free. Copied at create. */
    const simdsse_allocator *allocator;
} simdsse_writer_options;

/** Fills *options with the defaults: default kernel and allocator. */
static inline void simdsse_writer_options_init(simdsse_writer_options *options) {
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
}

/**
 * A writer: an output buffer that events and comments are appended to,
 * growing as needed through the caller's allocator. Send what
 * simdsse_writer_output shows, then simdsse_writer_consume what was sent.
 */
typedef struct simdsse_writer simdsse_writer;

/**
 * Creates a writer with an empty buffer; `options` may be NULL for the
 * defaults. Returns NULL on failure, with the reason in *status (as
 * simdsse_parser_create; SIMDSSE_OK on success).
 */
SIMDSSE_API simdsse_writer *simdsse_writer_create(const simdsse_writer_options *options,
                                                  simdsse_status *status);

/** Frees the writer and its buffer. NULL is allowed. */
SIMDSSE_API void simdsse_writer_destroy(simdsse_writer *writer);

/**
 * Appends `event`, formatted as simdsse_format_event does. On any error
 * (SIMDSSE_ERR_INVALID_FIELD, SIMDSSE_ERR_INVALID_ARGUMENT,
 * SIMDSSE_ERR_NO_MEMORY) the output is left exactly as it was.
 */
SIMDSSE_API simdsse_status simdsse_writer_event(simdsse_writer *writer,
                                                const simdsse_event *event, unsigned flags);

/** Appends a `retry` line, as simdsse_format_retry; all or nothing. */
SIMDSSE_API simdsse_status simdsse_writer_retry(simdsse_writer *writer, uint64_t milliseconds);

/** Appends a comment, as simdsse_format_comment; all or nothing, as above. */
SIMDSSE_API simdsse_status simdsse_writer_comment(simdsse_writer *writer, const char *text,
                                                  size_t text_len, unsigned flags);

/**
 * The bytes appended and not yet consumed. The span stays valid until the
 * next call that changes the writer (append, consume, clear, trim, destroy).
 */
SIMDSSE_API simdsse_span simdsse_writer_output(const simdsse_writer *writer);

/** Drops the first `n` bytes of the output (those sent); all of it when n
 *  is at least its length. Cheap: no bytes move until room is needed. */
SIMDSSE_API void simdsse_writer_consume(simdsse_writer *writer, size_t n);

/** Drops all output; the buffer keeps its capacity. */
SIMDSSE_API void simdsse_writer_clear(simdsse_writer *writer);

/** Shrinks the buffer to the output it holds (frees it when empty). */
SIMDSSE_API void simdsse_writer_trim(simdsse_writer *writer);

/** Bytes of heap the writer holds now (its own struct and buffer). */
SIMDSSE_API size_t simdsse_writer_memory(const simdsse_writer *writer);

/** The name of the kernel this writer uses to find line ends. */
SIMDSSE_API const char *simdsse_writer_kernel(const simdsse_writer *writer);

/* MARK: - Validator */

/**
 * The validator checks a text/event-stream and reports, with its line,
 * byte column and stream offset, everything a browser would drop or misread
 * (errors) and what is legal but suspicious (warnings). docs/validator.md
 * explains every code with an example.
 *
 *     static int show(void *user, const simdsse_diagnostic *d) {
 *         fprintf(stderr, "%llu:%llu: %s [%s]\n", (unsigned long long)d->line,
 *                 (unsigned long long)d->column, d->message,
 *                 simdsse_diagnostic_code_name(d->code));
 *         return 0;                       // non-zero: report nothing more
 *     }
 *     simdsse_validator_options o;
 *     simdsse_validator_options_init(&o);
 *     o.on_diagnostic = show;
 *     simdsse_validation r;
 *     simdsse_validation_init(&r);
 *     simdsse_validate(buf, len, &o, &r);
 *     if (r.errors) ...
 *
 * It reads the stream as the standard does (one BOM stripped at stream
 * start, CR, LF and CRLF line ends, no length limits), one byte at a time,
 * holding no line and no value: its memory is a fixed few hundred bytes,
 * allocated by create, however long the lines. Diagnostics, counts and
 * their order do not depend on how the stream is cut into chunks.
 *
 * Positions: `line` counts CR, LF and CRLF line ends from 1; `column` is 1
 * plus the number of bytes between the line's first byte and the byte the
 * diagnostic points at (the stream-start BOM is not part of line 1);
 * `offset` is that byte's offset in the stream, from 0, BOM included. A
 * diagnostic about a whole field points at the line's first byte, one about
 * a byte at that byte, one about the end of the stream at the stream end.
 * Diagnostics are reported as they are found: in stream order, except that
 * one about a field name (pointing at its line's first byte) is found when
 * the name ends, after any about bytes inside the name.
 */

/** How bad a diagnostic is. Every code has one fixed severity. */
typedef enum simdsse_severity {
    /** Legal, but probably not what was meant. */
    SIMDSSE_SEVERITY_WARNING = 1,
    /** A browser drops or misreads something here. */
    SIMDSSE_SEVERITY_ERROR = 2
} simdsse_severity;

/**
 * What a diagnostic is about. The numbers and the names
 * (simdsse_diagnostic_code_name) are stable; new codes get new numbers.
 */
typedef enum simdsse_diagnostic_code {
    /* Errors. */
    /** "unterminated-event": the stream ends inside a line, or before the
     *  blank line that ends a pending event (one with a data, event or id
     *  line): that line and that event are dropped. At the stream end. */
    SIMDSSE_DIAG_UNTERMINATED_EVENT = 1,
    /** "invalid-utf8": a byte sequence a browser decodes as U+FFFD; one per
     *  U+FFFD (WHATWG Encoding's maximal subparts), at its first byte. */
    SIMDSSE_DIAG_INVALID_UTF8 = 2,
    /** "unknown-field": not data, event, id or retry (names are
     *  case-sensitive, and a space before the colon is part of the name):
     *  the line is ignored. Has a suggestion for case and space variants. */
    SIMDSSE_DIAG_UNKNOWN_FIELD = 3,
    /** "field-leading-space": the line starts with a space or tab, so its
     *  field name does too: the line is ignored. */
    SIMDSSE_DIAG_FIELD_LEADING_SPACE = 4,
    /** "whitespace-line": a line of only spaces and tabs is not a blank
     *  line (it ends no event) but an unknown field. */
    SIMDSSE_DIAG_WHITESPACE_LINE = 5,
    /** "bom-in-field-name": U+FEFF (EF BB BF) in a field name, as when two
     *  streams with BOMs are concatenated: the field is unknown. At the BOM. */
    SIMDSSE_DIAG_BOM_IN_FIELD_NAME = 6,
    /** "id-contains-nul": the standard ignores an id field holding U+0000.
     *  At the first NUL. */
    SIMDSSE_DIAG_ID_CONTAINS_NUL = 7,
    /** "invalid-retry": a retry value that is empty or not all ASCII digits
     *  is ignored. At the first other byte (the line end if empty). */
    SIMDSSE_DIAG_INVALID_RETRY = 8,
    /** "event-without-data": a blank line ends an event that has an `event`
     *  line but no `data` line: nothing is dispatched and the type is lost.
     *  (An event of only id and retry lines is normal and not reported.)
     *  At the blank line. */
    SIMDSSE_DIAG_EVENT_WITHOUT_DATA = 9,
    /* Warnings. */
    /** "mixed-line-ends": the first line end whose style (CR, LF, CRLF)
     *  differs from the stream's first line end; reported once. At the CR
     *  or LF. */
    SIMDSSE_DIAG_MIXED_LINE_ENDS = 10,
    /** "long-line": a line longer than long_line bytes; once per line, at
     *  its first byte past the threshold. */
    SIMDSSE_DIAG_LONG_LINE = 11,
    /** "empty-event-type": an event field with an empty value (the type
     *  becomes "message"). */
    SIMDSSE_DIAG_EMPTY_EVENT_TYPE = 12,
    /** "nul-in-value": NUL in a data or event value; browsers keep it, C
     *  strings end at it. Once per line, at the first NUL. */
    SIMDSSE_DIAG_NUL_IN_VALUE = 13,
    /** "bom-in-value": U+FEFF in a data, event or id value, where browsers
     *  keep it (JSON.parse then fails, listeners do not match). At the BOM. */
    SIMDSSE_DIAG_BOM_IN_VALUE = 14,
    /** "retry-too-large": a retry above max_retry_ms. At the value. */
    SIMDSSE_DIAG_RETRY_TOO_LARGE = 15
} simdsse_diagnostic_code;

/** One finding. Valid during the callback only (the strings are static). */
typedef struct simdsse_diagnostic {
    simdsse_diagnostic_code code;
    simdsse_severity severity;
    uint64_t line;          /**< from 1 */
    uint64_t column;        /**< from 1, in bytes */
    uint64_t offset;        /**< stream offset, from 0 */
    const char *message;    /**< static, one line, English */
    const char *suggestion; /**< static: the field name probably meant
                                 ("data", "event", "id", "retry"), or NULL */
} simdsse_diagnostic;

/** Receives each diagnostic; returning non-zero stops the reporting (the
 *  validation, and its counts, go on to the end of the stream). */
typedef int (*simdsse_diagnostic_fn)(void *user, const simdsse_diagnostic *diagnostic);


#define SIMDSSE_DEFAULT_LONG_LINE ((size_t)64 << 10)          /* 64 KiB */
#define SIMDSSE_DEFAULT_MAX_RETRY_MS ((uint64_t)2147483647)   /* 2^31 - 1 */
#define SIMDSSE_DEFAULT_MAX_DIAGNOSTICS ((uint64_t)1000)

/** Validator options. Start from simdsse_validator_options_init(). */
typedef struct simdsse_validator_options {
    size_t size; /**< set by simdsse_validator_options_init (see "Growable structs") */
    simdsse_diagnostic_fn on_diagnostic; /**< NULL: only count */
    void *user;                          /**< passed to on_diagnostic */
    /** long-line above this many bytes (terminator excluded); SIZE_MAX: never. */
    size_t long_line;
    /** retry-too-large above this many milliseconds; UINT64_MAX: never. The
     *  default is the longest delay JavaScript timers take: a polyfill's
     *  setTimeout fires at once past it. */
    uint64_t max_retry_ms;
    /** Report at most this many diagnostics; later ones are only counted. */
    uint64_t max_diagnostics;
    /** NULL: malloc, realloc, free. Copied at create. */
    const simdsse_allocator *allocator;
} simdsse_validator_options;

/** Fills *options with the defaults: no callback, the SIMDSSE_DEFAULT_*
 *  thresholds above, the default allocator. */
static inline void simdsse_validator_options_init(simdsse_validator_options *options) {
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->long_line = SIMDSSE_DEFAULT_LONG_LINE;
    options->max_retry_ms = SIMDSSE_DEFAULT_MAX_RETRY_MS;
    options->max_diagnostics = SIMDSSE_DEFAULT_MAX_DIAGNOSTICS;
}

/** What a validation found so far. The library fills it in the caller's
 *  memory, so it is growable: start from simdsse_validation_init(). */
typedef struct simdsse_validation {
    size_t size;       /**< set by simdsse_validation_init (see "Growable structs") */
    uint64_t errors;   /**< diagnostics of severity error, reported or not */
    uint64_t warnings; /**< diagnostics of severity warning, reported or not */
    uint64_t events;   /**< events a browser dispatches (as the parser does,
                            without its limits) */
    uint64_t reported; /**< diagnostics passed to on_diagnostic */
} simdsse_validation;

/** Sets size and every count to 0. */
static inline void simdsse_validation_init(simdsse_validation *result) {
    memset(result, 0, sizeof *result);
    result->size = sizeof *result;
}

typedef struct simdsse_validator simdsse_validator;

/**
 * Creates a validator for one stream; `options` may be NULL for the
 * defaults (and then reports nothing: counts only). Returns NULL on
 * failure, with the reason in *status (SIMDSSE_ERR_NO_MEMORY,
 * SIMDSSE_ERR_INVALID_ARGUMENT; SIMDSSE_OK on success). The only
 * allocation is this one.
 */
SIMDSSE_API simdsse_validator *simdsse_validator_create(const simdsse_validator_options *options,
                                                        simdsse_status *status);

/** Frees the validator. NULL is allowed. From inside on_diagnostic:
 *  deferred until the running feed or finish returns (SIMDSSE_DESTROYED). */
SIMDSSE_API void simdsse_validator_destroy(simdsse_validator *validator);

/**
 * Checks the next `len` bytes of the stream, of any size (zero included);
 * diagnostics found in them are reported before it returns. Every byte is
 * consumed, unless on_diagnostic reset or destroyed the validator
 * (SIMDSSE_RESET, SIMDSSE_DESTROYED: the rest of the chunk is not checked).
 * SIMDSSE_ERR_NEEDS_RESET after finish; SIMDSSE_ERR_IN_CALLBACK from inside
 * on_diagnostic; SIMDSSE_ERR_INVALID_ARGUMENT for a NULL validator, or NULL
 * data with a length.
 */
SIMDSSE_API simdsse_status simdsse_validator_feed(simdsse_validator *validator, const void *data,
                                                  size_t len);

/** Ends the stream: reports what only the end shows (unterminated-event,
 *  a UTF-8 sequence cut short). Afterwards feed needs a reset. Returns as
 *  feed does. */
SIMDSSE_API simdsse_status simdsse_validator_finish(simdsse_validator *validator);

/** Starts a new stream: positions, counts and all state back to the start;
 *  the options stay. From inside on_diagnostic: deferred until the running
 *  feed or finish returns (SIMDSSE_RESET). */
SIMDSSE_API void simdsse_validator_reset(simdsse_validator *validator);

/**
 * Stores the counts so far in *result (the fields its size covers).
 * `events` equals what a parser fed the same bytes (with no limit tripped)
 * has dispatched, after every feed, whatever the chunks. Returns
 * SIMDSSE_OK, or SIMDSSE_ERR_INVALID_ARGUMENT (NULL argument, a size this
 * library cannot write). Allowed in on_diagnostic.
 */
SIMDSSE_API simdsse_status simdsse_validator_result(const simdsse_validator *validator,
                                                    simdsse_validation *result);

/**
 * Validates a whole stream in one call: create (on the stack, nothing is
 * allocated), feed, finish, with the callback of `options` (NULL: count
 * only). Stores the counts in *result if not NULL. Returns SIMDSSE_OK, or
 * SIMDSSE_ERR_INVALID_ARGUMENT.
 */
SIMDSSE_API simdsse_status simdsse_validate(const void *data, size_t len,
                                            const simdsse_validator_options *options,
                                            simdsse_validation *result);

/** The stable name of a code ("unterminated-event", ...), NULL if `code`
 *  is none: codes run from 1 up to the first NULL. */
SIMDSSE_API const char *simdsse_diagnostic_code_name(int code);

/** The severity of a code, 0 if `code` is none. */
SIMDSSE_API simdsse_severity simdsse_diagnostic_code_severity(int code);

/** "error" or "warning" (NULL for anything else). */
SIMDSSE_API const char *simdsse_severity_name(int severity);

#ifdef __cplusplus
}
#endif

#endif /* SIMDSSE_H */
