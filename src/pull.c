/*
 * pull.c -- the pull API: push a chunk, take its items one at a time.
 * SPDX-License-Identifier: MIT
 *
 * The driver and the assembler are feed's (parser.c, assembler.c), run in
 * their pull variant: instead of calling back, they fill a queue of items
 * in this block, stopping where an item would not outlive more parsing
 * (see struct sse_pull). next hands the queue out and refills it from where
 * the last fill stopped, without scanning a byte twice: the line records
 * of the current window live here too. The block is allocated by the first
 * push, so a parser that only feeds never pays for it.
 */
#include "parser.h"

/* The block, line-aligned inside what is allocated. */
#define PULL_ALLOC (sizeof(sse_pull) + SSE_LINE - 1)

void simdsse__pull_free(simdsse_parser *p) {
    if (!p->pull) return;
    p->alloc.free(p->alloc.ctx, p->pull->raw, PULL_ALLOC);
    p->pull = NULL;
    p->queue.head = p->queue.tail = NULL;
}

void simdsse__pull_clear(simdsse_parser *p) {
    sse_pull *s = p->pull;
    if (!s) return;
    p->queue.head = p->queue.tail = NULL;
    s->pending = s->used_up = s->no_memory = false;
}

size_t simdsse__pull_memory(const simdsse_parser *p) { return p->pull ? PULL_ALLOC : 0; }

simdsse_status simdsse_parser_push(simdsse_parser *p, const void *data, size_t len) {
    if (!p || (!data && len)) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (p->busy) return SIMDSSE_ERR_IN_CALLBACK;
    if (simdsse__pull_pending(p)) return SIMDSSE_ERR_INPUT_PENDING;
    if (p->finished || p->broken) return SIMDSSE_ERR_NEEDS_RESET;
    sse_pull *s = p->pull;
    if (!s) {
        void *raw = p->alloc.malloc(p->alloc.ctx, PULL_ALLOC);
        if (!raw) return SIMDSSE_ERR_NO_MEMORY; /* nothing changed: push again later */
        s = (sse_pull *)(((uintptr_t)raw + SSE_LINE - 1) & ~(uintptr_t)(SSE_LINE - 1));
        memset(s, 0, sizeof *s);
        s->raw = raw;
        p->pull = s;
    }
    sse_drive d = {data, len, 0, s->recs, SSE_PULL_RECS, 0, 0, 0, 0};
    s->d = d;
    p->queue.head = p->queue.tail = NULL;
    s->pending = true;
    s->started = s->used_up = false;
    return SIMDSSE_OK;
}

/* Assembles the chunk's next lines into the (empty) queue. */
static void fill(simdsse_parser *p, sse_pull *s) {
    p->queue.head = p->queue.tail = sse_queue_start(s);
    p->pulling = true;
    sse_step st = SSE_GO;
    if (!s->started) {
        s->started = true;
        st = simdsse__chunk_start(p, &s->d);
    }
    if (st == SSE_GO) st = simdsse__drive_pull(p, &s->d);
    p->pulling = false;
    if (st == SSE_GO) {
        /* Every line is assembled: what the pending event borrows from the
         * chunk moves to the stores before NEED_INPUT lets the chunk go. */
        if (simdsse__pin(p)) {
            s->used_up = true;
            return;
        }
        st = SIMDSSE_ERR_NO_MEMORY;
    }
    if (st < 0) {
        /* Out of memory: the items before it are handed out first. */
        p->broken = true;
        s->no_memory = true;
        s->pending = false;
    }
}

/* The header's macro of the same name takes a queued item inline and calls
 * this when there is none. (The queue is empty whenever feed runs: feed
 * refuses to start while a chunk or its items are pending, or after
 * NO_MEMORY, so a callback never gets an item past SIMDSSE_ERR_IN_CALLBACK.) */
simdsse_status (simdsse_parser_next)(simdsse_parser *p, const simdsse_item **item) {
    if (!item) return SIMDSSE_ERR_INVALID_ARGUMENT;
    *item = NULL;
    if (!p) return SIMDSSE_ERR_INVALID_ARGUMENT;
    if (p->busy) return SIMDSSE_ERR_IN_CALLBACK;
    sse_pull *s = p->pull;
    for (;;) {
        if (p->queue.head != p->queue.tail) {
            const sse_slot *slot = (const sse_slot *)(const void *)p->queue.head;
            *item = &slot->item;
            p->queue.head = &slot[1].item;
            return SIMDSSE_OK;
        }
        if (p->broken) {
            if (s && s->no_memory) {
                s->no_memory = false;
                return SIMDSSE_ERR_NO_MEMORY;
            }
            return SIMDSSE_ERR_NEEDS_RESET;
        }
        if (!s || !s->pending) return p->finished ? SIMDSSE_ERR_NEEDS_RESET : SIMDSSE_NEED_INPUT;
        if (s->used_up) {
            s->pending = false;
            p->offset += s->d.len;
            return SIMDSSE_NEED_INPUT;
        }
        fill(p, s);
    }
}
