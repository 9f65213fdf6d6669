/*
 * parser.c -- simdsse.Parser: a streaming parser fed bytes, giving Events.
 * SPDX-License-Identifier: MIT
 *
 * feed() builds Events as the C parser hands its items out; for a large
 * chunk it runs in two steps (see bindings/common/batch.h): the items are
 * collected with the GIL released, then the Events built. Either way the
 * previous event's type and id strings are reused when the bytes repeat,
 * and the events are gathered in an array that becomes the list.
 */
#include "binding.h"

#include <string.h>

#include "batch.h"

typedef struct {
    PyObject_HEAD
    simdsse_parser *parser;
    sse_batch batch;
    PyObject *type;  /* the previous event's type and id strings, or NULL */
    PyObject *id;
    PyObject *retry; /* an int: a retry field since the previous event; or NULL */
    PyObject **events; /* a feed's events, until its list is made */
    size_t events_cap;
    int avx512;      /* strs are made by utf8_avx512.c */
    int busy;        /* feed is running (maybe without the GIL) */
} ParserObject;

/* The str of a value, by the parser's decoder: utf8_avx512.c's when the
 * parser's kernel is "avx512" and the CPU has what it needs. */
static inline PyObject *decode(const ParserObject *self, simdsse_span s) {
#if SIMDSSE_PY_AVX512
    if (self->avx512) return simdsse_py_decode_avx512(s);
#else
    (void)self;
#endif
    return simdsse_py_decode(s);
}

/* A limit keyword: None is "no limit" (SIZE_MAX), else a positive int. */
static int size_arg(PyObject *v, const char *name, size_t *out) {
    if (!v) return 0;
    if (v == Py_None) {
        *out = SIZE_MAX;
        return 0;
    }
    size_t n = PyLong_Check(v) ? PyLong_AsSize_t(v) : (size_t)-1;
    if (n == (size_t)-1 || n == 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "Parser: %s must be a positive int or None, not %R", name,
                     v);
        return -1;
    }
    *out = n;
    return 0;
}

static int parser_init(ParserObject *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"max_line_length", "max_data_length", "max_type_length",
                            "max_id_length",   "initial_retry_ms", "kernel",
                            NULL};
    PyObject *line = NULL, *data = NULL, *type = NULL, *id = NULL, *retry = NULL;
    const char *kernel = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$OOOOOz:Parser", names, &line, &data, &type,
                                     &id, &retry, &kernel))
        return -1;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    if (size_arg(line, "max_line_length", &o.max_line_length) ||
        size_arg(data, "max_data_length", &o.max_data_length) ||
        size_arg(type, "max_type_length", &o.max_type_length) ||
        size_arg(id, "max_id_length", &o.max_id_length))
        return -1;
    if (retry) {
        o.initial_retry_ms = PyLong_Check(retry) ? PyLong_AsUnsignedLongLong(retry) : 0;
        if (!PyLong_Check(retry) || PyErr_Occurred()) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "Parser: initial_retry_ms must be an int >= 0, not %R",
                         retry);
            return -1;
        }
    }
    o.kernel = kernel;
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "Parser.__init__: the parser is in use");
        return -1;
    }
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&o, &st);
    if (!p) {
        if (st == SIMDSSE_ERR_UNKNOWN_KERNEL || st == SIMDSSE_ERR_KERNEL_UNSUPPORTED) {
            PyErr_Format(PyExc_ValueError, "Parser: kernel %s: %s", kernel, simdsse_strerror(st));
            return -1;
        }
        simdsse_py_raise(st, "Parser");
        return -1;
    }
    simdsse_parser_destroy(self->parser);
    sse_batch_free(&self->batch);
    sse_batch_init(&self->batch, SSE_BATCH_KEEP(SIMDSSE_ITEM_EVENT) |
                                     SSE_BATCH_KEEP(SIMDSSE_ITEM_RETRY) |
                                     SSE_BATCH_KEEP(SIMDSSE_ITEM_ERROR));
    Py_CLEAR(self->type);
    Py_CLEAR(self->id);
    Py_CLEAR(self->retry);
    self->parser = p;
#if SIMDSSE_PY_AVX512
    self->avx512 = !strcmp(simdsse_parser_kernel(p), "avx512") && simdsse_py_avx512_usable();
#endif
    return 0;
}

static void parser_dealloc(ParserObject *self) {
    simdsse_parser_destroy(self->parser);
    sse_batch_free(&self->batch);
    Py_CLEAR(self->type);
    Py_CLEAR(self->id);
    Py_CLEAR(self->retry);
    PyMem_Free(self->events);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Claims the parser for one call; fails if another thread has it. */
static int claim(ParserObject *self, const char *what) {
    if (!self->parser) {
        PyErr_Format(PyExc_RuntimeError, "Parser.%s: Parser.__init__ was not called", what);
        return -1;
    }
    if (self->busy) {
        PyErr_Format(PyExc_RuntimeError, "Parser.%s: another thread is feeding this parser", what);
        return -1;
    }
    self->busy = 1;
    return 0;
}

/* The str for an event's type or id: the previous one when the batch says
 * the bytes are the same or when it is ASCII and has these bytes (a str is
 * immutable, so one object serves every event that repeats it), else a new
 * one, remembered. */
static PyObject *field(const ParserObject *self, PyObject **prev, int same, simdsse_span s) {
    PyObject *v = *prev;
    if (v && !same)
        same = PyUnicode_IS_COMPACT_ASCII(v) && (size_t)PyUnicode_GET_LENGTH(v) == s.len &&
               sse_equal((const char *)PyUnicode_1BYTE_DATA(v), s.ptr, s.len);
    if (!v || !same) {
        if (!(v = decode(self, s))) return NULL;
        Py_XSETREF(*prev, v);
    }
    Py_INCREF(v);
    return v;
}

/* What one feed has made so far: its events (in self->events until the
 * list is made, which then takes them) and its limit errors. */
typedef struct output {
    ParserObject *self;
    size_t count;     /* events in self->events */
    PyObject *errors; /* list, or NULL while there is none */
} output;

static int add_event(output *o, unsigned flags, simdsse_span data, simdsse_span type,
                     simdsse_span id) {
    ParserObject *self = o->self;
    if (o->count == self->events_cap) {
        size_t cap = self->events_cap ? 2 * self->events_cap : 64;
        PyObject **p = NULL;
        if (cap <= PY_SSIZE_T_MAX / sizeof *p) p = PyMem_Realloc(self->events, cap * sizeof *p);
        if (!p) return PyErr_NoMemory(), -1;
        self->events = p;
        self->events_cap = cap;
    }
    PyObject *retry = self->retry ? self->retry : Py_NewRef(Py_None);
    self->retry = NULL;
    PyObject *ev = simdsse_py_event(field(self, &self->type, flags & SSE_BATCH_TYPE_SAME, type),
                                    decode(self, data),
                                    field(self, &self->id, flags & SSE_BATCH_ID_SAME, id), retry);
    if (!ev) return -1;
    self->events[o->count++] = ev;
    return 0;
}

static int add_retry(output *o, uint64_t ms) {
    Py_XSETREF(o->self->retry, PyLong_FromUnsignedLongLong(ms));
    return o->self->retry ? 0 : -1;
}

static int add_error(output *o, simdsse_status status, uint64_t offset) {
    if (!o->errors && !(o->errors = PyList_New(0))) return -1;
    PyObject *e = simdsse_py_limit_error(status, offset, (Py_ssize_t)o->count);
    int r = e ? PyList_Append(o->errors, e) : -1;
    Py_XDECREF(e);
    return r;
}

/* The list of the feed's events, which takes them from self->events. */
static PyObject *take_events(output *o) {
    PyObject *list = PyList_New((Py_ssize_t)o->count);
    if (!list) return NULL;
    for (size_t i = 0; i < o->count; i++) PyList_SET_ITEM(list, (Py_ssize_t)i, o->self->events[i]);
    o->count = 0;
    return list;
}

/* The events of the feed, or NULL with the exception: a limit error raises
 * LimitError carrying every event of the chunk (nothing is lost: the parser
 * went on) and the list of its errors; the first one is raised. */
static PyObject *result(output *o) {
    PyObject *events = take_events(o);
    if (!events || !o->errors) return events;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(o->errors); i++) {
        PyObject *e = PyList_GET_ITEM(o->errors, i);
        if (PyObject_SetAttrString(e, "events", events) ||
            PyObject_SetAttrString(e, "errors", o->errors))
            goto done;
    }
    PyErr_SetObject(Simdsse_LimitError, PyList_GET_ITEM(o->errors, 0));
done:
    /* The errors list refers to each error, each error to the list: a cycle
     * the collector frees once the exception is dropped. */
    Py_DECREF(events);
    return NULL;
}

/* A failure while building: nothing of the feed is given out (the stream
 * is not whole any more, or memory ran out), and the strings remembered
 * may not match what the batch remembered. */
static void drop(output *o) {
    ParserObject *self = o->self;
    sse_batch_forget(&self->batch);
    Py_CLEAR(self->type);
    Py_CLEAR(self->id);
    while (o->count) Py_DECREF(self->events[--o->count]);
}

/* The chunk's items straight to Python as the parser hands them out (GIL
 * held): no span is copied. As sse_batch_pull, without its remembering of
 * types and ids, which field() does on the strs themselves. */
static simdsse_status pull(output *o, const char *data, size_t len) {
    simdsse_parser *parser = o->self->parser;
    simdsse_status st = simdsse_parser_push(parser, len ? data : "", len);
    if (st != SIMDSSE_OK) return st;
    const simdsse_item *it;
    SIMDSSE_PARSER_FOREACH(parser, it, st) {
        int r = 0;
        if (it->kind == SIMDSSE_ITEM_EVENT)
            r = add_event(o, 0, it->event.data, it->event.type, it->event.id);
        else if (it->kind == SIMDSSE_ITEM_RETRY)
            r = add_retry(o, it->retry);
        else if (it->kind == SIMDSSE_ITEM_ERROR)
            r = add_error(o, it->error.status, it->error.offset);
        if (r) {
            /* The parser has moved past this item: it is lost, so the
             * stream is no longer whole. Make that explicit. */
            simdsse_parser_reset(parser);
            return SIMDSSE_ERR_NO_MEMORY;
        }
    }
    return st == SIMDSSE_NEED_INPUT ? SIMDSSE_OK : st;
}

/* The chunk's items collected without the GIL, then built. The batch's
 * "same as the previous event" flags only hold within this run, as
 * self->type and self->id may have moved on in pull() since the last one. */
static simdsse_status collect_then_build(output *o, const char *data, size_t len) {
    ParserObject *self = o->self;
    simdsse_status st;
    sse_batch_forget(&self->batch);
    Py_BEGIN_ALLOW_THREADS
    st = sse_batch_run(&self->batch, self->parser, data, len);
    Py_END_ALLOW_THREADS
    for (size_t i = 0; st == SIMDSSE_OK && i < self->batch.count; i++) {
        const sse_batch_item *it = &self->batch.items[i];
        int r = 0;
        if (it->kind == SIMDSSE_ITEM_EVENT)
            r = add_event(o, it->flags, it->text, it->type, it->id);
        else if (it->kind == SIMDSSE_ITEM_RETRY)
            r = add_retry(o, it->number);
        else if (it->kind == SIMDSSE_ITEM_ERROR)
            r = add_error(o, it->status, it->number);
        if (r) st = SIMDSSE_ERR_NO_MEMORY;
    }
    return st;
}

static PyObject *parser_feed(ParserObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE)) return NULL;
    if (claim(self, "feed")) {
        PyBuffer_Release(&view);
        return NULL;
    }
    output o = {self, 0, NULL};
    simdsse_status st = view.len >= SIMDSSE_PY_NOGIL_BYTES
                            ? collect_then_build(&o, view.buf, (size_t)view.len)
                            : pull(&o, view.buf, (size_t)view.len);
    PyObject *events = NULL;
    if (st == SIMDSSE_OK) {
        events = result(&o);
    } else if (!PyErr_Occurred()) {
        simdsse_py_raise(st, "Parser.feed");
    }
    if (!events) drop(&o);
    Py_XDECREF(o.errors);
    /* A feed of many events does not keep its array for the parser's life. */
    if (self->events_cap > 4096) {
        PyMem_Free(self->events);
        self->events = NULL;
        self->events_cap = 0;
    }
    self->busy = 0;
    PyBuffer_Release(&view); /* spans pointed into it until now */
    return events;
}

static PyObject *parser_finish(ParserObject *self, PyObject *unused) {
    (void)unused;
    if (claim(self, "finish")) return NULL;
    simdsse_status st = simdsse_parser_finish(self->parser);
    self->busy = 0;
    if (st != SIMDSSE_OK) return simdsse_py_raise(st, "Parser.finish");
    Py_CLEAR(self->retry);
    Py_RETURN_NONE;
}

static PyObject *parser_reset(ParserObject *self, PyObject *unused) {
    (void)unused;
    if (claim(self, "reset")) return NULL;
    simdsse_parser_reset(self->parser);
    Py_CLEAR(self->retry);
    self->busy = 0;
    Py_RETURN_NONE;
}

/* The getters, one function: the closure says which. */
enum { GET_LAST_EVENT_ID, GET_RETRY, GET_OFFSET, GET_KERNEL, GET_MEMORY, GET_DECODER };

static PyObject *parser_get(ParserObject *self, void *closure) {
    static const char *names[] = {"last_event_id", "retry", "offset", "kernel", "memory", "_decoder"};
    int what = (int)(intptr_t)closure;
    if (claim(self, names[what])) return NULL;
    PyObject *v = NULL;
    switch (what) {
    case GET_LAST_EVENT_ID:
        v = decode(self, simdsse_parser_last_event_id(self->parser));
        break;
    case GET_RETRY:
        v = PyLong_FromUnsignedLongLong(simdsse_parser_retry(self->parser));
        break;
    case GET_OFFSET:
        v = PyLong_FromUnsignedLongLong(simdsse_parser_offset(self->parser));
        break;
    case GET_KERNEL:
        v = PyUnicode_FromString(simdsse_parser_kernel(self->parser));
        break;
    case GET_MEMORY:
        v = PyLong_FromSize_t(simdsse_parser_memory(self->parser));
        break;
    case GET_DECODER:
        v = PyUnicode_FromString(self->avx512 ? "avx512" : "portable");
        break;
    }
    self->busy = 0;
    return v;
}

static PyMethodDef parser_methods[] = {
    {"feed", (PyCFunction)parser_feed, METH_O,
     "feed(data) -> list[Event]\n--\n\n"
     "Parses the next chunk of the stream (any bytes-like object, of any\n"
     "size) and returns the events it completes. A limit error raises\n"
     "LimitError after the whole chunk was parsed: its .events holds every\n"
     "event of the chunk, and the parser goes on with the next feed."},
    {"finish", (PyCFunction)parser_finish, METH_NOARGS,
     "finish()\n--\n\n"
     "Ends the stream: an event not ended by a blank line is discarded, as\n"
     "the standard says. Afterwards feed() needs reset()."},
    {"reset", (PyCFunction)parser_reset, METH_NOARGS,
     "reset()\n--\n\n"
     "Starts a new stream (a reconnection); last_event_id and retry are kept."},
    {NULL, NULL, 0, NULL},
};

#define GETTER(name, what, doc) {name, (getter)parser_get, NULL, doc, (void *)(intptr_t)(what)}

static PyGetSetDef parser_getset[] = {
    GETTER("last_event_id", GET_LAST_EVENT_ID,
           "The last event ID (str), sent as Last-Event-ID when reconnecting."),
    GETTER("retry", GET_RETRY, "The reconnection time in milliseconds (int)."),
    GETTER("offset", GET_OFFSET, "Stream bytes parsed so far (int)."),
    GETTER("kernel", GET_KERNEL, "The SIMD kernel this parser uses (str)."),
    GETTER("memory", GET_MEMORY, "Bytes of heap the C parser holds (int)."),
    GETTER("_decoder", GET_DECODER, "Test aid: the UTF-8 decoder feed() uses (see _core._decoders)."),
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject SimdsseParser_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "simdsse.Parser",
    .tp_basicsize = sizeof(ParserObject),
    .tp_dealloc = (destructor)parser_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Parser(*, max_line_length=1048576, max_data_length=8388608,\n"
              "       max_type_length=1024, max_id_length=1024,\n"
              "       initial_retry_ms=3000, kernel=None)\n--\n\n"
              "A streaming text/event-stream parser. Limits are in bytes; None\n"
              "means no limit. An event that breaks a limit is dropped (LimitError)\n"
              "and parsing goes on. One thread at a time may use a parser.",
    .tp_methods = parser_methods,
    .tp_getset = parser_getset,
    .tp_init = (initproc)parser_init,
    .tp_new = PyType_GenericNew,
};
