# pull_cli.cmake -- `ssecat --pull` (the pull API) prints exactly what
# `ssecat` (the callbacks) prints, on the sample and on every conformance
# stream, whole and in small chunks, in the default and the JSON format.
#   cmake -DSSECAT=path -DSRC=source-dir -P pull_cli.cmake
set(SSECAT ${EMULATOR} ${SSECAT}) # qemu-user, valgrind or nothing
file(GLOB cases ${SRC}/tests/conformance/cases/*.sse)
list(APPEND cases ${SRC}/corpus/sample.sse)
set(failures 0)
set(passes 0)
foreach(f IN LISTS cases)
  foreach(args "--json" "--json;--chunk;3" "--chunk;64")
    execute_process(COMMAND ${SSECAT} ${args} ${f} RESULT_VARIABLE rc1 OUTPUT_VARIABLE want
                    ERROR_VARIABLE want_err)
    execute_process(COMMAND ${SSECAT} ${args} --pull ${f} RESULT_VARIABLE rc2 OUTPUT_VARIABLE got
                    ERROR_VARIABLE got_err)
    if(rc1 STREQUAL rc2 AND got STREQUAL want AND got_err STREQUAL want_err)
      math(EXPR passes "${passes} + 1")
    else()
      math(EXPR failures "${failures} + 1")
      message("FAILED: ssecat ${args} --pull ${f}: exit ${rc2} (want ${rc1})\n${got_err}")
    endif()
  endforeach()
endforeach()
message("${passes} passed, ${failures} failed")
if(failures OR passes LESS 900)
  message(FATAL_ERROR "ssecat --pull differs from ssecat")
endif()
