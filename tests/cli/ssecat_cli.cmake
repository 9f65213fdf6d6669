# ssecat_cli.cmake -- ssecat's output and exit statuses, run as
#   cmake -DSSECAT=path -DSRC=source-dir -DWORK=scratch-dir -P ssecat_cli.cmake
# A CMake script rather than a shell script so the test needs nothing but
# what builds the project.
set(sample ${SRC}/corpus/sample.sse)
set(failures 0)
set(passes 0)

include(${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/five.txt "5\n")
file(WRITE ${WORK}/empty.txt "")

expect_run(json 0 ${SRC}/tests/cli/sample.jsonl "" ${SSECAT} --json ${sample})
foreach(chunk 1 2 3 7 64 4096)
  expect_run(json-chunk-${chunk} 0 ${SRC}/tests/cli/sample.jsonl "" ${SSECAT} --json --chunk ${chunk} ${sample})
endforeach()
expect_run(text 0 ${SRC}/tests/cli/sample.txt "" ${SSECAT} ${sample})
expect_run(count 0 ${WORK}/five.txt "" ${SSECAT} --count ${sample})
expect_run(stdin 0 ${SRC}/tests/cli/sample.jsonl "" ${SSECAT} --json - INPUT_FILE ${sample})
expect_run(help 0 "" "" ${SSECAT} --help)
expect_run(version 0 "" "" ${SSECAT} --version)
expect_run(unknown-option 2 ${WORK}/empty.txt "unknown option" ${SSECAT} --frobnicate ${sample})
expect_run(chunk-zero 2 ${WORK}/empty.txt "positive" ${SSECAT} --chunk 0 ${sample})
expect_run(chunk-missing 2 ${WORK}/empty.txt "needs a number" ${SSECAT} --chunk)
expect_run(two-inputs 2 ${WORK}/empty.txt "one input" ${SSECAT} ${sample} ${sample})
expect_run(unknown-kernel 2 ${WORK}/empty.txt "no kernel of that name" ${SSECAT} --kernel nope ${sample})
expect_run(missing-file 1 ${WORK}/empty.txt "No such file" ${SSECAT} ${WORK}/does-not-exist.sse)
# A limit error: the message names the byte offset; the other events still
# come out and the exit status is 1. Event 1's data line (75 bytes, at offset
# 94) trips a 60-byte line limit at byte 94 + 60.
file(WRITE ${WORK}/after-limit.txt "4\n")
expect_run(limit 1 ${WORK}/after-limit.txt "byte 154: line longer than max_line_length"
           ${SSECAT} --count --max-line 60 ${sample})
expect_run(limit-chunk 1 ${WORK}/after-limit.txt "byte 154: line longer than max_line_length"
           ${SSECAT} --count --max-line 60 --chunk 5 ${sample})

message("${passes} passed, ${failures} failed")
if(failures)
  message(FATAL_ERROR "ssecat CLI tests failed")
endif()
