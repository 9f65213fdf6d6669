/*
 * llm_stream.c -- stream a chat completion from an OpenAI-compatible API.
 * SPDX-License-Identifier: MIT
 *
 *     OPENAI_API_KEY=sk-... llm_stream [--url URL] [--model NAME] PROMPT
 *
 * POSTs {"model": NAME, "stream": true, "messages": [{"role": "user",
 * "content": PROMPT}]} to URL (default $OPENAI_BASE_URL/chat/completions,
 * or https://api.openai.com/v1/chat/completions) with the key as a bearer
 * token, and prints each `choices[0].delta.content` as it arrives, until
 * the API's `data: [DONE]`. A POST is not repeated when the connection
 * drops (the client's default for requests with a body): the answer would
 * start over. Exit status 0 after [DONE], 1 on an HTTP or network failure
 * or a stream that ends without [DONE], 2 on a usage error.
 *
 * The JSON of each chunk is read with a few lines of string search, enough
 * for this one field; a real program would use a JSON parser.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdsse_client.h"

typedef struct run {
    int done;     /* saw data: [DONE] */
    int failed;
    int printed;  /* any content so far */
} run;

/* MARK: - The one JSON field we need */

/* Appends the UTF-8 of code point cp to out. */
static size_t put_utf8(unsigned cp, char *out) {
    if (cp < 0x80) return out[0] = (char)cp, 1;
    if (cp < 0x800) return out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hex4(const char *p, const char *end, unsigned *v) {
    *v = 0;
    if (end - p < 4) return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (unsigned)((c | 0x20) - 'a' + 10)
                                                            : 16u;
        if (d > 15) return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

/* Decodes the JSON string starting at p (just past its opening quote) into
 * out (room for end - p bytes); its length, or -1 if it is not one. */
static long json_string(const char *p, const char *end, char *out) {
    size_t n = 0;
    while (p < end && *p != '"') {
        if (*p != '\\') {
            out[n++] = *p++;
            continue;
        }
        if (++p == end) return -1;
        char e = *p++;
        switch (e) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p, end, &cp)) return -1;
            p += 4;
            /* A high surrogate and its low one make one code point. */
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2, end, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            n += put_utf8(cp, out + n);
            break;
        }
        default: out[n++] = e; break; /* \" \\ \/ */
        }
    }
    return p < end ? (long)n : -1;
}

/* The value of "content" in the chunk's "delta" object, decoded; -1 when
 * there is none (a role-only or finish chunk). */
static long delta_content(const char *json, size_t len, char *out) {
    const char *end = json + len;
    const char *d = memmem(json, len, "\"delta\"", 7);
    if (!d) return -1;
    const char *k = memmem(d, (size_t)(end - d), "\"content\"", 9);
    if (!k) return -1;
    const char *p = k + 9;
    while (p < end && (*p == ' ' || *p == ':' || *p == '\t')) p++;
    if (p == end || *p != '"') return -1; /* null */
    return json_string(p + 1, end, out);
}

/* MARK: - The stream */

static void on_event(void *user, simdsse_client *c, const simdsse_event *ev) {
    run *r = user;
    if (ev->data.len == 6 && memcmp(ev->data.ptr, "[DONE]", 6) == 0) {
        r->done = 1;
        simdsse_client_close(c); /* the answer is complete */
        return;
    }
    char *text = malloc(ev->data.len + 1);
    long n = text ? delta_content(ev->data.ptr, ev->data.len, text) : -1;
    if (n > 0) {
        fwrite(text, 1, (size_t)n, stdout);
        fflush(stdout); /* token by token */
        r->printed = 1;
    }
    free(text);
}

static void on_notice(void *user, simdsse_client *c, const simdsse_client_notice *n) {
    run *r = user;
    (void)c;
    if (n->kind == SIMDSSE_CLIENT_CLOSED) {
        /* The end of the body before [DONE] is a failure here too. */
        fprintf(stderr, "%sllm_stream: %s%s\n", r->printed ? "\n" : "", n->message,
                n->reason == SIMDSSE_CLIENT_REASON_END_OF_STREAM ? " before [DONE]" : "");
        r->failed = 1;
    } else if (n->kind == SIMDSSE_CLIENT_ERROR) {
        fprintf(stderr, "llm_stream: a chunk was dropped: %s\n", n->message);
    }
}

int main(int argc, char **argv) {
    const char *url = NULL, *model = "gpt-4o-mini", *prompt = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
            url = argv[++i];
        else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (argv[i][0] != '-' && !prompt)
            prompt = argv[i];
        else
            prompt = NULL, i = argc;
    }
    const char *key = getenv("OPENAI_API_KEY");
    if (!prompt || !key) {
        fputs("usage: OPENAI_API_KEY=... llm_stream [--url URL] [--model NAME] PROMPT\n", stderr);
        return 2;
    }
    char default_url[512];
    if (!url) {
        const char *base = getenv("OPENAI_BASE_URL");
        snprintf(default_url, sizeof default_url, "%s/chat/completions",
                 base && *base ? base : "https://api.openai.com/v1");
        url = default_url;
    }

    /* The body: the prompt and model as JSON strings (the library's JSON
     * rendering quotes and escapes them). */
    size_t pn, mn;
    simdsse_format_json_string(prompt, strlen(prompt), NULL, 0, &pn);
    simdsse_format_json_string(model, strlen(model), NULL, 0, &mn);
    char *p = malloc(pn), *mq = malloc(mn), *body = malloc(pn + mn + 128);
    char *auth = malloc(strlen(key) + 32);
    if (!p || !mq || !body || !auth) return 1;
    simdsse_format_json_string(prompt, strlen(prompt), p, pn, &pn);
    simdsse_format_json_string(model, strlen(model), mq, mn, &mn);
    int blen = snprintf(body, pn + mn + 128,
                        "{\"model\":%.*s,\"stream\":true,\"messages\":[{\"role\":\"user\","
                        "\"content\":%.*s}]}",
                        (int)mn, mq, (int)pn, p);
    sprintf(auth, "Authorization: Bearer %s", key);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};

    run r = {0};
    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = url;
    o.body = body;
    o.body_len = (size_t)blen;
    o.headers = headers;
    o.on_event = on_event;
    o.on_notice = on_notice;
    o.user = &r;
    o.idle_timeout_ms = 120000; /* a model that says nothing for 2 minutes is gone */
    simdsse_status st;
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, &st);
    simdsse_client *c = m ? simdsse_client_create(m, &o, &st) : NULL;
    if (!c) {
        fprintf(stderr, "llm_stream: %s: %s\n", url, simdsse_strerror(st));
        return 2;
    }
    int running = 1;
    while (running && simdsse_client_multi_poll(m, -1, &running) == SIMDSSE_OK) {
    }
    if (r.done) putchar('\n');
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    free(p), free(mq), free(body), free(auth);
    return r.done && !r.failed ? 0 : 1;
}
