#!/usr/bin/env bash
# .ci/examples.sh -- the examples with every optional dependency present:
# libmicrohttpd (mhd_server), libcurl and libuv (client_libuv) and headless
# Chromium with python3 (the hub's browser test), built with -Werror, then
# again under ASan + UBSan (the hub with 1,000 subscribers, leaks included).
# Runs `ctest -L examples` in each: every example's output, the hub's load
# and browser tests, the guide's code blocks; then client_libuv's test once
# more with the example under valgrind memcheck (the suite's valgrind stage
# runs before libuv is installed). Installs what it needs (Debian, as root);
# a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

apt-get install -y -qq --no-install-recommends \
  libmicrohttpd-dev libcurl4-openssl-dev libuv1-dev chromium python3 pkg-config valgrind \
  >/dev/null

for variant in release asan; do
  build=build-examples-$variant
  flags=(-DCMAKE_BUILD_TYPE=Release)
  [ "$variant" = asan ] && flags=(-DCMAKE_BUILD_TYPE=Debug -DSIMDSSE_SANITIZE=ON)
  cmake -S . -B "$build" -DSIMDSSE_WERROR=ON -DSIMDSSE_BUILD_BENCH=OFF "${flags[@]}" >/dev/null
  cmake --build "$build" -j2 --target simdsse_examples >/dev/null
  # Nothing may skip here: every dependency is installed.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    timeout 900 ctest --test-dir "$build" -L examples --output-on-failure --timeout 300 \
    | tee "$build/ctest.log"
  if grep -q 'Not Run\|Skipped' "$build/ctest.log"; then
    echo "examples: a test was skipped although its dependencies are installed" >&2
    exit 1
  fi
done

# The client in a libuv loop, the example itself under memcheck.
SIMDSSE_TEST_WRAPPER="valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --quiet" \
  ctest --test-dir build-examples-release -R '^example_client_libuv$' --output-on-failure \
  --timeout 300 --no-tests=error
