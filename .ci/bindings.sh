#!/usr/bin/env bash
# .ci/bindings.sh -- the Python and Node bindings, installed and tested the
# way README.md says, then through ctest:
#   1. Debian's python3 and its packages; node and npm if the machine has none
#      (Debian's nodejs, npm and libnode-dev: Node's headers);
#   2. in a clean copy of the tree, the install commands of README.md's
#      "Bindings" section, run as written (pip install into a venv, npm
#      install ./bindings/node), then pytest against the installed package,
#      require('simdsse') and import 'simdsse';
#   3. npm install in bindings/node (eventsource-parser from the npm
#      registry, the only download) and npm test;
#   4. a CMake build whose ctest runs python_bindings, node_bindings and
#      ssecat_man, which must pass, not skip;
#   5. both benchmarks once on small corpora (they run, their figures are not
#      judged here).
# Run from anywhere; needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d /tmp/simdsse-bindings.XXXXXX)
trap 'rm -rf "$work"' EXIT

apt-get install -y -qq --no-install-recommends \
  build-essential cmake python3 python3-dev python3-venv python3-pip python3-setuptools \
  python3-wheel python3-pytest python3-httpx groff-base >/dev/null
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get install -y -qq --no-install-recommends nodejs npm libnode-dev >/dev/null
fi
echo "python: $(/usr/bin/python3 --version), node $(node --version), npm $(npm --version)"

# A clean copy: the files git tracks or would track, as they are now.
copy="$work/checkout"
mkdir "$copy"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$copy"

echo "--- README.md's install commands, as written, in a clean copy"
cmds=$(awk '/^## Bindings/{b=1} b && /^```sh$/{s=1; next} s && /^```$/{exit} s' README.md)
[ -n "$cmds" ] || { echo "no install commands in README.md's Bindings section"; exit 1; }
echo "$cmds"
(cd "$copy" && timeout 900 bash -euo pipefail -c "$cmds")

echo "--- Python: pytest against the installed package"
# From the copy's root: the source tree's simdsse/ is not on sys.path.
(cd "$copy" && timeout 600 venv/bin/python -m pytest -q -p no:cacheprovider bindings/python/tests)
(cd "$copy" && venv/bin/python -c 'import simdsse, simdsse.httpx; print("imported", simdsse.__file__)')

echo "--- Node: require and import the installed package"
(
  cd "$copy"
  node -e "const {createParser} = require('simdsse'); let n = 0;
           createParser({onEvent: () => n++}).feed('data: 1\n\n'); if (n !== 1) process.exit(1)"
  node --input-type=module -e "import {createParser} from 'simdsse';
           import {EventSourceParserStream} from 'simdsse/stream';
           if (typeof createParser !== 'function' || typeof EventSourceParserStream !== 'function') process.exit(1)"
  echo "require('simdsse') and import 'simdsse' work"
)
echo "--- Node: npm test, with eventsource-parser to compare against"
(
  cd "$copy/bindings/node"
  timeout 600 npm install --no-audit --no-fund
  timeout 600 npm test
)

echo "--- ctest: the bindings and the manual page"
cmake -S . -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DSIMDSSE_BUILD_BENCH=OFF >/dev/null
cmake --build "$work/build" -j2 >/dev/null
out=$(ctest --test-dir "$work/build" --output-on-failure -R '^(python_bindings|node_bindings|ssecat_man)$')
echo "$out"
for t in python_bindings node_bindings ssecat_man; do
  grep -Eq "Test +#[0-9]+: $t \.+ +Passed" <<<"$out" || { echo "$t did not pass (skipped?)"; exit 1; }
done

echo "--- benchmarks, once, small"
PYTHONPATH="$work/build/bindings/python" timeout 600 /usr/bin/python3 bindings/python/bench.py \
  --ssegen "$work/build/ssegen" --size 256K --rounds 1
(
  cd "$copy/bindings/node" # where npm install put eventsource-parser
  SIMDSSE_NODE_ADDON="$work/build/bindings/node/simdsse.node" timeout 600 node bench.mjs \
    --ssegen "$work/build/ssegen" --size 256K --rounds 1
)
