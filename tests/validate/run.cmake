# run.cmake -- ssecat --validate on the fixtures beside this file: exact
# output and exit status, run as
#   cmake -DSSECAT=path -DSRC=source-dir -DWORK=scratch-dir -P run.cmake
# Each FILE.sse has its expected output in FILE.out. The fixtures are named
# relative to this directory, as the output names them.
set(dir ${SRC}/tests/validate)
set(failures 0)
set(passes 0)

# expect(name want_rc want_out_file want_err_regex COMMAND...): want_out_file
# may be "" (not checked) or a file; a regex "" is not checked either.
function(expect name want_rc want_out want_err)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${dir}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ok TRUE)
  if(NOT rc STREQUAL want_rc)
    message("FAILED ${name}: exit ${rc}, want ${want_rc}; stderr: ${err}")
    set(ok FALSE)
  endif()
  if(want_out)
    file(READ ${want_out} want)
    if(NOT out STREQUAL want)
      message("FAILED ${name}: output differs\n--- got\n${out}--- want\n${want}")
      set(ok FALSE)
    endif()
  endif()
  if(want_err AND NOT err MATCHES "${want_err}")
    message("FAILED ${name}: stderr '${err}' does not match '${want_err}'")
    set(ok FALSE)
  endif()
  if(ok)
    math(EXPR p "${passes} + 1")
    set(passes ${p} PARENT_SCOPE)
  else()
    math(EXPR f "${failures} + 1")
    set(failures ${f} PARENT_SCOPE)
  endif()
endfunction()

file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/empty.txt "")

# Exit status 1 only when there is an error; warnings alone give 0.
foreach(fixture clean:0 errors:1 warnings:0)
  string(REPLACE ":" ";" f ${fixture})
  list(GET f 0 name)
  list(GET f 1 rc)
  expect(${name} ${rc} ${dir}/${name}.out "" ${SSECAT} --validate ${name}.sse)
  # Chunking never changes a thing.
  foreach(chunk 1 2 3 7 64)
    expect(${name}-chunk-${chunk} ${rc} ${dir}/${name}.out "" ${SSECAT} --validate --chunk ${chunk} ${name}.sse)
  endforeach()
endforeach()

# Standard input is named <stdin>, with "-" or with no file at all.
expect(stdin-dash 1 ${dir}/errors.stdin.out "" ${SSECAT} --validate - INPUT_FILE ${dir}/errors.sse)
expect(stdin-none 1 ${dir}/errors.stdin.out "" ${SSECAT} --validate INPUT_FILE ${dir}/errors.sse)
expect(stdin-chunk 1 ${dir}/errors.stdin.out "" ${SSECAT} --chunk 5 --validate INPUT_FILE ${dir}/errors.sse)

# Past 1000 diagnostics only the count goes on, and the summary says so.
string(REPEAT "x\n" 1001 many)
file(WRITE ${WORK}/many.sse "${many}")
execute_process(COMMAND ${SSECAT} --validate many.sse WORKING_DIRECTORY ${WORK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(REGEX MATCHALL "\n" lines "${out}")
list(LENGTH lines nlines)
if(rc STREQUAL "1" AND nlines EQUAL 1001
   AND out MATCHES "\nmany.sse: 1001 errors, 0 warnings, 0 events \\(1 more not shown\\)\n$")
  math(EXPR passes "${passes} + 1")
else()
  message("FAILED many: exit ${rc}, ${nlines} lines, ends: ...${out}")
  math(EXPR failures "${failures} + 1")
endif()

# I/O and usage errors.
expect(missing-file 1 ${WORK}/empty.txt "No such file" ${SSECAT} --validate ${WORK}/does-not-exist.sse)
expect(chunk-zero 2 ${WORK}/empty.txt "positive" ${SSECAT} --validate --chunk 0 clean.sse)
expect(with-encode 2 ${WORK}/empty.txt "exclude each other" ${SSECAT} --validate --encode clean.sse)
expect(two-inputs 2 ${WORK}/empty.txt "one input" ${SSECAT} --validate clean.sse errors.sse)

message("${passes} passed, ${failures} failed")
if(failures)
  message(FATAL_ERROR "ssecat --validate tests failed")
endif()
