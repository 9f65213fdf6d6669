/*
 * assembler.c -- lines to events: the standard's "interpret an event stream".
 * SPDX-License-Identifier: MIT
 *
 * Each step quoted below is from the WHATWG HTML standard, section 9.2.6
 * "Interpreting an event stream". The assembler works on bytes: field names
 * are ASCII, and the UTF-8 decoder never turns a byte sequence into CR, LF,
 * ':', ' ' or U+0000 unless that byte is literally there, so every test the
 * standard makes on decoded text gives the same answer on the raw bytes.
 * Decoding to text is left to whoever renders the values (json.c).
 */
#include "parser.h"

static const char message_type[] = "message";

/* Field names as little words, compared in one load. */
static inline uint32_t word4(const char *p) {
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}
static inline uint16_t word2(const char *p) {
    uint16_t w;
    memcpy(&w, p, 2);
    return w;
}
#define WORD4(a, b, c, d) \
    ((uint32_t)(uint8_t)(a) | (uint32_t)(uint8_t)(b) << 8 | (uint32_t)(uint8_t)(c) << 16 | \
     (uint32_t)(uint8_t)(d) << 24)
#define WORD2(a, b) ((uint16_t)((uint8_t)(a) | (uint8_t)(b) << 8))
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  undef WORD4
#  define WORD4(a, b, c, d) \
    ((uint32_t)(uint8_t)(d) | (uint32_t)(uint8_t)(c) << 8 | (uint32_t)(uint8_t)(b) << 16 | \
     (uint32_t)(uint8_t)(a) << 24)
#  undef WORD2
#  define WORD2(a, b) ((uint16_t)((uint8_t)(b) | (uint8_t)(a) << 8))
#endif

/* The event's flags (has_data, skip_event, id_changed, stored; adjacent in
 * that order, see parser.h) as one word, so the common line and blank line
 * test them in one compare. FLAG(i): the i-th of them set. */
_Static_assert(sizeof(bool) == 1, "flags are bytes");
_Static_assert(offsetof(simdsse_parser, skip_event) == offsetof(simdsse_parser, has_data) + 1 &&
                   offsetof(simdsse_parser, id_changed) == offsetof(simdsse_parser, has_data) + 2 &&
                   offsetof(simdsse_parser, stored) == offsetof(simdsse_parser, has_data) + 3,
               "the event's flags are one word");
#define FLAG(i) WORD4((i) == 0, (i) == 1, (i) == 2, (i) == 3)
#define F_HAS_DATA FLAG(0)
#define F_SKIP_EVENT FLAG(1)
#define F_ID_CHANGED FLAG(2)
#define F_STORED FLAG(3)
static inline uint32_t sse_flags(const simdsse_parser *p) {
    uint32_t w;
    memcpy(&w, (const char *)p + offsetof(simdsse_parser, has_data), 4);
    return w;
}

/* MARK: - Reporting: to the callbacks (feed) or the pull queue (next)
 *
 * A callback's non-zero return stops the feed after its line, and so does
 * a reset or destroy it asked for (`deferred`, read after it returns). */

sse_step simdsse__fail(simdsse_parser *p, simdsse_status why, uint64_t at) {
    p->skip_event = true; /* the offending event is dropped up to its blank line */
    p->has_data = false;
    p->data.len = 0;
    p->type.len = 0;
    if (p->pulling) {
        simdsse_item *it = sse_queue_slot(p);
        it->kind = SIMDSSE_ITEM_ERROR;
        it->error.status = why;
        it->error.offset = at;
        return sse_queued(p, true);
    }
    if (!p->first_error) p->first_error = (int8_t)why;
    if (p->on_error) {
        simdsse_error e;
        e.status = why;
        e.offset = at;
        if (p->on_error(p->user, &e) | p->deferred) return SSE_STOP;
    }
    return SSE_GO;
}

/* A comment's text; `carried`: it lies in `line`, which the next chunk's
 * carried line overwrites. */
static sse_step report_comment(simdsse_parser *p, const char *s, size_t n, bool pull,
                               bool carried) {
    simdsse_span text = {s, n};
    if (pull) {
        simdsse_item *it = sse_queue_slot(p);
        it->kind = SIMDSSE_ITEM_COMMENT;
        it->comment = text;
        return sse_queued(p, !carried);
    }
    if (p->on_comment && (p->on_comment(p->user, text) | p->deferred)) return SSE_STOP;
    return SSE_GO;
}

static sse_step no_memory(simdsse_parser *p) {
    p->broken = true;
    return SIMDSSE_ERR_NO_MEMORY;
}

/* 1. "Set the last event ID string of the event source to the value of the
 *    last event ID buffer. The buffer does not get reset." Only needed when
 *    an id field changed the buffer since the last dispatch. id_buf is read
 *    only while id_changed is set, and an id field replaces it whole, so
 *    the two buffers trade places: last_id takes the new value, and id_buf,
 *    stale from now on, stands for "equal to last_id" until the next id
 *    field. No copy, no allocation. */
static void commit_id(simdsse_parser *p) {
    /* Field by field, for the reason given in emit(). */
    char *ptr = p->last_id.ptr;
    size_t len = p->last_id.len, cap = p->last_id.cap;
    p->last_id.ptr = p->id_buf.ptr;
    p->last_id.len = p->id_buf.len;
    p->last_id.cap = p->id_buf.cap;
    p->id_buf.ptr = ptr;
    p->id_buf.len = len;
    p->id_buf.cap = cap;
    p->last_id_ptr = p->last_id.len ? p->last_id.ptr : "";
    p->id_changed = false;
}

/* Copies n bytes; values up to 64 bytes (ids, most data lines) with
 * overlapping moves instead of a libc call, whose size dispatch costs more
 * than such a copy. */
SSE_INLINE void copy_bytes(char *d, const char *s, size_t n) {
    if (n > 16) {
        if (n > 64) {
            memcpy(d, s, n);
            return;
        }
        char a[16], b[16];
        for (size_t i = 0; i + 16 < n; i += 16) { /* every 16 but the last */
            memcpy(a, s + i, 16);
            memcpy(d + i, a, 16);
        }
        memcpy(b, s + n - 16, 16);
        memcpy(d + n - 16, b, 16);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else if (n) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

/* Some byte of x is zero exactly when this is nonzero. */
#define ZERO_BYTE(x) (((x) - 0x0101010101010101ull) & ~(x) & 0x8080808080808080ull)
#define ZERO_BYTE32(x) (((x) - 0x01010101u) & ~(x) & 0x80808080u)

/* Whether s[0, n) holds a NUL; short values without a libc call. */
static inline bool has_nul(const char *s, size_t n) {
    if (n > 16) return memchr(s, 0, n) != NULL;
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        return (ZERO_BYTE(a) | ZERO_BYTE(b)) != 0;
    }
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        return (ZERO_BYTE32(a) | ZERO_BYTE32(b)) != 0;
    }
    return n && (!s[0] || !s[n / 2] || !s[n - 1]);
}

/* The event's lastEventId: the last event ID string. It is set once a
 * batch in an event of the batch's frame (the one feed's callbacks are
 * handed; pull copies its id into each queued event), and again when an
 * id is committed: nothing else changes it (a callback's reset is
 * deferred). */
SSE_INLINE void event_id(const simdsse_parser *p, simdsse_event *ev) {
    ev->id.ptr = p->last_id_ptr;
    ev->id.len = p->last_id.len;
}

/* Steps 3 to 8 of dispatching an event whose data buffer is data[0, dlen)
 * and not empty: the end of dispatch() below, and the batch loop's for an
 * event whose one data line is followed by its blank line (the data buffer
 * set and emptied again at once, so never stored). Pull: the event goes to
 * *tail, the queue's end as the batch loop keeps it; `end` is its last
 * slot's end; `stored`: data or type lies in a store. *cb: the frame's
 * event, whose id is the last event ID string already (see event_id);
 * feed builds the event there. */
SSE_INLINE sse_step emit(simdsse_parser *p, const char *data, size_t dlen, uint64_t offset,
                         const bool pull, simdsse_item **tail, const simdsse_item *end,
                         bool stored, simdsse_event *cb) {
    /* 3. "If the data buffer's last character is a U+000A LINE FEED (LF)
     *    character, then remove the last character from the data buffer."
     *    We never store that final LF: `data` holds the lines joined by LF. */
    /* (Field by field: a whole-span copy becomes one 16-byte load of what
     * was just stored as two 8-byte halves, and waits for the stores to
     * retire instead of being forwarded from them.) The pull API builds
     * the event in its queue. */
    simdsse_event *ev = cb;
    if (pull) {
        (*tail)->kind = SIMDSSE_ITEM_EVENT;
        ev = &(*tail)->event;
    }
    ev->data.ptr = data;
    ev->data.len = dlen;
    /* 5-6. type "message", unless "the event type buffer has a value other
     *    than the empty string"; lastEventId is the last event ID string. */
    if (SSE_UNLIKELY(p->type.len)) {
        ev->type.ptr = p->type.ptr;
        ev->type.len = p->type.len;
        /* 7. "Set [...] the event type buffer to the empty string." (It
         *    is already, unless it was set.) */
        p->type.len = 0;
    } else {
        ev->type.ptr = message_type;
        ev->type.len = sizeof message_type - 1;
    }
    if (pull) ev->id = cb->id; /* (whole: stored once a batch, or at a commit) */
    ev->offset = offset;
    /* 8. Dispatch. */
    if (pull) {
        /* Data or type in the stores is rewritten by the next event's
         * lines; borrowed from the chunk, it lasts until NEED_INPUT. (The
         * id lies in last_id, which only the next commit, below, frees
         * for rewriting.) */
        *tail = sse_slot_after(*tail);
        if (SSE_UNLIKELY(stored)) {
            p->stored = false;
            return SSE_STOP;
        }
        return *tail == end ? SSE_STOP : SSE_GO; /* the queue is full */
    }
    if (p->on_event && (p->on_event(p->user, cb) | p->deferred)) return SSE_STOP;
    return SSE_GO;
}

/* Dispatch the event. Inlined into the line loop: a blank line ending an
 * event is half the lines of a typical stream. Pull: as emit. */
SSE_INLINE sse_step dispatch(simdsse_parser *p, uint64_t offset, const bool pull,
                             simdsse_item **tail, const simdsse_item *end, simdsse_event *cb) {
    /* The common event in one test: it has data, no id field changed the
     * buffer, no limit discarded it, and nothing of it was stored. (Feed
     * has no use for `stored`: it is cleared here, and the next event
     * takes the one test again.) */
    uint32_t f = sse_flags(p);
    if (SSE_UNLIKELY(f != F_HAS_DATA)) {
        if (!pull) p->stored = false;
        /* 1. (see commit_id) */
        if (f & F_ID_CHANGED) {
            /* Pull: the last event ID changes here, and queued items must
             * show the one before (simdsse_parser_last_event_id answers for
             * them). */
            if (pull && *tail != p->queue.head) return SSE_BEFORE;
            commit_id(p);
            event_id(p, cb);
        }
        if (f & F_SKIP_EVENT) { /* the end of an event a limit discarded */
            p->skip_event = false;
            p->has_data = false;
            p->type.len = 0;
            return SSE_GO;
        }
        /* 2. "If the data buffer is an empty string, set the data buffer and
         *    the event type buffer to the empty string and return." */
        if (!(f & F_HAS_DATA)) {
            p->type.len = 0;
            return SSE_GO;
        }
    }
    /* 7. "Set the data buffer [...] to the empty string." (Before the
     *    event goes out, in the standard's order.) */
    p->has_data = false;
    size_t dlen = p->data.len;
    p->data.len = 0;
    return emit(p, p->data.ptr, dlen, offset, pull, tail, end, pull && (f & F_STORED), cb);
}

/* Copies n bytes in whole 64-byte moves: reads and writes up to 63 bytes
 * past n, so both sides must have that much room. No branch on the size
 * class: data lines have random lengths, and a size test per copy
 * mispredicts more often than not. */
SSE_INLINE void copy_chunks(char *d, const char *s, size_t n) {
    size_t i = 0;
    do {
        char t[64];
        memcpy(t, s + i, 64);
        memcpy(d + i, t, 64);
        i += 64;
    } while (i < n);
}

/* "If the field name is "data": Append the field value to the data buffer,
 *  then append a single U+000A LINE FEED (LF) character to the data buffer."
 * The LF is appended lazily, before the next value: the final one would be
 * removed at dispatch anyway. This is the second and later lines. `room`:
 * bytes readable from v. */
static sse_step data_append(simdsse_parser *p, const char *v, size_t vlen, size_t room,
                            uint64_t at) {
    size_t old = p->data.len;
    if (SSE_UNLIKELY(old >= p->max_data || vlen >= p->max_data - old))
        return simdsse__fail(p, SIMDSSE_ERR_DATA_TOO_LONG, at);
    size_t need = old + 1 + vlen;
    sse_store *s = &p->data_store;
    /* Bytes readable from the first value: up to the source's end while it
     * is borrowed, the store's capacity once it is in the store. (An empty
     * first value is not pinned, so it may lie anywhere: read none of it.) */
    const char *src0 = old ? p->data.ptr : s->ptr;
    bool borrowed = src0 != s->ptr;
    /* (No pointer arithmetic on the store before it exists: NULL + 0 is
     * undefined behaviour in C.) */
    size_t room0 = borrowed ? (size_t)(p->src_end - src0) : s->cap;
    if (SSE_LIKELY(need + 64 <= s->cap && vlen <= 256 && room0 >= old + 64 && room >= vlen + 64)) {
        /* The common case, without a branch on whether the first value is
         * still borrowed: its first 64 bytes are copied into the store
         * either way (onto themselves when it is there already), the rest
         * only when it is borrowed. Long values go to memcpy. */
        copy_chunks(s->ptr, src0, borrowed ? old : 0);
        s->ptr[old] = '\n';
        copy_chunks(s->ptr + old + 1, v, vlen);
    } else {
        if (p->data.ptr != s->ptr || need > s->cap) {
            /* The first value is still borrowed (or the store must grow):
             * bring it into the store. It never overlaps the store. */
            bool owned = s->ptr && p->data.ptr == s->ptr;
            if (!sse_store_reserve(&p->alloc, s, need, p->max_data)) return no_memory(p);
            if (!owned) copy_bytes(s->ptr, p->data.ptr, old);
        }
        s->ptr[old] = '\n';
        copy_bytes(s->ptr + old + 1, v, vlen);
    }
    p->data.ptr = s->ptr;
    p->data.len = need;
    p->stored = true;
    return 0;
}

SSE_INLINE sse_step field_data(simdsse_parser *p, const char *v, size_t vlen, uint64_t at) {
    if (SSE_LIKELY(!p->has_data)) {
        if (SSE_UNLIKELY(vlen > p->max_data)) return simdsse__fail(p, SIMDSSE_ERR_DATA_TOO_LONG, at);
        p->has_data = true;
        p->data.ptr = v; /* borrowed: no copy for the common single-line value */
        p->data.len = vlen;
        return 0;
    }
    return data_append(p, v, vlen, (size_t)(p->src_end - v), at);
}

/* "If the field name is "retry": If the field value consists of only ASCII
 *  digits, then interpret the field value as an integer in base ten, and set
 *  the event stream's reconnection time to that integer. Otherwise, ignore
 *  the field." Integers past UINT64_MAX saturate: the standard's integer is
 *  unbounded, and the nearest we can say to "longer than that" is the most. */
static sse_step field_retry(simdsse_parser *p, const char *v, size_t vlen, bool pull) {
    if (vlen == 0) return SSE_GO; /* no digits: "consists of only ASCII digits" fails */
    uint64_t ms = 0;
    for (size_t i = 0; i < vlen; i++) {
        unsigned d = (unsigned)(uint8_t)v[i] - '0';
        if (d > 9) return SSE_GO;
        if (ms > (UINT64_MAX - d) / 10)
            ms = UINT64_MAX;
        else
            ms = ms * 10 + d;
    }
    if (pull) {
        /* Queued items must still see the old time (simdsse_parser_retry). */
        if (sse_queue_busy(p)) return SSE_BEFORE;
        p->retry = ms;
        simdsse_item *it = sse_queue_slot(p);
        it->kind = SIMDSSE_ITEM_RETRY;
        it->retry = ms;
        return sse_queued(p, true);
    }
    p->retry = ms;
    if (p->on_retry && (p->on_retry(p->user, ms) | p->deferred)) return SSE_STOP;
    return SSE_GO;
}

/* "If the field name is "event": Set the event type buffer to field value." */
SSE_INLINE sse_step field_event(simdsse_parser *p, const char *v, size_t vlen, uint64_t at) {
    if (SSE_UNLIKELY(vlen > p->max_type)) return simdsse__fail(p, SIMDSSE_ERR_TYPE_TOO_LONG, at);
    p->type.ptr = v;
    p->type.len = vlen;
    return 0;
}

/* "If the field name is "id": If the field value does not contain U+0000
 *  NULL, then set the last event ID buffer to the field value. Otherwise,
 *  ignore the field." */
SSE_INLINE sse_step field_id(simdsse_parser *p, const char *v, size_t vlen, uint64_t at) {
    if (has_nul(v, vlen)) return 0;
    if (SSE_UNLIKELY(vlen > p->max_id)) return simdsse__fail(p, SIMDSSE_ERR_ID_TOO_LONG, at);
    if (!sse_buf_reserve(&p->alloc, &p->id_buf, vlen, p->max_id)) return no_memory(p);
    copy_bytes(p->id_buf.ptr, v, vlen);
    p->id_buf.len = vlen;
    p->id_changed = true;
    return 0;
}

/* Names the standard acts on. Any other field name is ignored. */
enum field { F_DATA, F_EVENT, F_ID, F_RETRY };

/* One line (not blank), every case. The batch loop below takes a shortcut
 * for "data" lines and comes here for the rest. `carried`: it lies in
 * `line`. */
SSE_INLINE sse_step line(simdsse_parser *p, const char *s, size_t len, uint64_t at,
                         const bool pull, bool carried) {
    if (SSE_UNLIKELY(p->skip_event)) return SSE_GO;
    /* "If the line starts with a U+003A COLON character (:): Ignore the line."
     * (Ignored by the event, but reported: heartbeats are comments.) */
    if (s[0] == ':') return report_comment(p, s + 1, len - 1, pull, carried);
    /* "If the line contains a U+003A COLON character: Collect the characters
     *  on the line before the first U+003A COLON character (:), and let field
     *  be that string. Collect the characters on the line after the first
     *  U+003A COLON character (:), and let value be that string. If value
     *  starts with a U+0020 SPACE character, remove it from value."
     * "Otherwise, [...] using the whole line as the field name, and the empty
     *  string as the field value."
     * So the field is NAME exactly when the line is NAME or starts with
     * "NAME:"; when it merely starts with NAME, the field name is longer.
     * Only four names matter, so the first colon never needs finding. */
    enum field f;
    size_t nlen;
    switch (s[0]) {
    case 'd':
        if (len < 4 || word4(s) != WORD4('d', 'a', 't', 'a')) return 0;
        f = F_DATA, nlen = 4;
        break;
    case 'e':
        if (len < 5 || word4(s) != WORD4('e', 'v', 'e', 'n') || s[4] != 't') return 0;
        f = F_EVENT, nlen = 5;
        break;
    case 'i':
        if (len < 2 || s[1] != 'd') return 0;
        f = F_ID, nlen = 2;
        break;
    case 'r':
        if (len < 5 || word4(s) != WORD4('r', 'e', 't', 'r') || s[4] != 'y') return 0;
        f = F_RETRY, nlen = 5;
        break;
    default:
        /* "Otherwise: The field is ignored." */
        return 0;
    }
    const char *v = s + len;
    size_t vlen = 0;
    if (len > nlen) {
        if (s[nlen] != ':') return 0; /* a longer name: ignored */
        v = s + nlen + 1;
        vlen = len - nlen - 1;
        if (vlen && *v == ' ') v++, vlen--;
    }
    uint64_t vat = at + (uint64_t)(v - s);
    switch (f) {
    case F_DATA:
        return field_data(p, v, vlen, vat);
    case F_EVENT:
        return field_event(p, v, vlen, vat);
    case F_ID:
        return field_id(p, v, vlen, vat);
    case F_RETRY:
        return field_retry(p, v, vlen, pull);
    }
    return SSE_GO;
}

/* The two deliveries, each compiled once. */
static sse_step line_cb(simdsse_parser *p, const char *s, size_t len, uint64_t at) {
    return line(p, s, len, at, false, false);
}
static sse_step line_pull(simdsse_parser *p, const char *s, size_t len, uint64_t at,
                          bool carried) {
    return line(p, s, len, at, true, carried);
}

/* MARK: - The batch loop
 *
 * line() above is the whole of the standard's line handling. The loop
 * takes shortcuts for the lines that make up most streams: a blank line
 * dispatches, an event's first "data:" line is taken inline (and, when a
 * blank line follows, dispatched with it), other "data:" lines go
 * straight to field_data, "event:" and "id:" lines to their handlers. (A
 * branch-free classification of every line by its first eight bytes, with
 * one switch, measured no faster on mixed streams and slower on the common
 * ones: the line types of a stream are mostly predictable.) */

/* A dispatch stopped the batch at line i. */
SSE_INLINE sse_step stopped(simdsse_parser *p, const bool pull, simdsse_item *tail, sse_step st,
                            size_t i, size_t *done) {
    if (pull) p->queue.tail = tail;
    *done = i + (st != SSE_BEFORE);
    return st;
}

/* Pull: the queue's end lives in `tail` while events are dispatched, not
 * in memory, where each event would wait on the last one's store; it goes
 * back to queue.tail before any other line (whose items, rarer, are queued
 * through it: SSE_QUEUED) and at the end. */
SSE_INLINE sse_step assemble(simdsse_parser *p, const char *base, size_t blen,
                             uint64_t base_offset, const sse_line *recs, size_t n, size_t *done,
                             const bool pull) {
    p->src_end = base + blen;
    simdsse_item *tail = pull ? sse_queue_slot(p) : NULL;
    const simdsse_item *end = pull ? sse_queue_end(p->pull) : NULL;
    simdsse_event ev; /* (see event_id) */
    event_id(p, &ev);
    /* len - 5 < lim5 exactly when 5 <= len <= max_line (one test). */
    const size_t lim5 = p->max_line >= 5 ? p->max_line - 4 : 0;
    /* The flags an event's first "data:" line takes the shortcut without
     * (the rest go through field_data). */
    const uint32_t fresh = F_HAS_DATA | F_SKIP_EVENT | F_ID_CHANGED | (pull ? F_STORED : 0);
    if (SSE_UNLIKELY(n == 0)) {
        *done = 0;
        return SSE_GO;
    }
    const sse_line *r = recs, *last = recs + n - 1;
    for (; r <= last; r++) {
        const char *s = base + r->start;
        size_t len = (size_t)r->end - r->start;
        sse_step st;
        if (len == 0) {
            /* "If the line is empty (a blank line): Dispatch the event." */
            st = dispatch(p, base_offset + r->start, pull, &tail, end, &ev);
            if (SSE_UNLIKELY(st)) return stopped(p, pull, tail, st, (size_t)(r - recs), done);
            continue;
        }
        /* The shortcuts read five bytes of a line: 5 <= len <= max_line.
         * s[5] is in the line or is its terminator, so their space tests
         * need no length test. */
        const bool sized = len - 5 < lim5;
        const bool is_data = sized && word4(s) == WORD4('d', 'a', 't', 'a') && s[4] == ':';
        uint32_t f = sse_flags(p);
        if (SSE_LIKELY(is_data && !(f & fresh))) {
            /* The commonest line, an event's first "data:" line (with no
             * id to commit at its dispatch, and, pull, nothing stored):
             * what field_data does with it, inline. */
            size_t sp = s[5] == ' ';
            const char *v = s + 5 + sp;
            size_t vlen = len - 5 - sp;
            if (SSE_LIKELY(vlen <= p->max_data)) {
                if (r < last && r[1].start == r[1].end) {
                    /* The next line is blank: what setting the data
                     * buffer to v and dispatching would do, without the
                     * round trip through it. */
                    r++;
                    st = emit(p, v, vlen, base_offset + r->start, pull, &tail, end, false, &ev);
                    if (SSE_UNLIKELY(st))
                        return stopped(p, pull, tail, st, (size_t)(r - recs), done);
                    continue;
                }
                p->has_data = true;
                p->data.ptr = v; /* borrowed */
                p->data.len = vlen;
                continue;
            }
        }
        if (pull) p->queue.tail = tail;
        uint64_t at = base_offset + r->start;
        if (sized) {
            if (is_data && !p->skip_event) {
                /* A "data:" line, as line() takes it. */
                size_t sp = s[5] == ' ';
                st = field_data(p, s + 5 + sp, len - 5 - sp, at + 5 + sp);
            } else if (word4(s) == WORD4('e', 'v', 'e', 'n') && word2(s + 4) == WORD2('t', ':') &&
                       !p->skip_event) {
                /* An "event:" line, likewise (LLM streams name most events). */
                size_t sp = s[6] == ' ';
                st = field_event(p, s + 6 + sp, len - 6 - sp, at + 6 + sp);
            } else if ((word4(s) & WORD4(0xff, 0xff, 0xff, 0)) == WORD4('i', 'd', ':', 0) &&
                       !p->skip_event) {
                size_t sp = s[3] == ' ';
                st = field_id(p, s + 3 + sp, len - 3 - sp, at + 3 + sp);
            } else {
                st = pull ? line_pull(p, s, len, at, false) : line_cb(p, s, len, at);
            }
        } else if (SSE_UNLIKELY(len > p->max_line)) {
            st = simdsse__fail(p, SIMDSSE_ERR_LINE_TOO_LONG, at + p->max_line);
        } else {
            st = pull ? line_pull(p, s, len, at, false) : line_cb(p, s, len, at);
        }
        if (SSE_UNLIKELY(st)) {
            if (pull) {
                tail = sse_queue_slot(p);
                if (st == SSE_QUEUED) continue;
            }
            *done = (size_t)(r - recs) + (st != SSE_BEFORE);
            return st;
        }
    }
    if (pull) p->queue.tail = tail;
    *done = n;
    return SSE_GO;
}

sse_step simdsse__assemble(simdsse_parser *p, const char *base, size_t blen, uint64_t base_offset,
                           const sse_line *recs, size_t n, size_t *done) {
    return assemble(p, base, blen, base_offset, recs, n, done, false);
}

sse_step simdsse__assemble_pull(simdsse_parser *p, const char *base, size_t blen,
                                uint64_t base_offset, const sse_line *recs, size_t n,
                                size_t *done) {
    return assemble(p, base, blen, base_offset, recs, n, done, true);
}

sse_step simdsse__assemble_line(simdsse_parser *p, const char *s, size_t len, uint64_t offset) {
    p->src_end = s + len;
    /* "If the line is empty (a blank line): Dispatch the event." */
    if (len) return p->pulling ? sse_go_on(line_pull(p, s, len, offset, true))
                               : line_cb(p, s, len, offset);
    simdsse_event ev;
    event_id(p, &ev);
    if (p->pulling) {
        simdsse_item *tail = sse_queue_slot(p);
        sse_step st = dispatch(p, offset, true, &tail, sse_queue_end(p->pull), &ev);
        p->queue.tail = tail;
        return st;
    }
    return dispatch(p, offset, false, NULL, NULL, &ev);
}

sse_step simdsse__assemble_data(simdsse_parser *p, const char *v, size_t vlen, uint64_t at) {
    /* A cut "data: " with nothing after it carried no byte, so `line` may
     * not exist yet; its empty value must still be a real span (spans are
     * never NULL: an event's data is "" then, not NULL). */
    if (!v) v = "";
    p->src_end = v + vlen;
    /* What line() does with a "data" line, its field name matched already. */
    if (SSE_UNLIKELY(p->skip_event)) return SSE_GO;
    return sse_go_on(field_data(p, v, vlen, at));
}

/* Whether s lies in `line`'s buffer. */
static bool in_line(const simdsse_parser *p, const char *s) {
    return p->line.ptr && (uintptr_t)s - (uintptr_t)p->line.ptr < p->line.cap;
}

bool simdsse__pin_now(simdsse_parser *p) {
    if (p->has_data && p->data.len && p->data.ptr != p->data_store.ptr) {
        if (!p->data_store.ptr && !p->line_pending && p->line.cap <= p->max_data &&
            !in_line(p, p->data.ptr) && !(p->type.len && in_line(p, p->type.ptr))) {
            /* No line is carried, and the data store lent its buffer to
             * `line` (carry): it takes it back rather than a second one. */
            p->data_store.ptr = p->line.ptr;
            p->data_store.cap = p->line.cap;
            p->line.ptr = NULL;
            p->line.cap = 0;
            p->line.len = 0;
        }
        if (!sse_store_set(&p->alloc, &p->data_store, p->data.ptr, p->data.len, p->max_data))
            return false;
        p->data.ptr = p->data_store.ptr;
        p->stored = true;
    }
    if (p->type.len && p->type.ptr != p->type_store.ptr) {
        if (!sse_store_set(&p->alloc, &p->type_store, p->type.ptr, p->type.len, p->max_type))
            return false;
        p->type.ptr = p->type_store.ptr;
        p->stored = true;
    }
    return true;
}
