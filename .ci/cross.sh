#!/usr/bin/env bash
# .ci/cross.sh -- the whole ctest suite built with Debian's cross compilers
# and run under qemu-user, one build directory per target:
#   aarch64  real NEON code, the default kernel there (checked below),
#   s390x    64-bit big-endian (the scalar kernel's SWAR path byte-swaps),
#   i686     32-bit x86, 32-bit size_t.
# The toolchain files in cmake/ set CMAKE_CROSSCOMPILING_EMULATOR, which
# ctest and the CMake-script tests put before every target program. Under
# CI=true as root it installs the cross compilers and qemu-user itself.
# CROSS_TARGETS picks some (default: all three).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(${CROSS_TARGETS:-aarch64 s390x i686})

if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq --no-install-recommends qemu-user \
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-s390x-linux-gnu libc6-dev-s390x-cross \
    gcc-i686-linux-gnu libc6-dev-i386-cross >/dev/null
fi

declare -A qemu=([aarch64]=aarch64 [s390x]=s390x [i686]=i386)
declare -A triple=([aarch64]=aarch64-linux-gnu [s390x]=s390x-linux-gnu [i686]=i686-linux-gnu)
declare -A want_default=([aarch64]=neon [s390x]=scalar [i686]=scalar)
summary=()
for t in "${targets[@]}"; do
  build=build-$t
  echo "=== $t: build"
  cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="cmake/toolchain-$t.cmake" >/dev/null
  cmake --build "$build" -j2 >/dev/null
  # The kernel a parser gets by default on this target, as its ssecat says.
  default=$(env -u SIMDSSE_KERNEL -u SIMDSSE_CPU_DISABLE \
    "qemu-${qemu[$t]}" -L "/usr/${triple[$t]}" "$build/ssecat" --kernels | sed -n 's/^default\t//p')
  if [ "$default" != "${want_default[$t]}" ]; then
    echo "$t: the default kernel is '$default', want ${want_default[$t]}" >&2
    exit 1
  fi
  echo "=== $t: ctest under qemu-${qemu[$t]} (default kernel $default)"
  log=$build/ctest.log
  env -u SIMDSSE_KERNEL -u SIMDSSE_CPU_DISABLE \
    ctest --test-dir "$build" -j2 --output-on-failure --timeout 1200 | tee "$log"
  summary+=("$t: $(grep -E 'tests passed' "$log"), $(grep -c '\*\*\*Skipped' "$log" || true) skipped")
done
printf '%s\n' "${summary[@]}"
