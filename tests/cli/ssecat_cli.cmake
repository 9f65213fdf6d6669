# ssecat_cli.cmake -- ssecat's output and exit statuses, run as
#   cmake -DSSECAT=path -DSRC=source-dir -DWORK=scratch-dir -P ssecat_cli.cmake
# A CMake script rather than a shell script so the test needs nothing but
# what builds the project.
set(sample ${SRC}/corpus/sample.sse)
set(SSECAT ${EMULATOR} ${SSECAT}) # qemu-user, valgrind or nothing
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

# --chunk takes the sizes limits take.
expect_run(json-chunk-1K 0 ${SRC}/tests/cli/sample.jsonl "" ${SSECAT} --json --chunk 1K ${sample})

# MARK: - Limits: sizes with K/M/G suffixes, and none

# A 1025-byte line (one past 1K), then an event the limit must not lose.
string(REPEAT "x" 1019 x1019)
file(WRITE ${WORK}/long.sse "data: ${x1019}\n\ndata: after\n\n")
file(WRITE ${WORK}/one.txt "1\n")
file(WRITE ${WORK}/two.txt "2\n")
expect_run(max-line-1K 1 ${WORK}/one.txt "byte 1024: line longer than max_line_length"
           ${SSECAT} --count --max-line 1K ${WORK}/long.sse)
expect_run(max-line-1025 0 ${WORK}/two.txt "" ${SSECAT} --count --max-line 1025 ${WORK}/long.sse)
expect_run(max-line-4M 0 ${WORK}/two.txt "" ${SSECAT} --count --max-line 4M ${WORK}/long.sse)
expect_run(max-line-none 0 ${WORK}/two.txt "" ${SSECAT} --count --max-line none ${WORK}/long.sse)
expect_run(max-data-1K 0 ${WORK}/two.txt "" ${SSECAT} --count --max-data 1K ${WORK}/long.sse)
expect_run(max-data-1018 1 ${WORK}/one.txt "data longer than max_data_length"
           ${SSECAT} --count --max-data 1018 ${WORK}/long.sse)
expect_run(max-data-1G 0 ${WORK}/two.txt "" ${SSECAT} --count --max-data 1G --max-id none
           --max-type 1M ${WORK}/long.sse)
foreach(bad 4X 0 -1 1K5 none1 NONE "" " 5" 1KK)
  expect_run("max-line-bad-'${bad}'" 2 ${WORK}/empty.txt "limits are sizes"
             ${SSECAT} --count --max-line "${bad}" ${sample})
endforeach()
expect_run(chunk-none 2 ${WORK}/empty.txt "positive size" ${SSECAT} --chunk none ${sample})

# MARK: - --kernels: one NAME<TAB>supported|unsupported line per kernel, then the default

# The suite may run with SIMDSSE_CPU_DISABLE set (.ci/levels.sh): every
# change below is undone to what it was.
unset(ENV{SIMDSSE_KERNEL})
set(outer_disable "$ENV{SIMDSSE_CPU_DISABLE}")
# Runs --kernels; ok_kernels says whether the output has the fixed form,
# `default` and `first` (the first supported kernel) what it names.
macro(check_kernels)
  execute_process(COMMAND ${SSECAT} --kernels RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ok_kernels FALSE)
  if(rc STREQUAL "0" AND err STREQUAL ""
     AND out MATCHES "^([a-z0-9_]+\t(supported|unsupported)\n)*scalar\tsupported\ndefault\t([a-z0-9_]+)\n$")
    set(default ${CMAKE_MATCH_3})
    string(REGEX MATCH "(^|\n)([a-z0-9_]+)\tsupported\n" first "${out}")
    set(first ${CMAKE_MATCH_2})
    set(ok_kernels TRUE)
  endif()
endmacro()
check_kernels()
set(listing "${out}")
set(ok FALSE)
if(ok_kernels AND default STREQUAL first)
  set(ok TRUE)
endif()
expect_true(ok kernels "exit ${rc}, default '${default}', first supported '${first}':\n${out}${err}")
# As on a CPU without any vector unit: only scalar.
set(ENV{SIMDSSE_CPU_DISABLE} all)
check_kernels()
string(REGEX MATCHALL "\tsupported" supported "${out}")
list(LENGTH supported n_supported)
set(ok FALSE)
if(ok_kernels AND default STREQUAL "scalar" AND n_supported EQUAL 1)
  set(ok TRUE)
endif()
expect_true(ok kernels-all-disabled "exit ${rc}:\n${out}${err}")
set(ENV{SIMDSSE_CPU_DISABLE} "${outer_disable}")
set(ENV{SIMDSSE_KERNEL} scalar)
check_kernels()
set(ok FALSE)
if(ok_kernels AND default STREQUAL "scalar")
  set(ok TRUE)
endif()
expect_true(ok kernels-env "SIMDSSE_KERNEL=scalar gives:\n${out}${err}")

# MARK: - A bad $SIMDSSE_KERNEL: every mode says so, naming it, exit 2

set(ENV{SIMDSSE_KERNEL} bogus)
set(why "^ssecat: SIMDSSE_KERNEL=bogus: no kernel of that name\n$")
foreach(mode "" --json --count --validate --encode --bench)
  expect_run("env-bogus${mode}" 2 ${WORK}/empty.txt "${why}" ${SSECAT} ${mode} ${sample})
endforeach()
# --kernels still lists them, without a default line.
string(REGEX REPLACE "default\t[a-z0-9_]+\n$" "" without_default "${listing}")
file(WRITE ${WORK}/kernels-no-default.txt "${without_default}")
expect_run(env-bogus-kernels 2 ${WORK}/kernels-no-default.txt "${why}" ${SSECAT} --kernels)
# --kernel wins over the variable, as options.kernel does.
expect_run(env-bogus-kernel-scalar 0 ${SRC}/tests/cli/sample.jsonl "" ${SSECAT} --json --kernel scalar ${sample})
# A kernel this CPU lacks (here made to lack it): the same, with its reason.
set(ENV{SIMDSSE_KERNEL} avx512)
set(ENV{SIMDSSE_CPU_DISABLE} avx512)
expect_run(env-unsupported 2 ${WORK}/empty.txt
           "^ssecat: SIMDSSE_KERNEL=avx512: kernel not supported by this CPU or build\n$"
           ${SSECAT} --json ${sample})
unset(ENV{SIMDSSE_KERNEL})
set(ENV{SIMDSSE_CPU_DISABLE} "${outer_disable}")

# MARK: - Output errors are errors: exit 1, with a message

if(EXISTS /dev/full)
  foreach(args "${sample}" "--json;${sample}" "--count;${sample}" "--validate;${sample}"
          "--bench;${sample}" --kernels --help --version)
    set(ENV{SSECAT_BENCH_SECONDS} 0.001)
    execute_process(COMMAND ${SSECAT} ${args} OUTPUT_FILE /dev/full
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    set(ok FALSE)
    if(rc STREQUAL "1" AND err MATCHES "^ssecat: standard output: No space left on device\n$")
      set(ok TRUE)
    endif()
    expect_true(ok "ssecat ${args} > /dev/full" "exit ${rc}, stderr '${err}'")
  endforeach()
endif()

message("${passes} passed, ${failures} failed")
if(failures)
  message(FATAL_ERROR "ssecat CLI tests failed")
endif()
