# debian-cross.cmake -- what the toolchain files in this directory share: a
# cross build with Debian's gcc-<triple> and libc6-dev-<arch>-cross, whose
# programs ctest runs under qemu-user. Set SIMDSSE_CROSS_TRIPLE (the GNU
# triple) and SIMDSSE_CROSS_QEMU (qemu-user's name for the CPU) first.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${SIMDSSE_CROSS_TRIPLE}-gcc)
# C++ (the benchmarks) only from the cross g++: without it (g++-<triple>
# is a package of its own) they are skipped, never built with the host's
# c++, which check_language(CXX) would otherwise pick.
if(EXISTS /usr/bin/${SIMDSSE_CROSS_TRIPLE}-g++)
  set(CMAKE_CXX_COMPILER /usr/bin/${SIMDSSE_CROSS_TRIPLE}-g++)
else()
  set(CMAKE_CXX_COMPILER "")
endif()

# Headers, libraries and CMake packages come from the target's tree only
# (and roots given with -DCMAKE_FIND_ROOT_PATH=...): the host's (jansson,
# libcurl, Google Benchmark for x86-64) would be found first and then fail
# to link. Programs (pkg-config, nm) are the host's.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${SIMDSSE_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config reads the target's .pc files only (Debian multiarch puts them
# in /usr/lib/<triple>/pkgconfig), never the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${SIMDSSE_CROSS_TRIPLE}/pkgconfig:/usr/${SIMDSSE_CROSS_TRIPLE}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest runs every target program through qemu-user, with the target's
# dynamic loader and libc from the cross toolchain (-L).
find_program(SIMDSSE_QEMU_${SIMDSSE_CROSS_QEMU} qemu-${SIMDSSE_CROSS_QEMU} REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${SIMDSSE_QEMU_${SIMDSSE_CROSS_QEMU}} -L /usr/${SIMDSSE_CROSS_TRIPLE})
