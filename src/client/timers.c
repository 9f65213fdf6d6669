/*
 * timers.c -- the multi's timers: one slot per client (its reconnection
 * delay, or its next idle check), kept in a binary min-heap on deadline.
 * SPDX-License-Identifier: MIT
 *
 * A client's activity only stamps last_activity; its idle check is moved
 * when it comes due, so a busy stream costs the heap nothing per read.
 */
#include "internal.h"

static int earlier(const simdsse_client *a, const simdsse_client *b) {
    return a->deadline < b->deadline;
}

static void place(simdsse_client_multi *m, size_t i, simdsse_client *c) {
    m->heap[i] = c;
    c->heap_index = i;
}

static void sift_up(simdsse_client_multi *m, size_t i) {
    simdsse_client *c = m->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(c, m->heap[parent])) break;
        place(m, i, m->heap[parent]);
        i = parent;
    }
    place(m, i, c);
}

static void sift_down(simdsse_client_multi *m, size_t i) {
    simdsse_client *c = m->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= m->heap_len) break;
        if (child + 1 < m->heap_len && earlier(m->heap[child + 1], m->heap[child])) child++;
        if (!earlier(m->heap[child], c)) break;
        place(m, i, m->heap[child]);
        i = child;
    }
    place(m, i, c);
}

void simdsse__client_timer_set(simdsse_client_multi *m, simdsse_client *c, uint64_t deadline) {
    c->deadline = deadline;
    if (c->heap_index == SSE_NOT_QUEUED) {
        /* Room is reserved: heap_cap >= clients_alive >= heap_len + 1. */
        c->heap_index = m->heap_len++;
        m->heap[c->heap_index] = c;
    }
    sift_up(m, c->heap_index);
    sift_down(m, c->heap_index);
}

void simdsse__client_timer_clear(simdsse_client_multi *m, simdsse_client *c) {
    size_t i = c->heap_index;
    if (i == SSE_NOT_QUEUED) return;
    c->heap_index = SSE_NOT_QUEUED;
    c->deadline = SSE_NEVER;
    simdsse_client *last = m->heap[--m->heap_len];
    if (last == c) return;
    place(m, i, last);
    sift_up(m, i);
    sift_down(m, last->heap_index);
}

simdsse_client *simdsse__client_timer_first(const simdsse_client_multi *m) {
    return m->heap_len ? m->heap[0] : NULL;
}

int simdsse__client_timer_reserve(simdsse_client_multi *m) {
    if (m->clients_alive < m->heap_cap) return 0;
    size_t cap = m->heap_cap ? m->heap_cap * 2 : 16;
    simdsse_client **h = simdsse__client_realloc(&m->alloc, m->heap, m->heap_cap * sizeof *h,
                                                 cap * sizeof *h);
    if (!h) return -1;
    m->heap = h;
    m->heap_cap = cap;
    return 0;
}
