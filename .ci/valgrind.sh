#!/usr/bin/env bash
# .ci/valgrind.sh -- the ctest suite under valgrind memcheck: a Debug build
# with no sanitizers, in its own directory, every test program run as
#   valgrind --tool=memcheck --error-exitcode=1 --leak-check=full ...
# through CMAKE_CROSSCOMPILING_EMULATOR, which add_test prepends to every
# test whose command is a built program and the CMake-script and shell
# tests put before the programs they start. test_hostile runs its streams
# at 1/256 of full size (SIMDSSE_HOSTILE_SCALE): the same limits trip, in
# seconds instead of hours, and test_pull runs fewer chunkings and kernels
# (SIMDSSE_TEST_QUICK). Assumes valgrind is installed; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${VALGRIND_BUILD:-build-valgrind}
vg=$(command -v valgrind) || { echo "valgrind not installed" >&2; exit 1; }

# Any error, or any definitely/indirectly lost block, fails the test.
# --track-origins: a report says where an uninitialised value came from.
emu="$vg;--tool=memcheck;--error-exitcode=1;--leak-check=full"
emu="$emu;--errors-for-leak-kinds=definite,indirect;--track-origins=yes;--quiet"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSIMDSSE_SANITIZE=OFF \
  -DSIMDSSE_BUILD_BENCH=OFF -DSIMDSSE_HOSTILE_SCALE=256 -DSIMDSSE_TEST_QUICK=ON \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=$emu" >/dev/null
cmake --build "$build" -j2 >/dev/null
# Not run: install, subproject and symbols check packaging, not memory;
# test_vectors runs every vector at every chunk size with every kernel,
# about 5 minutes under memcheck, for code that test_parser,
# test_conformance and the fuzz replays run too; ssegen_corpus and
# ssecat_bench run ssecat over 256 KiB corpora a byte at a time and more,
# minutes under memcheck, code the other ssecat tests run too.
# VALGRIND_EXCLUDE='^(install|subproject|symbols)$' runs them anyway.
exclude=${VALGRIND_EXCLUDE:-'^(install|subproject|symbols|test_vectors|ssegen_corpus|ssecat_bench)$'}
ctest --test-dir "$build" --output-on-failure --timeout 900 -j2 -E "$exclude"
