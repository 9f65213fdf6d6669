/*
 * baseline_memchr.c -- the benchmarks' baseline: an SSE parser written the
 * way a careful C programmer writes one by hand, on glibc's memchr (itself
 * SIMD: SSE2, AVX2 or EVEX on x86-64).
 * SPDX-License-Identifier: MIT
 *
 * It is complete and exact on the streams it is benchmarked with (bench_parse
 * checks that it dispatches the same events as simdsse before timing it):
 *  - line ends are CRLF, LF or a lone CR. memchr finds one byte, so the next
 *    LF and the next CR are looked for separately, and each position is
 *    remembered until the line ends pass it: every byte is scanned once for
 *    each, however the stream mixes them (looking for CR only inside each
 *    LF-terminated line would rescan CR-only streams quadratically);
 *  - a CR ending a chunk and an LF starting the next are one line end;
 *  - a line cut by a chunk boundary is carried over in a buffer;
 *  - fields: memchr for the colon, one leading space removed, data joined by
 *    LF into a buffer, event type and id copied (an id holding NUL ignored),
 *    retry only when all digits; the BOM is skipped when the first chunk
 *    holds it whole.
 * What it leaves out, as hand-written parsers usually do: limits, pausing,
 * and the on_retry / on_comment callbacks.
 */
#include "baseline_memchr.h"

#include <stdlib.h>
#include <string.h>

static int reserve(baseline_buf *b, size_t need) {
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap *= 2;
    char *q = realloc(b->ptr, cap);
    if (!q) return -1;
    b->ptr = q;
    b->cap = cap;
    return 0;
}

static int append(baseline_buf *b, const char *s, size_t n) {
    if (reserve(b, b->len + n)) return -1;
    if (n) memcpy(b->ptr + b->len, s, n);
    b->len += n;
    return 0;
}

static int assign(baseline_buf *b, const char *s, size_t n) {
    b->len = 0;
    return append(b, s, n);
}

void baseline_init(baseline_parser *p, int (*on_event)(void *, const simdsse_event *), void *user) {
    memset(p, 0, sizeof *p);
    p->on_event = on_event;
    p->user = user;
    p->retry = 3000;
}

static int dispatch(baseline_parser *p, uint64_t at) {
    if (assign(&p->last_id, p->id.ptr, p->id.len)) return -1;
    if (p->data.len == 0) {
        p->type.len = 0;
        return 0;
    }
    simdsse_event ev;
    ev.data.ptr = p->data.ptr;
    ev.data.len = p->data.len - 1; /* the final LF */
    ev.type.ptr = p->type.len ? p->type.ptr : "message";
    ev.type.len = p->type.len ? p->type.len : 7;
    ev.id.ptr = p->last_id.len ? p->last_id.ptr : "";
    ev.id.len = p->last_id.len;
    ev.offset = at;
    p->data.len = 0;
    p->type.len = 0;
    if (p->on_event) p->on_event(p->user, &ev);
    return 0;
}

static int line(baseline_parser *p, const char *s, size_t len, uint64_t at) {
    if (len == 0) return dispatch(p, at);
    const char *colon = memchr(s, ':', len);
    if (colon == s) return 0; /* a comment */
    size_t nlen = colon ? (size_t)(colon - s) : len;
    const char *v = colon ? colon + 1 : s + len;
    size_t vlen = len - nlen - (colon != NULL);
    if (vlen && *v == ' ') v++, vlen--;
    if (nlen == 4 && memcmp(s, "data", 4) == 0) {
        if (append(&p->data, v, vlen) || append(&p->data, "\n", 1)) return -1;
    } else if (nlen == 5 && memcmp(s, "event", 5) == 0) {
        if (assign(&p->type, v, vlen)) return -1;
    } else if (nlen == 2 && memcmp(s, "id", 2) == 0) {
        if (!memchr(v, 0, vlen) && assign(&p->id, v, vlen)) return -1;
    } else if (nlen == 5 && memcmp(s, "retry", 5) == 0 && vlen) {
        uint64_t ms = 0;
        for (size_t i = 0; i < vlen; i++) {
            unsigned d = (unsigned)(unsigned char)v[i] - '0';
            if (d > 9) return 0;
            ms = ms > (UINT64_MAX - d) / 10 ? UINT64_MAX : ms * 10 + d;
        }
        p->retry = ms;
    }
    return 0;
}

static size_t find(const char *buf, size_t from, size_t len, int c) {
    const char *q = memchr(buf + from, c, len - from);
    return q ? (size_t)(q - buf) : len;
}

int baseline_feed(baseline_parser *p, const char *buf, size_t len) {
    size_t i = 0;
    if (p->no_memory) return -1;
    if (!p->started && len) {
        p->started = 1;
        if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
    }
    if (p->skip_lf && i < len) {
        p->skip_lf = 0;
        if (buf[i] == '\n') i++;
    }
    if (i == len) {
        p->offset += len;
        return 0;
    }
    size_t lf = find(buf, i, len, '\n'), cr = find(buf, i, len, '\r');
    while (i < len) {
        size_t end = lf < cr ? lf : cr;
        if (end == len) { /* no line end: carry the rest over */
            if (append(&p->line, buf + i, len - i)) goto no_memory;
            break;
        }
        int rc;
        if (p->line.len) {
            if (append(&p->line, buf + i, end - i)) goto no_memory;
            rc = line(p, p->line.ptr, p->line.len, p->offset - (p->line.len - (end - i)));
            p->line.len = 0;
        } else {
            rc = line(p, buf + i, end - i, p->offset + i);
        }
        if (rc) goto no_memory;
        i = end + 1;
        if (buf[end] == '\r') {
            if (i == len)
                p->skip_lf = 1;
            else if (buf[i] == '\n')
                i++;
        }
        if (lf < i) lf = find(buf, i, len, '\n');
        if (cr < i) cr = find(buf, i, len, '\r');
    }
    p->offset += len;
    return 0;
no_memory:
    p->no_memory = 1;
    return -1;
}

void baseline_reset(baseline_parser *p) {
    p->line.len = p->data.len = p->type.len = 0;
    /* The next connection's id buffer starts at the last event ID. */
    assign(&p->id, p->last_id.ptr, p->last_id.len);
    p->offset = 0;
    p->skip_lf = p->started = p->no_memory = 0;
}

void baseline_free(baseline_parser *p) {
    free(p->line.ptr);
    free(p->data.ptr);
    free(p->type.ptr);
    free(p->id.ptr);
    free(p->last_id.ptr);
    memset(p, 0, sizeof *p);
}
