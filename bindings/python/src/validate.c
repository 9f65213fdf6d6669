/*
 * validate.c -- simdsse.validate(data) -> list[Diagnostic].
 * SPDX-License-Identifier: MIT
 *
 * The validator's messages are static strings, so its diagnostics are
 * collected in C (without the GIL for large inputs) and turned into
 * Diagnostic tuples afterwards.
 */
#include "binding.h"

#include <stdlib.h>

static PyTypeObject *Diagnostic_Type;

static PyStructSequence_Field diagnostic_fields[] = {
    {"line", "line number, from 1 (CR, LF and CRLF end lines)"},
    {"column", "byte column, from 1"},
    {"code", "stable name: 'unknown-field', 'invalid-utf8', ..."},
    {"severity", "'error' (a browser drops or misreads this) or 'warning'"},
    {"message", "one line of English"},
    {"offset", "stream offset, from 0"},
    {"suggestion", "the field name probably meant ('data', ...), or None"},
    {NULL, NULL},
};

static PyStructSequence_Desc diagnostic_desc = {
    "simdsse.Diagnostic",
    "One finding of simdsse.validate(). docs/validator.md explains each code.",
    diagnostic_fields,
    7,
};

typedef struct collected {
    simdsse_diagnostic *items;
    size_t count, cap;
    int failed;
} collected;

static int on_diagnostic(void *user, const simdsse_diagnostic *d) {
    collected *c = user;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        simdsse_diagnostic *p = realloc(c->items, cap * sizeof *p);
        if (!p) {
            c->failed = 1;
            return 1; /* stop reporting */
        }
        c->items = p;
        c->cap = cap;
    }
    c->items[c->count++] = *d;
    return 0;
}

/* An int >= 0, or None for "never" (all ones); absent keeps *out. */
static int threshold(PyObject *v, const char *name, uint64_t *out) {
    if (!v) return 0;
    if (v == Py_None) {
        *out = UINT64_MAX;
        return 0;
    }
    uint64_t n = PyLong_Check(v) ? PyLong_AsUnsignedLongLong(v) : 0;
    if (!PyLong_Check(v) || PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "validate: %s must be an int >= 0 or None, not %R", name, v);
        return -1;
    }
    *out = n;
    return 0;
}

static PyObject *diagnostic(const simdsse_diagnostic *d) {
    PyObject *t = PyStructSequence_New(Diagnostic_Type);
    if (!t) return NULL;
    PyObject *v[7] = {
        PyLong_FromUnsignedLongLong(d->line),
        PyLong_FromUnsignedLongLong(d->column),
        PyUnicode_FromString(simdsse_diagnostic_code_name(d->code)),
        PyUnicode_FromString(simdsse_severity_name(d->severity)),
        PyUnicode_FromString(d->message),
        PyLong_FromUnsignedLongLong(d->offset),
        d->suggestion ? PyUnicode_FromString(d->suggestion) : (Py_INCREF(Py_None), Py_None),
    };
    int bad = 0;
    for (int i = 0; i < 7; i++) {
        if (!v[i]) bad = 1;
        PyStructSequence_SET_ITEM(t, i, v[i] ? v[i] : (Py_INCREF(Py_None), Py_None));
    }
    if (bad) Py_CLEAR(t);
    return t;
}

PyObject *simdsse_py_validate(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"data", "long_line", "max_retry_ms", "max_diagnostics", NULL};
    PyObject *data, *long_line = NULL, *max_retry = NULL, *max_diag = NULL;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OOO:validate", names, &data, &long_line,
                                     &max_retry, &max_diag))
        return NULL;
    simdsse_validator_options o;
    simdsse_validator_options_init(&o);
    uint64_t ll = o.long_line;
    if (threshold(long_line, "long_line", &ll) || threshold(max_retry, "max_retry_ms", &o.max_retry_ms) ||
        threshold(max_diag, "max_diagnostics", &o.max_diagnostics))
        return NULL;
    o.long_line = ll > SIZE_MAX ? SIZE_MAX : (size_t)ll;
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)) return NULL;
    collected c = {NULL, 0, 0, 0};
    o.on_diagnostic = on_diagnostic;
    o.user = &c;
    simdsse_status st;
    if (view.len >= SIMDSSE_PY_NOGIL_BYTES) {
        Py_BEGIN_ALLOW_THREADS
        st = simdsse_validate(view.buf, (size_t)view.len, &o, NULL);
        Py_END_ALLOW_THREADS
    } else {
        st = simdsse_validate(view.buf, (size_t)view.len, &o, NULL);
    }
    PyBuffer_Release(&view);
    PyObject *out = NULL;
    if (st != SIMDSSE_OK) {
        simdsse_py_raise(st, "validate");
    } else if (c.failed) {
        PyErr_NoMemory();
    } else if ((out = PyList_New((Py_ssize_t)c.count))) {
        for (size_t i = 0; i < c.count; i++) {
            PyObject *d = diagnostic(&c.items[i]);
            if (!d) {
                Py_CLEAR(out);
                break;
            }
            PyList_SET_ITEM(out, (Py_ssize_t)i, d);
        }
    }
    free(c.items);
    return out;
}

int simdsse_py_validate_init(PyObject *module) {
    Diagnostic_Type = PyStructSequence_NewType(&diagnostic_desc);
    if (!Diagnostic_Type) return -1;
    return PyModule_AddObjectRef(module, "Diagnostic", (PyObject *)Diagnostic_Type);
}
