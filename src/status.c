/*
 * status.c -- version and the message for every status code.
 * SPDX-License-Identifier: MIT
 */
#include "simdsse.h"

const char *simdsse_version(void) { return SIMDSSE_VERSION_STRING; }

const char *simdsse_strerror(int status) {
    switch ((simdsse_status)status) {
    case SIMDSSE_OK: return "success";
    case SIMDSSE_PAUSED: return "paused by a callback";
    case SIMDSSE_NEED_INPUT: return "chunk used up: push the next one";
    case SIMDSSE_RESET: return "reset by a callback; the rest of the chunk was not read";
    case SIMDSSE_DESTROYED: return "destroyed by a callback; the rest of the chunk was not read";
    case SIMDSSE_ERR_LINE_TOO_LONG: return "line longer than max_line_length";
    case SIMDSSE_ERR_DATA_TOO_LONG: return "event data longer than max_data_length";
    case SIMDSSE_ERR_TYPE_TOO_LONG: return "event type longer than max_type_length";
    case SIMDSSE_ERR_ID_TOO_LONG: return "event id longer than max_id_length";
    case SIMDSSE_ERR_NO_MEMORY: return "out of memory (reset the parser)";
    case SIMDSSE_ERR_INVALID_ARGUMENT:
        return "invalid argument (or options of a size this library cannot read)";
    case SIMDSSE_ERR_UNKNOWN_KERNEL: return "no kernel of that name";
    case SIMDSSE_ERR_KERNEL_UNSUPPORTED: return "kernel not supported by this CPU or build";
    case SIMDSSE_ERR_NEEDS_RESET: return "stream finished or parser out of memory: reset it first";
    case SIMDSSE_ERR_INVALID_FIELD: return "value cannot be written without injecting a field";
    case SIMDSSE_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
    case SIMDSSE_ERR_IN_CALLBACK: return "not allowed from inside a callback of the same object";
    case SIMDSSE_ERR_INPUT_PENDING:
        return "a pushed chunk is not used up: call next until it needs input";
    }
    return "unknown status";
}
