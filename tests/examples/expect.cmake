# expect.cmake -- runs an example and compares what it prints, byte for byte.
#
#   cmake -DPROGRAM=exe [-DARGS=a|b] [-DINPUT=file] [-DTHEN=exe2] [-DTHEN_ARGS=a|b]
#         -DEXPECT=file [-DEXPECT_ERR=file] [-DEXIT=n] [-DWORKDIR=dir] -DOUT=file
#         [-DEMULATOR=cmd] -P expect.cmake
#
# INPUT reaches the program through a pipe (cmake -E cat INPUT | PROGRAM), as
# a stream would; THEN is a second stage of the pipeline. Standard output
# (of the last stage) must equal EXPECT; standard error, of every stage,
# EXPECT_ERR (if given); PROGRAM's exit status EXIT (0 by default). ARGS
# (and EMULATOR's words) are separated by "|". The output is kept in OUT, OUT.err for a look.
# EMULATOR (qemu-user in a cross build, valgrind in .ci/valgrind.sh) runs
# both programs, as ctest runs its test programs.
foreach(_v ARGS THEN_ARGS EMULATOR)
  string(REPLACE "|" ";" ${_v} "${${_v}}")
endforeach()
if(NOT DEFINED EXIT)
  set(EXIT 0)
endif()
if(NOT DEFINED WORKDIR)
  get_filename_component(WORKDIR ${OUT} DIRECTORY)
endif()
set(_pipeline)
if(INPUT)
  list(APPEND _pipeline COMMAND ${CMAKE_COMMAND} -E cat ${INPUT})
endif()
list(APPEND _pipeline COMMAND ${EMULATOR} ${PROGRAM} ${ARGS})
if(THEN)
  list(APPEND _pipeline COMMAND ${EMULATOR} ${THEN} ${THEN_ARGS})
endif()
execute_process(${_pipeline} WORKING_DIRECTORY ${WORKDIR} TIMEOUT 60
                OUTPUT_FILE ${OUT} ERROR_FILE ${OUT}.err RESULTS_VARIABLE _codes)

if(INPUT)
  list(GET _codes 1 _code)
else()
  list(GET _codes 0 _code)
endif()
set(_failed)
if(NOT "${_code}" STREQUAL "${EXIT}")
  list(APPEND _failed "exit status ${_code} (all stages: ${_codes}), expected ${EXIT}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECT} ${OUT} RESULT_VARIABLE _diff)
if(_diff)
  list(APPEND _failed "standard output differs from ${EXPECT}")
endif()
if(EXPECT_ERR)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECT_ERR} ${OUT}.err
                  RESULT_VARIABLE _diff)
  if(_diff)
    list(APPEND _failed "standard error differs from ${EXPECT_ERR}")
  endif()
endif()
if(_failed)
  file(READ ${OUT} _got)
  file(READ ${OUT}.err _got_err)
  string(REPLACE ";" "\n  " _failed "${_failed}")
  message(FATAL_ERROR "${PROGRAM}:\n  ${_failed}\n--- standard output:\n${_got}"
                      "--- standard error:\n${_got_err}")
endif()
message(STATUS "output as expected (${EXPECT})")
