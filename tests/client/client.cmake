# The client library's tests (tests/client/): the scripted test server
# (sse_test_server.c, Linux: epoll) and the cases against it. Without the
# client (no libcurl) they are skipped with a message.
if(NOT TARGET simdsse_client OR NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  add_test(NAME client COMMAND ${CMAKE_COMMAND} -E echo
           "SKIP: the client library is not built (libcurl4-openssl-dev not found) or not on Linux")
  set_tests_properties(client PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP:")
  return()
endif()

# The header in every language standard, as include/simdsse.h is tested.
simdsse_header_tests(client_header ${CMAKE_CURRENT_LIST_DIR}/header.c
                     ${CMAKE_CURRENT_LIST_DIR}/header.cc)

add_executable(sse_test_server ${CMAKE_CURRENT_LIST_DIR}/sse_test_server.c)
set(SIMDSSE_CLIENT_WORK ${CMAKE_CURRENT_BINARY_DIR}/client-work)
file(MAKE_DIRECTORY ${SIMDSSE_CLIENT_WORK})

add_executable(test_client ${CMAKE_CURRENT_LIST_DIR}/test_client.c)
target_link_libraries(test_client PRIVATE simdsse_client)
target_include_directories(test_client PRIVATE ${CMAKE_CURRENT_LIST_DIR}/.. ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME client COMMAND test_client $<TARGET_FILE:sse_test_server> ${SIMDSSE_CLIENT_WORK})
set_tests_properties(client PROPERTIES TIMEOUT 180)

# The programs on the client, run as a user runs them: the examples, and
# `ssecat URL` when ssecat is built with the client.
add_executable(test_client_tools ${CMAKE_CURRENT_LIST_DIR}/test_client_tools.c)
target_include_directories(test_client_tools PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..
                                                     ${CMAKE_CURRENT_LIST_DIR})
if(TARGET llm_stream AND TARGET client_poll AND TARGET sse_client)
  add_test(NAME client_examples COMMAND test_client_tools $<TARGET_FILE:sse_test_server>
           ${SIMDSSE_CLIENT_WORK} --llm $<TARGET_FILE:llm_stream> --poll $<TARGET_FILE:client_poll>
           --sse-client $<TARGET_FILE:sse_client>)
  set_tests_properties(client_examples PROPERTIES TIMEOUT 120)
endif()
# client_libuv (the client in a libuv loop) is an example: it has the
# examples' label and name, so .ci/examples.sh runs it (and builds what it
# needs with simdsse_examples). In an emulator's run (valgrind, qemu-user)
# the example runs under it too, not only the test program.
if(TARGET client_libuv)
  add_dependencies(simdsse_examples test_client_tools sse_test_server)
  add_test(NAME example_client_libuv COMMAND test_client_tools $<TARGET_FILE:sse_test_server>
           ${SIMDSSE_CLIENT_WORK} --libuv $<TARGET_FILE:client_libuv>)
  set_tests_properties(example_client_libuv PROPERTIES LABELS examples TIMEOUT 120)
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " _wrapper)
    set_tests_properties(example_client_libuv PROPERTIES
                         ENVIRONMENT "SIMDSSE_TEST_WRAPPER=${_wrapper}")
  endif()
else()
  add_test(NAME example_client_libuv COMMAND ${CMAKE_COMMAND} -E echo
           "SKIP: client_libuv is not built (libuv not found: Debian libuv1-dev, and pkg-config)")
  set_tests_properties(example_client_libuv PROPERTIES LABELS examples
                       SKIP_REGULAR_EXPRESSION "SKIP:")
endif()
if(TARGET ssecat)
  add_test(NAME client_ssecat COMMAND test_client_tools $<TARGET_FILE:sse_test_server>
           ${SIMDSSE_CLIENT_WORK} --ssecat $<TARGET_FILE:ssecat>)
  set_tests_properties(client_ssecat PROPERTIES TIMEOUT 120)
endif()

# The many-streams benchmark (bench/client/bench_client.c) needs the test
# server, so it is built here; ctest only runs it small, untimed.
add_executable(bench_client ${PROJECT_SOURCE_DIR}/bench/client/bench_client.c)
target_link_libraries(bench_client PRIVATE simdsse_client)
target_compile_definitions(bench_client PRIVATE SSE_TEST_SERVER="$<TARGET_FILE:sse_test_server>"
  NODE_BASELINE_SCRIPT="${PROJECT_SOURCE_DIR}/bench/client/eventsource_baseline.mjs")
set_target_properties(bench_client PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
add_test(NAME client_bench_smoke COMMAND bench_client --streams 20 --events 50 --interval-us 2000)
set_tests_properties(client_bench_smoke PROPERTIES TIMEOUT 120)

# The installed package works from an outside project (find_package,
# pkg-config), after the tree is moved. Not in sanitizer builds (the
# consumer has no sanitizer runtime).
if(NOT SIMDSSE_SANITIZE)
  add_test(NAME client_install COMMAND ${CMAKE_COMMAND} -DBUILD=${PROJECT_BINARY_DIR}
           -DSRC=${PROJECT_SOURCE_DIR} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/client-install
           -DCC=${CMAKE_C_COMPILER} -P ${CMAKE_CURRENT_LIST_DIR}/install/run.cmake)
  set_tests_properties(client_install PROPERTIES TIMEOUT 300)
endif()
# The client's ABI is deliberate too: the shared library exports exactly
# simdsse_client.exports, the header's SIMDSSE_CLIENT_API functions.
if(CMAKE_NM)
  add_test(NAME client_symbols COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM}
           -DSHARED=$<TARGET_FILE:simdsse_client_shared> -DSTATIC=$<TARGET_FILE:simdsse_client>
           -DEXPORTS=${PROJECT_SOURCE_DIR}/src/client/simdsse_client.exports
           -DHEADER=${PROJECT_SOURCE_DIR}/include/simdsse_client.h -DAPI=SIMDSSE_CLIENT_API
           -P ${CMAKE_CURRENT_LIST_DIR}/../check_symbols.cmake)
endif()
