# run.cmake -- simdsse inside another project (tests/subproject, which does
# add_subdirectory): it configures with CI=true, builds without -Werror
# (that is for simdsse's own builds), links simdsse::simdsse and
# simdsse::simdsse_shared, and both consumers run (through EMULATOR).
#   cmake -DSRC=dir -DWORK=dir -DCC=compiler [-DCFLAGS=flags]
#         [-DTOOLCHAIN=file] [-DEMULATOR=cmd;args] -P run.cmake
set(passes 0)
macro(fail what)
  message("${passes} passed, 1 failed")
  message(FATAL_ERROR "${what}")
endmacro()

file(REMOVE_RECURSE ${WORK})
set(cross "")
if(TOOLCHAIN)
  set(cross -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN})
endif()
set(ENV{CI} true)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC}/tests/subproject -B ${WORK}
                -DSIMDSSE_SOURCE_DIR=${SRC} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS}"
                -DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${cross}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("configuring tests/subproject failed: ${err}")
endif()
math(EXPR passes "${passes} + 1")

# simdsse's sources get its warnings, not -Werror; the host project's own
# files get neither.
file(READ ${WORK}/compile_commands.json cmds)
string(REGEX MATCHALL "\"command\": \"[^\"]*parser\\.c[^\"]*\"" lib "${cmds}")
string(REGEX MATCHALL "\"command\": \"[^\"]*consumer\\.c[^\"]*\"" app "${cmds}")
if(NOT lib MATCHES "-Wall" OR lib MATCHES "-Werror" OR app MATCHES "-Werror|-Wall" OR NOT app)
  fail("compile flags: simdsse ${lib}; consumer ${app}")
endif()
math(EXPR passes "${passes} + 1")

execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} --parallel 2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("building tests/subproject failed: ${out}${err}")
endif()
foreach(exe consumer_static consumer_shared)
  execute_process(COMMAND ${EMULATOR} ${WORK}/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    fail("${exe} failed: ${out}")
  endif()
  math(EXPR passes "${passes} + 1")
endforeach()

# Installing the host installs nothing of simdsse's unless it asks
# (SIMDSSE_INSTALL, off inside another project): then the header, the
# libraries and the package files go where find_package finds them, the
# client's too when it was built. The host rebuilds after reconfiguring, as
# a user does: install rules rewrite the RUNPATH the build wrote, and a
# binary from before the reconfigure does not carry the one they expect.
foreach(want OFF ON)
  file(REMOVE_RECURSE ${WORK}/inst-${want})
  execute_process(COMMAND ${CMAKE_COMMAND} -DSIMDSSE_INSTALL=${want} ${WORK}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("reconfiguring with SIMDSSE_INSTALL=${want} failed: ${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} --parallel 2
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("rebuilding with SIMDSSE_INSTALL=${want} failed: ${out}${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${WORK} --prefix ${WORK}/inst-${want}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("cmake --install with SIMDSSE_INSTALL=${want} failed: ${err}")
  endif()
  file(GLOB_RECURSE got RELATIVE ${WORK}/inst-${want} ${WORK}/inst-${want}/*)
  if(want STREQUAL "OFF" AND got)
    fail("a subproject's simdsse installed files without SIMDSSE_INSTALL: ${got}")
  endif()
  if(want STREQUAL "ON" AND (NOT got MATCHES "include/simdsse\\.h" OR
                             NOT got MATCHES "simdsseConfig\\.cmake"))
    fail("SIMDSSE_INSTALL=ON did not install the header and package files: ${got}")
  endif()
  if(want STREQUAL "ON" AND EXISTS ${WORK}/simdsse/src/client/simdsse_client.pc AND
     (NOT got MATCHES "include/simdsse_client\\.h" OR
      NOT got MATCHES "simdsse_clientConfig\\.cmake"))
    fail("SIMDSSE_INSTALL=ON did not install the client that was built: ${got}")
  endif()
  math(EXPR passes "${passes} + 1")
endforeach()
message("${passes} passed, 0 failed")
