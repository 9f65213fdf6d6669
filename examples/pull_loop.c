/*
 * pull_loop.c -- the pull API in an event loop: many streams, one thread.
 * SPDX-License-Identifier: MIT
 *
 *     pull_loop INPUT...        (each a file, a FIFO, or - for standard input)
 *
 * A poll() loop reads every input at once, one parser each. After reading
 * a chunk it pushes it (simdsse_parser_push) and takes items out
 * (simdsse_parser_next) -- but at most BUDGET per turn, so that one busy
 * stream cannot starve the others. A stream whose chunk is not used up is
 * simply resumed on the next turn: no callback, no pause, nothing to undo.
 * The one rule: a pushed chunk must stay put until next says
 * SIMDSSE_NEED_INPUT, so each stream has its own buffer.
 *
 * Each event is printed as `INPUT: type [id]: data` (line feeds in the data
 * shown as \n), each limit error as `INPUT: dropped: ...`.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simdsse.h"

enum { MAX_INPUTS = 16, BUF_SIZE = 4096, BUDGET = 8 };

typedef struct input {
    const char *name;
    int fd;                /* -1 once the stream has ended */
    int pending;           /* a pushed chunk still has items to take */
    simdsse_parser *parser;
    char buf[BUF_SIZE];    /* the pushed chunk lives here until NEED_INPUT */
} input;

static void print_item(const input *in, const simdsse_item *it) {
    if (it->kind == SIMDSSE_ITEM_ERROR) {
        printf("%s: dropped: %s at byte %llu\n", in->name, simdsse_strerror(it->error.status),
               (unsigned long long)it->error.offset);
        return;
    }
    if (it->kind != SIMDSSE_ITEM_EVENT) return; /* comments, retry: not shown */
    const simdsse_event *ev = &it->event;
    printf("%s: %.*s [%.*s]: ", in->name, (int)ev->type.len, ev->type.ptr, (int)ev->id.len,
           ev->id.ptr);
    for (size_t i = 0; i < ev->data.len; i++) {
        if (ev->data.ptr[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(ev->data.ptr[i]);
    }
    putchar('\n');
}

/* Takes up to BUDGET items of the pushed chunk. Returns -1 if the parser
 * failed (out of memory: it would need a reset), 0 otherwise. */
static int drain(input *in) {
    for (int n = 0; n < BUDGET; n++) {
        const simdsse_item *it;
        simdsse_status st = simdsse_parser_next(in->parser, &it);
        if (st == SIMDSSE_NEED_INPUT) {
            in->pending = 0; /* buf is free: the next read may refill it */
            return 0;
        }
        if (st != SIMDSSE_OK) {
            fprintf(stderr, "pull_loop: %s: %s\n", in->name, simdsse_strerror(st));
            return -1;
        }
        print_item(in, it);
    }
    return 0; /* budget spent: the rest of this chunk waits for the next turn */
}

/* Reads one chunk and pushes it. Returns 0, or -1 at the end of the input. */
static int refill(input *in) {
    ssize_t n = read(in->fd, in->buf, sizeof in->buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    if (n <= 0) {
        if (n < 0) fprintf(stderr, "pull_loop: %s: %s\n", in->name, strerror(errno));
        return -1;
    }
    simdsse_status st = simdsse_parser_push(in->parser, in->buf, (size_t)n);
    if (st != SIMDSSE_OK) {
        fprintf(stderr, "pull_loop: %s: %s\n", in->name, simdsse_strerror(st));
        return -1;
    }
    in->pending = 1;
    return 0;
}

int main(int argc, char **argv) {
    static input inputs[MAX_INPUTS];
    int count = argc - 1, status = 0;
    if (count < 1 || count > MAX_INPUTS) {
        fprintf(stderr, "usage: pull_loop INPUT... (1 to %d files, FIFOs or -)\n", MAX_INPUTS);
        return 2;
    }
    for (int i = 0; i < count; i++) {
        input *in = &inputs[i];
        simdsse_status st;
        in->name = argv[i + 1];
        /* A FIFO's open waits for its writer; reads wait for poll. */
        in->fd = strcmp(in->name, "-") ? open(in->name, O_RDONLY) : STDIN_FILENO;
        in->parser = in->fd < 0 ? NULL : simdsse_parser_create(NULL, &st);
        if (!in->parser) {
            if (in->fd < 0)
                perror(in->name);
            else
                fprintf(stderr, "pull_loop: %s\n", simdsse_strerror(st));
            for (int j = 0; j <= i; j++) {
                simdsse_parser_destroy(inputs[j].parser);
                if (inputs[j].fd > STDIN_FILENO) close(inputs[j].fd);
            }
            return 1;
        }
    }

    for (int open_inputs = count; open_inputs > 0;) {
        /* Wait for input, but not while some stream has items left over. */
        struct pollfd pfd[MAX_INPUTS];
        int busy = 0;
        for (int i = 0; i < count; i++) {
            pfd[i].fd = inputs[i].pending ? -1 : inputs[i].fd; /* -1: poll skips it */
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
            busy |= inputs[i].pending;
        }
        if (poll(pfd, (nfds_t)count, busy ? 0 : -1) < 0 && errno != EINTR) {
            perror("pull_loop: poll");
            status = 1;
            break;
        }
        for (int i = 0; i < count; i++) {
            input *in = &inputs[i];
            if (in->fd < 0) continue;
            if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) && refill(in) != 0) {
                /* End of this stream: finish drops an unterminated event. */
                simdsse_parser_finish(in->parser);
                if (in->fd > STDIN_FILENO) close(in->fd);
                in->fd = -1;
                open_inputs--;
                continue;
            }
            if (in->pending && drain(in) != 0) {
                status = 1;
                simdsse_parser_reset(in->parser); /* forget the broken event, go on */
                in->pending = 0;
            }
        }
    }

    for (int i = 0; i < count; i++) {
        if (inputs[i].fd > STDIN_FILENO) close(inputs[i].fd);
        simdsse_parser_destroy(inputs[i].parser);
    }
    if (fflush(stdout) != 0) status = 1;
    return status;
}
