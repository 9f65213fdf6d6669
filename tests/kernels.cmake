# Kernels and their dispatch (included from tests/CMakeLists.txt).
# These tests reach the library's internals (src/arch/kernel.h): the static
# library keeps internal symbols visible.
simdsse_test(test_kernels)
target_include_directories(test_kernels PRIVATE ${PROJECT_SOURCE_DIR}/src)
simdsse_test(test_dispatch)
target_include_directories(test_dispatch PRIVATE ${PROJECT_SOURCE_DIR}/src)
# The one kernel whose presence is a build choice (src/arch/sources.cmake).
if(SIMDSSE_SIMDE_NEON AND SIMDSSE_SIMDE_INCLUDE_DIR)
  target_compile_definitions(test_dispatch PRIVATE SIMDSSE_TEST_SIMDE_NEON)
endif()
# $SIMDSSE_KERNEL and $SIMDSSE_CPU_DISABLE are read once per process: one
# registration per setting. The program works out from the CPU what each
# must give (a kernel the CPU lacks makes parser and writer creation fail
# with SIMDSSE_ERR_KERNEL_UNSUPPORTED). The _disabled ones take the
# kernel's features away, so the unsupported outcome is tested on every
# machine, the supported one wherever the CPU has them.
foreach(_k scalar sse2 avx2 avx512 neon bogus)
  add_test(NAME test_dispatch_env_${_k} COMMAND test_dispatch)
  set_tests_properties(test_dispatch_env_${_k} PROPERTIES ENVIRONMENT "SIMDSSE_KERNEL=${_k}")
endforeach()
add_test(NAME test_dispatch_env_empty COMMAND test_dispatch)
set_tests_properties(test_dispatch_env_empty PROPERTIES ENVIRONMENT "SIMDSSE_KERNEL=")
foreach(_k sse2 avx2 avx512 neon)
  add_test(NAME test_dispatch_env_${_k}_disabled COMMAND test_dispatch)
  set_tests_properties(test_dispatch_env_${_k}_disabled PROPERTIES
                       ENVIRONMENT "SIMDSSE_KERNEL=${_k};SIMDSSE_CPU_DISABLE=${_k}")
endforeach()
add_test(NAME test_dispatch_env_scalar_all_disabled COMMAND test_dispatch)
set_tests_properties(test_dispatch_env_scalar_all_disabled PROPERTIES
                     ENVIRONMENT "SIMDSSE_KERNEL=scalar;SIMDSSE_CPU_DISABLE=all")
add_test(NAME test_dispatch_all_disabled COMMAND test_dispatch)
set_tests_properties(test_dispatch_all_disabled PROPERTIES ENVIRONMENT "SIMDSSE_CPU_DISABLE=avx512,avx2,sse2,neon")
