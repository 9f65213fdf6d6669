/*
 * binding.h -- what the files of the Python extension (simdsse._core) share.
 * SPDX-License-Identifier: MIT
 *
 * The extension is a thin shim over the public C API: parsing, writing and
 * validating are the library's; the browser's UTF-8 decoding rules are
 * CPython's (PyUnicode_DecodeUTF8 with "replace" substitutes U+FFFD per
 * maximal subpart, which is what the WHATWG decoder does; the conformance
 * tests hold it to the browser's output), with valid UTF-8 decoded by
 * utf8.c, which is faster on it.
 */
#ifndef SIMDSSE_PYTHON_BINDING_H
#define SIMDSSE_PYTHON_BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "simdsse.h"

/* Chunks at least this long are parsed with the GIL released. Below it,
 * releasing and taking back the GIL costs more than the parse. */
#define SIMDSSE_PY_NOGIL_BYTES ((Py_ssize_t)64 << 10)

/* Types and exceptions, created once by the module's init. */
extern PyTypeObject SimdsseEvent_Type;
extern PyTypeObject SimdsseParser_Type;
extern PyObject *Simdsse_Error;      /* simdsse.Error(Exception) */
extern PyObject *Simdsse_LimitError; /* simdsse.LimitError(simdsse.Error) */
extern PyObject *Simdsse_FieldError; /* simdsse.FieldError(simdsse.Error, ValueError) */

/* Builds an Event, stealing the four references (NULL for any: failure,
 * and the others are released). */
PyObject *simdsse_py_event(PyObject *type, PyObject *data, PyObject *id, PyObject *retry);

/* Browser decoding of bytes to str (U+FFFD for invalid UTF-8); utf8.c. */
PyObject *simdsse_py_decode(simdsse_span s);

/* The same decoding with AVX-512 (utf8_avx512.c), on x86-64 with GCC or
 * Clang: parsers whose kernel is "avx512" use it where
 * simdsse_py_avx512_usable() (the core runs its avx512 kernel, so
 * SIMDSSE_CPU_DISABLE has not taken it away, and the CPU has AVX-512 BW,
 * VL, VBMI and VBMI2). It falls back as simdsse_py_decode does. */
#if defined(__x86_64__) && defined(__GNUC__)
#define SIMDSSE_PY_AVX512 1
int simdsse_py_avx512_usable(void);
PyObject *simdsse_py_decode_avx512(simdsse_span s);
/* The valid-only part (NULL, *invalid set, for invalid UTF-8). */
PyObject *simdsse_py_utf8_avx512(const unsigned char *s, size_t n, int *invalid);
#else
#define SIMDSSE_PY_AVX512 0
#endif

/* Private aids (utf8.c), simdsse._core only: _decoders() names the
 * decoders this CPU runs ("portable", "avx512"); _utf8_valid(b, decoder)
 * is one's own decoding, None where it hands b to CPython's decoder (the
 * tests hold it to both); _decode_each(list of bytes, decoder) makes and
 * drops each one's str as feed() does, the floor bench.py compares with. */
PyObject *simdsse_py_decoders(PyObject *self, PyObject *unused);
PyObject *simdsse_py_utf8_valid(PyObject *self, PyObject *args);
PyObject *simdsse_py_decode_each(PyObject *self, PyObject *args);

/* Raises the exception that fits a status that is not a limit error and
 * returns NULL. */
PyObject *simdsse_py_raise(simdsse_status status, const char *what);

/* A LimitError for one limit error (not raised): message, .code, .status,
 * .limit, .offset and .index (events of the same feed before it). */
PyObject *simdsse_py_limit_error(simdsse_status status, uint64_t offset, Py_ssize_t index);

/* Module functions defined in their own files. */
PyObject *simdsse_py_format_event(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *simdsse_py_format_comment(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *simdsse_py_validate(PyObject *self, PyObject *args, PyObject *kwargs);
int simdsse_py_validate_init(PyObject *module);

#endif /* SIMDSSE_PYTHON_BINDING_H */
