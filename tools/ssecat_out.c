/*
 * ssecat_out.c -- ssecat's event lines, for every mode that prints events
 * (a file or standard input, a URL).
 * SPDX-License-Identifier: MIT
 *
 * Text: `#N type="..." id="..." data="..."`, the strings as JSON string
 * literals so that any byte prints safely on one line; JSON: the library's
 * {"event":..,"data":..,"id":..}; count: nothing per event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdsse.h"
#include "ssecat.h"

static void reserve(ssecat_out *o, size_t need) {
    if (need <= o->cap) return;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < need) cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b) {
        fprintf(stderr, "ssecat: out of memory\n");
        exit(1);
    }
    o->buf = b;
    o->cap = cap;
}

/* Renders ev as JSON (or, ev NULL, s as a JSON string literal) at
 * o->buf + *len: into the room there is, else into the exact room the
 * library says it needs. */
static void put_json(ssecat_out *o, size_t *len, const simdsse_event *ev, simdsse_span s) {
    for (;;) {
        size_t n, room = o->cap - *len;
        char *at = o->buf ? o->buf + *len : NULL;
        simdsse_status st = ev ? simdsse_format_json(ev, at, room, &n)
                               : simdsse_format_json_string(s.ptr, s.len, at, room, &n);
        if (st == SIMDSSE_OK) {
            *len += n;
            return;
        }
        if (st != SIMDSSE_ERR_BUFFER_TOO_SMALL) abort(); /* spans from the parser are valid */
        reserve(o, *len + n);
    }
}

static void put_string(ssecat_out *o, size_t *len, simdsse_span s) { put_json(o, len, NULL, s); }

static void put_text(ssecat_out *o, size_t *len, const char *t) {
    size_t n = strlen(t);
    reserve(o, *len + n);
    memcpy(o->buf + *len, t, n);
    *len += n;
}

int ssecat_print_event(ssecat_out *o, const simdsse_event *ev) {
    o->events++;
    size_t len = 0;
    if (o->mode == SSECAT_OUT_COUNT) return 0;
    if (o->mode == SSECAT_OUT_JSON) {
        simdsse_span none = {NULL, 0};
        put_json(o, &len, ev, none);
    } else {
        char head[32];
        snprintf(head, sizeof head, "#%" PRIu64 " type=", o->events);
        put_text(o, &len, head);
        put_string(o, &len, ev->type);
        put_text(o, &len, " id=");
        put_string(o, &len, ev->id);
        put_text(o, &len, " data=");
        put_string(o, &len, ev->data);
    }
    reserve(o, len + 1);
    o->buf[len++] = '\n';
    return fwrite(o->buf, 1, len, stdout) == len ? 0 : -1;
}
