# run.cmake -- installs the build into a prefix chosen at install time,
# moves the installed tree elsewhere, and uses it from there as outside
# projects do: tests/install through find_package (static and shared),
# and consumer.c compiled with what `pkg-config --cflags --libs simdsse`
# prints. Consumers are built with the build's own compiler, flags and
# toolchain file, and run through its emulator (qemu-user when cross
# compiling).
#   cmake -DBUILD=dir -DSRC=dir -DWORK=dir -DCC=compiler [-DCFLAGS=flags]
#         [-DTOOLCHAIN=file] [-DEMULATOR=cmd;args] [-DPKG_CONFIG=pkg-config]
#         -P run.cmake
set(passes 0)
macro(ok)
  math(EXPR passes "${passes} + 1")
endmacro()
macro(fail what)
  message("${passes} passed, 1 failed")
  message(FATAL_ERROR "${what}")
endmacro()
macro(must rc what) # fails unless the exit status in variable `rc` is 0
  if(NOT ${rc} EQUAL 0)
    fail("${what}")
  endif()
endmacro()

file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
must(rc "cmake --install --prefix ${WORK}/prefix failed")
# Nothing may point back at where it was installed: move it.
set(prefix ${WORK}/moved)
file(RENAME ${WORK}/prefix ${prefix})

# find_package(simdsse): CMake's exported targets, static and shared.
set(cross "")
if(TOOLCHAIN)
  # A cross toolchain searches its target's tree only: the prefix is a root too.
  set(cross -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DCMAKE_FIND_ROOT_PATH=${prefix})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC}/tests/install -B ${WORK}/build
                -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS}"
                ${cross}
                RESULT_VARIABLE rc OUTPUT_QUIET)
must(rc "configuring the find_package consumer failed")
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build RESULT_VARIABLE rc OUTPUT_QUIET)
must(rc "building the find_package consumer failed")
foreach(exe consumer_static consumer_shared)
  execute_process(COMMAND ${EMULATOR} ${WORK}/build/${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  must(rc "${exe} failed: ${out}")
  ok()
endforeach()

if(NOT PKG_CONFIG)
  message("${passes} passed, 0 failed (pkg-config not found: simdsse.pc not checked)")
  return()
endif()
# pkg-config's view, from the moved tree's simdsse.pc only.
file(GLOB pc ${prefix}/lib*/pkgconfig/simdsse.pc ${prefix}/lib/*/pkgconfig/simdsse.pc)
if(NOT pc)
  fail("simdsse.pc not installed")
endif()
get_filename_component(pcdir ${pc} DIRECTORY)
set(ENV{PKG_CONFIG_LIBDIR} ${pcdir})
set(ENV{PKG_CONFIG_PATH} "")
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs simdsse RESULT_VARIABLE rc
                OUTPUT_VARIABLE flags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
must(rc "pkg-config --cflags --libs simdsse failed: ${err}")
separate_arguments(flags UNIX_COMMAND "${flags}")
# Every directory it names is in the moved tree.
set(dirs 0)
foreach(f IN LISTS flags)
  if(f MATCHES "^-[IL](.+)$")
    get_filename_component(dir "${CMAKE_MATCH_1}" REALPATH)
    get_filename_component(root "${prefix}" REALPATH)
    string(FIND "${dir}/" "${root}/" at)
    if(NOT at EQUAL 0 OR NOT IS_DIRECTORY ${dir})
      fail("pkg-config names ${dir}, not a directory of the installed tree ${root}")
    endif()
    math(EXPR dirs "${dirs} + 1")
  endif()
endforeach()
if(NOT dirs EQUAL 2)
  fail("pkg-config gave '${flags}': want one -I and one -L")
endif()
ok()
separate_arguments(cflags UNIX_COMMAND "${CFLAGS}")
execute_process(COMMAND ${CC} ${cflags} ${SRC}/tests/install/consumer.c ${flags} -o ${WORK}/consumer_pc
                RESULT_VARIABLE rc ERROR_VARIABLE err)
must(rc "building with pkg-config's flags failed: ${err}")
# -lsimdsse links the shared library; the moved tree has it.
get_filename_component(libdir ${pc} DIRECTORY)
get_filename_component(libdir ${libdir} DIRECTORY)
set(ENV{LD_LIBRARY_PATH} ${libdir})
execute_process(COMMAND ${EMULATOR} ${WORK}/consumer_pc RESULT_VARIABLE rc OUTPUT_VARIABLE out)
must(rc "consumer_pc failed: ${out}")
ok()
message("${passes} passed, 0 failed")
