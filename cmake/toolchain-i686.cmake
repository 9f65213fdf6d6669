# toolchain-i686.cmake -- 32-bit x86 (i686): the scalar kernel, 32-bit size_t.
# Debian: gcc-i686-linux-gnu, libc6-dev-i386-cross, qemu-user.
# ctest runs the tests under qemu-i386:
#   cmake -S . -B build-i686 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i686.cmake
#   cmake --build build-i686 -j2 && ctest --test-dir build-i686
set(CMAKE_SYSTEM_PROCESSOR i686)
set(SIMDSSE_CROSS_TRIPLE i686-linux-gnu)
set(SIMDSSE_CROSS_QEMU i386)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
