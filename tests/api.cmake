# api.cmake -- the tests of the API's contract: the pull API against the
# callbacks, what callbacks may call, growable structs across versions,
# the exports, the header in every language standard. Included by
# tests/CMakeLists.txt.

# test_pull runs hundreds of streams at a dozen chunkings with every
# kernel; SIMDSSE_TEST_QUICK (valgrind, .ci/valgrind.sh) keeps a few
# chunkings and two kernels, which still cross every code path.
option(SIMDSSE_TEST_QUICK "Run test_pull's differential part on fewer chunkings and kernels" OFF)
add_executable(test_pull test_pull.c)
target_link_libraries(test_pull PRIVATE simdsse)
add_test(NAME test_pull COMMAND test_pull ${CMAKE_CURRENT_SOURCE_DIR}/conformance)
set_tests_properties(test_pull PROPERTIES TIMEOUT 900)
if(SIMDSSE_TEST_QUICK)
  set_tests_properties(test_pull PROPERTIES ENVIRONMENT SIMDSSE_TEST_QUICK=1)
endif()

simdsse_test(test_callbacks)

# ssecat --pull prints what ssecat prints, whatever the chunks.
if(TARGET ssecat)
  simdsse_script_test(ssecat_pull ${CMAKE_CURRENT_LIST_DIR}/pull_cli.cmake
                      -DSSECAT=$<TARGET_FILE:ssecat> -DSRC=${PROJECT_SOURCE_DIR})
endif()

include(${CMAKE_CURRENT_LIST_DIR}/abi/abi.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/header/header.cmake)
