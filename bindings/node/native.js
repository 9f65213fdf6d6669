'use strict'
// native.js -- loads the addon: $SIMDSSE_NODE_ADDON (a CMake build's
// simdsse.node, for ctest), else what `npm install` built with node-gyp.
const path = require('path')

function load() {
  const explicit = process.env.SIMDSSE_NODE_ADDON
  if (explicit) return require(path.resolve(explicit))
  const tried = []
  for (const dir of ['build/Release', 'build/Debug']) {
    const file = path.join(__dirname, dir, 'simdsse.node')
    try {
      return require(file)
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw err
      tried.push(file)
    }
  }
  throw new Error(
    `simdsse: the native addon is not built (looked for ${tried.join(', ')}); ` +
      `run "npm install" in ${__dirname} (it needs cmake, a C compiler and Node's headers)`,
  )
}

module.exports = load()
