/*
 * utf8.h -- the WHATWG Encoding standard's UTF-8 decoder, one sequence at
 * a time: what json.c and simdsse_utf8_repair (utf8.c) share.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIMDSSE_UTF8_H
#define SIMDSSE_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0, n) whose lead byte s[0] is
 * >= 0x80, or 0 if the decoder reports an error there. On an error, *skip
 * receives how many bytes the one U+FFFD replaces: the decoder consumes
 * the lead byte and any continuation bytes that were in range, and reads
 * the first out-of-range byte again as the start of something new. */
size_t simdsse__utf8_sequence(const unsigned char *s, size_t n, size_t *skip);

/* U+FFFD REPLACEMENT CHARACTER, encoded. */
#define SSE_UTF8_REPLACEMENT "\xEF\xBF\xBD"

#endif /* SIMDSSE_UTF8_H */
