/*
 * writer.c -- simdsse.format_event and simdsse.format_comment.
 * SPDX-License-Identifier: MIT
 *
 * Both call the C writer twice: once to size the bytes object, once to fill
 * it. A retry is a line of its own (simdsse_format_retry), written before
 * the event's lines, in the same block. What may be written is the C writer's decision alone; when it refuses
 * an event, the binding only finds out which field it refused, by asking
 * the writer about each field on its own.
 */
#include "binding.h"

#include <string.h>

/* A str (as UTF-8) or bytes-like value, or None (absent: ptr NULL). */
typedef struct text_arg {
    simdsse_span span;
    Py_buffer view;
    int has_view;
} text_arg;

static int text_get(PyObject *v, const char *name, text_arg *t) {
    t->span = (simdsse_span){NULL, 0};
    t->has_view = 0;
    if (!v || v == Py_None) return 0;
    if (PyUnicode_Check(v)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(v, &n);
        if (!s) return -1;
        t->span = (simdsse_span){s, (size_t)n};
        return 0;
    }
    if (PyObject_GetBuffer(v, &t->view, PyBUF_SIMPLE)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s must be str, bytes-like or None, not %.100s", name,
                     Py_TYPE(v)->tp_name);
        return -1;
    }
    t->has_view = 1;
    t->span = (simdsse_span){t->view.len ? (const char *)t->view.buf : "", (size_t)t->view.len};
    return 0;
}

static void text_release(text_arg *t) {
    if (t->has_view) PyBuffer_Release(&t->view);
}

static PyObject *field_error(const char *field, const char *why) {
    PyObject *msg = PyUnicode_FromFormat("%s: %s", field, why);
    if (!msg) return NULL;
    PyObject *e = PyObject_CallOneArg(Simdsse_FieldError, msg);
    Py_DECREF(msg);
    if (!e) return NULL;
    PyObject *f = PyUnicode_FromString(field);
    if (f && PyObject_SetAttrString(e, "field", f) == 0) PyErr_SetObject(Simdsse_FieldError, e);
    Py_XDECREF(f);
    Py_DECREF(e);
    return NULL;
}

/* Which field the writer refused: it is asked about each on its own. */
static PyObject *refused(const simdsse_event *ev) {
    simdsse_event only = {0};
    size_t len;
    only.type = ev->type;
    if (simdsse_format_event(&only, 0, NULL, 0, &len) == SIMDSSE_ERR_INVALID_FIELD)
        return field_error("event", "an event type cannot contain CR or LF "
                                    "(the rest would be read as another field)");
    return field_error("id", "an id cannot contain CR, LF or NUL "
                             "(a line end would inject a field; the standard ignores an id with NUL)");
}

/* What format_event writes: a retry line (if any), then the event. */
typedef struct event_arg {
    simdsse_event ev;
    uint64_t retry;
    int has_retry;
} event_arg;

/* The writer's output for one call, sized first, then filled. */
typedef simdsse_status (*format_fn)(const void *arg, char *out, size_t cap, size_t *len);

static PyObject *formatted(format_fn fn, const void *arg) {
    size_t len = 0;
    simdsse_status st = fn(arg, NULL, 0, &len);
    if (st != SIMDSSE_ERR_BUFFER_TOO_SMALL && st != SIMDSSE_OK) return simdsse_py_raise(st, "format");
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)len);
    if (!out) return NULL;
    st = fn(arg, PyBytes_AS_STRING(out), len, &len);
    if (st != SIMDSSE_OK) {
        Py_DECREF(out);
        return simdsse_py_raise(st, "format");
    }
    return out;
}

static simdsse_status event_fn(const void *arg, char *out, size_t cap, size_t *len) {
    const event_arg *e = arg;
    size_t n = 0;
    simdsse_status st = SIMDSSE_OK;
    if (e->has_retry) {
        st = simdsse_format_retry(e->retry, out, cap, &n);
        if (st != SIMDSSE_OK && st != SIMDSSE_ERR_BUFFER_TOO_SMALL) return st;
    }
    size_t rest = cap > n ? cap - n : 0, m = 0;
    simdsse_status st2 = simdsse_format_event(&e->ev, 0, rest ? out + n : NULL, rest, &m);
    *len = n + m;
    return st2 != SIMDSSE_OK ? st2 : st;
}

static simdsse_status comment_fn(const void *arg, char *out, size_t cap, size_t *len) {
    const simdsse_span *t = arg;
    return simdsse_format_comment(t->ptr, t->len, 0, out, cap, len);
}

PyObject *simdsse_py_format_event(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"data", "event", "id", "retry", NULL};
    PyObject *data = NULL, *type = NULL, *id = NULL, *retry = Py_None;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OOO:format_event", names, &data, &type, &id,
                                     &retry))
        return NULL;
    text_arg d, t, i;
    if (text_get(data, "data", &d)) return NULL;
    if (text_get(type, "event", &t)) {
        text_release(&d);
        return NULL;
    }
    if (text_get(id, "id", &i)) {
        text_release(&d);
        text_release(&t);
        return NULL;
    }
    PyObject *out = NULL;
    event_arg e;
    memset(&e, 0, sizeof e);
    e.ev.data = d.span;
    e.ev.type = t.span;
    e.ev.id = i.span;
    if (retry != Py_None) {
        e.retry = PyLong_Check(retry) ? PyLong_AsUnsignedLongLong(retry) : 0;
        if (!PyLong_Check(retry) || PyErr_Occurred()) {
            PyErr_Clear();
            field_error("retry", "the reconnection time is an int of milliseconds, >= 0");
            goto done;
        }
        e.has_retry = 1;
    }
    size_t len;
    simdsse_status st = simdsse_format_event(&e.ev, 0, NULL, 0, &len);
    if (st == SIMDSSE_ERR_INVALID_FIELD)
        refused(&e.ev);
    else if (st != SIMDSSE_OK && st != SIMDSSE_ERR_BUFFER_TOO_SMALL)
        simdsse_py_raise(st, "format_event");
    else
        out = formatted(event_fn, &e);
done:
    text_release(&d);
    text_release(&t);
    text_release(&i);
    return out;
}

PyObject *simdsse_py_format_comment(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"text", NULL};
    PyObject *text = NULL;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:format_comment", names, &text)) return NULL;
    text_arg t;
    if (text_get(text, "text", &t)) return NULL;
    PyObject *out = formatted(comment_fn, &t.span);
    text_release(&t);
    return out;
}
