/* consumer.c -- links against an installed simdsse and parses one event. */
#include <simdsse.h>
#include <stdio.h>
#include <string.h>

static int on_event(void *user, const simdsse_event *ev) {
    *(int *)user = ev->data.len == 2 && memcmp(ev->data.ptr, "hi", 2) == 0;
    return 0;
}

int main(void) {
    int ok = 0;
    simdsse_callbacks cb = {.on_event = on_event};
    static const char in[] = "data: hi\n\n";
    if (simdsse_parse(in, sizeof in - 1, &cb, &ok, NULL) != SIMDSSE_OK || !ok) {
        puts("0 passed, 1 failed");
        return 1;
    }
    printf("1 passed, 0 failed (simdsse %s)\n", simdsse_version());
    return 0;
}
