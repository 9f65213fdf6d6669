/*
 * ssecat.h -- what ssecat's mode files (ssecat_*.c) share with main.
 * SPDX-License-Identifier: MIT
 */
#ifndef SSECAT_H
#define SSECAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opens FILE, or standard input for NULL or "-"; prints why on failure (-1). */
int ssecat_open(const char *path);
/* Reads up to `want` bytes: until buf is full or the input ends when `fill`
 * (so that --chunk N feeds exactly N bytes), else whatever one read(2)
 * returns (live streams: hand over what has arrived). -1 on error. */
ssize_t ssecat_read(int fd, char *buf, size_t want, int fill);
/* Parses a positive size, with an optional K, M or G suffix; -1 if it is
 * not one (or does not fit size_t). */
int ssecat_parse_size(const char *s, size_t *out);
/* Flushes standard output. On a write error (now or before) says so on
 * standard error, once, and returns -1: every mode then stops, status 1. */
int ssecat_flush(void);
/* --encode: JSON Lines from FILE (or stdin) to a text/event-stream on stdout,
 * the writer on `kernel` (NULL: default); returns the exit status. */
int ssecat_encode(const char *path, const char *kernel);

/* --validate: checks FILE (or stdin) fed in `chunk`-byte pieces (0: large
 * reads), prints diagnostics and a summary; 1 if any error, else 0. */
int ssecat_validate(const char *path, size_t chunk);
/* FILE (or standard input) whole, in a malloc'ed buffer; NULL after saying
 * why on standard error. */
char *ssecat_load(const char *path, size_t *len);
/* --bench: loads FILE, parses it for about a second per kernel (`kernel`
 * only, if not NULL) in `chunk`-byte feeds (0: whole), prints one line each. */
int ssecat_bench(const char *path, size_t chunk, const char *kernel);

/* MARK: - Event output (ssecat_out.c) and URL mode (ssecat_url.c) */

#include "simdsse.h"

typedef enum ssecat_out_mode { SSECAT_OUT_TEXT, SSECAT_OUT_JSON, SSECAT_OUT_COUNT } ssecat_out_mode;

typedef struct ssecat_out {
    ssecat_out_mode mode;
    uint64_t events; /* printed (counted) so far */
    char *buf;       /* the line being built */
    size_t cap;
} ssecat_out;

/* Prints one event line (or counts it); -1 on a write error. Out of
 * memory ends the program (exit status 1), as everywhere in ssecat. */
int ssecat_print_event(ssecat_out *o, const simdsse_event *ev);
/* Whether argv asks for URL mode (a URL, or an option only it has). */
int ssecat_url_wanted(int argc, char **argv);
/* URL mode: reads a live stream with the libcurl client; the exit status. */
int ssecat_url(int argc, char **argv);
/* Its part of --help. */
extern const char ssecat_url_usage[];

#endif
