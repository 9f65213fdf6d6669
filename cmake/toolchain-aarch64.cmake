# toolchain-aarch64.cmake -- AArch64 (ARMv8-A): NEON is the default kernel.
# Debian: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user.
# ctest runs the tests under qemu-aarch64:
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
#   cmake --build build-aarch64 -j2 && ctest --test-dir build-aarch64
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SIMDSSE_CROSS_TRIPLE aarch64-linux-gnu)
set(SIMDSSE_CROSS_QEMU aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
