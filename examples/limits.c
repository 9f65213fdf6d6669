/*
 * limits.c -- what a hostile stream gets: limits, injection, bad bytes.
 * SPDX-License-Identifier: MIT
 *
 *     limits [-v]
 *
 * A gateway reads streams from upstreams it does not control. This example
 * feeds one parser, with tight limits, what a hostile or broken upstream
 * sends: a line that never ends, an event whose data never ends, a giant
 * id and event type, an id holding NUL, invalid UTF-8. Each attack costs
 * the one event it is in (reported with its status and stream offset); the
 * event after it arrives intact, the parser stays usable, and its memory
 * stays under the bound its limits set, however many bytes come in.
 *
 * Then the other direction: values that try to inject a field through the
 * writer are refused, or with SIMDSSE_WRITE_SANITIZE defused, and data can
 * never add an event. -v also prints the memory figures.
 */
#include <stdio.h>
#include <string.h>

#include "simdsse.h"

static int verbose;

/* Prints bytes in quotes, line feeds as \n. */
static void print_quoted(simdsse_span s) {
    putchar('"');
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(s.ptr[i]);
    }
    putchar('"');
}

static int on_event(void *user, const simdsse_event *ev) {
    (void)user;
    printf("  event \"%.*s\", id \"%.*s\": ", (int)ev->type.len, ev->type.ptr, (int)ev->id.len,
           ev->id.ptr);
    print_quoted(ev->data);
    putchar('\n');
    return 0;
}

static int on_error(void *user, const simdsse_error *err) {
    (void)user;
    printf("  dropped an event: %s, at byte %llu\n", simdsse_strerror(err->status),
           (unsigned long long)err->offset);
    return 0;
}

/* MARK: - Feeding */

typedef struct guard {
    simdsse_parser *p;
    size_t bound; /* the parser's fixed size plus what its limits allow */
    size_t peak;  /* the most it has held after any feed */
} guard;

static void feed(guard *g, const char *s, size_t len) {
    simdsse_parser_feed(g->p, s, len, NULL); /* limit errors: reported by on_error */
    size_t m = simdsse_parser_memory(g->p);
    if (m > g->peak) g->peak = m;
}

static void feed_str(guard *g, const char *s) { feed(g, s, strlen(s)); }

/* Feeds `total` bytes of `pattern` repeated, 64 KiB at a time, as a network
 * would deliver them: no whole copy of the attack is ever in memory. */
static void feed_flood(guard *g, const char *pattern, size_t total) {
    static char chunk[65536];
    size_t plen = strlen(pattern), fill = sizeof chunk - sizeof chunk % plen;
    for (size_t i = 0; i < fill; i += plen) memcpy(chunk + i, pattern, plen);
    for (size_t sent = 0; sent < total; sent += fill)
        feed(g, chunk, total - sent < fill ? total - sent : fill);
}

/* MARK: - The writer's side */

static void try_write(const char *what, const simdsse_event *ev, unsigned flags) {
    char out[256];
    size_t len;
    simdsse_status st = simdsse_format_event(ev, flags, out, sizeof out, &len);
    printf("  %s: ", what);
    if (st != SIMDSSE_OK) {
        printf("refused: %s\n", simdsse_strerror(st));
        return;
    }
    print_quoted((simdsse_span){out, len});
    puts(", which reads back as:");
    /* Read it back as a client would. */
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = on_event;
    simdsse_parse(out, len, &o);
}

int main(int argc, char **argv) {
    verbose = argc == 2 && strcmp(argv[1], "-v") == 0;

    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.max_line_length = 4096; /* defaults: 1 MiB, 8 MiB, 1024, 1024 */
    o.max_data_length = 16384;
    o.max_type_length = 64;
    o.max_id_length = 64;
    o.on_event = on_event;
    o.on_error = on_error;
    simdsse_status st;
    guard g = {simdsse_parser_create(&o, &st), 0, 0};
    if (!g.p) {
        fprintf(stderr, "limits: %s\n", simdsse_strerror(st));
        return 1;
    }
    g.bound = simdsse_parser_memory(g.p) + o.max_line_length + o.max_data_length +
              2 * o.max_id_length + o.max_type_length;

    puts("a line that never ends (16 MiB, no line end):");
    feed_str(&g, "data: ");
    feed_flood(&g, "A", 16u << 20);
    feed_str(&g, "\n\ndata: next\n\n");

    puts("an event whose data never ends (1 million data lines):");
    feed_flood(&g, "data: 0123456789\n", 17u << 20);
    feed_str(&g, "\ndata: next\n\n");

    puts("an id and an event type past their limits:");
    feed_str(&g, "id: ");
    feed_flood(&g, "7", 100);
    feed_str(&g, "\ndata: x\n\nevent: ");
    feed_flood(&g, "t", 100);
    feed_str(&g, "\ndata: x\n\ndata: next\n\n");

    puts("an id holding NUL is ignored (the last event ID stays \"1\"):");
    feed_str(&g, "id: 1\ndata: one\n\n");
    static const char nul_id[] = "id: 2\0evil\ndata: two\n\n";
    feed(&g, nul_id, sizeof nul_id - 1);

    /* The parser hands over bytes as they came; decoding is the reader's
     * step, and the JSON rendering decodes as a browser does. */
    puts("invalid UTF-8 is passed through as bytes; as JSON it becomes U+FFFD:");
    static const char bad[] = "caf\xC3 \xFF";
    char json[64];
    size_t jlen;
    simdsse_format_json_string(bad, sizeof bad - 1, json, sizeof json, &jlen);
    printf("  %.*s\n", (int)jlen, json);

    printf("parser memory stayed within its limits: %s\n", g.peak <= g.bound ? "yes" : "NO");
    if (verbose)
        printf("  peak %zu bytes, bound %zu bytes (fixed part %zu)\n", g.peak, g.bound,
               g.bound - (o.max_line_length + o.max_data_length + 2 * o.max_id_length +
                          o.max_type_length));
    int status = g.peak <= g.bound ? 0 : 1;
    simdsse_parser_destroy(g.p);

    puts("writing values that try to inject fields:");
    simdsse_event inj = {0};
    inj.id = (simdsse_span){"7\ndata: injected", 16};
    inj.data = (simdsse_span){"hi", 2};
    try_write("an id holding LF", &inj, 0);
    try_write("the same id, SIMDSSE_WRITE_SANITIZE", &inj, SIMDSSE_WRITE_SANITIZE);
    simdsse_event typ = {0};
    typ.type = (simdsse_span){"x\r\nretry: 1", 11};
    typ.data = (simdsse_span){"hi", 2};
    try_write("a type holding CRLF", &typ, 0);
    simdsse_event dat = {0};
    dat.data = (simdsse_span){"hi\n\nevent: admin\ndata: pwned", 28};
    try_write("data holding a blank line and fields", &dat, 0);
    return status;
}
