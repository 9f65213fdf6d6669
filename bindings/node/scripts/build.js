'use strict'
// build.js -- `npm install`'s build: the C library with its own CMake (so
// each SIMD kernel gets its compiler flags) into build-core/, then the addon
// with npm's node-gyp. Offline: Node's headers are taken from next to the
// node binary (e.g. /usr/include/node) when they are there.
const {execFileSync} = require('child_process')
const fs = require('fs')
const path = require('path')

const here = path.resolve(__dirname, '..')
const root = path.resolve(here, '..', '..')
const core = path.join(here, 'build-core')

function run(cmd, args) {
  console.log(`simdsse: ${cmd} ${args.join(' ')}`)
  try {
    execFileSync(cmd, args, {stdio: 'inherit', cwd: here})
  } catch (err) {
    if (err.code === 'ENOENT') {
      console.error(`simdsse: ${cmd} not found; the build needs CMake >= 3.20 and a C compiler`)
    }
    process.exit(1)
  }
}

if (!fs.existsSync(path.join(root, 'include', 'simdsse.h'))) {
  console.error(`simdsse: ${root}/include/simdsse.h not found; install from a checkout of the whole repository`)
  process.exit(1)
}

run('cmake', [
  '-S', root, '-B', core, '-DCMAKE_BUILD_TYPE=Release',
  '-DSIMDSSE_BUILD_TESTS=OFF', '-DSIMDSSE_BUILD_TOOLS=OFF', '-DSIMDSSE_BUILD_BENCH=OFF',
  '-DSIMDSSE_BUILD_EXAMPLES=OFF', '-DSIMDSSE_BUILD_BINDINGS=OFF',
])
run('cmake', ['--build', core, '--target', 'simdsse', '-j', process.env.CMAKE_BUILD_PARALLEL_LEVEL || '2'])

// npm runs scripts with its own node-gyp: npm_config_node_gyp names it.
const gyp = process.env.npm_config_node_gyp
const args = ['rebuild']
const prefix = path.resolve(path.dirname(process.execPath), '..')
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`)
}
if (gyp) run(process.execPath, [gyp, ...args])
else run('node-gyp', args)
