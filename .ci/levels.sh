#!/usr/bin/env bash
# .ci/levels.sh -- the whole ctest suite once per x86 kernel level this CPU
# has: scalar only, sse2, avx2, avx512. SIMDSSE_CPU_DISABLE (read by the
# library, see README) takes away every feature above the level, so one
# machine runs the suite as an SSE2-only or AVX2-only machine would. For
# each level it checks that the default kernel is that level's, runs
# ctest, and compares `ssecat --json` (whole, and 3 bytes at a time) on
# every stream of tests/conformance/cases with the scalar kernel's output.
# A level the CPU lacks is said and skipped. Uses the build the README's
# test command made (LEVELS_BUILD, default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${LEVELS_BUILD:-build}
ssecat=$build/ssecat
[ -x "$ssecat" ] || { echo "$ssecat not built: run the README's test command first" >&2; exit 1; }
unset SIMDSSE_KERNEL
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# LEVEL:SIMDSSE_CPU_DISABLE (what takes the CPU down to exactly LEVEL).
case $(uname -m) in
  x86_64) levels=(scalar:all sse2:avx2 avx2:avx512 avx512:) ;;
  *) levels=(scalar:all) ;;
esac
# What this CPU runs with nothing disabled: NAME<TAB>supported lines.
native=$(SIMDSSE_CPU_DISABLE= "$ssecat" --kernels)

ran=()
for entry in "${levels[@]}"; do
  level=${entry%%:*}
  export SIMDSSE_CPU_DISABLE=${entry#*:}
  if ! grep -qx "$level"$'\t'supported <<<"$native"; then
    echo "=== level $level: this CPU lacks it, skipped"
    continue
  fi
  echo "=== level $level (SIMDSSE_CPU_DISABLE=$SIMDSSE_CPU_DISABLE)"
  default=$("$ssecat" --kernels | sed -n 's/^default\t//p')
  if [ "$default" != "$level" ]; then
    echo "level $level: the default kernel is '$default'" >&2
    exit 1
  fi
  ctest --test-dir "$build" -j2 --output-on-failure
  differ=0
  for f in tests/conformance/cases/*.sse; do
    for chunk in "" "--chunk 3"; do
      # shellcheck disable=SC2086
      "$ssecat" --json $chunk "$f" >"$work/level" 2>&1 || echo "exit $?" >>"$work/level"
      # shellcheck disable=SC2086
      "$ssecat" --json --kernel scalar $chunk "$f" >"$work/scalar" 2>&1 || echo "exit $?" >>"$work/scalar"
      if ! cmp -s "$work/level" "$work/scalar"; then
        echo "level $level: $f ${chunk:-whole}: output differs from the scalar kernel's" >&2
        differ=$((differ + 1))
      fi
    done
  done
  [ "$differ" -eq 0 ] || exit 1
  echo "level $level: 600 conformance runs equal the scalar kernel's"
  ran+=("$level")
done
echo "=== levels run: ${ran[*]}"
