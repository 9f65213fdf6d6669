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

struct curl_slist *simdsse__client_id_header(const simdsse_allocator *a, simdsse_span id) {
    static const char name[] = "Last-Event-ID: ";
    size_t cap = sizeof name + 3 * id.len;
    char *line = a->malloc(a->ctx, cap);
    if (!line) return NULL;
    memcpy(line, name, sizeof name - 1);
    /* The id as a browser holds it: the stream decoded as UTF-8, then
     * "encoded as UTF-8" for the header (at most 3 bytes a byte: fits). */
    size_t len = 0;
    simdsse_utf8_repair(id.ptr, id.len, line + sizeof name - 1, 3 * id.len, &len);
    len += sizeof name - 1;
    line[len] = '\0';
    /* The parser never keeps an id holding CR or LF (they end its line) or
     * NUL ("If the field value does not contain U+0000 NULL, then set the
     * last event ID buffer"), and the caller's initial id is checked, so
     * this line is one header. */
    struct curl_slist *node = curl_slist_append(NULL, line);
    a->free(a->ctx, line, cap);
    return node;
}
