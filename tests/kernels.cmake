# Kernels and their dispatch (included from tests/CMakeLists.txt).
# These tests reach the library's internals (src/arch/kernel.h): the static
# library keeps internal symbols visible.
simdsse_test(test_kernels)
target_include_directories(test_kernels PRIVATE ${PROJECT_SOURCE_DIR}/src)
simdsse_test(test_dispatch)
target_include_directories(test_dispatch PRIVATE ${PROJECT_SOURCE_DIR}/src)
# $SIMDSSE_KERNEL is read once per process: one registration per value.
# The program works out what to expect (a kernel this CPU lacks must make
# parser creation fail with SIMDSSE_ERR_KERNEL_UNSUPPORTED).
foreach(_k scalar sse2 avx2 avx512 neon bogus)
  add_test(NAME test_dispatch_env_${_k} COMMAND test_dispatch)
  set_tests_properties(test_dispatch_env_${_k} PROPERTIES ENVIRONMENT "SIMDSSE_KERNEL=${_k}")
endforeach()
add_test(NAME test_dispatch_env_empty COMMAND test_dispatch)
set_tests_properties(test_dispatch_env_empty PROPERTIES ENVIRONMENT "SIMDSSE_KERNEL=")
