# run.cmake -- installs the build into a scratch prefix, moves it (the
# package must be relocatable), then builds tests/client/install as an
# outside project would (find_package), and the consumer once more with
# the flags `pkg-config simdsse_client` gives.
#   cmake -DBUILD=dir -DSRC=dir -DWORK=dir -DCC=compiler -P run.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/staged
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()
file(RENAME ${WORK}/staged ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC}/tests/client/install -B ${WORK}/build
                -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_C_COMPILER=${CC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${out}${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${out}${err}")
endif()
file(GLOB libdirs LIST_DIRECTORIES true ${WORK}/prefix/lib*)
foreach(exe client_consumer_static client_consumer_shared)
  set(ENV{LD_LIBRARY_PATH} "${libdirs}")
  execute_process(COMMAND ${WORK}/build/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "${exe} failed: ${out}")
  endif()
endforeach()
# pkg-config's view, when pkg-config is there: every -I and -L it gives lies
# in the moved tree, and the consumer builds with them (against the shared
# libraries, which bring libcurl: a static link would need every static
# library libcurl was built with).
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  file(GLOB_RECURSE pcs ${WORK}/prefix/*/simdsse_client.pc)
  if(NOT pcs)
    message(FATAL_ERROR "simdsse_client.pc not installed")
  endif()
  list(GET pcs 0 pc)
  get_filename_component(pcdir ${pc} DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${pcdir})
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs simdsse_client
                  RESULT_VARIABLE rc OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc)
    message(FATAL_ERROR "pkg-config simdsse_client failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  # (libcurl's own -I/-L, if any, are the system's.)
  foreach(f IN LISTS flags)
    if(f MATCHES "^-[IL](.*)")
      set(dir "${CMAKE_MATCH_1}")
      if(NOT dir MATCHES "^${WORK}/prefix" AND NOT dir MATCHES "^/usr/")
        message(FATAL_ERROR "pkg-config names ${dir}, outside the moved tree")
      endif()
    endif()
  endforeach()
  execute_process(COMMAND ${CC} ${SRC}/tests/client/install/consumer.c ${flags}
                  -o ${WORK}/consumer_pc RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "building with pkg-config's flags failed: ${err}")
  endif()
  set(ENV{LD_LIBRARY_PATH} "${libdirs}")
  execute_process(COMMAND ${WORK}/consumer_pc RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "consumer_pc failed")
  endif()
  message("3 passed, 0 failed")
else()
  message("2 passed, 0 failed (no pkg-config: the .pc file not checked)")
endif()
