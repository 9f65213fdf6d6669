/*
 * header.c -- include/simdsse_client.h compiles, alone, as strict C99 and
 * C11 (and, as header.cc, as C++11 and C++17), with every inline function
 * and macro it defines used (tests/header/header.cmake runs the compiler).
 * Compiled, not run.
 * SPDX-License-Identifier: MIT
 */
#include "simdsse_client.h"

int client_header_uses_everything_inline(simdsse_client_multi *m);

int client_header_uses_everything_inline(simdsse_client_multi *m) {
    simdsse_client_options o;
    simdsse_client_multi_options mo;
    simdsse_client_options_init(&o);
    simdsse_client_multi_options_init(&mo);
    unsigned events = SIMDSSE_CLIENT_POLL_IN | SIMDSSE_CLIENT_POLL_OUT | SIMDSSE_CLIENT_POLL_ERR;
    return (int)(o.size + mo.size + o.buffer_size + (size_t)o.max_redirects +
                 (size_t)SIMDSSE_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS) +
           (simdsse_client_multi_socket(m, SIMDSSE_CLIENT_TIMEOUT, events, NULL) == SIMDSSE_OK);
}
