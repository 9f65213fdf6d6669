/*
 * ssecat.c -- read a text/event-stream, print its events.
 * SPDX-License-Identifier: MIT
 *
 * Exit status: 0 success, 1 a stream or I/O error, 2 a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simdsse.h"
#include "size.h"
#include "ssecat.h"

static const char usage_text[] =
    "usage: ssecat [OPTIONS] [FILE|-]\n"
    "Reads a text/event-stream (FILE, or standard input) and prints the events\n"
    "the WHATWG standard's EventSource would dispatch.\n"
    "\n"
    "  --json         one JSON object per event: {\"event\",\"data\",\"id\"}, strings\n"
    "                 decoded as a browser does (invalid UTF-8 becomes U+FFFD)\n"
    "  --count        print only the number of events\n"
    "  --chunk N      feed the parser N bytes at a time (output does not change)\n"
    "  --pull         parse with the pull API (push a chunk, take its items) instead\n"
    "                 of callbacks (output does not change)\n"
    "  --kernel NAME  use this tokenizer kernel (see --kernels); without it,\n"
    "                 $SIMDSSE_KERNEL if set, else the best this CPU runs\n"
    "  --kernels      list the kernels compiled in, best first, one per line as\n"
    "                 NAME<TAB>supported|unsupported (whether this CPU runs it),\n"
    "                 then default<TAB>NAME (what parsers use by default)\n"
    "  --encode       the other way round: read JSON Lines, one object per line with\n"
    "                 optional \"event\", \"data\", \"id\" (strings), \"retry\" (integer\n"
    "                 >= 0), \"comment\" (string), and write a text/event-stream; a\n"
    "                 bad line is reported with its number and skipped, exit status\n"
    "                 1 (needs jansson at build time; without it, exit status 2)\n"
    "  --validate     check the stream instead of printing it: one line per finding,\n"
    "                 FILE:LINE:COL: error|warning: message [code], then a summary;\n"
    "                 exit status 1 if there is any error\n"
    "  --bench        load FILE into memory and parse it repeatedly with every kernel\n"
    "                 this CPU runs (or --kernel NAME), about a second each; prints\n"
    "                 kernel=NAME gbps=X.XX meps=Y.YY events=N per kernel\n"
    "  --max-line N, --max-data N, --max-type N, --max-id N\n"
    "                 limits in bytes (defaults 1M, 8M, 1K, 1K), with an optional\n"
    "                 K, M or G suffix (KiB, MiB, GiB), or none for no limit; an\n"
    "                 event that breaks one is dropped and reported, exit status 1\n"
    "  --help         this text\n"
    "  --version      the version\n"
    "\n"
    "Default output is one line per event: its number, type, id and data, the\n"
    "strings quoted and escaped as in JSON. Output is flushed as input arrives\n"
    "(per event with --encode, per finding with --validate). Errors (with the\n"
    "stream offset) go to standard error; parsing goes on past an event a limit\n"
    "rejected. A write error on standard output is an error too (exit status 1).\n";

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "ssecat: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'ssecat --help'.\n");
    return 2;
}

/* MARK: - Output */

int ssecat_flush(void) {
    static int reported;
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
    /* Reported once: after the first failure every later flush fails too. */
    if (!reported++)
        fprintf(stderr, "ssecat: standard output: %s\n", errno ? strerror(errno) : "write error");
    return -1;
}

/* MARK: - Event output */

typedef struct out_state {
    enum { OUT_TEXT, OUT_JSON, OUT_COUNT } mode;
    uint64_t events;
    char *buf;
    size_t cap;
    const char *name;  /* the input, for error messages */
    int stream_errors; /* limit errors reported */
} out_state;

static char *reserve(out_state *o, size_t need) {
    if (need > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < need) cap *= 2;
        char *b = realloc(o->buf, cap);
        if (!b) {
            fprintf(stderr, "ssecat: out of memory\n");
            exit(1);
        }
        o->buf = b;
        o->cap = cap;
    }
    return o->buf;
}

/* Renders ev as JSON (or, ev NULL, s as a JSON string literal) at
 * o->buf + *len: into the room there is, else into the exact room the
 * library says it needs. */
static void put_json(out_state *o, size_t *len, const simdsse_event *ev, simdsse_span s) {
    for (;;) {
        size_t n, room = o->cap - *len;
        char *at = o->buf ? o->buf + *len : NULL;
        simdsse_status st = ev ? simdsse_format_json(ev, at, room, &n)
                               : simdsse_format_json_string(s.ptr, s.len, at, room, &n);
        if (st == SIMDSSE_OK) {
            *len += n;
            return;
        }
        if (st != SIMDSSE_ERR_BUFFER_TOO_SMALL) abort(); /* spans from the parser are valid */
        reserve(o, *len + n);
    }
}

/* Appends a JSON string literal for s to o->buf at *len. */
static void put_string(out_state *o, size_t *len, simdsse_span s) { put_json(o, len, NULL, s); }

static void put_text(out_state *o, size_t *len, const char *t) {
    size_t n = strlen(t);
    reserve(o, *len + n);
    memcpy(o->buf + *len, t, n);
    *len += n;
}

static int on_event(void *user, const simdsse_event *ev) {
    out_state *o = user;
    o->events++;
    size_t len = 0;
    if (o->mode == OUT_JSON) {
        simdsse_span none = {NULL, 0};
        put_json(o, &len, ev, none);
    } else if (o->mode == OUT_TEXT) {
        char head[32];
        snprintf(head, sizeof head, "#%" PRIu64 " type=", o->events);
        put_text(o, &len, head);
        put_string(o, &len, ev->type);
        put_text(o, &len, " id=");
        put_string(o, &len, ev->id);
        put_text(o, &len, " data=");
        put_string(o, &len, ev->data);
    } else {
        return 0;
    }
    reserve(o, len + 1);
    o->buf[len++] = '\n';
    fwrite(o->buf, 1, len, stdout);
    return 0;
}

/* A limit dropped one event: say where, and go on. */
static int on_error(void *user, const simdsse_error *e) {
    out_state *o = user;
    fprintf(stderr, "ssecat: %s: byte %" PRIu64 ": %s\n", o->name, e->offset,
            simdsse_strerror(e->status));
    o->stream_errors = 1;
    return 0;
}

/* The same through the pull API: everything n bytes at buf complete.
 * Returns the status that ended it: NEED_INPUT, or NO_MEMORY. */
static simdsse_status pull_chunk(simdsse_parser *p, const char *buf, size_t n, out_state *o) {
    simdsse_status st = simdsse_parser_push(p, buf, n);
    if (st != SIMDSSE_OK) return st;
    const simdsse_item *it;
    while ((st = simdsse_parser_next(p, &it)) == SIMDSSE_OK) {
        if (it->kind == SIMDSSE_ITEM_EVENT)
            on_event(o, &it->event);
        else if (it->kind == SIMDSSE_ITEM_ERROR)
            on_error(o, &it->error);
    }
    return st;
}

/* MARK: - Input */

ssize_t ssecat_read(int fd, char *buf, size_t want, int fill) {
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
        if (!fill) break; /* live streams: hand over what has arrived */
    }
    return (ssize_t)got;
}

int ssecat_open(const char *path) {
    if (!path || strcmp(path, "-") == 0) return STDIN_FILENO;
    int fd = open(path, O_RDONLY);
    if (fd < 0) fprintf(stderr, "ssecat: %s: %s\n", path, strerror(errno));
    return fd;
}

/* Parses the whole input, through the callbacks or (pull) the pull API;
 * 0 on success, 1 on any stream or I/O error. */
static int parse_input(int fd, const char *name, size_t chunk, int pull, simdsse_parser *p,
                       out_state *o) {
    size_t bufsize = chunk ? chunk : (size_t)1 << 16;
    char *buf = malloc(bufsize);
    if (!buf) {
        fprintf(stderr, "ssecat: out of memory\n");
        return 1;
    }
    int rc = 0;
    for (;;) {
        ssize_t n = ssecat_read(fd, buf, bufsize, chunk != 0);
        if (n < 0) {
            fprintf(stderr, "ssecat: %s: %s\n", name, strerror(errno));
            rc = 1;
            break;
        }
        if (n == 0) break;
        /* The whole chunk is read, past limit errors (on_error reports each
         * one); only running out of memory stops it. */
        simdsse_status st = pull ? pull_chunk(p, buf, (size_t)n, o)
                                 : simdsse_parser_feed(p, buf, (size_t)n, NULL);
        if (st == SIMDSSE_ERR_NO_MEMORY || st == SIMDSSE_ERR_NEEDS_RESET) {
            fprintf(stderr, "ssecat: %s: %s\n", name, simdsse_strerror(st));
            rc = 1;
            goto done;
        }
        /* What has arrived goes out now: live streams are read as they come. */
        if (ssecat_flush()) {
            rc = 1;
            goto done;
        }
    }
done:
    simdsse_parser_finish(p);
    free(buf);
    return rc || o->stream_errors;
}

/* MARK: - Main */

int ssecat_parse_size(const char *s, size_t *out) {
    uint64_t v;
    if (tool_parse_u64(s, 1, &v) || v == 0 || v > SIZE_MAX) return -1;
    *out = (size_t)v;
    return 0;
}

/* A limit: a size, or "none" (SIZE_MAX, which the library reads as none). */
static int parse_limit(const char *s, size_t *out) {
    if (strcmp(s, "none") == 0) {
        *out = SIZE_MAX;
        return 0;
    }
    return ssecat_parse_size(s, out);
}

/* $SIMDSSE_KERNEL, when set to a kernel this CPU cannot run: what every
 * parser and writer would fail with, said once, naming the variable. */
static simdsse_status env_kernel_status(const char **value) {
    const char *env = getenv("SIMDSSE_KERNEL");
    *value = env;
    return env && *env ? simdsse_kernel_supported(env) : SIMDSSE_OK;
}

static int env_kernel_error(const char *value, simdsse_status st) {
    fprintf(stderr, "ssecat: SIMDSSE_KERNEL=%s: %s\n", value, simdsse_strerror(st));
    return 2;
}

/* Fixed, tab-separated lines, for scripts as much as for people. */
static int list_kernels(void) {
    for (size_t i = 0; simdsse_kernel_name_at(i); i++) {
        const char *k = simdsse_kernel_name_at(i);
        int ok = simdsse_kernel_supported(k) == SIMDSSE_OK;
        printf("%s\t%s\n", k, ok ? "supported" : "unsupported");
    }
    const char *env;
    simdsse_status st = env_kernel_status(&env);
    if (st == SIMDSSE_OK) printf("default\t%s\n", simdsse_kernel_default());
    if (ssecat_flush()) return 1;
    return st == SIMDSSE_OK ? 0 : env_kernel_error(env, st);
}

int main(int argc, char **argv) {
    out_state out = {OUT_TEXT, 0, NULL, 0, "-", 0};
    size_t chunk = 0;
    int encode = 0, validate = 0, bench = 0, kernels = 0, pull = 0;
    const char *kernel = NULL, *path = NULL;
    simdsse_parser_options opt;
    simdsse_parser_options_init(&opt);
    static const struct {
        const char *name;
        size_t offset;
    } limits[] = {
        {"--max-line", offsetof(simdsse_parser_options, max_line_length)},
        {"--max-data", offsetof(simdsse_parser_options, max_data_length)},
        {"--max-type", offsetof(simdsse_parser_options, max_type_length)},
        {"--max-id", offsetof(simdsse_parser_options, max_id_length)},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            out.mode = OUT_JSON;
        } else if (strcmp(a, "--count") == 0) {
            out.mode = OUT_COUNT;
        } else if (strcmp(a, "--pull") == 0) {
            pull = 1;
        } else if (strcmp(a, "--chunk") == 0) {
            if (++i == argc) return usage_error("%s needs a number", a);
            if (ssecat_parse_size(argv[i], &chunk))
                return usage_error("--chunk wants a positive size (4096, 64K, ...), not '%s'",
                                   argv[i]);
        } else if (strcmp(a, "--kernel") == 0) {
            if (++i == argc) return usage_error("%s needs a name", a);
            kernel = argv[i];
        } else if (strcmp(a, "--kernels") == 0) {
            kernels = 1;
        } else if (strcmp(a, "--encode") == 0) {
            encode = 1;
        } else if (strcmp(a, "--validate") == 0) {
            validate = 1;
        } else if (strcmp(a, "--bench") == 0) {
            bench = 1;
        } else if (strncmp(a, "--max-", 6) == 0) {
            size_t k = 0;
            while (k < sizeof limits / sizeof limits[0] && strcmp(a, limits[k].name) != 0) k++;
            if (k == sizeof limits / sizeof limits[0]) return usage_error("unknown option '%s'", a);
            if (++i == argc) return usage_error("%s needs a number", a);
            size_t v;
            if (parse_limit(argv[i], &v))
                return usage_error("limits are sizes such as 4096, 64K, 4M, or none; not '%s'",
                                   argv[i]);
            memcpy((char *)&opt + limits[k].offset, &v, sizeof v);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return ssecat_flush() ? 1 : 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("ssecat (simdsse) %s\n", simdsse_version());
            return ssecat_flush() ? 1 : 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (path) {
            return usage_error("one input at a time ('%s')", a);
        } else {
            path = a;
        }
    }
    if (kernels) return list_kernels();
    if (kernel) {
        simdsse_status st = simdsse_kernel_supported(kernel);
        if (st != SIMDSSE_OK) {
            fprintf(stderr, "ssecat: kernel '%s': %s\n", kernel, simdsse_strerror(st));
            return 2;
        }
    } else {
        /* Without --kernel every mode's parsers or writer take the default,
         * which a bad $SIMDSSE_KERNEL makes fail: say so before anything. */
        const char *env;
        simdsse_status st = env_kernel_status(&env);
        if (st != SIMDSSE_OK) return env_kernel_error(env, st);
    }
    if (encode + validate + bench > 1)
        return usage_error("%s", "--encode, --validate and --bench exclude each other");
    if (encode) return ssecat_encode(path, kernel);
    if (validate) return ssecat_validate(path, chunk);
    if (bench) {
        if (!path || strcmp(path, "-") == 0) return usage_error("%s", "--bench needs a FILE");
        return ssecat_bench(path, chunk, kernel);
    }

    opt.kernel = kernel;
    if (!pull) { /* (the pull API calls no callback) */
        opt.on_event = on_event;
        opt.on_error = on_error;
        opt.user = &out;
    }
    out.name = path ? path : "-";
    simdsse_status st;
    simdsse_parser *p = simdsse_parser_create(&opt, &st);
    if (!p) {
        fprintf(stderr, "ssecat: %s\n", simdsse_strerror(st));
        return st == SIMDSSE_ERR_NO_MEMORY ? 1 : 2;
    }
    int fd = ssecat_open(path);
    int rc = 1;
    if (fd >= 0) {
        rc = parse_input(fd, out.name, chunk, pull, p, &out);
        if (fd != STDIN_FILENO) close(fd);
    }
    if (out.mode == OUT_COUNT) printf("%" PRIu64 "\n", out.events);
    simdsse_parser_destroy(p);
    free(out.buf);
    if (ssecat_flush()) rc = 1;
    return rc;
}
