/*
 * validator.c -- checks a text/event-stream byte by byte, as the standard
 * reads it, and reports what a browser would drop or misread.
 * SPDX-License-Identifier: MIT
 *
 * Steps quoted are from the WHATWG HTML standard, 9.2.6 "Interpreting an
 * event stream", and the WHATWG Encoding standard's UTF-8 decoder. Every
 * byte goes through one state machine whose whole state lives in the
 * validator, so a chunk boundary can fall anywhere without changing a
 * result, and nothing is buffered but the first NAME_CAP bytes of a field
 * name (enough to tell "Data" or "data " from "data").
 */
#include <stdlib.h>

#include "internal.h"

#define NAME_CAP 64

/* The four field names the standard acts on. */
enum { SSE_FIELD_DATA, SSE_FIELD_EVENT, SSE_FIELD_ID, SSE_FIELD_RETRY, SSE_FIELD_NAMES };
/* Line-end styles, as remembered for mixed-line-ends (0: none seen yet). */
enum { SSE_EOL_LF = 1, SSE_EOL_CR = 2, SSE_EOL_CRLF = 3 };

/* MARK: - Messages */

/* Static, so a diagnostic costs no allocation; those naming the field
 * probably meant are spelled out per field for the same reason. */
static const char *const field_names[SSE_FIELD_NAMES] = {"data", "event", "id", "retry"};

#define PER_FIELD(before, after) \
    {before "'data'" after, before "'event'" after, before "'id'" after, before "'retry'" after}

static const char *const msg_unknown_case[SSE_FIELD_NAMES] =
    PER_FIELD("unknown field name (did you mean ", "? names are case-sensitive); the line is ignored");
static const char *const msg_unknown_space[SSE_FIELD_NAMES] =
    PER_FIELD("unknown field name (did you mean ",
              "? a space before the colon is part of the name); the line is ignored");
static const char *const msg_leading_space_known[SSE_FIELD_NAMES] =
    PER_FIELD("field name starts with a space or tab (did you mean ", "?); the line is ignored");

static const char *const msg_mixed[4][4] = {
    [SSE_EOL_LF] = {[SSE_EOL_CR] = "line ends with CR, but the stream's first line end is LF",
                    [SSE_EOL_CRLF] = "line ends with CRLF, but the stream's first line end is LF"},
    [SSE_EOL_CR] = {[SSE_EOL_LF] = "line ends with LF, but the stream's first line end is CR",
                    [SSE_EOL_CRLF] = "line ends with CRLF, but the stream's first line end is CR"},
    [SSE_EOL_CRLF] = {[SSE_EOL_LF] = "line ends with LF, but the stream's first line end is CRLF",
                      [SSE_EOL_CR] = "line ends with CR, but the stream's first line end is CRLF"},
};

static const char msg_unterminated_line[] =
    "stream ends inside a line; the line is dropped, with any event not ended by a blank line";
static const char msg_unterminated_event[] =
    "stream ends before the blank line that ends the last event; the event is dropped";
static const char msg_invalid_utf8[] = "invalid UTF-8; a browser decodes this sequence as U+FFFD";
static const char msg_unknown_field[] = "unknown field name; the line is ignored";
static const char msg_leading_space[] = "field name starts with a space or tab; the line is ignored";
static const char msg_whitespace_line[] =
    "line of only spaces or tabs is not a blank line; it is ignored and ends no event";
static const char msg_bom_in_name[] =
    "U+FEFF (byte order mark) in a field name makes the field unknown; the line is ignored";
static const char msg_id_nul[] = "id value contains NUL; the whole id field is ignored";
static const char msg_retry_not_digits[] = "retry value is not all ASCII digits; the field is ignored";
static const char msg_retry_empty[] = "retry value is empty; the field is ignored";
static const char msg_event_without_data[] =
    "blank line ends an event with an event type but no data line; nothing is dispatched";
static const char msg_long_line[] = "line longer than the long-line threshold (64 KiB by default)";
static const char msg_empty_event_type[] = "event field with an empty value; the type is 'message'";
static const char msg_nul_in_value[] =
    "NUL in a value; browsers keep it, but C strings and many tools stop at it";
static const char msg_bom_in_value[] =
    "U+FEFF (byte order mark) in a value; browsers keep it as part of the value";
static const char msg_retry_too_large[] =
    "retry value above the maximum (2^31-1 ms by default, where JavaScript timers overflow)";

/* Where in its line the next byte falls. */
enum { P_START, P_NAME, P_VALUE_FIRST, P_VALUE, P_COMMENT };
/* The field of the current line: SSE_FIELD_* or unknown. */
enum { F_UNKNOWN = SSE_FIELD_NAMES };

struct simdsse_validator {
    simdsse_validator_options opt;
    sse_alloc alloc;
    simdsse_validation res;

    uint64_t offset;      /* stream offset of the byte being read */
    uint64_t line;        /* its line number */
    uint64_t line_start;  /* stream offset of that line's first byte */
    uint64_t value_start; /* stream offset of the field value's first byte */
    uint64_t retry_ms;    /* the retry value so far, saturating */
    /* A CR ends its line at once; whether it is CR or CRLF for
     * mixed-line-ends waits for the next byte, so its place is kept. */
    uint64_t cr_line, cr_column, cr_offset;

    size_t lead_ws;  /* spaces and tabs before the field name proper */
    size_t name_len; /* bytes of the name after those, NAME_CAP at most kept */
    size_t trail_ws; /* spaces and tabs at the end of those */
    unsigned char name[NAME_CAP];

    /* The UTF-8 decoder: code point so far, continuation bytes still
     * needed, bytes of the sequence read (its lead included), and the
     * range the next continuation byte must fall in. */
    uint32_t u_cp;
    uint8_t u_need, u_seen, u_lower, u_upper;

    uint8_t bom_matched; /* bytes of a stream-start BOM matched so far */
    uint8_t first_eol;   /* SSE_EOL_* of the stream's first line end, or 0 */
    uint8_t part;        /* P_* */
    uint8_t field;       /* SSE_FIELD_* or F_UNKNOWN, once the name ended */
    bool bom_done;       /* the stream-start BOM question is settled */
    bool cr_pending;     /* the last byte read was a CR */
    bool mixed_reported;
    /* Per line. */
    bool long_reported, nul_seen, retry_bad, bom_in_name;
    /* Per event: which fields the pending event has. */
    bool has_data, has_event, has_id;
    bool stopped; /* the callback asked for no more diagnostics */
    bool finished;
    bool busy;        /* feed or finish is running: on_diagnostic may be on the stack */
    uint8_t deferred; /* DEFER_*: what on_diagnostic asked for */
};

/* "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark". */
static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* MARK: - Reporting */

static void emit(simdsse_validator *v, simdsse_diagnostic_code code, uint64_t line,
                 uint64_t column, uint64_t at, const char *message, const char *suggestion) {
    simdsse_severity sev = simdsse_diagnostic_code_severity(code);
    if (sev == SIMDSSE_SEVERITY_ERROR)
        v->res.errors++;
    else
        v->res.warnings++;
    if (v->stopped || !v->opt.on_diagnostic || v->res.reported >= v->opt.max_diagnostics) return;
    simdsse_diagnostic d;
    d.code = code;
    d.severity = sev;
    d.line = line;
    d.column = column;
    d.offset = at;
    d.message = message;
    d.suggestion = suggestion;
    v->res.reported++;
    if (v->opt.on_diagnostic(v->opt.user, &d)) v->stopped = true;
}

/* A diagnostic at stream offset `at` on the current line. */
static void here(simdsse_validator *v, simdsse_diagnostic_code code, uint64_t at,
                 const char *message, const char *suggestion) {
    emit(v, code, v->line, at - v->line_start + 1, at, message, suggestion);
}

/* MARK: - Bytes */

/* The sequence begun u_seen bytes ago ends in error: "set UTF-8 bytes
 * needed to 0 [...] return error", one U+FFFD for its maximal subpart. */
static void utf8_broken(simdsse_validator *v) {
    v->u_need = 0;
    here(v, SIMDSSE_DIAG_INVALID_UTF8, v->offset - v->u_seen, msg_invalid_utf8, NULL);
}

static void line_end_style(simdsse_validator *v, uint8_t style, uint64_t line, uint64_t column,
                           uint64_t at) {
    if (!v->first_eol) {
        v->first_eol = style;
    } else if (style != v->first_eol && !v->mixed_reported) {
        v->mixed_reported = true;
        emit(v, SIMDSSE_DIAG_MIXED_LINE_ENDS, line, column, at,
             msg_mixed[v->first_eol][style], NULL);
    }
}

/* SSE_FIELD_* of name[0, n), compared exactly or ignoring ASCII case; -1. */
static int known_field(const unsigned char *name, size_t n, bool fold) {
    for (int k = 0; k < SSE_FIELD_NAMES; k++) {
        const char *f = field_names[k];
        size_t i = 0;
        for (; i < n && f[i]; i++) {
            unsigned c = name[i];
            if (fold && c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != (unsigned char)f[i]) break;
        }
        if (i == n && !f[i]) return k;
    }
    return -1;
}

/* The field name ended (at a colon, or at the line end when there is
 * none: "using the whole line as the field name"). Decides the field and
 * reports a name the standard ignores ("Otherwise: The field is ignored"). */
static void classify(simdsse_validator *v, bool at_line_end) {
    v->field = F_UNKNOWN;
    if (v->bom_in_name) return; /* reported at the BOM */
    size_t core = v->name_len - v->trail_ws;
    int exact = -1, folded = -1;
    if (core <= NAME_CAP) {
        exact = known_field(v->name, core, false);
        folded = known_field(v->name, core, true);
    }
    if (!v->lead_ws && !v->trail_ws && exact >= 0) {
        v->field = (uint8_t)exact;
        return;
    }
    uint64_t at = v->line_start;
    if (v->lead_ws) {
        int k = exact >= 0 ? exact : folded;
        if (!v->name_len && at_line_end)
            here(v, SIMDSSE_DIAG_WHITESPACE_LINE, at, msg_whitespace_line, NULL);
        else if (k >= 0)
            here(v, SIMDSSE_DIAG_FIELD_LEADING_SPACE, at, msg_leading_space_known[k],
                 field_names[k]);
        else
            here(v, SIMDSSE_DIAG_FIELD_LEADING_SPACE, at, msg_leading_space, NULL);
    } else if (exact >= 0) {
        here(v, SIMDSSE_DIAG_UNKNOWN_FIELD, at, msg_unknown_space[exact],
             field_names[exact]);
    } else if (folded >= 0) {
        here(v, SIMDSSE_DIAG_UNKNOWN_FIELD, at, msg_unknown_case[folded],
             field_names[folded]);
    } else {
        here(v, SIMDSSE_DIAG_UNKNOWN_FIELD, at, msg_unknown_field, NULL);
    }
}

/* A byte of a field value (after the one space the standard removes). */
static inline void value_byte(simdsse_validator *v, unsigned c) {
    switch (v->field) {
    case SSE_FIELD_RETRY: {
        /* "If the field value consists of only ASCII digits, then interpret
         *  the field value as an integer in base ten [...] Otherwise,
         *  ignore the field." */
        unsigned d = c - '0';
        if (d > 9) {
            if (!v->retry_bad)
                here(v, SIMDSSE_DIAG_INVALID_RETRY, v->offset, msg_retry_not_digits, NULL);
            v->retry_bad = true;
        } else if (v->retry_ms > (UINT64_MAX - d) / 10) {
            v->retry_ms = UINT64_MAX;
        } else {
            v->retry_ms = v->retry_ms * 10 + d;
        }
        break;
    }
    case SSE_FIELD_ID:
        /* "If the field value does not contain U+0000 NULL, then set the
         *  last event ID buffer to the field value. Otherwise, ignore the
         *  field." */
        if (c == 0 && !v->nul_seen) {
            v->nul_seen = true;
            here(v, SIMDSSE_DIAG_ID_CONTAINS_NUL, v->offset, msg_id_nul, NULL);
        }
        break;
    case SSE_FIELD_DATA:
    case SSE_FIELD_EVENT:
        if (c == 0 && !v->nul_seen) {
            v->nul_seen = true;
            here(v, SIMDSSE_DIAG_NUL_IN_VALUE, v->offset, msg_nul_in_value, NULL);
        }
        break;
    default:
        break;
    }
}

/* A whole U+FEFF ends at the current byte; its first byte is two back.
 * Only the stream's first bytes are stripped, so this one is text. */
static void bom_found(simdsse_validator *v) {
    uint64_t at = v->offset - 2;
    if (v->part == P_NAME) {
        v->bom_in_name = true;
        here(v, SIMDSSE_DIAG_BOM_IN_FIELD_NAME, at, msg_bom_in_name, NULL);
    } else if (v->part == P_VALUE && v->field <= SSE_FIELD_ID) {
        /* data, event, id keep it; a retry value already failed its digit
         * test at this BOM, and ignored fields and comments keep nothing. */
        here(v, SIMDSSE_DIAG_BOM_IN_VALUE, at, msg_bom_in_value, NULL);
    }
}

/* A byte that is not CR or LF. */
static inline void content(simdsse_validator *v, unsigned c) {
    if (v->offset - v->line_start >= v->opt.long_line && !v->long_reported) {
        v->long_reported = true;
        here(v, SIMDSSE_DIAG_LONG_LINE, v->offset, msg_long_line, NULL);
    }

    /* The UTF-8 decoder, one byte at a time. */
    bool bom = false;
    if (v->u_need && c >= v->u_lower && c <= v->u_upper) {
        /* "Set UTF-8 lower boundary to 0x80 and UTF-8 upper boundary to
         *  0xBF. Set UTF-8 code point to (UTF-8 code point << 6) |
         *  (byte & 0x3F)" */
        v->u_lower = 0x80, v->u_upper = 0xBF;
        v->u_cp = v->u_cp << 6 | (c & 0x3F);
        v->u_seen++;
        if (--v->u_need == 0) bom = v->u_cp == 0xFEFF;
    } else {
        /* "If byte is not in the range UTF-8 lower boundary to UTF-8 upper
         *  boundary, inclusive, then: [...] restore byte to ioQueue [and]
         *  return error." The byte is then read afresh, below. */
        if (v->u_need) utf8_broken(v);
        if (c >= 0x80) {
            v->u_seen = 1;
            v->u_lower = 0x80, v->u_upper = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                v->u_need = 1, v->u_cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                /* "If byte is 0xE0, set UTF-8 lower boundary to 0xA0. If
                 *  byte is 0xED, set UTF-8 upper boundary to 0x9F." */
                if (c == 0xE0) v->u_lower = 0xA0;
                if (c == 0xED) v->u_upper = 0x9F;
                v->u_need = 2, v->u_cp = c & 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                /* "If byte is 0xF0, set UTF-8 lower boundary to 0x90. If
                 *  byte is 0xF4, set UTF-8 upper boundary to 0x8F." */
                if (c == 0xF0) v->u_lower = 0x90;
                if (c == 0xF4) v->u_upper = 0x8F;
                v->u_need = 3, v->u_cp = c & 0x07;
            } else {
                /* "Otherwise, return error." (0x80..0xC1, 0xF5..0xFF) */
                here(v, SIMDSSE_DIAG_INVALID_UTF8, v->offset, msg_invalid_utf8, NULL);
            }
        }
    }

    /* The line, as the standard splits it. Every byte the tests below look
     * for is ASCII, and the decoder never makes one out of other bytes. */
    switch (v->part) {
    case P_START:
        /* "If the line starts with a U+003A COLON character (:) Ignore the
         *  line." */
        if (c == ':') {
            v->part = P_COMMENT;
            break;
        }
        v->part = P_NAME;
        /* fallthrough */
    case P_NAME:
        /* "Collect the characters on the line before the first U+003A
         *  COLON character (:), and let field be that string." */
        if (c == ':') {
            classify(v, false);
            v->part = P_VALUE_FIRST;
            v->value_start = v->offset + 1;
            break;
        }
        if (c == ' ' || c == '\t') {
            if (!v->name_len) {
                v->lead_ws++;
                break;
            }
            v->trail_ws++;
        } else {
            v->trail_ws = 0;
        }
        if (v->name_len < NAME_CAP) v->name[v->name_len] = (unsigned char)c;
        v->name_len++;
        break;
    case P_VALUE_FIRST:
        v->part = P_VALUE;
        /* "If value starts with a U+0020 SPACE character, remove it from
         *  value." */
        if (c == ' ') {
            v->value_start = v->offset + 1;
            break;
        }
        /* fallthrough */
    case P_VALUE:
        value_byte(v, c);
        break;
    default:
        break;
    }
    if (SSE_UNLIKELY(bom)) bom_found(v);
}

/* The field of the line ending at the current byte is complete. */
static void end_field(simdsse_validator *v) {
    uint64_t vlen = v->offset - v->value_start;
    switch (v->field) {
    case SSE_FIELD_DATA:
        /* "Append the field value to the data buffer, then append a single
         *  U+000A LINE FEED (LF) character": the buffer is no longer empty,
         *  even for an empty value. */
        v->has_data = true;
        break;
    case SSE_FIELD_EVENT:
        /* "Set the event type buffer to field value." */
        v->has_event = true;
        if (!vlen) here(v, SIMDSSE_DIAG_EMPTY_EVENT_TYPE, v->line_start, msg_empty_event_type, NULL);
        break;
    case SSE_FIELD_ID:
        if (!v->nul_seen) v->has_id = true;
        break;
    case SSE_FIELD_RETRY:
        if (!vlen)
            here(v, SIMDSSE_DIAG_INVALID_RETRY, v->value_start, msg_retry_empty, NULL);
        else if (!v->retry_bad && v->retry_ms > v->opt.max_retry_ms)
            here(v, SIMDSSE_DIAG_RETRY_TOO_LARGE, v->value_start, msg_retry_too_large, NULL);
        break;
    default:
        break;
    }
}

/* A CR or LF ends the current line. */
static void end_line(simdsse_validator *v) {
    if (v->u_need) utf8_broken(v);
    switch (v->part) {
    case P_START:
        /* "If the line is empty (a blank line) Dispatch the event", whose
         * step 2 is "If the data buffer is an empty string, set the data
         * buffer and the event type buffer to the empty string and return." */
        if (v->has_data)
            v->res.events++;
        else if (v->has_event)
            here(v, SIMDSSE_DIAG_EVENT_WITHOUT_DATA, v->offset, msg_event_without_data, NULL);
        v->has_data = v->has_event = v->has_id = false;
        break;
    case P_NAME:
        /* "using the whole line as the field name, and the empty string as
         *  the field value" */
        classify(v, true);
        v->value_start = v->offset;
        /* fallthrough */
    case P_VALUE_FIRST:
    case P_VALUE:
        end_field(v);
        break;
    default:
        break;
    }
    v->part = P_START;
    v->field = F_UNKNOWN;
    v->lead_ws = v->name_len = v->trail_ws = 0;
    v->retry_ms = 0;
    v->long_reported = v->nul_seen = v->retry_bad = v->bom_in_name = false;
}

/* Reads s[0, n) at stream offset v->offset. */
static void scan(simdsse_validator *v, const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n; i++, v->offset++) {
        /* Inside a comment or a value other than retry's, with no UTF-8
         * sequence open, printable ASCII changes nothing but the offset:
         * skip it in a tight loop, up to the byte long-line would flag. */
        if (v->part >= P_VALUE && v->field != SSE_FIELD_RETRY && !v->u_need) {
            size_t end = n;
            if (!v->long_reported) {
                uint64_t used = v->offset - v->line_start;
                uint64_t room = used < v->opt.long_line ? v->opt.long_line - used : 0;
                if (room < end - i) end = i + (size_t)room;
            }
            size_t j = i;
            while (j < end && s[j] >= 0x20 && s[j] < 0x80) j++;
            v->offset += j - i;
            i = j;
            if (i == n) break;
        }
        unsigned c = s[i];
        if (SSE_UNLIKELY(v->cr_pending)) {
            v->cr_pending = false;
            /* "a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character
             *  pair" is one line end: the LF adds no line. */
            if (c == '\n') {
                line_end_style(v, SSE_EOL_CRLF, v->cr_line, v->cr_column, v->cr_offset);
                v->line_start = v->offset + 1;
                continue;
            }
            line_end_style(v, SSE_EOL_CR, v->cr_line, v->cr_column, v->cr_offset);
        }
        if (SSE_UNLIKELY(c == '\n' || c == '\r')) {
            end_line(v);
            if (c == '\r') {
                v->cr_pending = true;
                v->cr_line = v->line;
                v->cr_column = v->offset - v->line_start + 1;
                v->cr_offset = v->offset;
            } else {
                line_end_style(v, SSE_EOL_LF, v->line, v->offset - v->line_start + 1, v->offset);
            }
            v->line++;
            v->line_start = v->offset + 1;
            continue;
        }
        content(v, c);
    }
}

/* MARK: - API */

/* The reset or destroy on_diagnostic asked for, done when the running feed
 * or finish returns. Until then reporting stops, and the rest of the chunk
 * is read into state that the reset clears or the destroy frees, so the
 * scan needs no exit of its own. */
enum { DEFER_NONE, DEFER_RESET, DEFER_DESTROY };

static void clear(simdsse_validator *v) {
    simdsse_validator_options opt = v->opt;
    sse_alloc alloc = v->alloc;
    memset(v, 0, sizeof *v);
    v->opt = opt;
    v->alloc = alloc;
    v->res.size = sizeof v->res;
    v->line = 1;
    v->field = F_UNKNOWN;
}

static simdsse_status init(simdsse_validator *v, const simdsse_validator_options *opt) {
    simdsse_validator_options o;
    simdsse_validator_options_init(&o);
    simdsse_status st = SIMDSSE_OK;
    if (opt)
        st = simdsse__struct_load(&o, sizeof o, opt,
                                  SSE_FIRST_SIZE(simdsse_validator_options, allocator));
    if (st == SIMDSSE_OK) st = simdsse__alloc_load(o.allocator, &v->alloc);
    if (st != SIMDSSE_OK) return st;
    v->opt = o;
    v->opt.allocator = NULL; /* copied: the caller's need not outlive us */
    clear(v);
    return SIMDSSE_OK;
}

simdsse_validator *simdsse_validator_create(const simdsse_validator_options *opt,
                                            simdsse_status *status) {
    simdsse_validator tmp;
    simdsse_status st = init(&tmp, opt);
    return simdsse__place(&tmp.alloc, &tmp, sizeof tmp, st, status);
}

static void destroy_now(simdsse_validator *v) {
    sse_alloc a = v->alloc;
    a.free(a.ctx, v, sizeof *v);
}

void simdsse_validator_destroy(simdsse_validator *v) {
    if (!v) return;
    if (v->busy) {
        v->deferred = DEFER_DESTROY;
        v->stopped = true;
        return;
    }
    destroy_now(v);
}

void simdsse_validator_reset(simdsse_validator *v) {
    if (!v) return;
    if (v->busy) {
        if (v->deferred == DEFER_NONE) v->deferred = DEFER_RESET;
        v->stopped = true;
        return;
    }
    clear(v);
}

/* After a feed or finish: what on_diagnostic asked for, done now. */
static simdsse_status done(simdsse_validator *v) {
    v->busy = false;
    if (SSE_LIKELY(v->deferred == DEFER_NONE)) return SIMDSSE_OK;
    if (v->deferred == DEFER_DESTROY) {
        destroy_now(v);
        return SIMDSSE_DESTROYED;
    }
    clear(v);
    return SIMDSSE_RESET;
}

simdsse_status simdsse_validator_feed(simdsse_validator *v, const void *data, size_t len) {
    if (!v || (!data && len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (v->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (v->finished) return SIMDSSE_ERR_NEEDS_RESET;
    if (len == 0) return SIMDSSE_OK; /* (data may be NULL: no arithmetic on it) */
    v->busy = true;
    const unsigned char *s = data;
    size_t pos = 0;
    /* A BOM is looked for once, at stream start, however the stream is cut;
     * its bytes count in offsets but line 1 starts after it. */
    if (SSE_UNLIKELY(!v->bom_done)) {
        while (pos < len && v->bom_matched < 3 && s[pos] == utf8_bom[v->bom_matched]) {
            v->bom_matched++;
            pos++;
        }
        if (v->bom_matched == 3) {
            v->bom_done = true;
            v->offset = v->line_start = 3;
        } else if (pos < len) {
            /* Not a BOM after all: the bytes matched so far start line 1. */
            v->bom_done = true;
            scan(v, utf8_bom, v->bom_matched);
        }
    }
    scan(v, s + pos, len - pos);
    return done(v);
}

simdsse_status simdsse_validator_finish(simdsse_validator *v) {
    if (!v) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (v->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (v->finished) return SIMDSSE_ERR_NEEDS_RESET;
    v->busy = true;
    if (!v->bom_done) {
        v->bom_done = true;
        scan(v, utf8_bom, v->bom_matched);
    }
    if (v->cr_pending) {
        v->cr_pending = false;
        line_end_style(v, SSE_EOL_CR, v->cr_line, v->cr_column, v->cr_offset);
    }
    /* End of input inside a sequence: "set UTF-8 bytes needed to 0 and
     * return error". */
    if (v->u_need) utf8_broken(v);
    /* "Once the end of the file is reached, any pending data must be
     *  discarded. (If the file ends in the middle of an event, before the
     *  final empty line, the incomplete event is not dispatched.)" An
     *  unterminated last line is not a line, so it goes too. */
    if (v->offset > v->line_start)
        here(v, SIMDSSE_DIAG_UNTERMINATED_EVENT, v->offset, msg_unterminated_line, NULL);
    else if (v->has_data || v->has_event || v->has_id)
        here(v, SIMDSSE_DIAG_UNTERMINATED_EVENT, v->offset, msg_unterminated_event, NULL);
    v->finished = true;
    return done(v);
}

simdsse_status simdsse_validator_result(const simdsse_validator *v, simdsse_validation *result) {
    if (!v || !result) return SIMDSSE_ERR_INVALID_ARGUMENT;
    return simdsse__struct_store(result, &v->res, sizeof v->res,
                                 SSE_FIRST_SIZE(simdsse_validation, reported));
}

simdsse_status simdsse_validate(const void *data, size_t len,
                                const simdsse_validator_options *options,
                                simdsse_validation *result) {
    if (!data && len) return SIMDSSE_ERR_INVALID_ARGUMENT;
    simdsse_validator v;
    simdsse_status st = init(&v, options);
    if (st != SIMDSSE_OK) return st;
    /* No callback can reach this validator to reset or destroy it. */
    simdsse_validator_feed(&v, data, len);
    simdsse_validator_finish(&v);
    return result ? simdsse_validator_result(&v, result) : SIMDSSE_OK;
}
