/*
 * validate_file.c -- check a stream the way a browser would read it.
 * SPDX-License-Identifier: MIT
 *
 *     validate_file FILE
 *
 * Reports, with line and byte column, everything in FILE that a browser's
 * EventSource would drop or misread (errors: a misspelt field name, a line
 * of spaces that ends no event, invalid UTF-8, ...) and what is legal but
 * suspicious (warnings: mixed line ends, an empty event type, ...):
 *
 *     FILE:3:1: error: unknown field name (did you mean 'data'? ...) [unknown-field]
 *     FILE: 2 errors, 1 warning, 3 events
 *
 * The validator is fed the file in chunks, as a stream would arrive: its
 * memory is fixed (it holds no line), and the chunking never changes what
 * it reports. Exit status: 1 if there is any error, 0 otherwise, 2 if the
 * file cannot be read.
 */
#include <stdio.h>

#include "simdsse.h"

/* Called once per finding, in stream order. The strings are static. */
static int show(void *user, const simdsse_diagnostic *d) {
    const char *file = user;
    printf("%s:%llu:%llu: %s: %s [%s]\n", file, (unsigned long long)d->line,
           (unsigned long long)d->column, simdsse_severity_name(d->severity), d->message,
           simdsse_diagnostic_code_name(d->code));
    return 0; /* non-zero: report nothing more (the counts still go on) */
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fputs("usage: validate_file FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }

    simdsse_validator_options o;
    simdsse_validator_options_init(&o); /* thresholds: long lines, retry, 1000 reports */
    o.on_diagnostic = show;
    o.user = argv[1];
    simdsse_status st;
    simdsse_validator *v = simdsse_validator_create(&o, &st);
    if (!v) {
        fprintf(stderr, "validate_file: %s\n", simdsse_strerror(st));
        fclose(f);
        return 2;
    }

    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) simdsse_validator_feed(v, buf, n);
    int read_failed = ferror(f);
    fclose(f);
    if (read_failed) {
        perror(argv[1]);
        simdsse_validator_destroy(v);
        return 2;
    }
    /* The end of the stream shows what no chunk can: an event that no blank
     * line ended, a UTF-8 sequence cut short. */
    simdsse_validator_finish(v);

    simdsse_validation r;
    simdsse_validation_init(&r);
    simdsse_validator_result(v, &r);
    simdsse_validator_destroy(v);
    printf("%s: %llu error(s), %llu warning(s), %llu event(s)\n", argv[1],
           (unsigned long long)r.errors, (unsigned long long)r.warnings,
           (unsigned long long)r.events);
    return r.errors ? 1 : 0;
}
