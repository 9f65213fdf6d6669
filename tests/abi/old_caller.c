/*
 * old_caller.c -- a program built against today's header (the smaller,
 * older layout of every growable struct) runs on a library built against
 * the next one (tests/abi/abi.cmake): every field it set is honoured, the
 * fields it does not know take their defaults, and the library touches no
 * byte past the sizes it was given (each struct ends at an unreadable page).
 * SPDX-License-Identifier: MIT
 */
#include "guard.h"

#include "../check.h"
#include "simdsse.h"

static size_t allocations;
static void *a_malloc(void *ctx, size_t n) {
    (void)ctx;
    allocations++;
    return malloc(n);
}
static void *a_realloc(void *ctx, void *p, size_t old, size_t n) {
    (void)ctx, (void)old;
    allocations++;
    return realloc(p, n);
}
static void a_free(void *ctx, void *p, size_t n) {
    (void)ctx, (void)n;
    free(p);
}

static unsigned long events;
static int on_event(void *user, const simdsse_event *e) {
    (void)e;
    events += *(int *)user;
    return 0;
}

static unsigned long diagnostics;
static int on_diagnostic(void *user, const simdsse_diagnostic *d) {
    (void)user, (void)d;
    diagnostics++;
    return 0;
}

int main(void) {
    simdsse_allocator a0;
    simdsse_allocator_init(&a0);
    a0.malloc = a_malloc;
    a0.realloc = a_realloc;
    a0.free = a_free;
    simdsse_allocator *a = GUARDED_COPY(simdsse_allocator, &a0);

    /* Parser: callbacks, a limit and the allocator are all honoured. */
    int one = 1;
    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    po.on_event = on_event;
    po.user = &one;
    po.max_line_length = 8;
    po.kernel = "scalar";
    po.allocator = a;
    simdsse_parser_options *pg = GUARDED_COPY(simdsse_parser_options, &po);
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(pg, &st);
    CHECK(p && st == SIMDSSE_OK, "create from the old layout: %s", simdsse_strerror(st));
    CHECK(allocations == 1, "through the caller's allocator (%zu)", allocations);
    CHECK(strcmp(simdsse_parser_kernel(p), "scalar") == 0, "kernel honoured");
    CHECK(simdsse_parser_feed(p, "data: 1\n\ndata: 123456789\n\n", 26, NULL) ==
              SIMDSSE_ERR_LINE_TOO_LONG,
          "max_line_length honoured");
    CHECK(events == 1, "on_event and user honoured (%lu)", events);
    CHECK(simdsse_parser_retry(p) == SIMDSSE_DEFAULT_RETRY_MS, "defaults kept");
    simdsse_parser_destroy(p);
    CHECK(simdsse_parse("data: x\n\n", 9, pg) == SIMDSSE_OK && events == 2, "simdsse_parse too");

    /* Too small: below the first layout, or not set at all. */
    simdsse_parser_options bad = po;
    bad.size = sizeof bad - sizeof(void *);
    CHECK(!simdsse_parser_create(&bad, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "a size below the first layout is refused");
    bad.size = 0;
    CHECK(!simdsse_parser_create(&bad, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "options not made by init (size 0) are refused");
    simdsse_allocator bad_a = a0;
    bad_a.size = 8;
    po.allocator = &bad_a;
    CHECK(!simdsse_parser_create(&po, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "an allocator of a size below the first layout is refused");

    /* Writer. */
    simdsse_writer_options wo;
    simdsse_writer_options_init(&wo);
    wo.kernel = "scalar";
    wo.allocator = a;
    simdsse_writer *w = simdsse_writer_create(GUARDED_COPY(simdsse_writer_options, &wo), &st);
    CHECK(w && st == SIMDSSE_OK && strcmp(simdsse_writer_kernel(w), "scalar") == 0,
          "writer from the old layout: %s", simdsse_strerror(st));
    simdsse_event ev = {{NULL, 0}, {"x", 1}, {NULL, 0}, 0};
    CHECK(simdsse_writer_event(w, &ev, 0) == SIMDSSE_OK && simdsse_writer_output(w).len == 9,
          "writer writes");
    simdsse_writer_destroy(w);

    /* Validator, and the counts it writes into the caller's memory. */
    simdsse_validator_options vo;
    simdsse_validator_options_init(&vo);
    vo.on_diagnostic = on_diagnostic;
    vo.long_line = 4;
    vo.allocator = a;
    simdsse_validator_options *vg = GUARDED_COPY(simdsse_validator_options, &vo);
    simdsse_validator *v = simdsse_validator_create(vg, &st);
    CHECK(v && st == SIMDSSE_OK, "validator from the old layout: %s", simdsse_strerror(st));
    simdsse_validator_feed(v, "data: 12345\n\n", 13);
    simdsse_validation r0;
    simdsse_validation_init(&r0);
    simdsse_validation *r = GUARDED_COPY(simdsse_validation, &r0);
    CHECK(simdsse_validator_result(v, r) == SIMDSSE_OK, "result into the old layout");
    CHECK(r->warnings == 1 && r->events == 1 && r->reported == 1 && diagnostics == 1,
          "long_line honoured: %llu warnings", (unsigned long long)r->warnings);
    simdsse_validator_destroy(v);
    CHECK(simdsse_validate("data: x\n\n", 9, vg, r) == SIMDSSE_OK && r->events == 1,
          "simdsse_validate too");
    return check_done();
}
