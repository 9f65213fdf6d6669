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

static int reserve(ssecat_out *o, size_t need) {
    if (need <= o->cap) return 0;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < need) cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b) return -1;
    o->buf = b;
    o->cap = cap;
    return 0;
}

/* Appends t and then, unless s is NULL, s as a JSON string literal. */
static int put(ssecat_out *o, size_t *len, const char *t, const simdsse_span *s) {
    size_t tl = strlen(t), n = 0;
    if (s) simdsse_format_json_string(s->ptr, s->len, NULL, 0, &n); /* its size */
    if (reserve(o, *len + tl + n + 1)) return -1;
    memcpy(o->buf + *len, t, tl);
    *len += tl;
    if (s && simdsse_format_json_string(s->ptr, s->len, o->buf + *len, n, &n) != SIMDSSE_OK)
        return -1;
    *len += n;
    return 0;
}

int ssecat_print_event(ssecat_out *o, const simdsse_event *ev) {
    o->events++;
    size_t len = 0;
    if (o->mode == SSECAT_OUT_COUNT) return 0;
    if (o->mode == SSECAT_OUT_JSON) {
        simdsse_format_json(ev, NULL, 0, &len);
        if (reserve(o, len + 1) || simdsse_format_json(ev, o->buf, len, &len) != SIMDSSE_OK)
            goto no_memory;
    } else {
        char head[32];
        snprintf(head, sizeof head, "#%" PRIu64 " type=", o->events);
        if (put(o, &len, head, &ev->type) || put(o, &len, " id=", &ev->id) ||
            put(o, &len, " data=", &ev->data))
            goto no_memory;
    }
    o->buf[len++] = '\n';
    return fwrite(o->buf, 1, len, stdout) == len ? 0 : -1;
no_memory:
    fprintf(stderr, "ssecat: out of memory\n");
    return -1;
}
