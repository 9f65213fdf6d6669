/* consumer.c -- links against an installed simdsse_client: a multi, a
 * client refused for a bad URL, one created and destroyed unstarted. */
#include <simdsse_client.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    simdsse_status st;
    simdsse_client_multi *m = simdsse_client_multi_create(NULL, &st);
    simdsse_client_options o;
    simdsse_client_options_init(&o);
    o.url = "gopher://example.com/";
    int ok = m && !simdsse_client_create(m, &o, &st) && st == SIMDSSE_ERR_INVALID_ARGUMENT;
    o.url = "http://127.0.0.1:9/events";
    simdsse_client *c = ok ? simdsse_client_create(m, &o, &st) : NULL;
    ok = ok && c && simdsse_client_multi_running(m) == 1 &&
         strcmp(simdsse_client_reason_name(SIMDSSE_CLIENT_REASON_NO_CONTENT), "no-content") == 0;
    simdsse_client_destroy(c);
    simdsse_client_multi_destroy(m);
    if (!ok) {
        puts("0 passed, 1 failed");
        return 1;
    }
    printf("1 passed, 0 failed (simdsse %s)\n", simdsse_version());
    return 0;
}
