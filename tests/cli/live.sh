#!/usr/bin/env bash
# live.sh -- ssecat on a live pipe: every mode writes what a piece of input
# gives as soon as that piece arrives, long before the input ends.
#
#     live.sh WORKDIR [EMULATOR...] SSECAT
#
# For each mode, ssecat reads a FIFO this script keeps open; the script
# writes one piece, waits (up to 30 s) for its output, writes the next,
# and only then ends the input. A mode that holds its output until EOF
# never shows the first piece's output and fails. Prints "N passed, M failed".
set -u
work=$1; shift
cmd=("$@")
mkdir -p "$work"
passed=0 failed=0 pid=

cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; exec 3>&- 2>/dev/null; }
trap cleanup EXIT

# wait_for FILE TEXT: until FILE holds TEXT (a fixed string), at most 30 s.
wait_for() {
  for _ in $(seq 300); do
    grep -qF -e "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# live NAME 'PIECE1' 'WANT1' 'PIECE2' 'WANT2' ARGS...: the two pieces, each
# answered before the next is written; then EOF and exit status 0 or 1.
live() {
  local name=$1 p1=$2 w1=$3 p2=$4 w2=$5; shift 5
  local fifo=$work/$name.in out=$work/$name.out ok=1
  rm -f "$fifo" "$out"
  mkfifo "$fifo"
  timeout 120 "${cmd[@]}" "$@" <"$fifo" >"$out" 2>"$work/$name.err" &
  pid=$!
  exec 3>"$fifo"
  printf '%b' "$p1" >&3
  wait_for "$out" "$w1" || { echo "FAIL: $name: '$w1' not written before more input came"; ok=0; }
  if [ $ok = 1 ]; then
    printf '%b' "$p2" >&3
    wait_for "$out" "$w2" || { echo "FAIL: $name: '$w2' not written before the input ended"; ok=0; }
  fi
  exec 3>&-
  wait "$pid"; local rc=$?
  pid=
  case $rc in 0 | 1) ;; *) echo "FAIL: $name: exit $rc"; ok=0 ;; esac
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out" "$work/$name.err"; fi
}

live text 'data: one\n\n' 'data="one"' 'data: two\n\n' 'data="two"'
live json 'data: one\n\n' '"data":"one"' 'event: e\ndata: two\n\n' '"data":"two"' --json
live validate 'Data: x\n' "did you mean 'data'?" 'data: ok\n\nevent: e\n\n' 'event-without-data' --validate
# --encode needs jansson; without it, it says so and there is nothing to test.
if "${cmd[@]}" --encode </dev/null 2>&1 | grep -q 'built without jansson'; then
  echo "encode: ssecat built without jansson, not tested"
else
  live encode '{"data":"one"}\n' 'data: one' '{"event":"e","data":"two"}\n' 'data: two' --encode
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
