# toolchain-s390x.cmake -- IBM Z (s390x): 64-bit big-endian, the scalar kernel.
# Debian: gcc-s390x-linux-gnu, libc6-dev-s390x-cross, qemu-user.
# ctest runs the tests under qemu-s390x:
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-s390x.cmake
#   cmake --build build-s390x -j2 && ctest --test-dir build-s390x
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(SIMDSSE_CROSS_TRIPLE s390x-linux-gnu)
set(SIMDSSE_CROSS_QEMU s390x)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
