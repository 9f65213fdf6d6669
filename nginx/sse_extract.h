/*
 * sse_extract.h -- a JSON pointer (RFC 6901) applied to event data, for
 * `sse_extract`: the value at /usage/total_tokens of an LLM stream's last
 * usage event, say. JSON is parsed with jansson, and only for events whose
 * data could hold the value.
 * SPDX-License-Identifier: MIT
 *
 * "Could hold": a document in which the pointer resolves contains, as an
 * object key, every reference token that is not an array index. A key is
 * written either as itself or with escapes, and every escape starts with a
 * backslash; so data holds the value only if it contains the last such
 * token's bytes, or, when the token has no byte that JSON escapes in short
 * form, the six-byte form `\u` of some character. LLM deltas rarely carry
 * either, so most events are passed over after a memchr or two (for the
 * token's rarest byte, and for backslashes) and never parsed.
 */
#ifndef SSE_EXTRACT_H
#define SSE_EXTRACT_H

#include <stddef.h>

/* Local to the module's .so: nothing here is nginx's or another module's. */
#pragma GCC visibility push(hidden)

typedef struct sse_pointer sse_pointer;

/* Compiles `text` ("" or "/a/b~1c/0"). Returns NULL and sets *error (a
 * static message) if it is not a JSON pointer or memory runs out. */
sse_pointer *sse_pointer_compile(const char *text, size_t len, const char **error);

void sse_pointer_free(sse_pointer *pointer);

/* 1 if a JSON document data[0, len) could hold the pointer's value (see
 * above), 0 if it certainly does not. */
int sse_pointer_candidate(const sse_pointer *pointer, const char *data, size_t len);

/*
 * Parses data[0, len) as JSON (any value at the top) and resolves the
 * pointer. Returns 1 and the value, rendered, in out[0, *out_len) (grown
 * with realloc as needed; *out and *cap are the caller's buffer, which may
 * start NULL and 0); 0 if the data is not JSON, the pointer does not
 * resolve, or the value is null (null is "no value": an OpenAI stream's
 * `"usage": null` chunks do not erase a usage seen before); -1 if memory
 * runs out. Rendering: strings as their characters (UTF-8, unquoted),
 * integers in decimal, reals in the shortest form that reads back exactly,
 * true and false, objects and arrays as compact JSON.
 */
int sse_pointer_extract(const sse_pointer *pointer, const char *data, size_t len, char **out,
                        size_t *out_len, size_t *cap);

#pragma GCC visibility pop

#endif
