/*
 * ssegen.c -- writes a deterministic text/event-stream corpus to stdout.
 * SPDX-License-Identifier: MIT
 *
 *   ssegen [--events] SHAPE BYTES [SEED]
 *
 * Exit status: 0 success, 1 a write error, 2 a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "size.h"

static const char usage_text[] =
    "usage: ssegen [--events] SHAPE BYTES [SEED]\n"
    "Writes a text/event-stream of at least BYTES bytes (suffixes K, M, G: KiB,\n"
    "MiB, GiB) to standard output: the events that reach BYTES, each complete.\n"
    "The same SHAPE, BYTES and SEED (default 1) give the same bytes everywhere.\n"
    "\n"
    "  llm    OpenAI and Anthropic token streams, ~200-byte events, UTF-8 text\n"
    "  tiny   `data: N` events\n"
    "  big    events of one to four 64 KiB data lines\n"
    "  mixed  LF, CR and CRLF line ends, ids, retry, comments, multi-line data\n"
    "\n"
    "  --events  print the number of events a conforming parser dispatches from\n"
    "            that stream instead of the stream\n";

static int usage(const char *why) {
    fprintf(stderr, "ssegen: %s\n%s", why, usage_text);
    return 2;
}

int main(int argc, char **argv) {
    int count_only = 0, argi = 1;
    if (argi < argc && (strcmp(argv[argi], "--help") == 0 || strcmp(argv[argi], "-h") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argi < argc && strcmp(argv[argi], "--events") == 0) count_only = 1, argi++;
    if (argc - argi < 2 || argc - argi > 3) return usage("wrong number of arguments");
    int shape = corpus_shape_from_name(argv[argi]);
    if (shape < 0) return usage("SHAPE is one of llm, tiny, big, mixed");
    uint64_t bytes, seed = 1;
    if (tool_parse_u64(argv[argi + 1], 1, &bytes) || bytes > SIZE_MAX / 2)
        return usage("BYTES is a size such as 4096, 64K or 256M");
    if (argc - argi == 3 && tool_parse_u64(argv[argi + 2], 0, &seed))
        return usage("SEED is a number");

    /* Whole steps go out in blocks of about 1 MiB. */
    const size_t block = (size_t)1 << 20;
    char *buf = malloc(block + CORPUS_STEP_MAX);
    if (!buf) {
        fputs("ssegen: out of memory\n", stderr);
        return 1;
    }
    corpus_gen g;
    corpus_init(&g, (corpus_shape)shape, seed);
    uint64_t written = 0;
    size_t fill = 0;
    int rc = 0;
    while (written < bytes) {
        size_t n = corpus_step(&g, buf + fill);
        fill += n;
        written += n;
        if (count_only) {
            fill = 0;
        } else if (fill >= block || written >= bytes) {
            if (fwrite(buf, 1, fill, stdout) != fill) {
                rc = 1;
                break;
            }
            fill = 0;
        }
    }
    free(buf);
    if (count_only) printf("%" PRIu64 "\n", g.events);
    if (fflush(stdout) != 0) rc = 1;
    if (rc) fprintf(stderr, "ssegen: write error: %s\n", strerror(errno));
    return rc;
}
