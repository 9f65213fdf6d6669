/*
 * http_get.c -- the smallest HTTP/1.1 client the examples' tests need.
 * SPDX-License-Identifier: MIT
 *
 *     http_get [-X METHOD] [-H 'Name: value']... [-u STRING] [-t SECONDS] PORT PATH
 *
 * Sends one request to 127.0.0.1:PORT and prints the status line, the
 * Content-Type header (lowercased name) and, after a blank line, the body,
 * de-chunked, byte for byte. The response ends when the server closes the
 * connection, when Content-Length bytes have come, or (-u) as soon as the
 * body holds STRING: a stream that never ends can be read up to a point.
 * Exit status 0 on a complete response, 1 on a network error or after
 * SECONDS (10) without a byte, 2 on a usage error.
 */
#define _GNU_SOURCE /* memmem, strcasestr */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

static char *resp;
static size_t resp_len, resp_cap;

static int append(const char *p, size_t n) {
    if (resp_len + n + 1 > resp_cap) {
        size_t cap = (resp_len + n + 1) * 2;
        char *grown = realloc(resp, cap);
        if (!grown) return -1;
        resp = grown;
        resp_cap = cap;
    }
    memcpy(resp + resp_len, p, n);
    resp_len += n;
    resp[resp_len] = '\0';
    return 0;
}

/* Decodes the complete chunks of a chunked body in place; returns their
 * length, and sets *done when the last (empty) chunk was among them. */
static size_t dechunk(char *body, size_t len, int *done) {
    size_t in = 0, out = 0;
    *done = 0;
    for (;;) {
        char *eol = memmem(body + in, len - in, "\r\n", 2);
        if (!eol) return out;
        size_t size = strtoul(body + in, NULL, 16);
        size_t data = (size_t)(eol - body) + 2;
        if (size == 0) {
            *done = 1;
            return out;
        }
        if (len - data < size + 2) return out;
        memmove(body + out, body + data, size);
        out += size;
        in = data + size + 2;
    }
}

int main(int argc, char **argv) {
    const char *method = "GET", *until = NULL;
    char headers[8192] = "";
    int seconds = 10, i;
    for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-X")) method = argv[i + 1];
        else if (!strcmp(argv[i], "-u")) until = argv[i + 1];
        else if (!strcmp(argv[i], "-t")) seconds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-H") && strlen(headers) + strlen(argv[i + 1]) + 3 < sizeof headers)
            strcat(strcat(headers, argv[i + 1]), "\r\n");
        else break;
    }
    if (argc - i != 2) {
        fputs("usage: http_get [-X METHOD] [-H HEADER]... [-u STRING] [-t SECONDS] PORT PATH\n",
              stderr);
        return 2;
    }
    int fd = net_connect((unsigned)atoi(argv[i]), 0);
    if (fd < 0) {
        perror("http_get: connect");
        return 1;
    }
    net_timeout(fd, seconds);
    char req[8192 + 512];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", method,
                     argv[i + 1], headers);
    if (net_send_all(fd, req, (size_t)n) != 0) {
        perror("http_get: send");
        return 1;
    }

    for (;;) {
        char buf[16384];
        ssize_t got = recv(fd, buf, sizeof buf, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            perror("http_get: recv");
            return 1;
        }
        if (got == 0) break;
        if (append(buf, (size_t)got) != 0) return 1;
        char *end = strstr(resp, "\r\n\r\n");
        if (!end) continue;
        const char *body = end + 4;
        size_t have = resp_len - (size_t)(body - resp);
        const char *cl = strcasestr(resp, "\r\nContent-Length:");
        if (until && memmem(body, have, until, strlen(until))) break;
        if (cl && cl < end && have >= strtoul(cl + 17, NULL, 10)) break;
    }
    close(fd);
    char *end = resp ? strstr(resp, "\r\n\r\n") : NULL;
    if (!end) {
        fputs("http_get: no complete response head\n", stderr);
        return 1;
    }
    *end = '\0';
    char *body = end + 4;
    size_t body_len = resp_len - (size_t)(body - resp);
    if (strcasestr(resp, "\r\nTransfer-Encoding: chunked")) {
        int done;
        body_len = dechunk(body, body_len, &done);
        if (!done && !until) {
            fputs("http_get: incomplete chunked body\n", stderr);
            return 1;
        }
    }
    char *eol = strstr(resp, "\r\n");
    printf("%.*s\n", eol ? (int)(eol - resp) : (int)strlen(resp), resp);
    const char *ct = strcasestr(resp, "\r\nContent-Type:");
    if (ct) {
        ct += 15;
        while (*ct == ' ') ct++;
        const char *ce = strstr(ct, "\r\n");
        printf("content-type: %.*s\n", ce ? (int)(ce - ct) : (int)strlen(ct), ct);
    }
    putchar('\n');
    fwrite(body, 1, body_len, stdout);
    free(resp);
    return 0;
}
