/*
 * guard.h -- bytes placed flush against an inaccessible page, so that
 * reading one byte past them faults in every build, sanitizer or not (as
 * picohttpparser's tests and libdeflate's fuzzers place their input).
 * SPDX-License-Identifier: MIT
 *
 * Every harness that feeds the parser, the validator, the writer or a
 * kernel copies each piece here first. A guard_buf is two mappings, each
 * ending in a PROT_NONE page, used in turn: placing a piece also makes
 * the previous one unreadable to ASan (poisoned) and overwrites it, so a
 * library that keeps a pointer into a piece it was fed and reads it later
 * is caught too. A piece's start address follows from its length (it
 * ends on a page boundary); vary lengths or chunk boundaries to vary it.
 *
 * Needs MAP_ANONYMOUS: define _DEFAULT_SOURCE before any #include.
 * Single-threaded: one guard_buf per harness (or per field).
 */
#ifndef SIMDSSE_TEST_GUARD_H
#define SIMDSSE_TEST_GUARD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(MAP_ANONYMOUS)
#  error "tests/guard.h needs MAP_ANONYMOUS: #define _DEFAULT_SOURCE before any #include"
#endif

#if defined(__SANITIZE_ADDRESS__)
#  define GUARD_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define GUARD_ASAN 1
#  endif
#endif
#if defined(GUARD_ASAN)
#  include <sanitizer/asan_interface.h>
#  define GUARD_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#  define GUARD_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#  define GUARD_POISON(p, n) ((void)(p), (void)(n))
#  define GUARD_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct guard_side {
    char *map;   /* the mapping: `cap` usable bytes, then the guard page */
    size_t cap;
    char *piece; /* the piece placed here last, and its length */
    size_t len;
} guard_side;

typedef struct guard_buf {
    guard_side side[2];
    int next; /* the side the next piece goes to */
} guard_buf;

static inline size_t guard_page(void) {
    static size_t page;
    if (!page) page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

/* A side with room for n bytes before its guard page. */
static inline void guard_reserve(guard_side *s, size_t n) {
    size_t page = guard_page();
    if (s->map && s->cap >= n) return;
    if (s->map) {
        GUARD_UNPOISON(s->map, s->cap);
        munmap(s->map, s->cap + page);
    }
    size_t cap = n < 65536 ? 65536 : (n + page - 1) / page * page;
    void *m = mmap(NULL, cap + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect((char *)m + cap, page, PROT_NONE) != 0) {
        perror("guard.h: mmap");
        abort();
    }
    s->map = m;
    s->cap = cap;
    s->piece = NULL;
    s->len = 0;
    GUARD_POISON(s->map, s->cap);
}

/* A copy of src[0, n) whose last byte is followed by an inaccessible page;
 * valid until the second guard_place after this one. n = 0 gives the
 * guard page's address (a valid pointer to zero bytes). */
static inline char *guard_place(guard_buf *g, const void *src, size_t n) {
    guard_side *prev = &g->side[!g->next], *s = &g->side[g->next];
    g->next = !g->next;
    /* The piece before this one is overwritten and poisoned: a pointer
     * kept into it must not read what it held. */
    if (prev->piece) {
        memset(prev->piece, 0xA5, prev->len);
        GUARD_POISON(prev->piece, prev->len);
        prev->piece = NULL;
    }
    guard_reserve(s, n);
    char *p = s->map + s->cap - n;
    GUARD_UNPOISON(p, n);
    if (n) memcpy(p, src, n);
    s->piece = p;
    s->len = n;
    return p;
}

/* Unmaps both sides. */
static inline void guard_free(guard_buf *g) {
    for (int i = 0; i < 2; i++) {
        guard_side *s = &g->side[i];
        if (!s->map) continue;
        GUARD_UNPOISON(s->map, s->cap);
        munmap(s->map, s->cap + guard_page());
    }
    memset(g, 0, sizeof *g);
}

#endif
