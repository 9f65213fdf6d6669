/*
 * parser.h -- the parser's state, shared by the feed driver (parser.c) and
 * the event assembler (assembler.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_PARSER_H
#define SIMDSSE_PARSER_H

#include "arch/kernel.h"
#include "internal.h"

struct simdsse_parser {
    simdsse_callbacks cb;
    void *user;
    const sse_kernel *kernel;
    const sse_kernel *kernel_short; /* its variant for short lines */
    simdsse_allocator alloc;
    size_t max_line, max_data, max_type, max_id;

    uint64_t offset;       /* stream bytes consumed before the current chunk */
    uint64_t error_offset; /* where the last limit error tripped */
    uint64_t retry;        /* the event stream's reconnection time, ms */
    uint64_t line_offset;  /* stream offset of the pending partial line */

    /* The data buffer and the event type buffer of the standard. Each is a
     * span that borrows the caller's chunk (or `line`) while that is alive,
     * and is copied into its store ("pinned") before feed returns. */
    simdsse_span data;
    simdsse_span type;
    /* End of the bytes the lines being assembled lie in: the chunk, or
     * `line`. Borrowed spans always point before it (feed pins them when
     * it switches from one to the other). */
    const char *src_end;
    sse_buf data_store;
    sse_buf type_store;

    sse_buf id_buf;  /* the last event ID buffer */
    sse_buf last_id; /* the last event ID string */
    const char *last_id_ptr; /* last_id.ptr, or "" while it is empty */
    sse_buf line;    /* a line cut by a chunk boundary, carried over */

    uint8_t bom_seen;    /* bytes of a leading BOM matched so far, 0..2; 3 = decided */
    bool has_data;       /* the data buffer is not the empty string */
    bool id_changed;     /* id_buf differs from last_id */
    bool line_pending;   /* `line` holds the start of an unfinished line */
    bool skip_lf;        /* the previous chunk ended with CR */
    bool skip_line;      /* dropping the rest of an over-long line */
    bool skip_event;     /* dropping lines up to the next blank line */
    bool finished;       /* finish was called */
    bool broken;         /* out of memory: needs reset */
    bool short_lines;    /* the last batch's lines were short: use kernel_short */
};

/* What processing a line says: go on, or stop feeding (pause or error). */
typedef int sse_step; /* 0, SIMDSSE_PAUSED, or a negative simdsse_status */

/* Processes recs[0..n) of the chunk base[0, len) (stream offset
 * base_offset). Stops at the first line that pauses or fails; *done = lines
 * finished (that one included). */
sse_step simdsse__assemble(simdsse_parser *p, const char *base, size_t len, uint64_t base_offset,
                           const sse_line *recs, size_t n, size_t *done);
/* Processes one whole line (terminator excluded). */
sse_step simdsse__assemble_line(simdsse_parser *p, const char *line, size_t len, uint64_t offset);
/* Records a limit error at stream offset `at` and drops the current event. */
sse_step simdsse__fail(simdsse_parser *p, simdsse_status why, uint64_t at);
/* Copies borrowed spans into the parser's stores, before their memory goes. */
bool simdsse__pin(simdsse_parser *p);

#endif /* SIMDSSE_PARSER_H */
