# Tokenizer kernels beyond the scalar reference, and CPU detection. Each SIMD
# kernel is one file compiled with its own -m flags (the scanner they share
# is header-only, in arch/generic/), so the rest of the library stays
# baseline; dispatch.c picks one at run time (cpu.c says what the CPU and OS
# allow). Included from src/CMakeLists.txt: paths are
# relative to src/.
list(APPEND SIMDSSE_SOURCES arch/cpu.c)
set(_simdsse_kernel_defs "")

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|x64)$" AND CMAKE_SIZEOF_VOID_P EQUAL 8
   AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  list(APPEND SIMDSSE_SOURCES arch/sse2.c arch/avx2.c arch/avx512.c)
  # No SLP vectorisation in the kernels: it merges the two 32-bit stores of
  # a line record into vector shuffles (vpinsrq + vpmovqd), 15-25% slower.
  set(_noslp "$<IF:$<C_COMPILER_ID:GNU>,-fno-tree-slp-vectorize,-fno-slp-vectorize>")
  # sse2.c: x86-64 baseline, no -m flags.
  set_source_files_properties(arch/sse2.c PROPERTIES
    COMPILE_OPTIONS "${_noslp}")
  set_source_files_properties(arch/avx2.c PROPERTIES
    COMPILE_OPTIONS "-mavx2;-mbmi;-mbmi2;${_noslp}")
  set_source_files_properties(arch/avx512.c PROPERTIES
    COMPILE_OPTIONS "-mavx512f;-mavx512bw;-mavx512vl;-mbmi;-mbmi2;${_noslp}")
  list(APPEND _simdsse_kernel_defs SIMDSSE_HAVE_SSE2 SIMDSSE_HAVE_AVX2 SIMDSSE_HAVE_AVX512)

  # NEON through simde: a verification kernel, so the NEON code is tested
  # here too. Always -O2 (simde at -O0 is very slow), no -m flags (it runs
  # on any x86-64). SIMDSSE_SIMDE_NEON=OFF leaves it out.
  option(SIMDSSE_SIMDE_NEON "On x86-64, build the NEON kernel through simde when found" ON)
  if(SIMDSSE_SIMDE_NEON)
    find_path(SIMDSSE_SIMDE_INCLUDE_DIR simde/arm/neon.h)
    if(SIMDSSE_SIMDE_INCLUDE_DIR)
      list(APPEND SIMDSSE_SOURCES arch/neon.c)
      set_source_files_properties(arch/neon.c PROPERTIES
        COMPILE_OPTIONS "-O2;-isystem;${SIMDSSE_SIMDE_INCLUDE_DIR};${_noslp}"
        COMPILE_DEFINITIONS SIMDSSE_NEON_SIMDE)
      list(APPEND _simdsse_kernel_defs SIMDSSE_HAVE_NEON)
      message(STATUS "simdsse: NEON kernel through simde (verification only)")
    endif()
  endif()
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  list(APPEND SIMDSSE_SOURCES arch/neon.c)
  list(APPEND _simdsse_kernel_defs SIMDSSE_HAVE_NEON)
endif()

set_source_files_properties(arch/dispatch.c PROPERTIES
  COMPILE_DEFINITIONS "${_simdsse_kernel_defs}")
