#!/usr/bin/env bash
# run.sh -- sse_client against sse_server: resumption with Last-Event-ID
# across reconnections, the 204 stop, failed connections, network errors.
#
#     run.sh SSE_SERVER SSE_CLIENT WORKDIR [EMULATOR...]
#
# EMULATOR (qemu-user in a cross build, valgrind in .ci/valgrind.sh) goes
# before both programs.
# Every process runs under timeout(1) and the trap kills the servers, so
# the test cannot hang or leave anything behind. Prints "N passed, M failed".
set -u
server=$1 client=$2 work=$3
emu=("${@:4}")
mkdir -p "$work"
passed=0 failed=0
server_pids=()

cleanup() {
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}

# start_server NAME ARGS...: runs sse_server on an ephemeral port; sets PORT.
start_server() {
  local name=$1; shift
  rm -f "$work/$name.port"
  timeout 60 "${emu[@]}" "$server" --port 0 --interval 0 "$@" >"$work/$name.port" 2>"$work/$name.server.log" &
  server_pids+=($!)
  SERVER_PID=$!
  for _ in $(seq 200); do
    grep -q '^[0-9][0-9]*$' "$work/$name.port" 2>/dev/null && break
    sleep 0.05
  done
  PORT=$(head -n 1 "$work/$name.port")
  if ! [[ $PORT =~ ^[0-9]+$ ]]; then
    echo "FAIL: $name: sse_server printed no port"; cat "$work/$name.server.log"; exit 1
  fi
}

# run_client NAME ARGS...: runs sse_client --json; sets RC.
run_client() {
  local name=$1; shift
  timeout 30 "${emu[@]}" "$client" --json "$@" >"$work/$name.out" 2>"$work/$name.err"
  RC=$?
}

# expected FIRST LAST: the JSON lines sse_server's events FIRST..LAST read
# back as. Three kinds take turns; CR and CRLF in data come back as LF.
expected() {
  local i
  for ((i = $1; i <= $2; i++)); do
    case $((i % 3)) in
    1) printf '{"event":"message","data":"event %d","id":"%d"}\n' "$i" "$i" ;;
    2) printf '{"event":"multi","data":"event %d\\nsecond line\\nthird line","id":"%d"}\n' "$i" "$i" ;;
    0) printf '{"event":"crlf","data":"event %d\\nafter CRLF\\nafter CR","id":"%d"}\n' "$i" "$i" ;;
    esac
  done
}

same_events() { # same_events NAME FIRST LAST
  if ! diff <(expected "$2" "$3") "$work/$1.out" >"$work/$1.diff"; then
    cat "$work/$1.diff"; return 1
  fi
}
count_is() { # count_is N PATTERN FILE
  local n; n=$(grep -c -e "$2" "$3"); [ "$n" -eq "$1" ] || { echo "  $3: $n x '$2', want $1"; return 1; }
}
has() { grep -q -e "$1" "$2" || { echo "  $2 lacks '$1'"; return 1; }; }

# 1. 10 events, 3 per connection: the client reconnects 4 times, each time
#    with the last id it saw, gets every event exactly once and in order,
#    then stops on 204 with status 0.
start_server resume --events 10 --per-connection 3 --retry 10
run_client resume "http://127.0.0.1:$PORT/events"
check "resume: exit 0" [ "$RC" -eq 0 ]
check "resume: events 1..10 once each, in order" same_events resume 1 10
check "resume: 4 reconnections" count_is 4 '^sse_client: reconnecting in 10 ms' "$work/resume.err"
check "resume: stopped at 204" has '204 No Content' "$work/resume.err"
check "resume: the server saw Last-Event-ID none,3,6,9,10" \
  diff <(printf '%s\n' '(none)' 3 6 9 10) \
       <(sed -n 's/^sse_server: GET \/events, Last-Event-ID: //p' "$work/resume.server.log")

# 2. N a multiple of K: the last connection ends right after event N.
kill "$SERVER_PID" 2>/dev/null
start_server exact --events 9 --per-connection 3 --retry 10
run_client exact "http://127.0.0.1:$PORT/"
check "exact: exit 0" [ "$RC" -eq 0 ]
check "exact: events 1..9" same_events exact 1 9
check "exact: 3 reconnections" count_is 3 '^sse_client: reconnecting' "$work/exact.err"

# 3. --max-reconnects 1: two connections (events 1..6), then status 0.
run_client budget --max-reconnects 1 "http://127.0.0.1:$PORT/"
check "budget: exit 0" [ "$RC" -eq 0 ]
check "budget: events 1..6" same_events budget 1 6
check "budget: 1 reconnection" count_is 1 '^sse_client: reconnecting' "$work/budget.err"
check "budget: says it stopped" has '1 reconnection(s) made, stopping' "$work/budget.err"

# 4. A 404 fails the connection: no reconnection, status 1.
run_client missing --retry 10 "http://127.0.0.1:$PORT/missing"
check "404: exit 1" [ "$RC" -eq 1 ]
check "404: no events" [ ! -s "$work/missing.out" ]
check "404: no reconnection" count_is 0 '^sse_client: reconnecting' "$work/missing.err"
check "404: says why" has 'HTTP 404' "$work/missing.err"

# 5. Nobody listening: network errors are retried (after --retry MS), and
#    when the budget is spent without a stream the status is 1.
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
run_client refused --retry 10 --max-reconnects 2 "http://127.0.0.1:$PORT/"
check "refused: exit 1" [ "$RC" -eq 1 ]
check "refused: 2 reconnections" count_is 2 '^sse_client: reconnecting in 10 ms' "$work/refused.err"
check "refused: 3 failed connections" count_is 3 '^sse_client: connection failed' "$work/refused.err"

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  for f in "$work"/*.err "$work"/*.log; do echo "== $f"; cat "$f"; done
  exit 1
fi
