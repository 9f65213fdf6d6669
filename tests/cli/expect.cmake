# expect.cmake -- the check shared by the CLI test scripts (ssecat_cli.cmake,
# validate/run.cmake), included with include():
#   expect_run(NAME WANT_RC WANT_OUT_FILE WANT_ERR_REGEX COMMAND...)
# runs COMMAND (in ${EXPECT_WORKING_DIRECTORY} when that is set) and checks
# its exit status, its standard output against WANT_OUT_FILE ("" for not
# checked) and its standard error against WANT_ERR_REGEX ("" for not
# checked). It counts into the caller's `passes` and `failures`, as does
#   expect_true(OK_VAR NAME DETAIL)
# for a check the script makes itself: a pass if OK_VAR is true, else a
# failure that prints DETAIL.
function(expect_run name want_rc want_out_file want_err_regex)
  set(wd "")
  if(EXPECT_WORKING_DIRECTORY)
    set(wd WORKING_DIRECTORY ${EXPECT_WORKING_DIRECTORY})
  endif()
  execute_process(COMMAND ${ARGN} ${wd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(ok TRUE)
  if(NOT rc STREQUAL want_rc)
    message("FAILED ${name}: exit ${rc}, want ${want_rc}; stderr: ${err}")
    set(ok FALSE)
  endif()
  if(want_out_file)
    file(READ ${want_out_file} want)
    if(NOT out STREQUAL want)
      message("FAILED ${name}: output differs\n--- got\n${out}--- want\n${want}")
      set(ok FALSE)
    endif()
  endif()
  if(want_err_regex AND NOT err MATCHES "${want_err_regex}")
    message("FAILED ${name}: stderr '${err}' does not match '${want_err_regex}'")
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

macro(expect_true ok name detail)
  if(${ok})
    math(EXPR passes "${passes} + 1")
  else()
    math(EXPR failures "${failures} + 1")
    message("FAILED ${name}: ${detail}")
  endif()
endmacro()
