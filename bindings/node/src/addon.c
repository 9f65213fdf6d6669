/*
 * addon.c -- the native half of the Node binding (plain node_api.h, C11).
 * SPDX-License-Identifier: MIT
 *
 * One N-API call per chunk: feedBytes pushes the chunk (strings arrive as
 * UTF-8, encoded by TextEncoder in index.js) through the C parser
 * (bindings/common/batch.h), decodes every string its items need into one
 * JavaScript string (text.h), and describes the items in an Int32Array
 * shared with JavaScript, seven slots each:
 *
 *   event    [1 | flags, data start, data end, type start, type end, id start, id end]
 *   comment  [2, text start, text end]
 *   retry    [3, ms low 32 bits, ms high 32 bits]
 *   error    [4, status, offset low 32 bits, offset high 32 bits]
 *
 * offsets in UTF-16 units of the returned strings (the narrow one, or with
 * a *_WIDE flag the wide one); flags TYPE_SAME and ID_SAME (the previous
 * event's string, not sliced again) and TYPE_MESSAGE (the type is
 * "message"). A small state Int32Array says how many items there are, the
 * status of the call, which strings it returned, and when the item array
 * was replaced by a bigger one. index.js turns all this into
 * eventsource-parser's calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <node_api.h>

#include "batch.h"
#include "simdsse.h"
#include "text.h"

enum { SLOTS = 7 };
enum { FLAG_TYPE_SAME = 16, FLAG_ID_SAME = 32, FLAG_TYPE_MESSAGE = 64 };
/* Which of the two strings (text.h) a value is in: set for the wide one. */
enum { FLAG_TEXT_WIDE = 128, FLAG_TYPE_WIDE = 256, FLAG_ID_WIDE = 512 };
/* STATE_TEXTS: 1 the call returned the narrow string, 2 the wide one, 3
 * an array of both. */
enum { STATE_COUNT, STATE_GENERATION, STATE_STATUS, STATE_TEXTS, STATE_SLOTS };

typedef struct node_parser {
    simdsse_parser *parser;
    sse_batch batch;
    sse_text text;
    napi_ref meta_ref, state_ref;
    int32_t *meta;
    size_t meta_items;
    int32_t *state;
} node_parser;

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) != napi_ok) return fail(env, #call);                                            \
    } while (0)

static napi_value fail(napi_env env, const char *what) {
    const napi_extended_error_info *info = NULL;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) {
        napi_get_last_error_info(env, &info);
        napi_throw_error(env, NULL, info && info->error_message ? info->error_message : what);
    }
    return NULL;
}

static napi_value throw_status(napi_env env, simdsse_status st) {
    char code[16];
    snprintf(code, sizeof code, "%d", (int)st);
    napi_throw_error(env, code, simdsse_strerror(st));
    return NULL;
}

static void destroy(napi_env env, void *data, void *hint) {
    node_parser *np = data;
    (void)hint;
    if (np->meta_ref) napi_delete_reference(env, np->meta_ref);
    if (np->state_ref) napi_delete_reference(env, np->state_ref);
    simdsse_parser_destroy(np->parser);
    sse_batch_free(&np->batch);
    sse_text_free(&np->text);
    free(np);
}

/* An Int32Array of `n` slots on a new ArrayBuffer, referenced by *ref. */
static napi_status int32_buffer(napi_env env, size_t n, int32_t **data, napi_ref *ref) {
    napi_value ab;
    void *p;
    napi_status s = napi_create_arraybuffer(env, n * sizeof(int32_t), &p, &ab);
    if (s != napi_ok) return s;
    memset(p, 0, n * sizeof(int32_t));
    if (*ref) napi_delete_reference(env, *ref);
    *ref = NULL;
    s = napi_create_reference(env, ab, 1, ref);
    if (s == napi_ok) *data = p;
    return s;
}

static napi_value view(napi_env env, napi_ref ref, size_t n) {
    napi_value ab, arr;
    CHECK(napi_get_reference_value(env, ref, &ab));
    CHECK(napi_create_typedarray(env, napi_int32_array, n, ab, 0, &arr));
    return arr;
}

static node_parser *handle(napi_env env, napi_value v) {
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
        napi_throw_type_error(env, NULL, "simdsse: not a parser handle");
        return NULL;
    }
    return p;
}

/* options.name as a size: a positive number, Infinity for "no limit". */
static int size_option(napi_env env, napi_value options, const char *name, size_t *out) {
    bool has = false;
    napi_value v;
    napi_valuetype t;
    if (napi_has_named_property(env, options, name, &has) != napi_ok || !has) return 0;
    if (napi_get_named_property(env, options, name, &v) != napi_ok) return -1;
    if (napi_typeof(env, v, &t) != napi_ok) return -1;
    if (t == napi_undefined) return 0;
    double d;
    if (t != napi_number || napi_get_value_double(env, v, &d) != napi_ok || !(d >= 1)) {
        char msg[96];
        snprintf(msg, sizeof msg, "simdsse: %s must be a number >= 1 (or Infinity)", name);
        napi_throw_range_error(env, NULL, msg);
        return -1;
    }
    *out = d >= (double)SIZE_MAX ? SIZE_MAX : (size_t)d;
    return 0;
}

static int bool_option(napi_env env, napi_value options, const char *name) {
    napi_value v;
    bool b = false;
    if (napi_get_named_property(env, options, name, &v) == napi_ok) napi_get_value_bool(env, v, &b);
    return b;
}

/* create({maxLineLength, maxDataLength, maxTypeLength, maxIdLength, kernel,
 *         events, comments, retries}) -> handle */
static napi_value create(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value options, result;
    CHECK(napi_get_cb_info(env, info, &argc, &options, NULL, NULL));
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    char kernel[32] = "";
    if (size_option(env, options, "maxLineLength", &o.max_line_length) ||
        size_option(env, options, "maxDataLength", &o.max_data_length) ||
        size_option(env, options, "maxTypeLength", &o.max_type_length) ||
        size_option(env, options, "maxIdLength", &o.max_id_length))
        return NULL;
    napi_value k;
    napi_valuetype kt;
    if (napi_get_named_property(env, options, "kernel", &k) == napi_ok &&
        napi_typeof(env, k, &kt) == napi_ok && kt == napi_string) {
        size_t n;
        CHECK(napi_get_value_string_utf8(env, k, kernel, sizeof kernel, &n));
        o.kernel = kernel;
    }
    unsigned kinds = SSE_BATCH_KEEP(SIMDSSE_ITEM_ERROR);
    if (bool_option(env, options, "events")) kinds |= SSE_BATCH_KEEP(SIMDSSE_ITEM_EVENT);
    if (bool_option(env, options, "comments")) kinds |= SSE_BATCH_KEEP(SIMDSSE_ITEM_COMMENT);
    if (bool_option(env, options, "retries")) kinds |= SSE_BATCH_KEEP(SIMDSSE_ITEM_RETRY);

    node_parser *np = calloc(1, sizeof *np);
    if (!np) return throw_status(env, SIMDSSE_ERR_NO_MEMORY);
    simdsse_status st;
    np->parser = simdsse_parser_create(&o, &st);
    if (!np->parser) {
        free(np);
        if (st == SIMDSSE_ERR_UNKNOWN_KERNEL || st == SIMDSSE_ERR_KERNEL_UNSUPPORTED) {
            napi_throw_range_error(env, NULL, simdsse_strerror(st));
            return NULL;
        }
        return throw_status(env, st);
    }
    sse_batch_init(&np->batch, kinds);
    np->meta_items = 256;
    if (int32_buffer(env, STATE_SLOTS, &np->state, &np->state_ref) != napi_ok ||
        int32_buffer(env, np->meta_items * SLOTS, &np->meta, &np->meta_ref) != napi_ok ||
        napi_create_external(env, np, destroy, NULL, &result) != napi_ok) {
        destroy(env, np, NULL);
        return fail(env, "simdsse: create");
    }
    return result;
}

static int equals(simdsse_span s, const char *lit, size_t n) {
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Appends s to the text; its offsets in r[0, 2), and in *flags the bit
 * `wide` if it went to the wide string. */
static int put(sse_text *t, simdsse_span s, int32_t *r, int32_t *flags, int32_t wide) {
    size_t a, b;
    int w;
    if (sse_text_append(t, s.ptr, s.len, &a, &b, &w) || b > INT32_MAX) return -1;
    r[0] = (int32_t)a;
    r[1] = (int32_t)b;
    if (w) *flags |= wide;
    return 0;
}

typedef struct run_ctx {
    napi_env env;
    node_parser *np;
    size_t count;
    int too_long; /* the strings did not fit (memory, or one JS string) */
} run_ctx;

/* One item: its strings appended to the text, its slots written. */
static int consume(void *ctx, const simdsse_item *it, unsigned flags) {
    run_ctx *c = ctx;
    node_parser *np = c->np;
    if (c->count == np->meta_items) {
        /* A bigger item array: JavaScript fetches it when the generation
         * in the state array changes. */
        size_t n = np->meta_items * 2;
        int32_t *old = np->meta, *p;
        napi_ref ref = NULL;
        if (n > INT32_MAX / SLOTS || int32_buffer(c->env, n * SLOTS, &p, &ref) != napi_ok) return -1;
        memcpy(p, old, np->meta_items * SLOTS * sizeof *p);
        napi_delete_reference(c->env, np->meta_ref);
        np->meta_ref = ref;
        np->meta = p;
        np->meta_items = n;
        np->state[STATE_GENERATION]++;
    }
    int32_t *r = np->meta + c->count * SLOTS;
    sse_text *t = &np->text;
    int bad = 0;
    r[0] = (int32_t)it->kind;
    switch (it->kind) {
    case SIMDSSE_ITEM_EVENT:
        bad = put(t, it->event.data, r + 1, r, FLAG_TEXT_WIDE);
        if (flags & SSE_BATCH_TYPE_SAME)
            r[0] |= FLAG_TYPE_SAME;
        else if (equals(it->event.type, "message", 7))
            r[0] |= FLAG_TYPE_MESSAGE;
        else
            bad |= put(t, it->event.type, r + 3, r, FLAG_TYPE_WIDE);
        if (flags & SSE_BATCH_ID_SAME)
            r[0] |= FLAG_ID_SAME;
        else
            bad |= put(t, it->event.id, r + 5, r, FLAG_ID_WIDE);
        break;
    case SIMDSSE_ITEM_COMMENT: {
        /* As eventsource-parser: one space after the colon is not part of
         * the comment. */
        simdsse_span cm = it->comment;
        if (cm.len && cm.ptr[0] == ' ') cm.ptr++, cm.len--;
        bad = put(t, cm, r + 1, r, FLAG_TEXT_WIDE);
        break;
    }
    case SIMDSSE_ITEM_RETRY:
        r[1] = (int32_t)(uint32_t)it->retry;
        r[2] = (int32_t)(uint32_t)(it->retry >> 32);
        break;
    case SIMDSSE_ITEM_ERROR:
        r[1] = it->error.status;
        r[2] = (int32_t)(uint32_t)it->error.offset;
        r[3] = (int32_t)(uint32_t)(it->error.offset >> 32);
        break;
    }
    if (bad) {
        c->too_long = 1;
        return -1;
    }
    c->count++;
    return 0;
}

/* Parses data[0, len) and returns the text of its items (undefined: no
 * item); the state array says how many there are. */
static napi_value run(napi_env env, node_parser *np, const void *data, size_t len) {
    run_ctx c = {env, np, 0, 0};
    sse_text_clear(&np->text);
    np->state[STATE_COUNT] = 0;
    simdsse_status st = sse_batch_pull(&np->batch, np->parser, data, len, consume, &c);
    np->state[STATE_STATUS] = st;
    if (st != SIMDSSE_OK) {
        /* The strings remembered in JavaScript are now out of step. */
        sse_batch_forget(&np->batch);
        if (c.too_long) {
            napi_throw_range_error(env, NULL, "simdsse: the strings of one chunk do not fit in "
                                              "memory or in one JavaScript string");
            return NULL;
        }
        return throw_status(env, st);
    }
    napi_value s;
    if (c.count == 0) {
        CHECK(napi_get_undefined(env, &s));
        return s;
    }
    sse_text *t = &np->text;
    napi_value narrow = NULL, wide = NULL;
    napi_status ns = napi_ok;
    if (t->nlen || !t->wlen) ns = napi_create_string_latin1(env, (const char *)t->narrow, t->nlen, &narrow);
    if (ns == napi_ok && t->wlen) ns = napi_create_string_utf16(env, t->wide, t->wlen, &wide);
    if (ns == napi_ok && narrow && wide) {
        ns = napi_create_array_with_length(env, 2, &s);
        if (ns == napi_ok) ns = napi_set_element(env, s, 0, narrow);
        if (ns == napi_ok) ns = napi_set_element(env, s, 1, wide);
    } else {
        s = narrow ? narrow : wide;
    }
    if (ns != napi_ok) {
        sse_batch_forget(&np->batch);
        return fail(env, "simdsse: creating the strings");
    }
    np->state[STATE_TEXTS] = (narrow ? 1 : 0) | (wide ? 2 : 0);
    np->state[STATE_COUNT] = (int32_t)c.count;
    return s;
}

/* feedBytes(handle, Uint8Array | ArrayBuffer | DataView[, length]) -> text |
 * undefined; length: only the first `length` bytes. */
static napi_value feed_bytes(napi_env env, napi_callback_info info) {
    size_t argc = 3;
    napi_value argv[3];
    CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
    node_parser *np = handle(env, argv[0]);
    if (!np) return NULL;
    void *data = NULL;
    size_t len = 0;
    bool is;
    if (napi_is_typedarray(env, argv[1], &is) == napi_ok && is) {
        napi_typedarray_type type;
        size_t n;
        CHECK(napi_get_typedarray_info(env, argv[1], &type, &n, &data, NULL, NULL));
        if (type != napi_uint8_array && type != napi_int8_array && type != napi_uint8_clamped_array) {
            napi_throw_type_error(env, NULL, "simdsse: feed takes a string or a Uint8Array");
            return NULL;
        }
        len = n;
    } else if (napi_is_arraybuffer(env, argv[1], &is) == napi_ok && is) {
        CHECK(napi_get_arraybuffer_info(env, argv[1], &data, &len));
    } else if (napi_is_dataview(env, argv[1], &is) == napi_ok && is) {
        CHECK(napi_get_dataview_info(env, argv[1], &len, &data, NULL, NULL));
    } else {
        napi_throw_type_error(env, NULL, "simdsse: feed takes a string or a Uint8Array");
        return NULL;
    }
    if (argc > 2) {
        int64_t n;
        CHECK(napi_get_value_int64(env, argv[2], &n));
        if (n < 0 || (uint64_t)n > len) {
            napi_throw_range_error(env, NULL, "simdsse: length out of range");
            return NULL;
        }
        len = (size_t)n;
    }
    return run(env, np, data, len);
}

/* The parser that is a call's one argument (NULL: an exception is set). */
static node_parser *only_arg(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value h;
    if (napi_get_cb_info(env, info, &argc, &h, NULL, NULL) != napi_ok) {
        fail(env, "simdsse: arguments");
        return NULL;
    }
    return handle(env, h);
}

static napi_value get_state(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    return np ? view(env, np->state_ref, STATE_SLOTS) : NULL;
}

static napi_value get_meta(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    return np ? view(env, np->meta_ref, np->meta_items * SLOTS) : NULL;
}

static napi_value reset(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    if (np) simdsse_parser_reset(np->parser);
    return NULL;
}

static napi_value retry(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    napi_value v;
    if (!np) return NULL;
    CHECK(napi_create_double(env, (double)simdsse_parser_retry(np->parser), &v));
    return v;
}

static napi_value kernel(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    napi_value v;
    if (!np) return NULL;
    CHECK(napi_create_string_utf8(env, simdsse_parser_kernel(np->parser), NAPI_AUTO_LENGTH, &v));
    return v;
}

static napi_value last_event_id(napi_env env, napi_callback_info info) {
    node_parser *np = only_arg(env, info);
    if (!np) return NULL;
    simdsse_span id = simdsse_parser_last_event_id(np->parser);
    sse_text t = {0};
    size_t a, b;
    int w;
    napi_value v = NULL;
    if (sse_text_append(&t, id.ptr, id.len, &a, &b, &w)) return throw_status(env, SIMDSSE_ERR_NO_MEMORY);
    if ((w ? napi_create_string_utf16(env, t.wide, t.wlen, &v)
           : napi_create_string_latin1(env, (const char *)t.narrow, t.nlen, &v)) != napi_ok)
        v = fail(env, "simdsse: lastEventId");
    sse_text_free(&t);
    return v;
}

static napi_value strerror_fn(napi_env env, napi_callback_info info) {
    size_t argc = 1;
    napi_value v;
    int32_t st = 0;
    CHECK(napi_get_cb_info(env, info, &argc, &v, NULL, NULL));
    CHECK(napi_get_value_int32(env, v, &st));
    CHECK(napi_create_string_utf8(env, simdsse_strerror(st), NAPI_AUTO_LENGTH, &v));
    return v;
}

static napi_value init(napi_env env, napi_value exports) {
    static const struct {
        const char *name;
        napi_callback fn;
    } fns[] = {
        {"create", create},   {"state", get_state},           {"meta", get_meta},
        {"feedBytes", feed_bytes}, {"reset", reset},       {"lastEventId", last_event_id},
        {"retry", retry},     {"kernel", kernel},             {"strerror", strerror_fn},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value f;
        CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f));
        CHECK(napi_set_named_property(env, exports, fns[i].name, f));
    }
    napi_value version;
    CHECK(napi_create_string_utf8(env, simdsse_version(), NAPI_AUTO_LENGTH, &version));
    CHECK(napi_set_named_property(env, exports, "version", version));
    return exports;
}

/* The macro defines exported functions without prototypes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
#pragma GCC diagnostic pop
