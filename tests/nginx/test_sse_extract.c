/*
 * test_sse_extract.c -- sse_extract's JSON pointers (nginx/sse_extract.c):
 * RFC 6901 parsing and evaluation, how values are rendered, and that the
 * pre-filter that spares most events a JSON parse never turns away data
 * that holds the value, however its keys are escaped.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "sse_extract.h"

#define S(lit) lit, sizeof(lit) - 1

static char *out;
static size_t out_len, out_cap;

/* Extracts pointer `p` from `json`: 1 and the value in out, or 0/-1. */
static int ex(const char *p, const char *json, size_t len) {
    const char *err = NULL;
    sse_pointer *ptr = sse_pointer_compile(p, strlen(p), &err);
    CHECK(ptr != NULL, "compile \"%s\": %s", p, err ? err : "?");
    if (!ptr) return -2;
    int rc = sse_pointer_extract(ptr, json, len, &out, &out_len, &out_cap);
    if (rc == 1) CHECK(sse_pointer_candidate(ptr, json, len), "\"%s\" in %s: found, yet not a candidate", p, json);
    sse_pointer_free(ptr);
    return rc;
}

#define EXPECT(p, json, want)                                                                   \
    do {                                                                                        \
        int rc_ = ex(p, S(json));                                                               \
        CHECK(rc_ == 1 && out_len == sizeof(want) - 1 && memcmp(out, want, out_len) == 0,      \
              "%s in %s: rc %d, \"%.*s\", want \"%s\"", p, json, rc_, (int)out_len, out, want); \
    } while (0)

#define NOTHING(p, json)                                                                \
    do {                                                                                \
        int rc_ = ex(p, S(json));                                                       \
        CHECK(rc_ == 0, "%s in %s: rc %d, \"%.*s\"", p, json, rc_, (int)out_len, out); \
    } while (0)

static int candidate(const char *p, const char *data) {
    const char *err;
    sse_pointer *ptr = sse_pointer_compile(p, strlen(p), &err);
    if (!ptr) return -1;
    int c = sse_pointer_candidate(ptr, data, strlen(data));
    sse_pointer_free(ptr);
    return c;
}

static uint64_t rng = 2026;
static unsigned below(unsigned n) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

/* A key written the way JSON allows: each character as itself, or as a
 * \u escape, or (for those that have one) a short escape. */
static void put_key(char **p, const char *key) {
    *(*p)++ = '"';
    for (const char *k = key; *k; k++) {
        unsigned r = below(3);
        if (*k == '/' && r == 1)
            *p += sprintf(*p, "\\/");
        else if (r == 2 || *k == '"' || *k == '\\')
            *p += sprintf(*p, "\\u%04x", (unsigned char)*k);
        else
            *(*p)++ = *k;
    }
    *(*p)++ = '"';
}

int main(void) {
    /* "A JSON Pointer is a Unicode string containing a sequence of zero or
     *  more reference tokens, each prefixed by a '/'." */
    static const char *const bad[] = {"a", "usage/total", "/a~", "/a~2", "/~x/b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *err = NULL;
        CHECK(sse_pointer_compile(bad[i], strlen(bad[i]), &err) == NULL && err,
              "\"%s\" compiled", bad[i]);
    }

    EXPECT("/usage/total_tokens", "{\"usage\":{\"prompt_tokens\":9,\"total_tokens\":42}}", "42");
    EXPECT("/usage/total_tokens", "{\"usage\":{\"total_tokens\":-7}}", "-7");
    EXPECT("/a", "{\"a\":\"x\\u00e9y\"}", "x\xc3\xa9y");
    EXPECT("/a", "{\"a\":0.1}", "0.1");
    EXPECT("/a", "{\"a\":2.5e300}", "2.5e+300");
    EXPECT("/a", "{\"a\":3.0}", "3");
    EXPECT("/a", "{\"a\":0.30000000000000004}", "0.30000000000000004");
    EXPECT("/a", "{\"a\":true}", "true");
    EXPECT("/a", "{\"a\":false}", "false");
    EXPECT("/a", "{\"a\":{\"b\":1, \"c\":[1, 2]}}", "{\"b\":1,\"c\":[1,2]}");
    EXPECT("/a/1", "{\"a\":[10,20,30]}", "20");
    EXPECT("/a~1b", "{\"a/b\":1}", "1");
    EXPECT("/m~0n", "{\"m~n\":2}", "2");
    EXPECT("/a~01", "{\"a~1\":3}", "3"); /* ~01 is "~1", not "/" */
    EXPECT("/0", "{\"0\":\"zero\"}", "zero");
    EXPECT("/", "{\"\":1}", "1");
    EXPECT("", "{\"x\": 1}", "{\"x\":1}");
    EXPECT("", "5", "5");
    EXPECT("/total", "{\"tot\\u0061l\":7}", "7");
    EXPECT("/a~1b", "{\"a\\/b\":8}", "8");
    {
        int rc = ex("/a", S("{\"a\":\"x\\u0000y\"}"));
        CHECK(rc == 1 && out_len == 3 && memcmp(out, "x\0y", 3) == 0, "a NUL in a string value");
    }
    /* No value: the pointer does not resolve, or the value is null. */
    NOTHING("/usage/total_tokens", "{\"usage\":null}");
    NOTHING("/a/3", "{\"a\":[10,20,30]}");
    NOTHING("/a/01", "{\"a\":[10,20,30]}");
    NOTHING("/a/-", "{\"a\":[10,20,30]}");
    NOTHING("/a/b", "{\"a\":[1]}");
    NOTHING("/a", "[DONE]");
    NOTHING("/a", "{\"a\":1");
    NOTHING("/a", "");
    NOTHING("/a", "{\"a\":99999999999999999999999}");

    /* A value larger than the buffer grows it; a smaller one reuses it. */
    {
        char *big = malloc(20010);
        memcpy(big, "{\"a\":\"", 6);
        memset(big + 6, 'z', 20000);
        memcpy(big + 20006, "\"}", 3);
        int rc = ex("/a", big, 20008);
        CHECK(rc == 1 && out_len == 20000 && out[0] == 'z' && out[19999] == 'z', "a 20000-byte value");
        free(big);
        EXPECT("/a", "{\"a\":1}", "1");
    }

    /* The pre-filter: data without the key (and no \u) is not parsed. */
    CHECK(candidate("/usage/total_tokens", "{\"choices\":[{\"delta\":{\"content\":\"hi\\n\"}}]}") == 0,
          "a delta without usage is a candidate");
    CHECK(candidate("/usage/total_tokens", "{\"usage\":{\"total_tokens\":1}}") == 1, "usage");
    CHECK(candidate("/usage/total_tokens", "{\"x\":\"\\u00e9\"}") == 1, "\\u could spell the key");
    CHECK(candidate("/a/0", "{\"a\":[1]}") == 1 && candidate("/a/0", "{\"b\":[1]}") == 0,
          "an array index is not the key that must appear");
    CHECK(candidate("/0/1", "[[1,2]]") == 1 && candidate("", "1") == 1,
          "no key to look for: every event is a candidate");
    CHECK(candidate("/a~1b", "{\"a\\/b\":1}") == 1, "a key with / may be written \\/");
    /* The key search: at either end of the data, its rarest byte first or
     * last, repeated, longer than the data. */
    CHECK(candidate("/total_tokens", "total_tokens") == 1, "the whole data");
    CHECK(candidate("/total_tokens", "xtotal_tokens") == 1 && candidate("/total_tokens", "total_tokensx") == 1,
          "at an end");
    CHECK(candidate("/_ab", "__ab") == 1 && candidate("/ab_", "ab__") == 1, "rare byte first, last");
    CHECK(candidate("/total_tokens", "total_tokenz total__tokens otal_tokens") == 0, "near misses");
    CHECK(candidate("/total_tokens", "total_tok") == 0, "longer than the data");
    CHECK(candidate("/x", "\\\\u") == 0 && candidate("/x", "\\\\\\u") == 1,
          "an escaped backslash before u is no \\u escape");

    /* Whatever the escaping, a document holding the value is a candidate
     * (ex() checks it on every success). */
    static const char *const keys[] = {"usage", "total_tokens", "a/b", "q\"t", "x", "output_tokens"};
    static const char *const ptrs[] = {"/usage/total_tokens", "/a~1b/x", "/q\"t", "/x/0",
                                       "/output_tokens", "/usage/a~1b"};
    char doc[4096];
    int found = 0;
    for (int i = 0; i < 3000; i++) {
        char *p = doc;
        *p++ = '{';
        unsigned n = 1 + below(3);
        for (unsigned k = 0; k < n; k++) {
            if (k) *p++ = ',';
            put_key(&p, keys[below(6)]);
            *p++ = ':';
            unsigned kind = below(3);
            if (kind == 0) {
                p += sprintf(p, "%u", below(1000));
            } else if (kind == 1) {
                *p++ = '{';
                put_key(&p, keys[below(6)]);
                p += sprintf(p, ":%u}", below(1000));
            } else {
                p += sprintf(p, "[%u]", below(10));
            }
        }
        *p++ = '}';
        *p = '\0';
        for (size_t k = 0; k < sizeof ptrs / sizeof ptrs[0]; k++) found += ex(ptrs[k], doc, (size_t)(p - doc)) == 1;
    }
    CHECK(found > 100, "only %d random documents held a value", found);

    free(out);
    return check_done();
}
