/*
 * header.c -- include/simdsse.h compiles, alone, as strict C99 and C11 (and,
 * as header.cc, as C++11 and C++17), with every inline function and macro
 * it defines used, under -pedantic -Wall -Wextra -Werror (tests/header/
 * header.cmake). Compiled, not run.
 * SPDX-License-Identifier: MIT
 */
#include "simdsse.h"

int header_uses_everything_inline(simdsse_parser *p);

int header_uses_everything_inline(simdsse_parser *p) {
    simdsse_allocator a;
    simdsse_parser_options po;
    simdsse_writer_options wo;
    simdsse_validator_options vo;
    simdsse_validation r;
    const simdsse_item *it;
    simdsse_status st;
    int n = 0;
    simdsse_allocator_init(&a);
    simdsse_parser_options_init(&po);
    simdsse_writer_options_init(&wo);
    simdsse_validator_options_init(&vo);
    simdsse_validation_init(&r);
    po.allocator = &a;
    SIMDSSE_PARSER_FOREACH(p, it, st) n += it->kind == SIMDSSE_ITEM_EVENT;
    return (int)(a.size + po.size + wo.size + vo.size + r.size) + n + (st == SIMDSSE_OK) +
           (simdsse_parser_next(p, &it) == SIMDSSE_OK) +
           ((simdsse_parser_next)(p, &it) == SIMDSSE_OK);
}
