/*
 * new_caller.c -- a program built against the next header (every growable
 * struct one field larger, tests/abi/abi.cmake) runs on today's library:
 * its structs are accepted while the field the library does not know is
 * zero, refused (SIMDSSE_ERR_INVALID_ARGUMENT) when it is set, and the
 * library writes nothing past the fields it knows.
 * SPDX-License-Identifier: MIT
 */
#include "guard.h"

#include "../check.h"
#include "simdsse.h" /* the next header: each struct has abi_next_field */

static void *a_malloc(void *ctx, size_t n) { return (void)ctx, malloc(n); }
static void *a_realloc(void *ctx, void *p, size_t old, size_t n) {
    return (void)ctx, (void)old, realloc(p, n);
}
static void a_free(void *ctx, void *p, size_t n) { (void)ctx, (void)n, free(p); }

int main(void) {
    simdsse_status st;
    simdsse_allocator a;
    simdsse_allocator_init(&a);
    CHECK(a.abi_next_field == 0, "init zeroes the field it does not set");
    a.malloc = a_malloc;
    a.realloc = a_realloc;
    a.free = a_free;

    simdsse_parser_options po;
    simdsse_parser_options_init(&po);
    po.allocator = &a;
    simdsse_parser *p = simdsse_parser_create(GUARDED_COPY(simdsse_parser_options, &po), &st);
    CHECK(p && st == SIMDSSE_OK, "a newer layout with its new field zero: %s",
          simdsse_strerror(st));
    simdsse_parser_destroy(p);
    po.abi_next_field = 1;
    CHECK(!simdsse_parser_create(&po, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "an option this library does not know is refused, not ignored");
    CHECK(simdsse_parse("data: x\n\n", 9, &po) == SIMDSSE_ERR_INVALID_ARGUMENT, "by parse too");
    po.abi_next_field = 0;
    a.abi_next_field = 7;
    CHECK(!simdsse_parser_create(&po, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "and in the allocator");
    a.abi_next_field = 0;

    simdsse_writer_options wo;
    simdsse_writer_options_init(&wo);
    simdsse_writer *w = simdsse_writer_create(GUARDED_COPY(simdsse_writer_options, &wo), &st);
    CHECK(w && st == SIMDSSE_OK, "writer: %s", simdsse_strerror(st));
    simdsse_writer_destroy(w);
    wo.abi_next_field = 1;
    CHECK(!simdsse_writer_create(&wo, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT, "writer refuses");

    simdsse_validator_options vo;
    simdsse_validator_options_init(&vo);
    simdsse_validator *v =
        simdsse_validator_create(GUARDED_COPY(simdsse_validator_options, &vo), &st);
    CHECK(v && st == SIMDSSE_OK, "validator: %s", simdsse_strerror(st));
    simdsse_validator_feed(v, "data: x\n\n", 9);
    simdsse_validation r;
    simdsse_validation_init(&r);
    r.abi_next_field = 0x5EED;
    simdsse_validation *rg = GUARDED_COPY(simdsse_validation, &r);
    CHECK(simdsse_validator_result(v, rg) == SIMDSSE_OK && rg->events == 1,
          "counts into a larger struct");
    CHECK(rg->abi_next_field == 0x5EED && rg->size == sizeof r,
          "a field the library does not know is left as it was, and so is size");
    simdsse_validator_destroy(v);
    vo.abi_next_field = 1;
    CHECK(!simdsse_validator_create(&vo, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT,
          "validator refuses");
    CHECK(simdsse_validate("", 0, &vo, NULL) == SIMDSSE_ERR_INVALID_ARGUMENT,
          "simdsse_validate refuses");
    return check_done();
}
