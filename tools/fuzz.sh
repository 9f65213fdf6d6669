#!/usr/bin/env bash
# tools/fuzz.sh [SECONDS] [TARGET...] -- build the libFuzzer targets with
# clang and run each for SECONDS (default 60) on its seeds and the shared
# dictionary, then print executions, coverage and findings per target.
#
#   FUZZ_BUILD  build directory     (default /tmp/build-fuzz)
#   FUZZ_WORK   corpora + artifacts (default $FUZZ_BUILD/work)
#   CC          clang to use        (default clang-14)
#   FUZZ_FLAGS  extra libFuzzer flags, e.g. "-jobs=2 -workers=2"
#
# New inputs go to $FUZZ_WORK/<target>/corpus, never into corpus/fuzz/ (the
# seeds are passed as a second, read-only corpus). Crashes are written to
# $FUZZ_WORK/<target>/ as crash-*, leak-*, timeout-*, oom-*. Exit status:
# 0 when no target found anything, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
build=${FUZZ_BUILD:-/tmp/build-fuzz}
work=${FUZZ_WORK:-$build/work}
cc=${CC:-clang-14}

case $secs in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

# Coverage instrumentation and the sanitizers go on the library too, so the
# build directory is the fuzzers' own (tests and tools are not built here).
CC=$cc cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIMDSSE_BUILD_FUZZ=ON \
  -DSIMDSSE_BUILD_TESTS=OFF -DSIMDSSE_BUILD_TOOLS=OFF -DSIMDSSE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2 --target fuzz >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

artifacts() {
  find "$1" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \)
}

found=0
summary=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  [ -x "$bin" ] || { echo "$t: not built" >&2; found=1; continue; }
  dir=$work/$t
  mkdir -p "$dir/corpus"
  seeds=()
  [ -d "$root/corpus/fuzz/$t" ] && seeds=("$root/corpus/fuzz/$t")
  echo "=== $t: ${secs}s"
  log=$dir/fuzz.log
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: the targets
  # hold a few copies of a small input, so 2 GiB is a leak.
  status=0
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -dict="$root/fuzz/sse.dict" -artifact_prefix="$dir/" ${FUZZ_FLAGS:-} \
    "$dir/corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(ls "$dir/corpus" | wc -l)
  crashes=$(artifacts "$dir" | wc -l)
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    found=1
    echo "--- $t FOUND SOMETHING (exit $status); log: $log"
    grep -E 'ERROR|SUMMARY|fuzz_.*\.c:[0-9]+:|runtime error|Base64:' "$log" | head -20 || true
    artifacts "$dir"
  fi
  grep -E '^stat::' "$log" || true
  summary+=("$(printf '%-18s %6ss %12s execs %8s/s  cov %5s  ft %6s  corpus %5s  findings %s' \
    "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$crashes")")
done

echo
echo "=== summary ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'))"
printf '%s\n' "${summary[@]}"
exit $found
