/*
 * request.c -- what a request carries and what a response must be: the
 * header list, the Last-Event-ID line, the Content-Type check.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* MARK: - The response's type */

static int http_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* "if res's `Content-Type` is not `text/event-stream`, then fail the
 * connection": compared as a MIME type's essence, the way browsers parse
 * it: surrounding whitespace and any parameters (`; charset=utf-8`) do not
 * matter, case does not either. */
int simdsse__client_is_event_stream(const char *type) {
    static const char essence[] = "text/event-stream";
    if (!type) return 0;
    while (http_space(*type)) type++;
    if (strncasecmp(type, essence, sizeof essence - 1) != 0) return 0;
    const char *rest = type + sizeof essence - 1;
    while (http_space(*rest)) rest++;
    return *rest == '\0' || *rest == ';';
}

/* MARK: - The header list */

/* Whether `header` ("Name: value") is named `name` (case-insensitive). */
static int named(const char *header, const char *name) {
    size_t n = strlen(name);
    return strncasecmp(header, name, n) == 0 && header[n] == ':';
}

static int has_header(const char *const *headers, const char *name) {
    for (size_t i = 0; headers && headers[i]; i++)
        if (named(headers[i], name)) return 1;
    return 0;
}

/* A caller's header must be one well-formed line: a name of visible
 * characters, a colon, no CR or LF anywhere (a line end would let a value
 * start a header, or a request, of its own). */
static int valid_header(const char *h) {
    size_t name = 0;
    while (h[name] && h[name] != ':') {
        unsigned char ch = (unsigned char)h[name];
        if (ch <= ' ' || ch >= 0x7f) return 0;
        name++;
    }
    return name > 0 && h[name] == ':' && !strpbrk(h, "\r\n");
}

static simdsse_status append(struct curl_slist **list, struct curl_slist **tail,
                             const char *line) {
    struct curl_slist *node = curl_slist_append(NULL, line); /* copies line */
    if (!node) return SIMDSSE_ERR_NO_MEMORY;
    if (*tail)
        (*tail)->next = node;
    else
        *list = node;
    *tail = node;
    return SIMDSSE_OK;
}

simdsse_status simdsse__client_headers(const char *const *user, struct curl_slist **list) {
    struct curl_slist *tail = NULL;
    *list = NULL;
    for (size_t i = 0; user && user[i]; i++)
        if (!valid_header(user[i]) || named(user[i], "Last-Event-ID"))
            return SIMDSSE_ERR_INVALID_ARGUMENT;
    simdsse_status st = SIMDSSE_OK;
    /* "User agents may set (`Accept`, `text/event-stream`) in request's
     * header list." "Set request's cache mode to "no-store"", which fetch
     * sends as `Cache-Control: no-cache`. A caller's own value wins. */
    if (!has_header(user, "Accept")) st = append(list, &tail, "Accept: text/event-stream");
    if (st == SIMDSSE_OK && !has_header(user, "Cache-Control"))
        st = append(list, &tail, "Cache-Control: no-cache");
    for (size_t i = 0; st == SIMDSSE_OK && user && user[i]; i++) st = append(list, &tail, user[i]);
    if (st != SIMDSSE_OK) {
        curl_slist_free_all(*list);
        *list = NULL;
    }
    return st;
}

simdsse_status simdsse__client_multi_headers(simdsse_client_multi *m) {
    if (m->default_headers) return SIMDSSE_OK;
    return simdsse__client_headers(NULL, &m->default_headers);
}

/* MARK: - Last-Event-ID */

/* The id as a browser holds it: the stream decoded as UTF-8 (WHATWG
 * Encoding's decoder: each maximal invalid subpart becomes U+FFFD), then
 * "encoded as UTF-8" for the header. Valid sequences are copied as they
 * are. out has room for 3 bytes per input byte. */
static size_t utf8_repair(const unsigned char *in, size_t n, char *out) {
    static const char fffd[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    size_t o = 0, start = 0, needed = 0, seen = 0;
    unsigned lower = 0x80, upper = 0xBF;
    for (size_t i = 0; i < n; i++) {
        unsigned b = in[i];
        if (needed == 0) {
            start = i;
            if (b <= 0x7F) {
                out[o++] = (char)b;
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0) lower = 0xA0;
                if (b == 0xED) upper = 0x9F;
                needed = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0) lower = 0x90;
                if (b == 0xF4) upper = 0x8F;
                needed = 3;
            } else {
                memcpy(out + o, fffd, 3), o += 3;
            }
            continue;
        }
        if (b < lower || b > upper) {
            /* The sequence so far is one error; this byte starts afresh. */
            needed = seen = 0;
            lower = 0x80, upper = 0xBF;
            memcpy(out + o, fffd, 3), o += 3;
            i--;
            continue;
        }
        lower = 0x80, upper = 0xBF;
        if (++seen == needed) {
            memcpy(out + o, in + start, needed + 1), o += needed + 1;
            needed = seen = 0;
        }
    }
    if (needed) memcpy(out + o, fffd, 3), o += 3; /* cut short by the end */
    return o;
}

struct curl_slist *simdsse__client_id_header(const simdsse_allocator *a, simdsse_span id) {
    static const char name[] = "Last-Event-ID: ";
    size_t cap = sizeof name + 3 * id.len;
    char *line = a->malloc(a->ctx, cap);
    if (!line) return NULL;
    memcpy(line, name, sizeof name - 1);
    size_t len = sizeof name - 1 + utf8_repair((const unsigned char *)id.ptr, id.len,
                                               line + sizeof name - 1);
    line[len] = '\0';
    /* The parser never keeps an id holding CR or LF (they end its line) or
     * NUL ("If the field value does not contain U+0000 NULL, then set the
     * last event ID buffer"), and the caller's initial id is checked, so
     * this line is one header. */
    struct curl_slist *node = curl_slist_append(NULL, line);
    a->free(a->ctx, line, cap);
    return node;
}
