# run.cmake -- ssecat --validate on the fixtures beside this file: exact
# output and exit status, run as
#   cmake -DSSECAT=path -DSRC=source-dir -DWORK=scratch-dir -P run.cmake
# Each FILE.sse has its expected output in FILE.out. The fixtures are named
# relative to this directory, as the output names them.
set(dir ${SRC}/tests/validate)
set(SSECAT ${EMULATOR} ${SSECAT}) # qemu-user, valgrind or nothing
set(failures 0)
set(passes 0)

set(EXPECT_WORKING_DIRECTORY ${dir})
include(${CMAKE_CURRENT_LIST_DIR}/../cli/expect.cmake)

file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/empty.txt "")

# Exit status 1 only when there is an error; warnings alone give 0.
foreach(fixture clean:0 errors:1 warnings:0)
  string(REPLACE ":" ";" f ${fixture})
  list(GET f 0 name)
  list(GET f 1 rc)
  expect_run(${name} ${rc} ${dir}/${name}.out "" ${SSECAT} --validate ${name}.sse)
  # Chunking never changes a thing.
  foreach(chunk 1 2 3 7 64)
    expect_run(${name}-chunk-${chunk} ${rc} ${dir}/${name}.out "" ${SSECAT} --validate --chunk ${chunk} ${name}.sse)
  endforeach()
endforeach()

# Standard input is named <stdin>, with "-" or with no file at all.
expect_run(stdin-dash 1 ${dir}/errors.stdin.out "" ${SSECAT} --validate - INPUT_FILE ${dir}/errors.sse)
expect_run(stdin-none 1 ${dir}/errors.stdin.out "" ${SSECAT} --validate INPUT_FILE ${dir}/errors.sse)
expect_run(stdin-chunk 1 ${dir}/errors.stdin.out "" ${SSECAT} --chunk 5 --validate INPUT_FILE ${dir}/errors.sse)

# Past 1000 diagnostics only the count goes on, and the summary says so.
string(REPEAT "x\n" 1001 many)
file(WRITE ${WORK}/many.sse "${many}")
execute_process(COMMAND ${SSECAT} --validate many.sse WORKING_DIRECTORY ${WORK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(REGEX MATCHALL "\n" lines "${out}")
list(LENGTH lines nlines)
set(ok FALSE)
if(rc STREQUAL "1" AND nlines EQUAL 1001
   AND out MATCHES "\nmany.sse: 1001 errors, 0 warnings, 0 events \\(1 more not shown\\)\n$")
  set(ok TRUE)
endif()
expect_true(ok many "exit ${rc}, ${nlines} lines, ends: ...${out}")

# I/O and usage errors.
expect_run(missing-file 1 ${WORK}/empty.txt "No such file" ${SSECAT} --validate ${WORK}/does-not-exist.sse)
expect_run(chunk-zero 2 ${WORK}/empty.txt "positive" ${SSECAT} --validate --chunk 0 clean.sse)
expect_run(with-encode 2 ${WORK}/empty.txt "exclude each other" ${SSECAT} --validate --encode clean.sse)
expect_run(two-inputs 2 ${WORK}/empty.txt "one input" ${SSECAT} --validate clean.sse errors.sse)

message("${passes} passed, ${failures} failed")
if(failures)
  message(FATAL_ERROR "ssecat --validate tests failed")
endif()
