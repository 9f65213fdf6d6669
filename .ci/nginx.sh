#!/usr/bin/env bash
# .ci/nginx.sh -- ngx_http_sse_module against Debian's real nginx: installs
# nginx and nginx-dev (and jansson), builds the module with -Werror (CI=true)
# in its own build directory, runs its tests (the nginx_* cases and the unit
# tests of its logic), installs it where Debian keeps nginx modules and has
# the system's own nginx.conf load it (`nginx -t`), then runs its load
# benchmark briefly. About two minutes on 2 cores; as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NGINX_BUILD:-build-nginx}

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends nginx nginx-dev libjansson-dev >/dev/null

cmake -S . -B "$build" -DSIMDSSE_NGINX=ON -DSIMDSSE_BUILD_BENCH=OFF | grep "nginx module"
cmake --build "$build" -j2 --target ngx_http_sse_module nginx_test test_sse_filter \
  test_sse_extract sse_load ssecat >/dev/null

# Every case must run: a skipped one would pass silently.
log=$(mktemp)
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300 -R '^(nginx_|test_sse_)' | tee "$log"
if grep -q -i "skipped\|not run" "$log"; then echo "nginx tests were skipped"; exit 1; fi
rm -f "$log"

# Installed where Debian keeps modules, enabled the Debian way, loaded by
# the packaged configuration.
cmake --install "$build" --component nginx
ln -sf /usr/share/nginx/modules-available/mod-http-sse.conf /etc/nginx/modules-enabled/50-mod-http-sse.conf
out=$(nginx -t 2>&1) || { echo "$out"; exit 1; }
echo "$out"
if grep -q "\[warn\]\|\[emerg\]" <<<"$out"; then exit 1; fi
rm -f /etc/nginx/modules-enabled/50-mod-http-sse.conf

timeout 300 "$build/nginx/bench/sse_load" --quick
