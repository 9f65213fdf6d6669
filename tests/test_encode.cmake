# test_encode.cmake -- `ssecat --encode`: JSON Lines to a text/event-stream,
# byte for byte, back through `ssecat --json`, and its error reports. Run as
#   cmake -DSSECAT=path -DSRC=source-dir -DWORK=scratch-dir -P test_encode.cmake
# An ssecat built without jansson makes it print "SKIP: ..." (the test's
# SKIP_REGULAR_EXPRESSION): CMake 3.20 scripts cannot choose their exit code.
set(dir ${SRC}/tests/encode)
set(SSECAT ${EMULATOR} ${SSECAT}) # qemu-user, valgrind or nothing
set(failures 0)
set(passes 0)

include(${CMAKE_CURRENT_LIST_DIR}/cli/expect.cmake)

file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${SSECAT} --encode INPUT_FILE ${dir}/bad.sse
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 2 AND err MATCHES "built without jansson")
  message("SKIP: ssecat built without jansson")
  return()
endif()

# The exact bytes (they hold a NUL, so compared as files, not strings).
execute_process(COMMAND ${SSECAT} --encode ${dir}/input.jsonl
                RESULT_VARIABLE rc OUTPUT_FILE ${WORK}/input.sse ERROR_VARIABLE err)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/input.sse ${dir}/input.sse
                RESULT_VARIABLE same)
set(ok FALSE)
if(rc EQUAL 0 AND same EQUAL 0 AND err STREQUAL "")
  set(ok TRUE)
endif()
expect_true(ok "encode bytes" "exit ${rc}, stderr '${err}', ${WORK}/input.sse differs from ${dir}/input.sse")

# Round trips through the parser, whole and byte by byte, from a file and
# from standard input: the JSON that comes back is the events that went in.
foreach(args "--json" "--json;--chunk;1")
  foreach(case "input.jsonl;input.roundtrip.jsonl" "../cli/sample.jsonl;../cli/sample.jsonl")
    list(GET case 0 in)
    list(GET case 1 want_file)
    execute_process(COMMAND ${SSECAT} --encode INPUT_FILE ${dir}/${in}
                    COMMAND ${SSECAT} ${args}
                    RESULTS_VARIABLE rcs OUTPUT_VARIABLE out ERROR_VARIABLE err)
    file(READ ${dir}/${want_file} want)
    set(ok FALSE)
    if(rcs STREQUAL "0;0" AND out STREQUAL want)
      set(ok TRUE)
    endif()
    expect_true(ok "round trip ${in} | ssecat ${args}" "exits ${rcs}, stderr '${err}'\n--- got\n${out}--- want\n${want}")
  endforeach()
endforeach()

# Bad lines: each reported with its line number, nothing written for it,
# the good ones still written, exit status 1.
execute_process(COMMAND ${SSECAT} --encode ${dir}/bad.jsonl
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${dir}/bad.sse want)
set(ok FALSE)
if(rc EQUAL 1 AND out STREQUAL want)
  set(ok TRUE)
endif()
expect_true(ok "bad lines: output" "exit ${rc}\n--- got\n${out}--- want\n${want}")
foreach(expect
    "ssecat: 2: not JSON" "ssecat: 3: not a JSON object" "ssecat: 4: \"data\" must be a string"
    "ssecat: 5: \"retry\" must be a non-negative integer"
    "ssecat: 6: \"retry\" must be a non-negative integer" "ssecat: 7: unknown key \"colour\""
    "ssecat: 8: \"id\": value cannot be written" "ssecat: 9: \"event\": value cannot be written"
    "ssecat: 10: \"id\": value cannot be written" "ssecat: 11: not JSON: duplicate"
    "ssecat: 13: \"comment\" must be a string")
  string(FIND "${err}" "${expect}" at)
  set(ok FALSE)
  if(at GREATER -1)
    set(ok TRUE)
  endif()
  expect_true(ok "bad lines: '${expect}'" "not in stderr:\n${err}")
endforeach()
string(REGEX MATCHALL "ssecat: [0-9]+:" reported "${err}")
list(LENGTH reported n)
set(ok FALSE)
if(n EQUAL 11)
  set(ok TRUE)
endif()
expect_true(ok "bad lines: count" "${n} reports, want 11:\n${err}")

execute_process(COMMAND ${SSECAT} --encode ${WORK}/does-not-exist.jsonl
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(ok FALSE)
if(rc EQUAL 1 AND out STREQUAL "" AND err MATCHES "No such file")
  set(ok TRUE)
endif()
expect_true(ok "missing file" "exit ${rc}, stderr '${err}'")

# A write error is an error: exit 1, with a message, not a silent 0.
if(EXISTS /dev/full)
  execute_process(COMMAND ${SSECAT} --encode ${dir}/input.jsonl OUTPUT_FILE /dev/full
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  set(ok FALSE)
  if(rc EQUAL 1 AND err MATCHES "^ssecat: standard output: No space left on device\n$")
    set(ok TRUE)
  endif()
  expect_true(ok "--encode > /dev/full" "exit ${rc}, stderr '${err}'")
endif()

message("${passes} passed, ${failures} failed")
if(failures)
  message(FATAL_ERROR "ssecat --encode tests failed")
endif()
