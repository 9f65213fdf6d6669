/*
 * replay.c -- runs a fuzz target on files and directories of inputs without
 * libFuzzer, so the seed corpora and saved crashes are regression tests in
 * every build (gcc, valgrind) and not only in clang fuzzing builds.
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE 1        /* MAP_ANONYMOUS (tests/guard.h) */
#define _POSIX_C_SOURCE 200809L /* opendir, stat */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static unsigned long ran;

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger) free(buf);
            buf = bigger;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return 1;
    }
    /* A copy flush against an inaccessible page, so a read past the input
     * faults (the targets place what they feed the library the same way). */
    static guard_buf guard;
    const uint8_t *input = (const uint8_t *)guard_place(&guard, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(input, len);
    ran++;
    return 0;
}

static int run_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) abort();
        snprintf(sub, n, "%s/%s", path, e->d_name);
        rc |= run_path(sub);
        free(sub);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv) {
    int rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) rc |= run_path(argv[i]);
    printf("%lu inputs ran\n", ran);
    return rc || ran == 0;
}
