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
    case SIMDSSE_ERR_LINE_TOO_LONG: return "line longer than max_line_length";
    case SIMDSSE_ERR_DATA_TOO_LONG: return "event data longer than max_data_length";
    case SIMDSSE_ERR_TYPE_TOO_LONG: return "event type longer than max_type_length";
    case SIMDSSE_ERR_ID_TOO_LONG: return "event id longer than max_id_length";
    case SIMDSSE_ERR_NO_MEMORY: return "out of memory (reset the parser)";
    case SIMDSSE_ERR_INVALID_ARGUMENT: return "invalid argument";
    case SIMDSSE_ERR_UNKNOWN_KERNEL: return "no kernel of that name";
    case SIMDSSE_ERR_KERNEL_UNSUPPORTED: return "kernel not supported by this CPU or build";
    case SIMDSSE_ERR_NEEDS_RESET: return "parser finished or failed: reset it first";
    case SIMDSSE_ERR_INVALID_FIELD: return "value cannot be written without injecting a field";
    case SIMDSSE_ERR_BUFFER_TOO_SMALL: return "output buffer too small";
    }
    return "unknown status";
}
