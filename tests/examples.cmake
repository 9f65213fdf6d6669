# The examples, each run with its output checked (tests/examples/), and the
# guide's code blocks compiled. Every test here has the label "examples"
# (ctest -L examples). Tests whose dependency is missing (libmicrohttpd,
# chromium, python3, bash) still run and report "SKIP: why", which ctest
# shows as skipped.
set(_ex ${CMAKE_CURRENT_SOURCE_DIR}/examples)
set(_data ${PROJECT_SOURCE_DIR}/examples/data)
set(_work ${CMAKE_CURRENT_BINARY_DIR}/examples-out)
file(MAKE_DIRECTORY ${_work})
find_program(SIMDSSE_BASH bash)
find_program(SIMDSSE_TIMEOUT timeout)
find_package(Python3 COMPONENTS Interpreter QUIET)

# Every C block of docs/guide.md compiles and links against the library;
# the client's blocks against the client library and libcurl too, when the
# client is built (guide.cmake says it skips them when not).
if(SIMDSSE_SANITIZE)
  set(_guide_flags "-fsanitize=address,undefined")
endif()
set(_guide_client)
if(TARGET simdsse_client)
  find_package(CURL QUIET) # its imported target is local to src/client
  set(_guide_client "$<TARGET_FILE:simdsse_client>|$<TARGET_LINKER_FILE:CURL::libcurl>")
endif()
add_test(NAME example_guide COMMAND ${CMAKE_COMMAND} -DDOC=${PROJECT_SOURCE_DIR}/docs/guide.md
              -DCC=${CMAKE_C_COMPILER} -DINCLUDE=${PROJECT_SOURCE_DIR}/include
              -DLIB=$<TARGET_FILE:simdsse> "-DFLAGS=${_guide_flags}"
              "-DCLIENT_LIBS=${_guide_client}" -DWORK=${_work}/guide -P ${_ex}/guide.cmake)
set_tests_properties(example_guide PROPERTIES LABELS examples TIMEOUT 300)

if(NOT TARGET simdsse_examples) # SIMDSSE_BUILD_EXAMPLES=OFF
  return()
endif()


# example_output(NAME PROGRAM [ARGS a b] [INPUT f] [THEN p] [THEN_ARGS ...]
#                [EXIT n] [ERR]): runs it and compares with examples/NAME.out
# (and examples/NAME.err with ERR), through tests/examples/expect.cmake.
function(example_output name program)
  cmake_parse_arguments(E "ERR" "INPUT;THEN;EXIT;EXPECT" "ARGS;THEN_ARGS" ${ARGN})
  if(NOT TARGET ${program} OR (E_THEN AND NOT TARGET ${E_THEN}))
    return()
  endif()
  if(NOT E_EXPECT)
    set(E_EXPECT ${name})
  endif()
  list(JOIN E_ARGS "|" _args)
  list(JOIN E_THEN_ARGS "|" _then_args)
  # Lists reach a script joined with "|": a ";" would split the argument.
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR "|" _emulator)
  set(_cmd ${CMAKE_COMMAND} "-DEMULATOR=${_emulator}"
           -DPROGRAM=$<TARGET_FILE:${program}> "-DARGS=${_args}"
           -DEXPECT=${_ex}/${E_EXPECT}.out -DWORKDIR=${_data} -DOUT=${_work}/${name}.out)
  if(E_ERR)
    list(APPEND _cmd -DEXPECT_ERR=${_ex}/${E_EXPECT}.err)
  endif()
  if(E_INPUT)
    list(APPEND _cmd -DINPUT=${_data}/${E_INPUT})
  endif()
  if(E_THEN)
    list(APPEND _cmd -DTHEN=$<TARGET_FILE:${E_THEN}> "-DTHEN_ARGS=${_then_args}")
  endif()
  if(DEFINED E_EXIT)
    list(APPEND _cmd -DEXIT=${E_EXIT})
  endif()
  add_test(NAME example_${name} COMMAND ${_cmd} -P ${_ex}/expect.cmake)
  set_tests_properties(example_${name} PROPERTIES LABELS examples TIMEOUT 120)
endfunction()

# A test that only says why it cannot run.
function(example_skip name why)
  add_test(NAME example_${name} COMMAND ${CMAKE_COMMAND} -E echo "SKIP: ${why}")
  set_tests_properties(example_${name} PROPERTIES LABELS examples SKIP_REGULAR_EXPRESSION "SKIP:")
endfunction()

example_output(parse_file parse_file ARGS ${PROJECT_SOURCE_DIR}/corpus/sample.sse)
# Read through a pipe in 1-, 7- and 65536-byte reads: the same output.
foreach(_chunk 1 7 65536)
  example_output(stream_read_${_chunk} stream_read ARGS --chunk ${_chunk} --max-line 64
                 INPUT stream.sse EXPECT stream_read ERR)
endforeach()
example_output(pull_loop pull_loop ARGS ticks.sse stream.sse)
example_output(pull_loop_stdin pull_loop ARGS - INPUT stream.sse)
example_output(validate_file validate_file ARGS broken.sse EXIT 1)
example_output(json_encode json_events ARGS encode INPUT notes.txt)
example_output(json_roundtrip json_events ARGS encode INPUT notes.txt THEN json_events
               THEN_ARGS decode)
example_output(limits limits)

# The serving and writing examples: servers.sh runs each on an ephemeral
# port and checks every response byte for byte, with tests/examples/http_get.
# Scripts get the emulator ctest puts before test programs (qemu-user in a
# cross build, valgrind in .ci/valgrind.sh) and run the examples with it.
if(SIMDSSE_BASH AND SIMDSSE_TIMEOUT)
  add_executable(http_get ${_ex}/http_get.c)
  add_dependencies(simdsse_examples http_get)
  foreach(_case write_stream sse_server hub mhd_server)
    if(TARGET ${_case})
      add_test(NAME example_${_case} COMMAND ${SIMDSSE_BASH} ${_ex}/servers.sh ${_case}
                    ${_work}/${_case} $<TARGET_FILE:${_case}> $<TARGET_FILE:http_get>
                    ${CMAKE_CROSSCOMPILING_EMULATOR})
      set_tests_properties(example_${_case} PROPERTIES LABELS examples TIMEOUT 120)
    elseif(_case STREQUAL "mhd_server")
      example_skip(mhd_server "libmicrohttpd not found (Debian: libmicrohttpd-dev)")
    endif()
  endforeach()
else()
  example_skip(servers "bash and timeout(1) are needed to run the servers")
endif()

if(TARGET hub)
  # 1,000 subscribers on one loop, forced reconnections, a slow one. Under
  # an emulator (qemu-user, valgrind: it runs both the client and the hub)
  # 50 subscribers, so that it ends in about half a minute; 1,000 events
  # or more, enough to lap the slow subscriber's socket buffers and the ring.
  add_executable(hub_load ${_ex}/hub_load.c)
  target_link_libraries(hub_load PRIVATE simdsse)
  add_dependencies(simdsse_examples hub_load)
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    set(_load 50 1000)
  else()
    set(_load 1000 1500)
  endif()
  add_test(NAME example_hub_load COMMAND hub_load ${_work}/hub_load.log ${_load}
                ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:hub>)
  set_tests_properties(example_hub_load PROPERTIES LABELS examples TIMEOUT 200)
  # The hub's page in headless Chromium (skips itself without chromium).
  if(Python3_Interpreter_FOUND AND SIMDSSE_BASH)
    add_test(NAME example_hub_browser COMMAND ${Python3_EXECUTABLE} ${_ex}/browser_test.py
                  ${_work}/browser ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:hub>)
    set_tests_properties(example_hub_browser PROPERTIES LABELS examples TIMEOUT 180
                         SKIP_REGULAR_EXPRESSION "SKIP:")
  else()
    example_skip(hub_browser "python3 (and bash) are needed to drive chromium")
  endif()
endif()

# sse_client (libcurl) reconnecting to sse_server with Last-Event-ID until it
# answers 204. Only when both are built and bash and timeout(1) are at hand.
if(TARGET sse_server AND TARGET sse_client AND SIMDSSE_BASH AND SIMDSSE_TIMEOUT)
  add_test(NAME examples_reconnect
           COMMAND ${SIMDSSE_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/examples/run.sh
                   $<TARGET_FILE:sse_server> $<TARGET_FILE:sse_client>
                   ${CMAKE_CURRENT_BINARY_DIR}/examples-run ${CMAKE_CROSSCOMPILING_EMULATOR})
  set_tests_properties(examples_reconnect PROPERTIES TIMEOUT 120 LABELS examples)
endif()
