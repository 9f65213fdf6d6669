/*
 * parser.h -- the parser's state, shared by the chunk driver (parser.c), the
 * pull API (pull.c) and the event assembler (assembler.c).
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_PARSER_H
#define SIMDSSE_PARSER_H

#include "arch/kernel.h"
#include "internal.h"

typedef struct sse_pull sse_pull;

/* The reset or destroy a callback asked for, done when feed returns. */
enum { SSE_DEFER_NONE = 0, SSE_DEFER_RESET = 1, SSE_DEFER_DESTROY = 2 };

struct simdsse_parser {
    /* Items of the pull block ready to be taken; first, for the header's
     * simdsse_parser_next macro (see simdsse__queue). */
    simdsse__queue queue;
    int (*on_event)(void *user, const simdsse_event *event);
    int (*on_comment)(void *user, simdsse_span text);
    int (*on_retry)(void *user, uint64_t milliseconds);
    int (*on_error)(void *user, const simdsse_error *error);
    void *user;
    const sse_kernel *kernel;
    const sse_kernel *kernel_short; /* simdsse__kernel_short(kernel), found once */
    sse_alloc alloc;
    size_t max_line, max_data, max_type, max_id;

    uint64_t offset;      /* stream bytes consumed before the current chunk */
    uint64_t retry;       /* the event stream's reconnection time, ms */

    /* The data buffer and the event type buffer of the standard. Each is a
     * span that borrows the caller's chunk (or `line`) while that is alive,
     * and is copied into its store ("pinned") before the chunk goes. */
    simdsse_span data;
    simdsse_span type;
    /* End of the bytes the lines being assembled lie in: the chunk, or
     * `line`. Borrowed spans always point before it (the driver pins them
     * when it switches from one to the other). */
    const char *src_end;
    sse_store data_store;
    sse_store type_store;

    sse_buf id_buf;  /* the last event ID buffer */
    sse_buf last_id; /* the last event ID string */
    const char *last_id_ptr; /* last_id.ptr, or "" while it is empty */
    sse_buf line;    /* a line cut by a chunk boundary, carried over */

    sse_pull *pull; /* the pull API's block (pull.c), from the first push on */

    /* What makes a feed take its slow path, tested as one word (`gate`):
     * all zero on a stream past its start, not finished, not broken. */
    union {
        struct {
            uint8_t bom_left; /* 0: the BOM is decided; else 1 + its bytes
                               * matched so far (0..2), at stream start */
            bool skip_lf;     /* the previous chunk ended with CR */
            bool finished;    /* finish was called */
            bool broken;      /* out of memory: needs reset */
        };
        uint32_t gate;
    };
    bool busy;           /* feed is running: its callbacks may be on the stack */
    /* These four are adjacent, in this order: the assembler tests them as
     * one word (sse_flags in assembler.c). */
    bool has_data;       /* the data buffer is not the empty string */
    bool skip_event;     /* dropping lines up to the next blank line */
    bool id_changed;     /* id_buf differs from last_id */
    bool stored;         /* data or type was copied into its store since the
                          * last pull dispatch (may be stale-true in feed) */
    bool line_pending;   /* `line` holds the start of an unfinished line */
    uint8_t line_cut;    /* bytes of that line's start not in `line`: its
                          * "data:" or "data: ", when it is the event's
                          * first data line (see carry in parser.c) */
    bool skip_line;      /* dropping the rest of an over-long line */
    bool short_lines;    /* the last batch's lines were short: use the kernel's
                          * variant for them (simdsse__kernel_short) */
    bool pulling;        /* items go to the pull queue, not to callbacks */
    uint8_t deferred;    /* SSE_DEFER_*: asked for by a callback */
    int8_t first_error;  /* the first limit error of this feed, or 0 */
};

/* What processing a line says. */
typedef int sse_step;
#define SSE_GO 0     /* go on */
#define SSE_STOP 1   /* stop after this line: a pause, a deferred reset or
                      * destroy, or the pull queue wants emptying */
#define SSE_BEFORE 2 /* pull only: stop before this line, which changes
                      * state an item already queued must not see changed;
                      * nothing of it was done */
#define SSE_QUEUED 3 /* pull only: an item went into the queue through
                      * queue.tail (which the batch loop keeps in a register
                      * while it dispatches); go on */
/* ... or SIMDSSE_ERR_NO_MEMORY, which ends the chunk. */

/* Outside the batch loop an item queued is just "go on". */
SSE_INLINE sse_step sse_go_on(sse_step st) { return st == SSE_QUEUED ? SSE_GO : st; }

/* One complete line's worth of scanning: the records of buf[pos, pos +
 * window) from the kernel, and how far they have been assembled. Feed
 * keeps it on its stack for one call; the pull API keeps it in its block,
 * so that next resumes at the line after the last item. */
typedef struct sse_drive {
    const char *buf; /* the chunk */
    size_t len;
    size_t pos;      /* where the records' window starts, or the next byte */
    sse_line *recs;
    size_t cap;      /* records recs holds */
    size_t n, i;     /* records of the window; the next one to assemble */
    size_t window;   /* the window's length; 0 when there is none */
    size_t next;     /* the kernel's *next for that window */
} sse_drive;

/* The stream-start steps for a new chunk: the BOM, and an LF completing a
 * CR that ended the previous chunk. */
sse_step simdsse__chunk_start(simdsse_parser *p, sse_drive *d);
/* Runs the chunk from where d says until it is used up (SSE_GO), or a line
 * stops it (SSE_STOP, SSE_BEFORE), or memory runs out: the pull API's
 * driver (feed runs the same one, inline). */
sse_step simdsse__drive_pull(simdsse_parser *p, sse_drive *d);

/* Processes recs[0..n) of the chunk base[0, len) (stream offset
 * base_offset), items to the callbacks or (the _pull one) to the queue.
 * Stops at the first line that says to; *done = lines finished. */
sse_step simdsse__assemble(simdsse_parser *p, const char *base, size_t len, uint64_t base_offset,
                           const sse_line *recs, size_t n, size_t *done);
sse_step simdsse__assemble_pull(simdsse_parser *p, const char *base, size_t len,
                                uint64_t base_offset, const sse_line *recs, size_t n,
                                size_t *done);
/* Processes one whole line (terminator excluded) that lies in `line`. */
sse_step simdsse__assemble_line(simdsse_parser *p, const char *line, size_t len, uint64_t offset);
/* Processes the value (at stream offset `at`) of a "data" line that lies in
 * `line` without its field name, colon and space (line_cut). */
sse_step simdsse__assemble_data(simdsse_parser *p, const char *value, size_t len, uint64_t at);
/* A limit error at stream offset `at`: drops the current event and reports
 * the error (to on_error, or the queue). */
sse_step simdsse__fail(simdsse_parser *p, simdsse_status why, uint64_t at);
/* Copies borrowed spans into the parser's stores, before their memory goes. */
bool simdsse__pin_now(simdsse_parser *p);
/* The same, the nothing-to-pin case (most chunk ends) without a call. */
SSE_INLINE bool simdsse__pin(simdsse_parser *p) {
    if (SSE_LIKELY(!(p->has_data && p->data.len && p->data.ptr != p->data_store.ptr) &&
                   !(p->type.len && p->type.ptr != p->type_store.ptr)))
        return true;
    return simdsse__pin_now(p);
}

/* MARK: - The pull API's block (pull.c)
 *
 * next does not stop after every line: that would cost a whole feed's
 * fixed work per item. It assembles lines into a queue of items, as many
 * as fit, and hands them out one by one. Queueing goes on past an item
 * only while that item is sure to stay as it is: its spans point into the
 * pushed chunk (alive until NEED_INPUT) or static memory, not into the
 * parser's stores, which later lines rewrite; and nothing the getters show
 * (last event ID, reconnection time) changes while it is queued. */
#define SSE_PULL_ITEMS 64
#define SSE_PULL_RECS 256

/* Items sit SIMDSSE__ITEM_STRIDE bytes apart (the header's macro steps by
 * that), from a cache-line boundary on: an event item's kind and event are
 * its first 64 bytes, one line. */
typedef union sse_slot {
    simdsse_item item;
    char stride[SIMDSSE__ITEM_STRIDE];
} sse_slot;
#define SSE_LINE 64
_Static_assert(sizeof(sse_slot) == SIMDSSE__ITEM_STRIDE, "simdsse_item outgrew its stride");

struct sse_pull {
    sse_slot slots[SSE_PULL_ITEMS]; /* first: the block is line-aligned */
    sse_drive d;          /* the pushed chunk, and how far it is scanned */
    bool pending;         /* a chunk is pushed and NEED_INPUT not yet said */
    bool started;         /* its stream-start steps are done */
    bool used_up;         /* every line of it is assembled */
    bool no_memory;       /* NO_MEMORY is to be returned once the queue is empty */
    void *raw;            /* what the allocator returned (the block is aligned in it) */
    sse_line recs[SSE_PULL_RECS];
};

/* The next free item. There always is one while lines are assembled:
 * each line makes one item at most, and filling the last one stops. */
SSE_INLINE simdsse_item *sse_queue_slot(simdsse_parser *p) {
    return (simdsse_item *)(uintptr_t)p->queue.tail; /* (the items are ours) */
}
SSE_INLINE const simdsse_item *sse_queue_start(const sse_pull *s) { return &s->slots[0].item; }
/* The slot after `item`. */
SSE_INLINE simdsse_item *sse_slot_after(const simdsse_item *item) {
    return (simdsse_item *)(uintptr_t)&((const sse_slot *)(const void *)item)[1].item;
}
/* One past the last slot. */
SSE_INLINE const simdsse_item *sse_queue_end(const sse_pull *s) {
    return (const simdsse_item *)(const void *)(s->slots + SSE_PULL_ITEMS);
}
/* The slot was filled: SSE_STOP when the item's spans would not survive
 * more parsing (`lasting` false) or it was the last free slot, else
 * SSE_QUEUED. The queue cannot overflow: each line makes one item at most,
 * and the line that fills it stops the assembler. (Not the driver handing
 * it no more lines than free slots: with one item every other line, the
 * queue would then fill in a geometric series of short calls.) */
SSE_INLINE sse_step sse_queued(simdsse_parser *p, bool lasting) {
    p->queue.tail = sse_slot_after(p->queue.tail);
    return lasting && p->queue.tail != sse_queue_end(p->pull) ? SSE_QUEUED : SSE_STOP;
}
/* Free slots. */
SSE_INLINE size_t sse_queue_room(const simdsse_parser *p) {
    return (size_t)(p->pull->slots + SSE_PULL_ITEMS - (const sse_slot *)(const void *)p->queue.tail);
}
/* Items are queued: a line that changes what the getters show must wait
 * until they are taken (SSE_BEFORE). */
SSE_INLINE bool sse_queue_busy(const simdsse_parser *p) { return p->queue.tail != p->queue.head; }
/* Frees the pull block (destroy, trim). */
void simdsse__pull_free(simdsse_parser *p);
/* Drops a pushed chunk and the queue (reset). */
void simdsse__pull_clear(simdsse_parser *p);
/* Heap bytes of the pull block (0 before the first push). */
size_t simdsse__pull_memory(const simdsse_parser *p);
/* Whether a pushed chunk is not used up. (Inline: feed asks every call.) */
SSE_INLINE bool simdsse__pull_pending(const simdsse_parser *p) {
    return p->pull && p->pull->pending;
}

#endif /* SIMDSSE_PARSER_H */
