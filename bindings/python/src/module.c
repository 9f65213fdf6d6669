/*
 * module.c -- simdsse._core: the module, its exceptions and error mapping.
 * SPDX-License-Identifier: MIT
 */
#include "binding.h"

PyObject *Simdsse_Error;
PyObject *Simdsse_LimitError;
PyObject *Simdsse_FieldError;

/* Each limit's stable code name and the Parser keyword that sets it. */
static const struct {
    simdsse_status status;
    const char *code, *limit;
} limits[] = {
    {SIMDSSE_ERR_LINE_TOO_LONG, "line-too-long", "max_line_length"},
    {SIMDSSE_ERR_DATA_TOO_LONG, "data-too-long", "max_data_length"},
    {SIMDSSE_ERR_TYPE_TOO_LONG, "type-too-long", "max_type_length"},
    {SIMDSSE_ERR_ID_TOO_LONG, "id-too-long", "max_id_length"},
};

/* Sets e.name = value and releases value; -1 (and value released) on failure. */
static int set_attr(PyObject *e, const char *name, PyObject *value) {
    int r = value ? PyObject_SetAttrString(e, name, value) : -1;
    Py_XDECREF(value);
    return r;
}

PyObject *simdsse_py_limit_error(simdsse_status status, uint64_t offset, Py_ssize_t index) {
    const char *code = "limit", *limit = "";
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (limits[i].status == status) code = limits[i].code, limit = limits[i].limit;
    PyObject *msg = PyUnicode_FromFormat("%s (%s) at stream offset %llu: the event was dropped",
                                         simdsse_strerror(status), limit,
                                         (unsigned long long)offset);
    if (!msg) return NULL;
    PyObject *e = PyObject_CallOneArg(Simdsse_LimitError, msg);
    Py_DECREF(msg);
    if (!e) return NULL;
    if (set_attr(e, "code", PyUnicode_FromString(code)) ||
        set_attr(e, "limit", PyUnicode_FromString(limit)) ||
        set_attr(e, "status", PyLong_FromLong(status)) ||
        set_attr(e, "offset", PyLong_FromUnsignedLongLong(offset)) ||
        set_attr(e, "index", PyLong_FromSsize_t(index))) {
        Py_DECREF(e);
        return NULL;
    }
    return e;
}

PyObject *simdsse_py_raise(simdsse_status status, const char *what) {
    switch (status) {
    case SIMDSSE_ERR_NO_MEMORY:
        PyErr_Format(PyExc_MemoryError, "%s: out of memory; the parser must be reset", what);
        break;
    case SIMDSSE_ERR_INVALID_ARGUMENT:
        PyErr_Format(PyExc_ValueError, "%s: %s", what, simdsse_strerror(status));
        break;
    case SIMDSSE_ERR_NEEDS_RESET:
        PyErr_Format(Simdsse_Error, "%s: the stream was finished (or ran out of memory): "
                                    "call reset() first", what);
        break;
    default:
        PyErr_Format(Simdsse_Error, "%s: %s", what, simdsse_strerror(status));
        break;
    }
    if (PyErr_Occurred()) {
        /* Attach the status, so callers can tell errors apart. */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        if (value && set_attr(value, "status", PyLong_FromLong(status))) PyErr_Clear();
        PyErr_Restore(type, value, tb);
    }
    return NULL;
}

static PyObject *kernels(PyObject *self, PyObject *unused) {
    (void)self, (void)unused;
    PyObject *out = PyList_New(0);
    for (size_t i = 0; out; i++) {
        const char *name = simdsse_kernel_name_at(i);
        if (!name) break;
        if (simdsse_kernel_supported(name) != SIMDSSE_OK) continue;
        PyObject *s = PyUnicode_FromString(name);
        if (!s || PyList_Append(out, s)) Py_CLEAR(out);
        Py_XDECREF(s);
    }
    return out;
}

static PyObject *default_kernel(PyObject *self, PyObject *unused) {
    (void)self, (void)unused;
    return PyUnicode_FromString(simdsse_kernel_default());
}

#define KW (PyCFunction)(void (*)(void))

static PyMethodDef functions[] = {
    {"format_event", KW simdsse_py_format_event, METH_VARARGS | METH_KEYWORDS,
     "format_event(data, event=None, id=None, retry=None) -> bytes\n--\n\n"
     "One event as text/event-stream bytes. data, event and id are str or\n"
     "bytes (data None: no data line, the event only sets id and retry).\n"
     "A value that would inject a field (CR or LF in event or id, NUL in id)\n"
     "raises FieldError (a ValueError) naming the field."},
    {"format_comment", KW simdsse_py_format_comment, METH_VARARGS | METH_KEYWORDS,
     "format_comment(text='') -> bytes\n--\n\n"
     "A comment (heartbeat), ':text\\n', one comment line per line of text."},
    {"validate", KW simdsse_py_validate, METH_VARARGS | METH_KEYWORDS,
     "validate(data, *, long_line=65536, max_retry_ms=2147483647,\n"
     "         max_diagnostics=1000) -> list[Diagnostic]\n--\n\n"
     "Checks a whole stream: what a browser drops or misreads (errors) and\n"
     "what is legal but suspicious (warnings). None for a threshold: never."},
    {"kernels", kernels, METH_NOARGS,
     "kernels() -> list[str]\n--\n\nThe SIMD kernels this CPU runs, best first."},
    {"default_kernel", default_kernel, METH_NOARGS,
     "default_kernel() -> str\n--\n\nThe kernel parsers use by default."},
    /* Private: a test aid and a benchmark aid (see binding.h). */
    {"_decoders", simdsse_py_decoders, METH_NOARGS,
     "_decoders() -> list[str]\n--\n\n"
     "Test aid: the binding's UTF-8 decoders this CPU runs."},
    {"_utf8_valid", simdsse_py_utf8_valid, METH_VARARGS,
     "_utf8_valid(data, decoder='portable') -> str | None\n--\n\n"
     "Test aid: the binding's own UTF-8 decoding of data, None where\n"
     "it leaves data to CPython's decoder (invalid UTF-8)."},
    {"_decode_each", simdsse_py_decode_each, METH_VARARGS,
     "_decode_each(list_of_bytes, decoder='portable')\n--\n\n"
     "Benchmark aid: makes (and drops) each value's str as feed() does."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "simdsse._core",
    .m_doc = "The C core of simdsse (import simdsse, not this).",
    .m_size = -1,
    .m_methods = functions,
};

static int add_exception(PyObject *m, PyObject **slot, const char *name, PyObject *base,
                         const char *doc) {
    *slot = PyErr_NewExceptionWithDoc(name, doc, base, NULL);
    return *slot ? PyModule_AddObjectRef(m, strrchr(name, '.') + 1, *slot) : -1;
}

PyMODINIT_FUNC PyInit__core(void); /* the one exported symbol */

PyMODINIT_FUNC PyInit__core(void) {
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    PyObject *field_bases = NULL;
    if (PyType_Ready(&SimdsseEvent_Type) || PyType_Ready(&SimdsseParser_Type) ||
        PyModule_AddObjectRef(m, "Event", (PyObject *)&SimdsseEvent_Type) ||
        PyModule_AddObjectRef(m, "Parser", (PyObject *)&SimdsseParser_Type))
        goto fail;
    if (add_exception(m, &Simdsse_Error, "simdsse.Error", NULL,
                      "Base class of simdsse's errors; .status is the C status code.") ||
        add_exception(m, &Simdsse_LimitError, "simdsse.LimitError", Simdsse_Error,
                      "An event broke a parser limit and was dropped; parsing went on.\n"
                      ".code ('line-too-long', ...), .limit (the Parser keyword),\n"
                      ".offset (stream offset where it tripped), .index (events of the\n"
                      "same feed before it), .events (every event of that feed) and\n"
                      ".errors (every LimitError of that feed)."))
        goto fail;
    field_bases = PyTuple_Pack(2, Simdsse_Error, PyExc_ValueError);
    if (!field_bases ||
        add_exception(m, &Simdsse_FieldError, "simdsse.FieldError", field_bases,
                      "A value the writer refuses, as it would inject a field;\n"
                      ".field names it ('event', 'id', 'retry' or 'text')."))
        goto fail;
    Py_CLEAR(field_bases);
    if (simdsse_py_validate_init(m) ||
        PyModule_AddStringConstant(m, "__version__", simdsse_version()) ||
        PyModule_AddIntConstant(m, "NOGIL_BYTES", (long)SIMDSSE_PY_NOGIL_BYTES))
        goto fail;
    return m;
fail:
    Py_XDECREF(field_bases);
    Py_DECREF(m);
    return NULL;
}
