# header.cmake -- include/simdsse.h compiles as C99 and C11 with -pedantic
# -Wall -Wextra -Werror, and as C++11 and C++17, with everything inline in
# it used (header.c, header.cc). Included by tests/CMakeLists.txt, it adds
# one test per standard; run with `cmake -DCOMPILER=... -DSTD=... -P`, it
# is that test. A C++ test is skipped when no C++ compiler is found.
if(NOT CMAKE_SCRIPT_MODE_FILE)
  include(CheckLanguage)
  check_language(CXX)
  # NAME_<std> for each standard: c_src as C99 and C11, cxx_src as C++11 and
  # C++17 (the client's header is tested the same way, tests/client).
  function(simdsse_header_tests name c_src cxx_src)
    foreach(std c99 c11 c++11 c++17)
      if(std MATCHES "^c\\+\\+")
        set(compiler "${CMAKE_CXX_COMPILER}")
        set(src ${cxx_src})
      else()
        set(compiler "${CMAKE_C_COMPILER}")
        set(src ${c_src})
      endif()
      add_test(NAME ${name}_${std} COMMAND ${CMAKE_COMMAND} "-DCOMPILER=${compiler}" -DSTD=${std}
               -DSRC=${src} -DINCLUDE=${PROJECT_SOURCE_DIR}/include
               -DOUT=${CMAKE_CURRENT_BINARY_DIR}/${name}_${std}.o
               -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE})
      set_tests_properties(${name}_${std} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP:")
    endforeach()
  endfunction()
  simdsse_header_tests(header ${CMAKE_CURRENT_LIST_DIR}/header.c ${CMAKE_CURRENT_LIST_DIR}/header.cc)
  return()
endif()

if(NOT COMPILER OR COMPILER MATCHES "NOTFOUND")
  message("SKIP: no compiler for ${STD}")
  return()
endif()
set(flags -std=${STD} -pedantic -Wall -Wextra -Wshadow -Werror)
if(NOT STD MATCHES "^c\\+\\+")
  list(APPEND flags -Wstrict-prototypes -Wmissing-prototypes)
endif()
execute_process(COMMAND ${COMPILER} ${flags} -I${INCLUDE} -c ${SRC} -o ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message("0 passed, 1 failed")
  message(FATAL_ERROR "${SRC} does not compile as ${STD} (${flags}):\n${out}${err}")
endif()
message("1 passed, 0 failed: ${SRC} compiles as ${STD} with ${flags}")
