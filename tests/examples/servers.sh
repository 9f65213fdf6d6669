#!/usr/bin/env bash
# servers.sh -- the examples that serve or write a stream, checked byte for byte.
#
#     servers.sh CASE WORKDIR PROGRAM HTTP_GET [EMULATOR...]
#
# CASE is one of:
#   mhd_server    GET /events with and without Last-Event-ID, 204, 404, 405
#   sse_server    the same for the single-connection server
#   hub           the hub's HTTP surface: page, stats, errors, a replayed stream
#   write_stream  heartbeats while the input is silent, ids, retry, a refused type
# Servers run on ephemeral ports on 127.0.0.1 under timeout(1); the trap
# stops them, so nothing is left behind. EMULATOR (qemu-user in a cross
# build, valgrind in .ci/valgrind.sh) runs PROGRAM and HTTP_GET, as ctest
# runs its test programs. Prints "N passed, M failed".
set -u
case_name=$1 work=$2 program=$3 http_get=$4
emu=("${@:5}")
rm -rf "$work" && mkdir -p "$work" || exit 1
passed=0 failed=0 pids=()
# stop PID: SIGTERM, then at most 10 s for it to exit, then SIGKILL (and 1).
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -KILL "$1" 2>/dev/null; then
    echo "FAIL: $case_name: pid $1 still there 10 s after SIGTERM"
    wait "$1" 2>/dev/null
    return 1
  fi
  wait "$1" 2>/dev/null
  return 0
}
cleanup() {
  local p
  for p in "${pids[@]}"; do stop "$p" || failed=$((failed + 1)); done
  pids=()
}
trap cleanup EXIT

check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $case_name: $what"; fi
}
# same FILE: standard input (the expected bytes) equals FILE; shows the diff.
same() { diff -u - "$1" || { echo "  (expected above, $1 below)"; return 1; }; }
has() { grep -q -e "$1" "$2" || { echo "  $2 lacks '$1'"; return 1; }; }

# start ARGS...: runs PROGRAM in the background, its standard input from
# $work/in (a FIFO kept open by fd 4, so the publisher never ends by itself);
# sets PORT from the first line it prints and SERVER to its pid.
start() {
  mkfifo "$work/in" && exec 4<>"$work/in"
  # --foreground: a signal to timeout goes to the server alone. Without it
  # timeout also sends SIGCONT to its group, which can cancel the SIGSTOP
  # of LeakSanitizer's exit-time ptrace attach and hang an ASan build.
  timeout --foreground 60 "${emu[@]}" "$program" "$@" <"$work/in" >"$work/port" 2>"$work/log" &
  SERVER=$!
  pids+=("$SERVER")
  for _ in $(seq 400); do
    grep -q '^[0-9][0-9]*$' "$work/port" 2>/dev/null && break
    sleep 0.05
  done
  PORT=$(head -n 1 "$work/port")
  [[ $PORT =~ ^[0-9]+$ ]] || { echo "FAIL: $case_name: no port"; cat "$work/log"; exit 1; }
}
get() { # get NAME [http_get options] PATH: the response in $work/NAME
  local name=$1; shift
  local path=${*: -1}
  timeout 30 "${emu[@]}" "$http_get" "${@:1:$#-1}" "$PORT" "$path" >"$work/$name"
}

case $case_name in
mhd_server)
  start --port 0 --events 3 --interval 0
  get all /events
  check "GET /events: every event" same "$work/all" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream

retry: 1000
event: tick
id: 1
data: tick 1

event: tick
id: 2
data: tick 2

event: tick
id: 3
data: tick 3

EOF
  get resumed -H 'Last-Event-ID: 2' /events
  check "Last-Event-ID: 2: only event 3" same "$work/resumed" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream

retry: 1000
event: tick
id: 3
data: tick 3

EOF
  get unknown -H 'Last-Event-ID: nonsense' /events
  check "an id it never issued: from the start" cmp -s "$work/all" "$work/unknown"
  get done -H 'Last-Event-ID: 3' /events
  check "all seen: 204" has '^HTTP/1.1 204 ' "$work/done"
  get missing /nope
  check "404" has '^HTTP/1.1 404 ' "$work/missing"
  get post -X POST /events
  check "405" has '^HTTP/1.1 405 ' "$work/post"
  ;;

sse_server)
  start --port 0 --events 5 --per-connection 3 --interval 0 --retry 10
  get first /events
  check "GET /events: retry, heartbeat, events 1..3" same "$work/first" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream; charset=utf-8

retry: 10
: heartbeat
id: 1
data: event 1

event: multi
id: 2
data: event 2
data: second line
data: third line

event: crlf
id: 3
data: event 3
data: after CRLF
data: after CR

EOF
  get rest -H 'Last-Event-ID: 3' /events
  check "Last-Event-ID: 3: events 4 and 5" same "$work/rest" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream; charset=utf-8

retry: 10
: heartbeat
id: 4
data: event 4

event: multi
id: 5
data: event 5
data: second line
data: third line

EOF
  get done -H 'Last-Event-ID: 5' /events
  check "all seen: 204" has '^HTTP/1.1 204 ' "$work/done"
  ;;

hub)
  start --port 0 --heartbeat 60000
  get page /
  check "GET /: the page" has '^content-type: text/html; charset=utf-8$' "$work/page"
  check "the page's EventSource" has "new EventSource('/events')" "$work/page"
  get stats /stats
  check "GET /stats" has '^{"subscribers":0,"connections":1,"published":0,' "$work/stats"
  get missing /nope
  check "404" has '^HTTP/1.1 404 ' "$work/missing"
  get post -X POST /
  check "405" has '^HTTP/1.1 405 ' "$work/post"
  get big -H "X-Padding: $(head -c 3000 /dev/zero | tr '\0' x)" /
  check "a request head over 2 KiB: 431" has '^HTTP/1.1 431 ' "$work/big"
  # The publisher's ids are replaced by the hub's; types and data are kept.
  printf 'id: 77\ndata: one\n\nevent: note\ndata: two\ndata: lines\n\ndata: three\n\n' >&4
  get from0 -u 'data: three' -H 'Last-Event-ID: 0' /events
  check "Last-Event-ID: 0: all three, renumbered" same "$work/from0" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream

retry: 1000
id: 1
data: one

event: note
id: 2
data: two
data: lines

id: 3
data: three

EOF
  get from2 -u 'data: three' -H 'Last-Event-ID: 2' /events
  check "Last-Event-ID: 2: only event 3" same "$work/from2" <<'EOF'
HTTP/1.1 200 OK
content-type: text/event-stream

retry: 1000
id: 3
data: three

EOF
  kill -TERM "$SERVER"
  wait "$SERVER"
  check "SIGTERM: exit status 0" [ $? -eq 0 ]
  check "SIGTERM: says it stops" has '^hub: stopping' "$work/log"
  ;;

write_stream)
  # Two lines, half a second of silence (heartbeats every 100 ms), a type
  # with a CR (refused), a last line with no line feed. The silence starts
  # once the program has written event 2 (an emulator may start slowly).
  { printf 'first\nnotice\tsecond\rline\n'
    for _ in $(seq 200); do grep -q '^id: 2$' "$work/out" 2>/dev/null && break; sleep 0.05; done
    sleep 0.5
    printf 'bad\rtype\tx\nlast'; } |
    timeout 30 "${emu[@]}" "$program" --heartbeat 100 --retry 500 >"$work/out" 2>"$work/err"
  check "exit status 0" [ $? -eq 0 ]
  grep -v '^:$' "$work/out" >"$work/events"
  check "the stream without its heartbeats" same "$work/events" <<'EOF'
retry: 500
id: 1
data: first

event: notice
id: 2
data: second
data: line

id: 3
data: last

EOF
  beats=$(sed -n '/^data: line$/,/^id: 3$/p' "$work/out" | grep -c '^:$')
  check "heartbeats in the silence (got $beats)" [ "$beats" -ge 2 ]
  check "the refused type is reported" same "$work/err" <<'EOF'
write_stream: line 3: value cannot be written without injecting a field: not sent
EOF
  ;;

*)
  echo "servers.sh: unknown case $case_name"
  exit 2
  ;;
esac

cleanup
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  echo "== server log"; cat "$work/log" 2>/dev/null
  exit 1
fi
