/*
 * sse_extract.c -- JSON pointers over event data, with jansson (see
 * sse_extract.h).
 * SPDX-License-Identifier: MIT
 */
#include "sse_extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

typedef struct token {
    char *text; /* unescaped */
    size_t len;
    long index; /* the array index the token names, or -1 */
} token;

struct sse_pointer {
    size_t count;
    token *tokens;
    /* The last token that can only be an object key, or NULL: what a
     * document holding the value must contain (see the header). */
    const token *key;
    size_t rare;           /* the key's rarest byte, where a search starts */
    int key_short_escapes; /* the key has a byte JSON may write as \X */
};

/* How common a byte is in JSON event data, roughly (lower: rarer): the
 * key search looks for its rarest byte first, which in LLM streams is
 * often '_' (total_tokens, output_tokens). */
static int commonness(unsigned char c) {
    static const char letters[] = "zqjxkvbpygfwmucldrhsnioate"; /* rarest first */
    if (c >= 'a' && c <= 'z') return 10 + (int)(strchr(letters, c) - letters);
    if (c >= 'A' && c <= 'Z') return 5;
    if (c >= '0' && c <= '9') return 8;
    if (c == ' ' || c == '"' || c == ':' || c == ',') return 40;
    return 1;
}

/* RFC 6901: "array-index = %x30 / ( %x31-39 *(%x30-39) )", no leading
 * zeros; "-" names the element after the last, which never exists. */
static long array_index(const char *s, size_t len) {
    if (len == 0 || len > 9) return -1; /* larger is no real index (and fits a 32-bit long) */
    if (s[0] == '0' && len > 1) return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

void sse_pointer_free(sse_pointer *p) {
    if (!p) return;
    for (size_t i = 0; i < p->count; i++) free(p->tokens[i].text);
    free(p->tokens);
    free(p);
}

sse_pointer *sse_pointer_compile(const char *text, size_t len, const char **error) {
    /* "A JSON Pointer is a Unicode string containing a sequence of zero or
     *  more reference tokens, each prefixed by a '/' (%x2F) character." */
    if (len && text[0] != '/') {
        *error = "a JSON pointer is empty or starts with \"/\"";
        return NULL;
    }
    sse_pointer *p = calloc(1, sizeof *p);
    if (!p) goto no_memory;
    for (size_t i = 0; i < len; i++) p->count += text[i] == '/';
    if (p->count && !(p->tokens = calloc(p->count, sizeof *p->tokens))) goto no_memory;
    const char *s = text, *end = text + len;
    for (size_t t = 0; t < p->count; t++) {
        const char *from = s + 1, *to = from;
        while (to < end && *to != '/') to++;
        token *k = &p->tokens[t];
        if (!(k->text = malloc((size_t)(to - from) + 1))) goto no_memory;
        /* "evaluation ... first transforming any occurrence of the sequence
         *  '~1' to '/', and then transforming any occurrence of the sequence
         *  '~0' to '~'": one pass decoding each escape does both. */
        for (const char *c = from; c < to; c++) {
            if (*c != '~') {
                k->text[k->len++] = *c;
                continue;
            }
            if (c + 1 == to || (c[1] != '0' && c[1] != '1')) {
                *error = "\"~\" in a JSON pointer must be followed by 0 or 1";
                sse_pointer_free(p);
                return NULL;
            }
            k->text[k->len++] = c[1] == '0' ? '~' : '/';
            c++;
        }
        k->index = array_index(k->text, k->len);
        if (k->index < 0 && !(k->len == 1 && k->text[0] == '-')) p->key = k;
        s = to;
    }
    if (p->key) {
        for (size_t i = 0; i < p->key->len; i++) {
            unsigned char c = (unsigned char)p->key->text[i];
            if (c < 0x20 || c == '"' || c == '\\' || c == '/') p->key_short_escapes = 1;
            if (commonness(c) < commonness((unsigned char)p->key->text[p->rare])) p->rare = i;
        }
    }
    return p;
no_memory:
    sse_pointer_free(p);
    *error = "out of memory";
    return NULL;
}

/* Whether data holds the key's bytes: memchr for its rarest byte, then a
 * compare (on short event data this beats memmem's general algorithm
 * several times over). */
static int has_key(const sse_pointer *p, const char *data, size_t len) {
    const char *k = p->key->text;
    size_t n = p->key->len, r = p->rare;
    if (len < n) return 0;
    const char *s = data + r, *last = data + (len - n) + r; /* where k[r] may be */
    while (s <= last && (s = memchr(s, k[r], (size_t)(last - s) + 1)) != NULL) {
        if (memcmp(s - r, k, n) == 0) return 1;
        s++;
    }
    return 0;
}

/* Whether data holds a \u escape. */
static int has_u_escape(const char *data, size_t len) {
    const char *s = data, *end = data + len;
    while ((s = memchr(s, '\\', (size_t)(end - s))) != NULL && s + 1 < end) {
        if (s[1] == 'u') return 1;
        s += 2; /* the escaped byte is not an escape */
    }
    return 0;
}

int sse_pointer_candidate(const sse_pointer *p, const char *data, size_t len) {
    if (!p->key || !p->key->len) return 1; /* nothing to look for */
    if (has_key(p, data, len)) return 1;
    if (p->key_short_escapes) return memchr(data, '\\', len) != NULL;
    return has_u_escape(data, len);
}

static int put(char **out, size_t *out_len, size_t *cap, const char *s, size_t n) {
    if (n > *cap) {
        size_t c = *cap ? *cap : 32;
        while (c < n) c *= 2;
        char *q = realloc(*out, c);
        if (!q) return -1;
        *out = q;
        *cap = c;
    }
    if (n) memcpy(*out, s, n);
    *out_len = n;
    return 1;
}

/* The shortest %g form that reads back as the same double (C locale: nginx
 * never calls setlocale). */
static size_t render_real(double v, char *buf, size_t cap) {
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return n > 0 ? (size_t)n : 0;
}

int sse_pointer_extract(const sse_pointer *p, const char *data, size_t len, char **out,
                        size_t *out_len, size_t *cap) {
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!root) return 0;
    json_t *v = root;
    for (size_t i = 0; v && i < p->count; i++) {
        const token *k = &p->tokens[i];
        if (json_is_object(v))
            v = json_object_getn(v, k->text, k->len);
        else if (json_is_array(v) && k->index >= 0)
            v = json_array_get(v, (size_t)k->index);
        else
            v = NULL;
    }
    int rc = 0;
    char num[64];
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING:
        rc = put(out, out_len, cap, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        rc = put(out, out_len, cap, num, (size_t)n);
        break;
    }
    case JSON_REAL:
        rc = put(out, out_len, cap, num, render_real(json_real_value(v), num, sizeof num));
        break;
    case JSON_TRUE: rc = put(out, out_len, cap, "true", 4); break;
    case JSON_FALSE: rc = put(out, out_len, cap, "false", 5); break;
    case JSON_OBJECT:
    case JSON_ARRAY: {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        rc = text ? put(out, out_len, cap, text, strlen(text)) : -1;
        free(text);
        break;
    }
    case JSON_NULL: break;
    }
    json_decref(root);
    return rc;
}
