# validator.cmake -- the validator's tests, included by tests/CMakeLists.txt.
simdsse_test(test_validator)
# The sample stream and the browser-recorded cases are read from the source tree.
target_compile_definitions(test_validator PRIVATE SIMDSSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# ssecat --validate on the fixtures in validate/: exact output, exit statuses.
if(TARGET ssecat)
  simdsse_script_test(ssecat_validate ${CMAKE_CURRENT_SOURCE_DIR}/validate/run.cmake
                      -DSSECAT=$<TARGET_FILE:ssecat> -DSRC=${PROJECT_SOURCE_DIR}
                      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/validate)
endif()
