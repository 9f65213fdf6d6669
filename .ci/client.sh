#!/usr/bin/env bash
# .ci/client.sh -- the client library's own stage (issue 16). The suite's
# ASan + UBSan stages (gcc and clang) already run every client test with
# the library, ssecat and the examples instrumented, and the valgrind stage
# runs test_client (the library) under memcheck. This stage adds, in about
# two minutes on 2 cores:
#   1. the client's built-in loop on poll(2) instead of epoll
#      (SIMDSSE_CLIENT_POLL=ON): the client tests again;
#   2. the programs on the client -- `ssecat URL`, llm_stream, client_poll,
#      sse_client -- each run under valgrind memcheck, as a user runs them;
#   3. a build without libcurl: configure says the client is off, the rest
#      builds, and the client's test is reported skipped, with a message.
# Installs what it needs when run as root with CI=true; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev valgrind pkg-config openssl \
    >/dev/null
fi
jobs=-j2

echo "--- client: the built-in loop on poll(2)"
cmake -S . -B build-client-poll -DCMAKE_BUILD_TYPE=Debug -DSIMDSSE_CLIENT_POLL=ON \
  -DSIMDSSE_BUILD_BENCH=OFF >/dev/null
cmake --build build-client-poll $jobs --target test_client test_client_tools sse_test_server \
  ssecat llm_stream client_poll sse_client bench_client >/dev/null
ctest --test-dir build-client-poll --output-on-failure --timeout 300 \
  -R '^client' -E '^client_(install|symbols)$'

echo "--- client: the programs under valgrind memcheck"
export SIMDSSE_TEST_WRAPPER="valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --quiet"
ctest --test-dir build-client-poll --output-on-failure --timeout 600 -R '^client_(examples|ssecat)$'
unset SIMDSSE_TEST_WRAPPER

echo "--- client: a build without libcurl"
cmake -S . -B build-no-curl -DCMAKE_BUILD_TYPE=Debug -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON \
  -DSIMDSSE_BUILD_BENCH=OFF > build-no-curl.log
grep -q 'simdsse_client: libcurl not found' build-no-curl.log || {
  echo "configure did not say the client is off"; cat build-no-curl.log; exit 1; }
cmake --build build-no-curl $jobs >/dev/null # everything else still builds
ctest --test-dir build-no-curl --output-on-failure -R '^client' | tee build-no-curl-ctest.log
grep -q 'client .*Skipped' build-no-curl-ctest.log || {
  echo "the client test was not reported as skipped"; exit 1; }
