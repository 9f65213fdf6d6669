#!/usr/bin/env bash
# .ci/fuzz.sh -- what CI fuzzes: builds the libFuzzer targets with clang-14
# (ASan + UBSan, the library instrumented too) in build-fuzz/ and runs each
# for FUZZ_SECONDS (default 60) on its seeds and fuzz/sse.dict: four targets,
# about 4.5 minutes with the build. libFuzzer runs every seed before it
# mutates, so a seed that crashes (a saved regression) fails at once. Fails
# on any crash, leak, timeout or out-of-memory; the log shows the input
# (Base64) and the artifact path. Assumes clang-14 and libclang-rt-14-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
export FUZZ_WORK=${FUZZ_WORK:-$FUZZ_BUILD/work}
exec tools/fuzz.sh "${FUZZ_SECONDS:-60}"
