// bench.mjs -- simdsse against eventsource-parser 4.1.3 in the same node
// process, on the corpora of the project's ssegen, events delivered to JS as
// strings (each onEvent reads event.data).
//
//   node bench.mjs [--ssegen PATH] [--size 4M] [--chunk 16384] [--rounds 15]
//
// Two inputs: "bytes" (Uint8Array chunks as a socket or fetch() gives them:
// eventsource-parser takes strings, so its side includes TextDecoder, as
// with TextDecoderStream) and "string" (chunks already decoded; both
// parsers take the same strings). For strings the last column bounds any
// parser with a UTF-8 core: eventsource-parser's time over the time of the
// one step such a parser cannot skip, encoding the chunks to UTF-8
// (TextEncoder.encodeInto, the fastest way Node 20 has). Rounds alternate between the parsers;
// the median round is reported. Name the CPU beside any figure you quote.
import {execFileSync} from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import {fileURLToPath} from 'url'
import {createRequire} from 'module'
import {createParser as espCreate} from 'eventsource-parser'
import {createParser} from 'simdsse'

const native = createRequire(import.meta.url)('./native.js')

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const ssegen = opt('--ssegen', process.env.SIMDSSE_SSEGEN || path.join(here, '..', '..', 'build', 'ssegen'))
const size = opt('--size', '4M')
const chunkSize = Number(opt('--chunk', '16384'))
const rounds = Number(opt('--rounds', '15'))
const shapes = opt('--shapes', 'llm,tiny,big,mixed').split(',')

function cpu() {
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)
    if (m) return m[1]
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown CPU'
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]
}

function time(fn) {
  const t = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

console.log(`# ${cpu()}, node ${process.version}, ${os.cpus().length} CPUs; ${size} corpora, ${chunkSize}-byte chunks, median of ${rounds}`)
console.log('shape  input   eventsource-parser        simdsse                 ratio  (fastest)  bound')
for (const shape of shapes) {
  const bytes = execFileSync(ssegen, [shape, size], {maxBuffer: 1 << 30})
  const chunks = []
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize))
  const dec = new TextDecoder()
  const strings = chunks.map((c) => dec.decode(c, {stream: true}))

  // The floor for strings: encoding them, into one buffer.
  const scratch = new Uint8Array(chunkSize * 3 + 16)
  const encoder = new TextEncoder()
  const encodeAll = () => {
    let w = 0
    for (const s of strings) w += encoder.encodeInto(s, scratch).written
    return w
  }

  let n = 0
  let sum = 0
  const onEvent = (e) => {
    n++
    sum += e.data.length
  }
  const runs = {
    bytes: {
      esp() {
        const d = new TextDecoder()
        const p = espCreate({onEvent})
        for (const c of chunks) p.feed(d.decode(c, {stream: true}))
      },
      simdsse() {
        const p = createParser({onEvent})
        for (const c of chunks) p.feed(c)
      },
    },
    string: {
      esp() {
        const p = espCreate({onEvent})
        for (const s of strings) p.feed(s)
      },
      simdsse() {
        const p = createParser({onEvent})
        for (const s of strings) p.feed(s)
      },
    },
  }
  for (const [input, pair] of Object.entries(runs)) {
    const counts = {}
    const times = {esp: [], simdsse: []}
    for (let r = 0; r < rounds + 2; r++) {
      for (const who of ['esp', 'simdsse']) {
        n = sum = 0
        const t = time(pair[who])
        counts[who] = [n, sum]
        if (r >= 2) times[who].push(t) // two warm-up rounds
      }
    }
    if (counts.esp[0] !== counts.simdsse[0] || counts.esp[1] !== counts.simdsse[1]) {
      throw new Error(`${shape}/${input}: the parsers disagree: ${counts.esp} vs ${counts.simdsse}`)
    }
    const fmt = (t) => {
      const gbs = (bytes.length / t / 1e9).toFixed(2)
      const meps = (counts.esp[0] / t / 1e6).toFixed(2)
      return `${gbs.padStart(6)} GB/s ${meps.padStart(7)} M ev/s`
    }
    const te = median(times.esp)
    const ts = median(times.simdsse)
    const best = Math.min(...times.esp) / Math.min(...times.simdsse)
    let bound = '   -'
    if (input === 'string') {
      const floor = []
      for (let r = 0; r < rounds; r++) floor.push(time(encodeAll))
      bound = `${(te / median(floor)).toFixed(1)}x`
    }
    console.log(
      `${shape.padEnd(6)} ${input.padEnd(7)} ${fmt(te)}   ${fmt(ts)}   ${(te / ts).toFixed(2)}x  (${best.toFixed(2)}x)  ${bound}`,
    )
  }
}

// What an N-API call and an N-API string cost: a binding that made one
// call, or one string, per event could not run faster than this.
{
  const h = native.create({events: true})
  const one = new TextEncoder().encode('data: 1\n\n')
  const per = (fn, n = 1e6) => {
    let best = Infinity
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint()
      for (let i = 0; i < n; i++) fn()
      best = Math.min(best, Number(process.hrtime.bigint() - t) / n)
    }
    return best.toFixed(0)
  }
  console.log(
    `# N-API: a call ${per(() => native.retry(h))} ns, a call making a string ` +
      `${per(() => native.kernel(h))} ns, a feed of one tiny event ${per(() => native.feedBytes(h, one))} ns`,
  )
}
