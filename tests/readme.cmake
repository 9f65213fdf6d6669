# readme.cmake -- README.md's C blocks cannot go stale: each ```c block is
# a whole program, compiled with the project's flags (-Werror in CI) and
# run by ctest. Included by tests/CMakeLists.txt, it extracts and registers
# them; run with `cmake -DBLOCK=N -DPROGRAM=... -DWORK=... -P readme.cmake`
# it is the test of block N: what that program must do, stated here.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  set(_readme ${PROJECT_SOURCE_DIR}/README.md)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_readme})
  file(READ ${_readme} _text)
  set(_n 0)
  # No regex lists here: C code is full of semicolons, CMake's separator.
  while(TRUE)
    string(FIND "${_text}" "\n```c\n" _at)
    if(_at EQUAL -1)
      break()
    endif()
    math(EXPR _at "${_at} + 6")
    string(SUBSTRING "${_text}" ${_at} -1 _text)
    string(FIND "${_text}" "\n```" _end)
    math(EXPR _end "${_end} + 1")
    string(SUBSTRING "${_text}" 0 ${_end} _code)
    string(SUBSTRING "${_text}" ${_end} -1 _text)
    math(EXPR _n "${_n} + 1")
    set(_src ${CMAKE_CURRENT_BINARY_DIR}/readme/block_${_n}.c)
    file(WRITE ${_src}.new "${_code}")
    configure_file(${_src}.new ${_src} COPYONLY) # rewritten only when it changed
    add_executable(readme_block_${_n} ${_src})
    target_link_libraries(readme_block_${_n} PRIVATE simdsse)
    simdsse_script_test(readme_block_${_n} ${CMAKE_CURRENT_LIST_FILE} -DBLOCK=${_n}
                        -DPROGRAM=$<TARGET_FILE:readme_block_${_n}>
                        -DWORK=${CMAKE_CURRENT_BINARY_DIR}/readme)
  endwhile()
  if(_n EQUAL 0)
    message(FATAL_ERROR "README.md has no ```c block: tests/readme.cmake is out of date")
  endif()
  return()
endif()

# MARK: - Script mode

macro(fail what)
  message("0 passed, 1 failed")
  message(FATAL_ERROR "README.md's C block ${BLOCK}: ${what}")
endmacro()

if(BLOCK EQUAL 1 OR BLOCK EQUAL 2)
  # "Parsing a stream", with callbacks (1) and pulling items (2): prints
  # each event as TYPE: DATA, reports a limit error with its offset and
  # loses nothing after it. The line past the
  # 1 MiB default ends in the same 64 KiB read as the two events after it,
  # which a loop that drops the rest of a chunk after an error loses.
  string(REPEAT "x" 1048676 long)
  file(WRITE ${WORK}/limit-${BLOCK}.sse "data: before\n\ndata: ${long}\n\ndata: after 1\n\nevent: e\ndata: after 2\n\n")
  execute_process(COMMAND ${EMULATOR} ${PROGRAM} INPUT_FILE ${WORK}/limit-${BLOCK}.sse
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(want_out "message: before\nmessage: after 1\ne: after 2\n")
  # The line starts at byte 14; the limit trips at its 1 MiB + 1st byte.
  set(want_err "byte 1048590: line longer than max_line_length\n")
  if(NOT rc STREQUAL "0" OR NOT out STREQUAL want_out OR NOT err STREQUAL want_err)
    fail("exit ${rc}, printed\n${out}reported\n${err}want exit 0, printed\n${want_out}reported\n${want_err}")
  endif()
  message("1 passed, 0 failed")
else()
  fail("it is new: say in tests/readme.cmake what it must do")
endif()
