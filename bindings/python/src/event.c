/*
 * event.c -- simdsse.Event: one dispatched event, with the fields of
 * httpx-sse's ServerSentEvent (event, data, id, retry, json()).
 * SPDX-License-Identifier: MIT
 */
#include "binding.h"

#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *event; /* str: the type, "message" when the stream set none */
    PyObject *data;  /* str */
    PyObject *id;    /* str: the last event ID (EventSource.lastEventId) */
    PyObject *retry; /* int or None */
} EventObject;

/* json.loads, looked up on first use of Event.json(). */
static PyObject *json_loads;

PyObject *simdsse_py_event(PyObject *type, PyObject *data, PyObject *id, PyObject *retry) {
    EventObject *e = NULL;
    if (type && data && id && retry) e = PyObject_New(EventObject, &SimdsseEvent_Type);
    if (!e) {
        Py_XDECREF(type);
        Py_XDECREF(data);
        Py_XDECREF(id);
        Py_XDECREF(retry);
        return NULL;
    }
    e->event = type;
    e->data = data;
    e->id = id;
    e->retry = retry;
    return (PyObject *)e;
}

static PyObject *event_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"event", "data", "id", "retry", NULL};
    PyObject *ev = NULL, *data = NULL, *id = NULL, *retry = Py_None;
    (void)type;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|UUUO:Event", names, &ev, &data, &id, &retry))
        return NULL;
    if (retry != Py_None && !PyLong_Check(retry)) {
        PyErr_SetString(PyExc_TypeError, "Event: retry must be an int or None");
        return NULL;
    }
    PyObject *t = ev ? (Py_INCREF(ev), ev) : PyUnicode_FromString("message");
    PyObject *d = data ? (Py_INCREF(data), data) : PyUnicode_FromString("");
    PyObject *i = id ? (Py_INCREF(id), id) : PyUnicode_FromString("");
    Py_INCREF(retry);
    return simdsse_py_event(t, d, i, retry);
}

static void event_dealloc(EventObject *e) {
    Py_DECREF(e->event);
    Py_DECREF(e->data);
    Py_DECREF(e->id);
    Py_DECREF(e->retry);
    PyObject_Free(e);
}

static PyObject *event_json(EventObject *e, PyObject *unused) {
    (void)unused;
    if (!json_loads) {
        PyObject *json = PyImport_ImportModule("json");
        if (!json) return NULL;
        json_loads = PyObject_GetAttrString(json, "loads");
        Py_DECREF(json);
        if (!json_loads) return NULL;
    }
    return PyObject_CallOneArg(json_loads, e->data);
}

static PyObject *event_repr(EventObject *e) {
    return PyUnicode_FromFormat("Event(event=%R, data=%R, id=%R, retry=%R)", e->event, e->data,
                                e->id, e->retry);
}

static PyObject *event_richcompare(PyObject *a, PyObject *b, int op) {
    if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &SimdsseEvent_Type))
        Py_RETURN_NOTIMPLEMENTED;
    EventObject *x = (EventObject *)a, *y = (EventObject *)b;
    PyObject *fx[4] = {x->event, x->data, x->id, x->retry};
    PyObject *fy[4] = {y->event, y->data, y->id, y->retry};
    int equal = 1;
    for (int i = 0; i < 4 && equal; i++) {
        int r = PyObject_RichCompareBool(fx[i], fy[i], Py_EQ);
        if (r < 0) return NULL;
        equal = r;
    }
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

static PyMemberDef event_members[] = {
    {"event", T_OBJECT_EX, offsetof(EventObject, event), READONLY,
     "The event type: the last `event` field, \"message\" when there was none."},
    {"data", T_OBJECT_EX, offsetof(EventObject, data), READONLY,
     "The `data` lines joined with \"\\n\"."},
    {"id", T_OBJECT_EX, offsetof(EventObject, id), READONLY,
     "The last event ID after this event, as EventSource.lastEventId (\"\" if none)."},
    {"retry", T_OBJECT_EX, offsetof(EventObject, retry), READONLY,
     "The reconnection time (ms) a `retry` field set since the previous event, or None."},
    {NULL, 0, 0, 0, NULL},
};

static PyMethodDef event_methods[] = {
    {"json", (PyCFunction)event_json, METH_NOARGS, "json.loads(self.data)."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject SimdsseEvent_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "simdsse.Event",
    .tp_basicsize = sizeof(EventObject),
    .tp_dealloc = (destructor)event_dealloc,
    .tp_repr = (reprfunc)event_repr,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Event(event='message', data='', id='', retry=None)\n--\n\n"
              "One dispatched event. Strings are decoded as a browser decodes the\n"
              "stream (UTF-8, U+FFFD for invalid sequences).",
    .tp_richcompare = event_richcompare,
    .tp_methods = event_methods,
    .tp_members = event_members,
    .tp_new = event_new,
};
