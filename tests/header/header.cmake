# header.cmake -- include/simdsse.h compiles as C99 and C11 with -pedantic
# -Wall -Wextra -Werror, and as C++11 and C++17, with everything inline in
# it used (header.c, header.cc). Included by tests/CMakeLists.txt, it adds
# one test per standard; run with `cmake -DCOMPILER=... -DSTD=... -P`, it
# is that test. A C++ test is skipped when no C++ compiler is found.
if(NOT CMAKE_SCRIPT_MODE_FILE)
  include(CheckLanguage)
  check_language(CXX)
  foreach(std c99 c11 c++11 c++17)
    if(std MATCHES "^c\\+\\+")
      set(compiler "${CMAKE_CXX_COMPILER}")
      set(src ${CMAKE_CURRENT_LIST_DIR}/header.cc)
    else()
      set(compiler "${CMAKE_C_COMPILER}")
      set(src ${CMAKE_CURRENT_LIST_DIR}/header.c)
    endif()
    add_test(NAME header_${std} COMMAND ${CMAKE_COMMAND} "-DCOMPILER=${compiler}" -DSTD=${std}
             -DSRC=${src} -DINCLUDE=${PROJECT_SOURCE_DIR}/include
             -DOUT=${CMAKE_CURRENT_BINARY_DIR}/header_${std}.o -P ${CMAKE_CURRENT_LIST_FILE})
    set_tests_properties(header_${std} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP:")
  endforeach()
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
  message(FATAL_ERROR "simdsse.h does not compile as ${STD} (${flags}):\n${out}${err}")
endif()
message("1 passed, 0 failed: simdsse.h compiles as ${STD} with ${flags}")
