/*
 * ssecat_validate.c -- ssecat --validate: diagnostics in the compilers'
 * FILE:LINE:COL format, so editors and CI annotate them without help.
 * SPDX-License-Identifier: MIT
 *
 * Diagnostics and the summary go to standard output (they are the
 * result), each flushed as it is found, so a live stream is checked as it
 * arrives; I/O errors go to standard error. Standard input is named
 * <stdin>, as compilers name it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simdsse.h"
#include "ssecat.h"

typedef struct report {
    const char *name;
    int broken; /* standard output failed: stop */
} report;

static int print_diagnostic(void *user, const simdsse_diagnostic *d) {
    report *r = user;
    printf("%s:%" PRIu64 ":%" PRIu64 ": %s: %s [%s]\n", r->name, d->line, d->column,
           simdsse_severity_name(d->severity), d->message, simdsse_diagnostic_code_name(d->code));
    if (ssecat_flush()) r->broken = 1;
    return r->broken;
}

static const char *plural(uint64_t n, const char *one, const char *many) {
    return n == 1 ? one : many;
}

int ssecat_validate(const char *path, size_t chunk) {
    int fd = ssecat_open(path);
    if (fd < 0) return 1;
    const char *name = !path || strcmp(path, "-") == 0 ? "<stdin>" : path;

    simdsse_validator_options opt;
    simdsse_validator_options_init(&opt);
    report rep = {name, 0};
    opt.on_diagnostic = print_diagnostic;
    opt.user = &rep;
    simdsse_status st;
    simdsse_validator *v = simdsse_validator_create(&opt, &st);
    size_t bufsize = chunk ? chunk : (size_t)1 << 16;
    char *buf = v ? malloc(bufsize) : NULL;
    if (!buf) {
        fprintf(stderr, "ssecat: %s\n", simdsse_strerror(v ? SIMDSSE_ERR_NO_MEMORY : st));
        simdsse_validator_destroy(v);
        if (fd != STDIN_FILENO) close(fd);
        return 1;
    }

    int rc = 0;
    for (;;) {
        /* --chunk N feeds exactly N bytes; otherwise what has arrived. */
        ssize_t n = ssecat_read(fd, buf, bufsize, chunk != 0);
        if (n < 0) {
            fprintf(stderr, "ssecat: %s: %s\n", name, strerror(errno));
            rc = 1;
            break;
        }
        if (n == 0) break;
        simdsse_validator_feed(v, buf, (size_t)n);
        if (rep.broken) {
            rc = 1;
            break;
        }
    }
    if (rc == 0) {
        /* A stream cut by a read error has no end to judge. */
        simdsse_validator_finish(v);
        simdsse_validation r;
        simdsse_validation_init(&r);
        simdsse_validator_result(v, &r);
        printf("%s: %" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64 " %s", name, r.errors,
               plural(r.errors, "error", "errors"), r.warnings,
               plural(r.warnings, "warning", "warnings"), r.events,
               plural(r.events, "event", "events"));
        uint64_t hidden = r.errors + r.warnings - r.reported;
        if (hidden) printf(" (%" PRIu64 " more not shown)", hidden);
        putchar('\n');
        if (r.errors) rc = 1;
    }
    free(buf);
    simdsse_validator_destroy(v);
    if (fd != STDIN_FILENO) close(fd);
    if (ssecat_flush()) rc = 1;
    return rc;
}
