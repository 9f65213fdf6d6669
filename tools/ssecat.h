/*
 * ssecat.h -- what ssecat's mode files (ssecat_*.c) share with main.
 * SPDX-License-Identifier: MIT
 */
#ifndef SSECAT_H
#define SSECAT_H

#include <stddef.h>
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
/* --bench: loads FILE, parses it for about a second per kernel (`kernel`
 * only, if not NULL) in `chunk`-byte feeds (0: whole), prints one line each. */
int ssecat_bench(const char *path, size_t chunk, const char *kernel);

#endif
