/*
 * ssecat_encode.c -- `ssecat --encode`: JSON Lines in, text/event-stream out.
 * SPDX-License-Identifier: MIT
 *
 * Each input line is one JSON object with the optional keys "event", "data",
 * "id" (strings), "retry" (a non-negative integer) and "comment" (a string).
 * A "comment" is written first, as comment lines; the other keys make one
 * event, written by the library's writer, so no value can inject a field:
 * an object with only a comment writes only the comment. JSON strings may
 * hold \u0000 and any Unicode; they are written as UTF-8 bytes.
 *
 * A line that is not such an object, or holds a value the writer refuses
 * (a line end in "event" or "id", NUL in "id"), is reported on standard
 * error with its line number and writes nothing; the rest goes on, and the
 * exit status is 1. Every object is formatted completely before any of it
 * is written, so output never holds half an object, and each is flushed
 * as soon as it is written, so a live pipe gets its events as they come.
 *
 * JSON is read with jansson. The library itself needs only libc, and ssecat
 * must build where jansson is missing, so then --encode only says so.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <stdio.h>
#include <string.h>

#include "simdsse.h"
#include "ssecat.h"

#ifdef SSECAT_HAVE_JANSSON

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* What one input line asks for. */
typedef struct request {
    simdsse_event event;
    simdsse_span comment;
    uint64_t retry;
    int has_retry;
    int has_event; /* "event", "data" or "id", or no key at all */
} request;

static simdsse_span string_of(json_t *v) {
    simdsse_span s = {json_string_value(v), json_string_length(v)};
    return s;
}

/* Fills *r from a decoded object; NULL on success, else what is wrong. The
 * spans point into `obj`. */
static const char *read_object(json_t *obj, request *r, char *why, size_t why_cap) {
    static const char *const string_keys[] = {"event", "data", "id", "comment"};
    simdsse_span *const slots[] = {&r->event.type, &r->event.data, &r->event.id, &r->comment};
    memset(r, 0, sizeof *r);
    if (!json_is_object(obj)) return "not a JSON object";
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t k = 0;
        while (k < 4 && strcmp(key, string_keys[k]) != 0) k++;
        if (k < 4) {
            if (!json_is_string(v)) {
                snprintf(why, why_cap, "\"%s\" must be a string", key);
                return why;
            }
            *slots[k] = string_of(v);
            if (k < 3) r->has_event = 1;
        } else if (strcmp(key, "retry") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 0) {
                snprintf(why, why_cap, "\"retry\" must be a non-negative integer");
                return why;
            }
            r->retry = (uint64_t)json_integer_value(v);
            r->has_retry = 1;
        } else {
            snprintf(why, why_cap,
                     "unknown key \"%.40s\" (known: event, data, id, retry, comment)", key);
            return why;
        }
    }
    if (!r->comment.ptr && !r->has_retry) r->has_event = 1; /* {} is an event with no fields */
    return NULL;
}

/* What a writer call with no room says (the buffer convention's size
 * query): OK when the value can be written. */
static simdsse_status writable(simdsse_status st) {
    return st == SIMDSSE_ERR_BUFFER_TOO_SMALL ? SIMDSSE_OK : st;
}

/* Checks that the writer takes the request; NULL if it does. */
static const char *check_request(const request *r, char *why, size_t why_cap) {
    size_t size;
    simdsse_status st = SIMDSSE_OK;
    const char *key = "comment";
    if (r->comment.ptr)
        st = writable(simdsse_format_comment(r->comment.ptr, r->comment.len, 0, NULL, 0, &size));
    if (st == SIMDSSE_OK && r->has_event) {
        simdsse_event type_only = {r->event.type, {NULL, 0}, {NULL, 0}, 0};
        key = writable(simdsse_format_event(&type_only, 0, NULL, 0, &size)) == SIMDSSE_OK ? "id"
                                                                                        : "event";
        st = writable(simdsse_format_event(&r->event, 0, NULL, 0, &size));
    }
    if (st == SIMDSSE_OK) return NULL;
    snprintf(why, why_cap, "\"%s\": %s", key, simdsse_strerror(st));
    return why;
}

/* Whether the line holds only JSON whitespace (skipped, as blank lines). */
static int blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

int ssecat_encode(const char *path, const char *kernel) {
    int fd = ssecat_open(path);
    if (fd < 0) return 1;
    const char *name = path ? path : "-";
    FILE *in = fd == STDIN_FILENO ? stdin : fdopen(fd, "rb");
    if (!in) {
        fprintf(stderr, "ssecat: %s: %s\n", name, strerror(errno));
        close(fd);
        return 1;
    }
    simdsse_writer_options opt;
    simdsse_writer_options_init(&opt);
    opt.kernel = kernel;
    simdsse_status st;
    simdsse_writer *w = simdsse_writer_create(&opt, &st);
    if (!w) {
        fprintf(stderr, "ssecat: %s\n", simdsse_strerror(st));
        if (in != stdin) fclose(in);
        return st == SIMDSSE_ERR_NO_MEMORY ? 1 : 2;
    }

    int rc = 0;
    char *line = NULL;
    size_t line_cap = 0;
    unsigned long lineno = 0;
    ssize_t n;
    while ((n = getline(&line, &line_cap, in)) >= 0) {
        lineno++;
        if (blank(line, (size_t)n)) continue;
        char why[256];
        const char *bad = NULL;
        json_error_t err;
        /* JSON_ALLOW_NUL: "\u0000" is a valid string and valid SSE data. */
        json_t *obj = json_loadb(line, (size_t)n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
        request r;
        if (!obj) {
            snprintf(why, sizeof why, "not JSON: %s", err.text);
            bad = why;
        } else {
            bad = read_object(obj, &r, why, sizeof why);
            if (!bad) bad = check_request(&r, why, sizeof why);
        }
        if (bad) {
            fprintf(stderr, "ssecat: %lu: %s\n", lineno, bad);
            rc = 1;
        } else {
            /* A comment, the reconnection time (a line of its own), then the
             * event. */
            st = SIMDSSE_OK;
            if (r.comment.ptr) st = simdsse_writer_comment(w, r.comment.ptr, r.comment.len, 0);
            if (st == SIMDSSE_OK && r.has_retry) st = simdsse_writer_retry(w, r.retry);
            if (st == SIMDSSE_OK && r.has_event) st = simdsse_writer_event(w, &r.event, 0);
            if (st != SIMDSSE_OK) { /* only running out of memory is left */
                fprintf(stderr, "ssecat: %lu: %s\n", lineno, simdsse_strerror(st));
                json_decref(obj);
                rc = 1;
                break;
            }
            simdsse_span out = simdsse_writer_output(w);
            fwrite(out.ptr, 1, out.len, stdout);
            simdsse_writer_clear(w);
            if (ssecat_flush()) {
                json_decref(obj);
                rc = 1;
                break;
            }
        }
        json_decref(obj);
    }
    if (ferror(in)) {
        fprintf(stderr, "ssecat: %s: %s\n", name, strerror(errno));
        rc = 1;
    }
    free(line);
    simdsse_writer_destroy(w);
    if (in != stdin) fclose(in);
    if (ssecat_flush()) rc = 1;
    return rc;
}

#else /* no jansson */

int ssecat_encode(const char *path, const char *kernel) {
    (void)path, (void)kernel;
    fputs("ssecat: --encode: this ssecat was built without jansson; install libjansson-dev "
          "(or jansson's headers and pkg-config file) and rebuild\n",
          stderr);
    return 2;
}

#endif
