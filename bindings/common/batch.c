/*
 * batch.c -- one chunk's pull items, collected for a language binding.
 * SPDX-License-Identifier: MIT
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

enum { IN_ARENA_TEXT = 1, IN_ARENA_TYPE = 2, IN_ARENA_ID = 4 };

/* Arenas and item arrays bigger than this are given back before a run, so
 * one huge chunk does not pin its memory for the parser's lifetime. */
#define KEEP_AT_MOST ((size_t)4 << 20)

void sse_batch_init(sse_batch *b, unsigned kinds) {
    memset(b, 0, sizeof *b);
    b->kinds = kinds;
}

void sse_batch_free(sse_batch *b) {
    free(b->items);
    free(b->arena);
    free(b->type.buf);
    free(b->id.buf);
    sse_batch_init(b, b->kinds);
}

void sse_batch_forget(sse_batch *b) {
    b->type.have = 0;
    b->id.have = 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t unit) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / unit) return -1;
        n *= 2;
    }
    void *q = realloc(*p, n * unit);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* Keeps `s`: as it is if it lies in the chunk [lo, hi), else as an offset
 * into the arena (resolved once the arena stops moving). */
static int keep(sse_batch *b, simdsse_span *s, uintptr_t lo, uintptr_t hi, unsigned *in_arena,
                unsigned bit) {
    uintptr_t p = (uintptr_t)s->ptr;
    if (s->len == 0 || (p >= lo && p <= hi && s->len <= hi - p)) return 0;
    if (grow((void **)&b->arena, &b->arena_cap, b->arena_len + s->len, 1)) return -1;
    memcpy(b->arena + b->arena_len, s->ptr, s->len);
    s->ptr = (const char *)(uintptr_t)b->arena_len;
    b->arena_len += s->len;
    *in_arena |= bit;
    return 0;
}

/* Remembers `s` as the new value (as not remembered if out of memory, so
 * that it is reported as new next time too). */
void sse_seen_remember(sse_seen *seen, simdsse_span s) {
    if (grow((void **)&seen->buf, &seen->cap, s.len ? s.len : 1, 1)) {
        seen->have = 0;
        return;
    }
    if (s.len) memcpy(seen->buf, s.ptr, s.len);
    seen->len = s.len;
    seen->have = 1;
}

typedef struct collector {
    sse_batch *b;
    uintptr_t lo, hi; /* the chunk */
} collector;

static int collect(void *ctx, const simdsse_item *it, unsigned flags) {
    collector *c = ctx;
    sse_batch *b = c->b;
    if (grow((void **)&b->items, &b->cap, b->count + 1, sizeof *b->items)) return -1;
    sse_batch_item *out = &b->items[b->count];
    memset(out, 0, sizeof *out);
    out->kind = it->kind;
    out->flags = flags;
    switch (it->kind) {
    case SIMDSSE_ITEM_EVENT:
        out->text = it->event.data;
        if (!(flags & SSE_BATCH_TYPE_SAME)) out->type = it->event.type;
        if (!(flags & SSE_BATCH_ID_SAME)) out->id = it->event.id;
        if (keep(b, &out->text, c->lo, c->hi, &out->in_arena, IN_ARENA_TEXT) ||
            keep(b, &out->type, c->lo, c->hi, &out->in_arena, IN_ARENA_TYPE) ||
            keep(b, &out->id, c->lo, c->hi, &out->in_arena, IN_ARENA_ID))
            return -1;
        break;
    case SIMDSSE_ITEM_COMMENT:
        out->text = it->comment;
        if (keep(b, &out->text, c->lo, c->hi, &out->in_arena, IN_ARENA_TEXT)) return -1;
        break;
    case SIMDSSE_ITEM_RETRY:
        out->number = it->retry;
        break;
    case SIMDSSE_ITEM_ERROR:
        out->status = it->error.status;
        out->number = it->error.offset;
        break;
    }
    b->count++;
    return 0;
}

static void resolve(simdsse_span *s, const char *arena, unsigned in_arena, unsigned bit) {
    if (in_arena & bit) s->ptr = arena + (uintptr_t)s->ptr;
}

simdsse_status sse_batch_run(sse_batch *b, simdsse_parser *parser, const void *data, size_t len) {
    b->count = 0;
    b->arena_len = 0;
    if (b->arena_cap > KEEP_AT_MOST) {
        free(b->arena);
        b->arena = NULL;
        b->arena_cap = 0;
    }
    if (b->cap * sizeof *b->items > KEEP_AT_MOST) {
        free(b->items);
        b->items = NULL;
        b->cap = 0;
    }
    collector c = {b, (uintptr_t)data, (uintptr_t)data + len};
    simdsse_status st = sse_batch_pull(b, parser, data, len, collect, &c);
    for (size_t i = 0; i < b->count; i++) {
        sse_batch_item *it = &b->items[i];
        if (!it->in_arena) continue;
        resolve(&it->text, b->arena, it->in_arena, IN_ARENA_TEXT);
        resolve(&it->type, b->arena, it->in_arena, IN_ARENA_TYPE);
        resolve(&it->id, b->arena, it->in_arena, IN_ARENA_ID);
    }
    return st;
}
