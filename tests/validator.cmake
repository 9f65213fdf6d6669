# validator.cmake -- the validator's tests, included by tests/CMakeLists.txt.
simdsse_test(test_validator)
# The sample stream and the browser-recorded cases are read from the source tree.
target_compile_definitions(test_validator PRIVATE SIMDSSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
