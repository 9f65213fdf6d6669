# The examples against each other: sse_client (libcurl) reconnecting to
# sse_server with Last-Event-ID until it answers 204. Only when both are
# built (the client needs libcurl) and bash and timeout(1) are at hand.
find_program(SIMDSSE_BASH bash)
find_program(SIMDSSE_TIMEOUT timeout)
if(TARGET sse_server AND TARGET sse_client AND SIMDSSE_BASH AND SIMDSSE_TIMEOUT)
  add_test(NAME examples_reconnect
           COMMAND ${SIMDSSE_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/examples/run.sh
                   $<TARGET_FILE:sse_server> $<TARGET_FILE:sse_client>
                   ${CMAKE_CURRENT_BINARY_DIR}/examples-run ${CMAKE_CROSSCOMPILING_EMULATOR})
  set_tests_properties(examples_reconnect PROPERTIES TIMEOUT 120)
endif()
