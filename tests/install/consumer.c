/* consumer.c -- links against an installed simdsse and parses one event,
 * through the callbacks and through the pull API. */
#include <simdsse.h>
#include <stdio.h>
#include <string.h>

static int is_hi(const simdsse_event *ev) {
    return ev->data.len == 2 && memcmp(ev->data.ptr, "hi", 2) == 0;
}

static int on_event(void *user, const simdsse_event *ev) {
    *(int *)user = is_hi(ev);
    return 0;
}

int main(void) {
    static const char in[] = "data: hi\n\n";
    int ok = 0;
    simdsse_parser_options o;
    simdsse_parser_options_init(&o);
    o.on_event = on_event;
    o.user = &ok;
    if (simdsse_parse(in, sizeof in - 1, &o) != SIMDSSE_OK) ok = 0;
    simdsse_parser *p = simdsse_parser_create(NULL, NULL);
    const simdsse_item *it;
    int pulled = p && simdsse_parser_push(p, in, sizeof in - 1) == SIMDSSE_OK &&
                 simdsse_parser_next(p, &it) == SIMDSSE_OK && it->kind == SIMDSSE_ITEM_EVENT &&
                 is_hi(&it->event) && simdsse_parser_next(p, &it) == SIMDSSE_NEED_INPUT;
    simdsse_parser_destroy(p);
    if (!ok || !pulled) {
        puts("0 passed, 1 failed");
        return 1;
    }
    printf("1 passed, 0 failed (simdsse %s)\n", simdsse_version());
    return 0;
}
