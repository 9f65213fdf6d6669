/*
 * simdsse.h -- fast, exact Server-Sent Events (text/event-stream) for C.
 * SPDX-License-Identifier: MIT
 *
 * simdsse parses the `text/event-stream` format of the WHATWG HTML standard
 * ("Server-sent events", section 9.2) exactly as the standard's "interpret an
 * event stream" steps say, and writes it without letting any value inject a
 * field. Line ends and colons are found with SIMD kernels chosen at run time.
 *
 * Parsing in ten lines:
 *
 *     static int on_event(void *user, const simdsse_event *ev) {
 *         printf("%.*s: %.*s\n", (int)ev->type.len, ev->type.ptr,
 *                                (int)ev->data.len, ev->data.ptr);
 *         return 0;                       // non-zero would pause the parser
 *     }
 *     simdsse_callbacks cb = { .on_event = on_event };
 *     simdsse_parser *p = simdsse_parser_create(&cb, NULL, NULL);
 *     while ((n = read(fd, buf, sizeof buf)) > 0)
 *         if (simdsse_parser_feed(p, buf, n, NULL) < 0) break;
 *     simdsse_parser_finish(p);           // an unterminated last event is dropped
 *     simdsse_parser_destroy(p);
 *
 * Thread safety: a parser (or validator) is used by one thread at a time;
 * distinct objects share no state, so one per connection may run on any
 * thread. Functions without an object argument are safe from any thread.
 */
#ifndef SIMDSSE_H
#define SIMDSSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Version and export */

#define SIMDSSE_VERSION_MAJOR 0
#define SIMDSSE_VERSION_MINOR 1
#define SIMDSSE_VERSION_PATCH 0
#define SIMDSSE_VERSION_STRING "0.1.0"

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

/** The library's version, e.g. "0.1.0" (may differ from the header's). */
SIMDSSE_API const char *simdsse_version(void);

/* MARK: - Status codes */

/**
 * Every call that can fail returns one of these. Zero is success, positive
 * values are not errors, negative values are. Each has its own message
 * (simdsse_strerror). Limit errors are recoverable: see simdsse_parser_feed.
 */
typedef enum simdsse_status {
    SIMDSSE_OK = 0,
    /** A callback returned non-zero: the parser paused after that item. */
    SIMDSSE_PAUSED = 1,

    /** A line was longer than max_line_length bytes (terminator excluded). */
    SIMDSSE_ERR_LINE_TOO_LONG = -1,
    /** An event's data would exceed max_data_length bytes. */
    SIMDSSE_ERR_DATA_TOO_LONG = -2,
    /** An `event` field value was longer than max_type_length bytes. */
    SIMDSSE_ERR_TYPE_TOO_LONG = -3,
    /** An `id` field value was longer than max_id_length bytes. */
    SIMDSSE_ERR_ID_TOO_LONG = -4,
    /** The allocator failed. The parser must be reset before reuse. */
    SIMDSSE_ERR_NO_MEMORY = -5,
    /** A NULL pointer or an impossible option was passed. */
    SIMDSSE_ERR_INVALID_ARGUMENT = -6,
    /** No kernel has that name. */
    SIMDSSE_ERR_UNKNOWN_KERNEL = -7,
    /** The kernel exists but this CPU (or this build) cannot run it. */
    SIMDSSE_ERR_KERNEL_UNSUPPORTED = -8,
    /** feed after finish, or after an SIMDSSE_ERR_NO_MEMORY: call reset. */
    SIMDSSE_ERR_NEEDS_RESET = -9,
    /** The writer was given a value that cannot be written (see writer). */
    SIMDSSE_ERR_INVALID_FIELD = -10,
    /** A caller-supplied output buffer is too small. */
    SIMDSSE_ERR_BUFFER_TOO_SMALL = -11
} simdsse_status;

/** A static, human-readable message for a status ("line too long", ...). */
SIMDSSE_API const char *simdsse_strerror(int status);

/* MARK: - Events */

/** Bytes in someone else's memory: not NUL-terminated, may contain NUL. */
typedef struct simdsse_span {
    const char *ptr;
    size_t len;
} simdsse_span;

/**
 * A dispatched event, as the standard's "dispatch the event" builds it.
 * All spans are valid only until the callback returns: copy what you keep.
 * A single-line data value that lies inside one fed chunk points straight
 * into the caller's buffer (no copy); other values point into the parser.
 */
typedef struct simdsse_event {
    simdsse_span type;  /**< the event type buffer, or "message" when empty */
    simdsse_span data;  /**< data lines joined with LF, final LF removed */
    simdsse_span id;    /**< the last event ID string after this event */
    uint64_t offset;    /**< stream offset of the blank line that ended it */
} simdsse_event;

/**
 * What the parser reports. Every member may be NULL. A callback returning
 * non-zero pauses the parser right after the line that produced the item:
 * simdsse_parser_feed then returns SIMDSSE_PAUSED and says how many bytes
 * it consumed; feed the rest of the chunk to continue.
 */
typedef struct simdsse_callbacks {
    /** An event was dispatched. */
    int (*on_event)(void *user, const simdsse_event *event);
    /** A valid `retry` field set the reconnection time (milliseconds;
     *  values above UINT64_MAX saturate to UINT64_MAX). */
    int (*on_retry)(void *user, uint64_t milliseconds);
    /** A comment line (one starting with ':'): the bytes after the colon,
     *  unmodified. Heartbeats are usually comments. */
    int (*on_comment)(void *user, simdsse_span text);
} simdsse_callbacks;

/* MARK: - Options and limits */

/** Custom allocation. All three members must be set, or pass NULL. */
typedef struct simdsse_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} simdsse_allocator;

/** Default limits: generous for real streams, fatal for hostile ones. */
#define SIMDSSE_DEFAULT_MAX_LINE_LENGTH ((size_t)1 << 20)  /* 1 MiB */
#define SIMDSSE_DEFAULT_MAX_DATA_LENGTH ((size_t)8 << 20)  /* 8 MiB */
#define SIMDSSE_DEFAULT_MAX_TYPE_LENGTH ((size_t)1024)
#define SIMDSSE_DEFAULT_MAX_ID_LENGTH ((size_t)1024)
#define SIMDSSE_DEFAULT_RETRY_MS ((uint64_t)3000)

/**
 * Parser options. Start from simdsse_options_init(), then change fields.
 * A limit of SIZE_MAX means "no limit". Memory a parser holds never
 * exceeds about max_line_length + max_data_length + 2 * max_id_length +
 * max_type_length plus its fixed size, however long the stream.
 */
typedef struct simdsse_options {
    size_t max_line_length;  /**< bytes per line, terminator excluded */
    size_t max_data_length;  /**< bytes of data per event (joined, no final LF) */
    size_t max_type_length;  /**< bytes of an `event` value */
    size_t max_id_length;    /**< bytes of an `id` value */
    uint64_t initial_retry_ms;     /**< reconnection time before any `retry` */
    const char *kernel;      /**< NULL: best for this CPU (or $SIMDSSE_KERNEL) */
    const simdsse_allocator *allocator; /**< NULL: malloc/realloc/free */
} simdsse_options;

/** Fills *options with the defaults above. */
SIMDSSE_API void simdsse_options_init(simdsse_options *options);

/* MARK: - Streaming parser */

typedef struct simdsse_parser simdsse_parser;

/**
 * Creates a parser for one stream. `callbacks` is copied; `user` is passed
 * to every callback; `options` may be NULL for the defaults. Returns NULL if
 * memory runs out or an option is invalid (an unknown or unsupported kernel
 * included: check with simdsse_kernel_supported first).
 */
SIMDSSE_API simdsse_parser *simdsse_parser_create(const simdsse_callbacks *callbacks, void *user,
                                                  const simdsse_options *options);

/** Like simdsse_parser_create, but says why it failed in *status. */
SIMDSSE_API simdsse_parser *simdsse_parser_create2(const simdsse_callbacks *callbacks, void *user,
                                                   const simdsse_options *options,
                                                   simdsse_status *status);

SIMDSSE_API void simdsse_parser_destroy(simdsse_parser *parser);

/**
 * Feeds the next `len` bytes of the stream, of any size (zero included).
 * Lines cut by a chunk boundary are carried over; a CR ending one chunk and
 * an LF starting the next are one line end; a UTF-8 BOM is skipped once, at
 * stream start, even when split. Callbacks run before feed returns.
 *
 * Returns SIMDSSE_OK when every byte was consumed. Otherwise *consumed (if
 * not NULL) says how many bytes were, and the status says why it stopped:
 *  - SIMDSSE_PAUSED: a callback asked; feed the rest to continue.
 *  - a limit error (SIMDSSE_ERR_*_TOO_LONG): the event being assembled is
 *    discarded (nothing of it is dispatched, lines up to its blank line are
 *    skipped; id and retry fields before the offending line keep their
 *    effect); the parser stays usable: feed the rest to continue.
 *    simdsse_parser_error_offset() says where the limit tripped.
 *  - SIMDSSE_ERR_NO_MEMORY (it outranks a pause or limit error met in the
 *    same call) / SIMDSSE_ERR_NEEDS_RESET: reset the parser.
 * The caller's buffer may be reused as soon as feed returns.
 */
SIMDSSE_API simdsse_status simdsse_parser_feed(simdsse_parser *parser, const void *data,
                                               size_t len, size_t *consumed);

/**
 * Ends the stream. As the standard says, an event not yet ended by a blank
 * line is discarded, and so is an unterminated last line. Afterwards feed
 * returns SIMDSSE_ERR_NEEDS_RESET until simdsse_parser_reset.
 */
SIMDSSE_API simdsse_status simdsse_parser_finish(simdsse_parser *parser);

/**
 * Starts a new stream on the same parser (a reconnection): pending lines,
 * the data and event type buffers and any error are cleared, the BOM check
 * is re-armed. The last event ID and the reconnection time survive, and the
 * last event ID buffer starts at the last event ID, as browsers do.
 * Buffers keep their capacity (see simdsse_parser_trim).
 */
SIMDSSE_API void simdsse_parser_reset(simdsse_parser *parser);

/** Frees buffer capacity the parser does not need for pending input. */
SIMDSSE_API void simdsse_parser_trim(simdsse_parser *parser);

/** The last event ID string (set when an event is dispatched). */
SIMDSSE_API simdsse_span simdsse_parser_last_event_id(const simdsse_parser *parser);

/** The reconnection time in milliseconds (initial_retry_ms until `retry`). */
SIMDSSE_API uint64_t simdsse_parser_retry(const simdsse_parser *parser);

/** Stream bytes consumed so far (the BOM included). */
SIMDSSE_API uint64_t simdsse_parser_offset(const simdsse_parser *parser);

/** Stream offset at which the last limit error tripped: for a line, the
 *  first byte past max_line_length; for a field, the start of its value. */
SIMDSSE_API uint64_t simdsse_parser_error_offset(const simdsse_parser *parser);

/** Bytes of heap the parser holds now (its own struct and buffers). */
SIMDSSE_API size_t simdsse_parser_memory(const simdsse_parser *parser);

/** The name of the kernel this parser uses ("avx2", "scalar", ...). */
SIMDSSE_API const char *simdsse_parser_kernel(const simdsse_parser *parser);

/**
 * Parses a whole stream in one call: create, feed, finish, destroy.
 * Returns the first error, SIMDSSE_PAUSED if a callback stopped it, or OK.
 */
SIMDSSE_API simdsse_status simdsse_parse(const void *data, size_t len,
                                         const simdsse_callbacks *callbacks, void *user,
                                         const simdsse_options *options);

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

/** The kernel parsers use by default: $SIMDSSE_KERNEL if set and usable,
 *  else the best this CPU runs. */
SIMDSSE_API const char *simdsse_kernel_default(void);

/* MARK: - JSON rendering */

/**
 * Renders an event as one JSON object, {"event":..,"data":..,"id":..},
 * with no newline. Strings are decoded as a browser decodes the stream
 * (UTF-8, each invalid sequence becoming U+FFFD per the WHATWG Encoding
 * standard) and escaped as JSON requires: `"` `\\` `\b` `\f` `\n` `\r` `\t`,
 * other controls as \u00xx; everything else is written as UTF-8. Writes
 * at most `cap` bytes and returns the length of the whole rendering (like
 * snprintf, without the NUL): call with cap 0 to size the buffer.
 */
SIMDSSE_API size_t simdsse_event_to_json(const simdsse_event *event, char *out, size_t cap);

/**
 * Appends one JSON string literal (quotes included) for `len` bytes of
 * `text`, decoded and escaped as above. Same return convention.
 */
SIMDSSE_API size_t simdsse_json_string(const char *text, size_t len, char *out, size_t cap);

/* MARK: - Writer */

/**
 * The writer turns events into text/event-stream bytes that a conforming
 * parser reads back as exactly those events: no value can add a field, a
 * line or an event. An event is written as
 *
 *     event: TYPE\n        only when TYPE is not empty
 *     id: ID\n
 *     retry: MILLISECONDS\n
 *     data: LINE\n         one per line of the data
 *     \n                   the blank line that dispatches it
 *
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
 *     simdsse_fields ev = {0};
 *     ev.type = (simdsse_span){"delta", 5};
 *     ev.data = (simdsse_span){json, json_len};
 *     size_t n;
 *     if (simdsse_format_event(&ev, 0, buf, sizeof buf, &n) == SIMDSSE_OK)
 *         send(fd, buf, n, 0);        // "event: delta\ndata: {...}\n\n"
 *
 * Line ends in data and comments are found with the SIMD kernels, and the
 * runs between them are copied whole. Functions without a writer argument
 * read only their arguments and are safe from any thread; they use the
 * default kernel (simdsse_kernel_default) and, as parsers and writers do,
 * fail when $SIMDSSE_KERNEL names no kernel this CPU runs (with
 * SIMDSSE_ERR_UNKNOWN_KERNEL or SIMDSSE_ERR_KERNEL_UNSUPPORTED). A writer
 * is used by one thread at a time; writers share no state.
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
 * The fields of one event to write. Zero-initialised, it has none. A span
 * whose ptr is NULL is absent (its len must be 0) and its line is not
 * written; a span with a non-NULL ptr and len 0 is present and empty.
 *  - type: absent or empty, no `event` line is written; the event reads
 *    back as "message" either way. "message" itself is written as given.
 *  - data: absent, no `data` line, so the event sets id and retry but
 *    dispatches nothing; present (empty too), it dispatches.
 *  - id: present, it becomes the client's last event ID; present and
 *    empty, it resets it (the client then sends no Last-Event-ID).
 *  - retry: written only when has_retry is non-zero.
 * The spans are read during the call only.
 */
typedef struct simdsse_fields {
    simdsse_span type;  /**< the `event` field */
    simdsse_span data;  /**< any bytes; split into one `data` line per line */
    simdsse_span id;    /**< the `id` field */
    uint64_t retry;     /**< the `retry` field, in milliseconds */
    int has_retry;      /**< non-zero: write `retry` */
} simdsse_fields;

/**
 * Stores in *size the exact number of bytes simdsse_format_event would
 * write for `event` with `flags`. Fails, with *size set to 0, with
 * SIMDSSE_ERR_INVALID_FIELD for a value `flags` does not allow, and with
 * SIMDSSE_ERR_INVALID_ARGUMENT for a NULL pointer, a span with a NULL ptr
 * and a length, or an unknown flag.
 */
SIMDSSE_API simdsse_status simdsse_event_size(const simdsse_fields *event, unsigned flags,
                                              size_t *size);

/**
 * Writes `event` into out[0, cap), for instance straight into a socket
 * buffer, and stores the number of bytes written in *len (if not NULL).
 * No NUL is appended. out may be NULL when cap is 0.
 * If the event does not fit, returns SIMDSSE_ERR_BUFFER_TOO_SMALL and
 * stores in *len the exact size it needs; out[0, cap) may then hold the
 * first bytes of the event, and nothing past cap is written. On the errors of
 * simdsse_event_size nothing is written and *len is 0.
 */
SIMDSSE_API simdsse_status simdsse_format_event(const simdsse_fields *event, unsigned flags,
                                                char *out, size_t cap, size_t *len);

/**
 * Stores in *size the exact number of bytes simdsse_format_comment would
 * write. `text` may be NULL when `text_len` is 0 (a bare ":" heartbeat).
 * Errors as simdsse_event_size (SIMDSSE_ERR_INVALID_FIELD only under
 * SIMDSSE_WRITE_ONE_LINE_COMMENT).
 */
SIMDSSE_API simdsse_status simdsse_comment_size(const char *text, size_t text_len, unsigned flags,
                                                size_t *size);

/**
 * Writes a comment, `:TEXT\n`, into out[0, cap): one comment line per line
 * of `text` (split at CR, LF and CRLF) unless SIMDSSE_WRITE_ONE_LINE_COMMENT
 * is set. Comments dispatch nothing; proxies and clients use them as
 * heartbeats. Returns and *len as simdsse_format_event.
 */
SIMDSSE_API simdsse_status simdsse_format_comment(const char *text, size_t text_len,
                                                  unsigned flags, char *out, size_t cap,
                                                  size_t *len);

/**
 * A writer: an output buffer that events and comments are appended to,
 * growing as needed through the caller's allocator. Send what
 * simdsse_writer_output shows, then simdsse_writer_consume what was sent.
 */
typedef struct simdsse_writer simdsse_writer;

/**
 * Creates a writer with an empty buffer. Of `options` (NULL for the
 * defaults) it uses only `allocator` and `kernel`. Returns NULL if memory
 * runs out or an option is invalid, with the reason in *status (if not
 * NULL; SIMDSSE_OK on success).
 */
SIMDSSE_API simdsse_writer *simdsse_writer_create(const simdsse_options *options,
                                                  simdsse_status *status);

/** Frees the writer and its buffer. NULL is allowed. */
SIMDSSE_API void simdsse_writer_destroy(simdsse_writer *writer);

/**
 * Appends `event`, formatted as simdsse_format_event does. On any error
 * (those of simdsse_event_size, or SIMDSSE_ERR_NO_MEMORY) the output is
 * left exactly as it was.
 */
SIMDSSE_API simdsse_status simdsse_writer_event(simdsse_writer *writer,
                                                const simdsse_fields *event, unsigned flags);

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
 *     simdsse_validation r;
 *     simdsse_validate(buf, len, show, NULL, NULL, &r);
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
    const simdsse_allocator *allocator; /**< NULL: malloc/free */
} simdsse_validator_options;

/** Fills *options with the defaults: no callback, the SIMDSSE_DEFAULT_*
 *  thresholds above, the default allocator. */
SIMDSSE_API void simdsse_validator_options_init(simdsse_validator_options *options);

/** What a validation found so far. */
typedef struct simdsse_validation {
    uint64_t errors;   /**< diagnostics of severity error, reported or not */
    uint64_t warnings; /**< diagnostics of severity warning, reported or not */
    uint64_t events;   /**< events a browser dispatches (as the parser does,
                            without its limits) */
    uint64_t reported; /**< diagnostics passed to on_diagnostic */
} simdsse_validation;

typedef struct simdsse_validator simdsse_validator;

/**
 * Creates a validator for one stream; `options` may be NULL for the
 * defaults (and then reports nothing: counts only). Returns NULL if memory
 * runs out or the allocator is incomplete, with the reason in *status (if
 * not NULL; SIMDSSE_OK on success). The only allocation is this one.
 */
SIMDSSE_API simdsse_validator *simdsse_validator_create(const simdsse_validator_options *options,
                                                        simdsse_status *status);

/** Frees the validator. NULL is allowed. */
SIMDSSE_API void simdsse_validator_destroy(simdsse_validator *validator);

/**
 * Checks the next `len` bytes of the stream, of any size (zero included);
 * diagnostics found in them are reported before it returns. Every byte is
 * always consumed. SIMDSSE_ERR_NEEDS_RESET after finish;
 * SIMDSSE_ERR_INVALID_ARGUMENT for a NULL validator, or NULL data with a
 * length.
 */
SIMDSSE_API simdsse_status simdsse_validator_feed(simdsse_validator *validator, const void *data,
                                                  size_t len);

/** Ends the stream: reports what only the end shows (unterminated-event,
 *  a UTF-8 sequence cut short). Afterwards feed needs a reset. */
SIMDSSE_API simdsse_status simdsse_validator_finish(simdsse_validator *validator);

/** Starts a new stream: positions, counts and all state back to the start;
 *  the options stay. */
SIMDSSE_API void simdsse_validator_reset(simdsse_validator *validator);

/** Counts so far (all zero for NULL). */
SIMDSSE_API simdsse_validation simdsse_validator_result(const simdsse_validator *validator);

/** Events dispatched so far, by the standard's rule: a blank line after at
 *  least one data line. Equals what a parser fed the same bytes (with no
 *  limit tripped) has dispatched, after every feed, whatever the chunks. */
SIMDSSE_API uint64_t simdsse_validator_events(const simdsse_validator *validator);

/**
 * Validates a whole stream in one call: create (on the stack, nothing is
 * allocated), feed, finish. `on_diagnostic` and `user` replace those of
 * `options` (which may be NULL). Stores the counts in *result if not NULL.
 * Returns SIMDSSE_OK, or SIMDSSE_ERR_INVALID_ARGUMENT.
 */
SIMDSSE_API simdsse_status simdsse_validate(const void *data, size_t len,
                                            simdsse_diagnostic_fn on_diagnostic, void *user,
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
