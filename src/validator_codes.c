/*
 * validator_codes.c -- the validator's codes: names, severities, messages.
 * SPDX-License-Identifier: MIT
 *
 * The messages live with the checks that use them, in validator.c.
 */
#include "simdsse.h"

static const struct {
    const char *name;
    simdsse_severity severity;
} codes[] = {
    [SIMDSSE_DIAG_UNTERMINATED_EVENT] = {"unterminated-event", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_INVALID_UTF8] = {"invalid-utf8", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_UNKNOWN_FIELD] = {"unknown-field", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_FIELD_LEADING_SPACE] = {"field-leading-space", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_WHITESPACE_LINE] = {"whitespace-line", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_BOM_IN_FIELD_NAME] = {"bom-in-field-name", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_ID_CONTAINS_NUL] = {"id-contains-nul", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_INVALID_RETRY] = {"invalid-retry", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_EVENT_WITHOUT_DATA] = {"event-without-data", SIMDSSE_SEVERITY_ERROR},
    [SIMDSSE_DIAG_MIXED_LINE_ENDS] = {"mixed-line-ends", SIMDSSE_SEVERITY_WARNING},
    [SIMDSSE_DIAG_LONG_LINE] = {"long-line", SIMDSSE_SEVERITY_WARNING},
    [SIMDSSE_DIAG_EMPTY_EVENT_TYPE] = {"empty-event-type", SIMDSSE_SEVERITY_WARNING},
    [SIMDSSE_DIAG_NUL_IN_VALUE] = {"nul-in-value", SIMDSSE_SEVERITY_WARNING},
    [SIMDSSE_DIAG_BOM_IN_VALUE] = {"bom-in-value", SIMDSSE_SEVERITY_WARNING},
    [SIMDSSE_DIAG_RETRY_TOO_LARGE] = {"retry-too-large", SIMDSSE_SEVERITY_WARNING},
};

const char *simdsse_diagnostic_code_name(int code) {
    if (code <= 0 || (size_t)code >= sizeof codes / sizeof codes[0]) return NULL;
    return codes[code].name;
}

simdsse_severity simdsse_diagnostic_code_severity(int code) {
    if (code <= 0 || (size_t)code >= sizeof codes / sizeof codes[0]) return (simdsse_severity)0;
    return codes[code].severity;
}

const char *simdsse_severity_name(int severity) {
    switch (severity) {
    case SIMDSSE_SEVERITY_WARNING: return "warning";
    case SIMDSSE_SEVERITY_ERROR: return "error";
    }
    return NULL;
}
