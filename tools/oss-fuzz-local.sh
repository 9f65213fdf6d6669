#!/usr/bin/env bash
# tools/oss-fuzz-local.sh [SECONDS] -- runs fuzz/oss-fuzz/build.sh on this
# machine as OSS-Fuzz's libFuzzer + ASan/UBSan build would (same variables,
# a temporary $SRC and $OUT), then runs each target it built for SECONDS
# (default 10) on its seed corpus zip and dictionary, as ClusterFuzz does.
# Proves the OSS-Fuzz integration works without Docker. Needs clang-14, zip,
# unzip. Exit status: 0 when everything built and no target found anything.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
tmp=$(mktemp -d /tmp/simdsse-oss-fuzz.XXXXXX)
echo "work directory: $tmp"

export CC=${CC:-clang-14} CXX=${CXX:-clang++-14}
# OSS-Fuzz's address + undefined flags, in short.
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined \
-fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC=$tmp/src OUT=$tmp/out WORK=$tmp/work
mkdir -p "$SRC" "$OUT" "$WORK"
ln -s "$root" "$SRC/simdsse"

bash -eu "$root/fuzz/oss-fuzz/build.sh"
echo
ls -l "$OUT"

status=0
for bin in "$OUT"/fuzz_*; do
  case $bin in *.zip | *.dict | *.options) continue ;; esac
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  for f in "${name}_seed_corpus.zip" "$name.dict"; do
    [ -f "$OUT/$f" ] || { echo "$name: $f missing"; status=1; }
  done
  seeds=$WORK/seeds/$name corpus=$WORK/corpus/$name
  mkdir -p "$seeds" "$corpus"
  unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$seeds"
  echo "=== $name: ${secs}s on $(ls "$seeds" | wc -l) seeds"
  if "$bin" -max_total_time="$secs" -print_final_stats=1 -dict="$OUT/$name.dict" \
       -artifact_prefix="$WORK/$name-" "$corpus" "$seeds" >"$WORK/$name.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units' "$WORK/$name.log" || true
  else
    echo "$name FOUND SOMETHING: $WORK/$name.log"
    grep -E 'ERROR|SUMMARY|fuzz_.*\.c:[0-9]+:' "$WORK/$name.log" | head -10 || true
    status=1
  fi
done
exit $status
