# Tokenizer kernels beyond the scalar reference, and CPU detection. Each SIMD
# kernel is one file compiled with its own -m flags, so the rest of the
# library stays baseline; dispatch.c picks one at run time (cpu.c says what
# the CPU and OS allow). Included from src/CMakeLists.txt: paths are
# relative to src/.
list(APPEND SIMDSSE_SOURCES arch/cpu.c)
set(_simdsse_kernel_defs "")

set_source_files_properties(arch/dispatch.c PROPERTIES
  COMPILE_DEFINITIONS "${_simdsse_kernel_defs}")
