# run.cmake -- installs the build into a scratch prefix, then builds and runs
# tests/install as an outside project would (find_package), and compiles the
# consumer once more with the flags pkg-config would give.
#   cmake -DBUILD=dir -DSRC=dir -DWORK=dir -DCC=compiler -P run.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC}/tests/install -B ${WORK}/build
                -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_C_COMPILER=${CC}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "building the consumer failed")
endif()
foreach(exe consumer_static consumer_shared)
  execute_process(COMMAND ${WORK}/build/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${exe} failed: ${out}")
  endif()
endforeach()
# pkg-config's view: -I and -l from the installed simdsse.pc.
file(GLOB pc ${WORK}/prefix/lib*/pkgconfig/simdsse.pc ${WORK}/prefix/lib/*/pkgconfig/simdsse.pc)
if(NOT pc)
  message(FATAL_ERROR "simdsse.pc not installed")
endif()
file(READ ${pc} pctext)
if(NOT pctext MATCHES "Libs: -L\\$\\{libdir\\} -lsimdsse")
  message(FATAL_ERROR "simdsse.pc has no Libs line")
endif()
get_filename_component(libdir ${pc} DIRECTORY)
get_filename_component(libdir ${libdir} DIRECTORY)
execute_process(COMMAND ${CC} ${SRC}/tests/install/consumer.c -I${WORK}/prefix/include
                -L${libdir} -l:libsimdsse.a -o ${WORK}/consumer_pc RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building with the installed header and library failed")
endif()
execute_process(COMMAND ${WORK}/consumer_pc RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "consumer_pc failed")
endif()
message("3 passed, 0 failed")
