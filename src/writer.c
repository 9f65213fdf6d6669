/*
 * writer.c -- events to text/event-stream bytes that no value can break.
 * SPDX-License-Identifier: MIT
 *
 * Every value is written on a line of its own after "name: ". What can break
 * that is a line end inside a value -- the parser would end the line there
 * and read the rest as a field of its own, or as the blank line that
 * dispatches -- and NUL in an id, which makes the standard ignore the whole
 * id field. So data and comments are split at their line ends, one line per
 * piece (the parser joins data lines back with LF), and event types and ids
 * are refused or stripped. The line ends are found with the kernel's
 * find_eol; the runs between them are copied whole.
 *
 * One pass over the values produces the bytes and their exact count at
 * once: output goes to a cursor (`out`) that writes while there is room
 * and, past it, either grows the room (a writer's buffer) or only counts
 * (a caller's buffer, or a size query with no room at all). The size query
 * and the formatting therefore run the same code and cannot disagree.
 */
#include "arch/kernel.h"
#include "internal.h"

#define KNOWN_FLAGS ((unsigned)(SIMDSSE_WRITE_SANITIZE | SIMDSSE_WRITE_ONE_LINE_COMMENT))

struct simdsse_writer {
    const sse_kernel *kernel;
    sse_alloc alloc;
    sse_buf buf;  /* output is buf.ptr[head, buf.len) */
    size_t head;  /* bytes consumed from the front, dropped when room is needed;
                   * head < buf.len, or both are 0 */
};

/* MARK: - Output cursor */

/* pos and cap are kept apart: copied from a writer's adjacent {len, cap}
 * into adjacent fields, they are loaded as one 16-byte pair, which stalls
 * on store forwarding right after the previous event stored len alone
 * (measured: a sixth of the time of a 200-byte event). */
typedef struct out {
    char *buf;
    size_t pos;        /* bytes written */
    size_t spilled;    /* bytes that found no room (saturates at SIZE_MAX) */
    size_t cap;        /* room; set to pos once a put has not fitted */
    simdsse_writer *w; /* if set, room grows instead of spilling */
    bool no_memory;
} out;

/* Makes room for n more bytes in a writer's buffer: first by dropping the
 * consumed front, then by growing. */
static bool grow(out *o, size_t n) {
    simdsse_writer *w = o->w;
    if (w->head) {
        memmove(w->buf.ptr, w->buf.ptr + w->head, o->pos - w->head);
        o->pos -= w->head;
        w->buf.len -= w->head;
        w->head = 0;
        if (n <= o->cap - o->pos) return true;
    }
    if (n > SIZE_MAX - o->pos || !sse_buf_reserve(&w->alloc, &w->buf, o->pos + n, SIZE_MAX))
        return false;
    o->buf = w->buf.ptr;
    o->cap = w->buf.cap;
    return true;
}

/* No room for n bytes: grow, or stop writing and only count from here on,
 * so a caller's buffer never receives bytes past its capacity. */
static bool make_room(out *o, size_t n) {
    if (o->w && !o->no_memory) {
        if (grow(o, n)) return true;
        o->no_memory = true;
    }
    o->cap = o->pos;
    o->spilled = n > SIZE_MAX - o->spilled ? SIZE_MAX : o->spilled + n;
    return false;
}

/* n > 0: with no buffer yet, buf + pos must not be formed for nothing. */
SSE_INLINE void put(out *o, const char *s, size_t n) {
    if (SSE_LIKELY(n <= o->cap - o->pos) || make_room(o, n)) {
        memcpy(o->buf + o->pos, s, n);
        o->pos += n;
    }
}

/* prefix, s[0, n) and an LF, as one line. n may be 0; plen is not. */
SSE_INLINE void put_line(out *o, const char *prefix, size_t plen, const char *s, size_t n) {
    size_t need = plen + n + 1;
    if (SSE_LIKELY(need <= o->cap - o->pos) || make_room(o, need)) {
        char *p = o->buf + o->pos;
        memcpy(p, prefix, plen);
        if (n) memcpy(p + plen, s, n);
        p[plen + n] = '\n';
        o->pos += need;
    }
}

/* MARK: - Values */

/* Kernels scan at most SSE_SCAN_MAX bytes a call. */
SSE_INLINE size_t find_eol(const sse_kernel *k, const char *s, size_t n) {
    if (SSE_LIKELY(n <= SSE_SCAN_MAX)) return k->find_eol(s, n);
    for (size_t at = 0;; at += SSE_SCAN_MAX) {
        size_t w = n - at < SSE_SCAN_MAX ? n - at : SSE_SCAN_MAX;
        size_t e = k->find_eol(s + at, w);
        if (e < w || at + w == n) return at + e;
    }
}

/* Offset of the first byte that cannot be in a field value: CR, LF, and
 * NUL too when `nul` (ids); n if none. Types and ids are mostly a few
 * bytes, for which calling the kernel and memchr costs more than looking
 * at each byte; longer values go to the kernel. */
#define SHORT_VALUE 24
static size_t find_bad(const sse_kernel *k, const char *s, size_t n, bool nul) {
    if (n <= SHORT_VALUE) {
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            if (c == '\n' || c == '\r' || (nul && c == 0)) return i;
        }
        return n;
    }
    size_t e = find_eol(k, s, n);
    if (nul && e) {
        const char *z = memchr(s, 0, e);
        if (z) e = (size_t)(z - s);
    }
    return e;
}

/*
 * One line of `prefix` per line of s[0, n), as the parser will split it:
 * "a CRLF pair, a single LF not preceded by CR, and a single CR not
 * followed by LF" each end a line. A line end at the very end leaves an
 * empty last line, so "a\n" is written as two lines and reads back as
 * "a\n" once the parser has removed the final LF it adds.
 */
SSE_INLINE void put_lines(out *o, const sse_kernel *k, const char *prefix, size_t plen,
                          const char *s, size_t n) {
    for (;;) {
        size_t e = find_eol(k, s, n);
        put_line(o, prefix, plen, s, e);
        if (e == n) return;
        size_t skip = s[e] == '\r' && e + 1 < n && s[e + 1] == '\n' ? 2 : 1;
        s += e + skip;
        n -= e + skip;
    }
}

/* One line: prefix and s[0, n) without its bad bytes (first at `bad`).
 * With `omit_empty`, nothing at all if no byte is left. */
static void put_stripped(out *o, const sse_kernel *k, const char *prefix, size_t plen,
                         const char *s, size_t n, size_t bad, bool nul, bool omit_empty) {
    bool started = !omit_empty;
    if (started) put(o, prefix, plen);
    for (;;) {
        if (bad) {
            if (!started) put(o, prefix, plen), started = true;
            put(o, s, bad);
        }
        if (bad == n) break;
        s += bad + 1;
        n -= bad + 1;
        bad = find_bad(k, s, n, nul);
    }
    if (started) put(o, "\n", 1);
}

static bool span_ok(simdsse_span s) { return s.ptr || s.len == 0; }

static void put_retry(out *o, uint64_t ms) {
    char tmp[7 + 20 + 1]; /* "retry: ", up to 20 digits, LF */
    char *p = tmp + sizeof tmp;
    *--p = '\n';
    do *--p = (char)('0' + ms % 10); while (ms /= 10);
    p -= 7;
    memcpy(p, "retry: ", 7);
    put(o, p, (size_t)(tmp + sizeof tmp - p));
}

static simdsse_status write_event(const sse_kernel *k, const simdsse_event *ev, unsigned flags,
                                  out *o) {
    if (!ev || (flags & ~KNOWN_FLAGS) || !span_ok(ev->type) || !span_ok(ev->data) ||
        !span_ok(ev->id))
        return SIMDSSE_ERR_INVALID_ARGUMENT;
    /* Everything that can fail is decided before the first byte goes out. */
    size_t tbad = find_bad(k, ev->type.ptr, ev->type.len, false);
    size_t ibad = ev->id.ptr ? find_bad(k, ev->id.ptr, ev->id.len, true) : 0;
    bool sanitize = flags & SIMDSSE_WRITE_SANITIZE;
    if ((tbad < ev->type.len || ibad < ev->id.len) && !sanitize) return SIMDSSE_ERR_INVALID_FIELD;

    /* An empty type reads back as "message", exactly as no type does: the
     * event type buffer is emptied at every blank line. */
    if (ev->type.len) {
        if (SSE_LIKELY(tbad == ev->type.len))
            put_line(o, "event: ", 7, ev->type.ptr, ev->type.len);
        else
            put_stripped(o, k, "event: ", 7, ev->type.ptr, ev->type.len, tbad, false, true);
    }
    if (ev->id.ptr) {
        if (SSE_LIKELY(ibad == ev->id.len))
            put_line(o, "id: ", 4, ev->id.ptr, ev->id.len);
        else
            put_stripped(o, k, "id: ", 4, ev->id.ptr, ev->id.len, ibad, true, false);
    }
    if (ev->data.ptr) put_lines(o, k, "data: ", 6, ev->data.ptr, ev->data.len);
    put(o, "\n", 1);
    return SIMDSSE_OK;
}

static simdsse_status write_comment(const sse_kernel *k, const char *text, size_t len,
                                    unsigned flags, out *o) {
    if ((!text && len) || (flags & ~KNOWN_FLAGS)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (!text) text = "";
    if (flags & SIMDSSE_WRITE_ONE_LINE_COMMENT) {
        size_t bad = find_bad(k, text, len, false);
        if (bad < len) {
            if (!(flags & SIMDSSE_WRITE_SANITIZE)) return SIMDSSE_ERR_INVALID_FIELD;
            put_stripped(o, k, ":", 1, text, len, bad, false, false);
            return SIMDSSE_OK;
        }
    }
    put_lines(o, k, ":", 1, text, len);
    return SIMDSSE_OK;
}

/* MARK: - Into the caller's buffer */

/* The calls without a writer use the default kernel, as a parser does, and
 * fail as simdsse_writer_create does (and parsers do) when $SIMDSSE_KERNEL
 * names no kernel this CPU runs: one behaviour for every part. */
static simdsse_status event_with_default(const simdsse_event *event, unsigned flags, out *o) {
    simdsse_status st;
    const sse_kernel *k = simdsse__kernel_default(&st);
    return k ? write_event(k, event, flags, o) : st;
}

static simdsse_status comment_with_default(const char *text, size_t len, unsigned flags, out *o) {
    simdsse_status st;
    const sse_kernel *k = simdsse__kernel_default(&st);
    return k ? write_comment(k, text, len, flags, o) : st;
}

/* Reports a write into out[0, cap) as the format calls do. */
static simdsse_status finish_fixed(simdsse_status st, const out *o, size_t *len) {
    size_t n = 0;
    if (st == SIMDSSE_OK) {
        n = o->spilled > SIZE_MAX - o->pos ? SIZE_MAX : o->pos + o->spilled;
        if (o->spilled) st = SIMDSSE_ERR_BUFFER_TOO_SMALL;
    }
    *len = n;
    return st;
}

simdsse_status simdsse_format_event(const simdsse_event *event, unsigned flags, char *buf,
                                    size_t cap, size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = {buf, 0, 0, buf ? cap : 0, NULL, false};
    simdsse_status st = (buf || !cap) ? event_with_default(event, flags, &o)
                                      : SIMDSSE_ERR_INVALID_ARGUMENT;
    return finish_fixed(st, &o, len);
}

simdsse_status simdsse_format_retry(uint64_t milliseconds, char *buf, size_t cap, size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = {buf, 0, 0, buf ? cap : 0, NULL, false};
    simdsse_status st = SIMDSSE_ERR_INVALID_ARGUMENT;
    if (buf || !cap) {
        put_retry(&o, milliseconds);
        st = SIMDSSE_OK;
    }
    return finish_fixed(st, &o, len);
}

simdsse_status simdsse_format_comment(const char *text, size_t text_len, unsigned flags,
                                      char *buf, size_t cap, size_t *len) {
    if (!len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = {buf, 0, 0, buf ? cap : 0, NULL, false};
    simdsse_status st = (buf || !cap) ? comment_with_default(text, text_len, flags, &o)
                                      : SIMDSSE_ERR_INVALID_ARGUMENT;
    return finish_fixed(st, &o, len);
}

/* MARK: - Into a writer's buffer */

simdsse_writer *simdsse_writer_create(const simdsse_writer_options *options,
                                      simdsse_status *status) {
    simdsse_writer_options o;
    simdsse_writer_options_init(&o);
    simdsse_writer *w = NULL;
    sse_alloc a;
    const sse_kernel *k = NULL;
    simdsse_status st = SIMDSSE_OK;
    if (options)
        st = simdsse__struct_load(&o, sizeof o, options,
                                  SSE_FIRST_SIZE(simdsse_writer_options, allocator));
    if (st == SIMDSSE_OK) st = simdsse__alloc_load(o.allocator, &a);
    if (st == SIMDSSE_OK)
        k = o.kernel ? simdsse__kernel_lookup(o.kernel, &st) : simdsse__kernel_default(&st);
    if (k) {
        w = a.malloc(a.ctx, sizeof *w);
        if (w) {
            memset(w, 0, sizeof *w);
            w->kernel = k;
            w->alloc = a;
        } else {
            st = SIMDSSE_ERR_NO_MEMORY;
        }
    }
    if (status) *status = st;
    return w;
}

void simdsse_writer_destroy(simdsse_writer *w) {
    if (!w) return;
    sse_buf_free(&w->alloc, &w->buf);
    sse_alloc a = w->alloc;
    a.free(a.ctx, w, sizeof *w);
}

static out writer_out(simdsse_writer *w) {
    out o = {w->buf.ptr, w->buf.len, 0, w->buf.cap, w, false};
    return o;
}

/* Commits what was appended, or leaves the output as it was. */
static simdsse_status writer_finish(simdsse_writer *w, simdsse_status st, const out *o) {
    if (st == SIMDSSE_OK && o->no_memory) st = SIMDSSE_ERR_NO_MEMORY;
    if (st == SIMDSSE_OK) w->buf.len = o->pos;
    return st;
}

simdsse_status simdsse_writer_event(simdsse_writer *w, const simdsse_event *event,
                                    unsigned flags) {
    if (!w) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = writer_out(w);
    return writer_finish(w, write_event(w->kernel, event, flags, &o), &o);
}

simdsse_status simdsse_writer_retry(simdsse_writer *w, uint64_t milliseconds) {
    if (!w) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = writer_out(w);
    put_retry(&o, milliseconds);
    return writer_finish(w, SIMDSSE_OK, &o);
}

simdsse_status simdsse_writer_comment(simdsse_writer *w, const char *text, size_t text_len,
                                      unsigned flags) {
    if (!w) return SIMDSSE_ERR_INVALID_ARGUMENT;
    out o = writer_out(w);
    return writer_finish(w, write_comment(w->kernel, text, text_len, flags, &o), &o);
}

simdsse_span simdsse_writer_output(const simdsse_writer *w) {
    simdsse_span s = {"", 0};
    if (w && w->buf.len > w->head) {
        s.ptr = w->buf.ptr + w->head;
        s.len = w->buf.len - w->head;
    }
    return s;
}

void simdsse_writer_consume(simdsse_writer *w, size_t n) {
    if (!w) return;
    if (n >= w->buf.len - w->head)
        w->head = w->buf.len = 0;
    else
        w->head += n;
}

void simdsse_writer_clear(simdsse_writer *w) { simdsse_writer_consume(w, SIZE_MAX); }

void simdsse_writer_trim(simdsse_writer *w) {
    if (!w) return;
    size_t live = w->buf.len - w->head;
    if (live == 0) {
        sse_buf_free(&w->alloc, &w->buf);
        w->head = 0;
        return;
    }
    if (w->head) memmove(w->buf.ptr, w->buf.ptr + w->head, live);
    w->head = 0;
    w->buf.len = live;
    if (live < w->buf.cap) {
        char *p = w->alloc.realloc(w->alloc.ctx, w->buf.ptr, w->buf.cap, live);
        if (p) { /* a failed shrink keeps the old block, which is fine */
            w->buf.ptr = p;
            w->buf.cap = live;
        }
    }
}

size_t simdsse_writer_memory(const simdsse_writer *w) { return w ? sizeof *w + w->buf.cap : 0; }

const char *simdsse_writer_kernel(const simdsse_writer *w) { return w ? w->kernel->name : NULL; }
