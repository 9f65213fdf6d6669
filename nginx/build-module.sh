#!/usr/bin/env bash
# build-module.sh -- builds ngx_http_sse_module.so with nginx's own build
# system, against the nginx sources Debian ships in nginx-dev:
#
#   build-module.sh NGINX_SRC WORK MODULE_DIR OUT CC
#
# NGINX_SRC (/usr/share/nginx/src) is copied to WORK once; configure runs
# there with the flags the packaged nginx was built with (conf_flags, which
# include --with-compat, so the module loads into that nginx), and again
# only when its inputs change; `make -f objs/Makefile modules` then builds
# the module (Debian's trimmed sources have no top-level Makefile). The
# environment says where simdsse and jansson are (see MODULE_DIR/config).
set -euo pipefail
src=$1 work=$2 addon=$3 out=$4 cc=$5

if [ ! -x "$work/configure" ]; then
    rm -rf "$work"
    mkdir -p "$work"
    cp -R "$src/." "$work/"
fi
# shellcheck source=/dev/null
source "$work/conf_flags"
# The compiler flags Debian built its nginx with (`nginx -V`: optimisation
# and hardening); conf_flags leaves them out, and nginx's own default is -O.
args=("${NGX_CONF_FLAGS[@]}" --with-cc="$cc" --add-dynamic-module="$addon"
      "--with-cc-opt=-g -O2 -fstack-protector-strong -Wformat -Werror=format-security -fPIC -D_FORTIFY_SOURCE=2"
      "--with-ld-opt=-Wl,-z,relro -Wl,-z,now -fPIC")

stamp="$work/.simdsse-configure"
want=$(printf '%s\n' "${args[@]}" "${SIMDSSE_INCLUDE:-}" "${SIMDSSE_LIBS:-}" "${JANSSON_LIBS:-}";
       cat "$addon/config")
if [ ! -f "$work/objs/Makefile" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "nginx module: configuring nginx $(sed -n 's/^#define NGINX_VERSION *"\(.*\)"/\1/p' "$work/src/core/nginx.h") in $work"
    if ! (cd "$work" && ./configure "${args[@]}" >configure.log 2>&1); then
        tail -n 30 "$work/configure.log" >&2
        exit 1
    fi
    printf '%s' "$want" >"$stamp"
fi
# Relink every time: nginx's Makefile does not know libsimdsse.a.
rm -f "$work/objs/ngx_http_sse_module.so"
# Not under the caller's jobserver: nginx's Makefile is a separate build.
env -u MAKEFLAGS -u MFLAGS make -s -C "$work" -f objs/Makefile modules
cp "$work/objs/ngx_http_sse_module.so" "$out"
