/*
 * reason.c -- the stable names of the client's reasons.
 * SPDX-License-Identifier: MIT
 */
#include "internal.h"

const char *simdsse_client_reason_name(int reason) {
    static const char *const names[] = {
        [SIMDSSE_CLIENT_REASON_NONE] = "none",
        [SIMDSSE_CLIENT_REASON_END_OF_STREAM] = "end-of-stream",
        [SIMDSSE_CLIENT_REASON_NETWORK] = "network",
        [SIMDSSE_CLIENT_REASON_IDLE_TIMEOUT] = "idle-timeout",
        [SIMDSSE_CLIENT_REASON_HTTP_STATUS] = "http-status",
        [SIMDSSE_CLIENT_REASON_CONTENT_TYPE] = "content-type",
        [SIMDSSE_CLIENT_REASON_NO_CONTENT] = "no-content",
        [SIMDSSE_CLIENT_REASON_MAX_RETRIES] = "max-retries",
        [SIMDSSE_CLIENT_REASON_NO_MEMORY] = "no-memory",
        [SIMDSSE_CLIENT_REASON_LIMIT] = "limit",
    };
    if (reason < 0 || (size_t)reason >= sizeof names / sizeof names[0]) return NULL;
    return names[reason];
}
