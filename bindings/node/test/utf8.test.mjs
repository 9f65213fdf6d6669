// Strings are decoded as a browser decodes the stream: held to TextDecoder
// (the WHATWG UTF-8 decoder, one U+FFFD per maximal subpart) on every
// boundary sequence and on random bytes.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {createParser} from '../index.mjs'

// ignoreBOM: a U+FEFF inside data is data (only the stream's first is dropped).
const decoder = new TextDecoder('utf-8', {ignoreBOM: true})

function dataOf(bytes, size = 0) {
  const stream = new Uint8Array(bytes.length + 8)
  stream.set([100, 97, 116, 97, 58]) // "data:"
  stream.set(bytes, 5)
  stream.set([10, 10], 5 + bytes.length)
  const s = stream.subarray(0, bytes.length + 7)
  const got = []
  const p = createParser({onEvent: (e) => got.push(e.data)})
  if (size === 0) p.feed(s)
  else for (let i = 0; i < s.length; i += size) p.feed(s.subarray(i, i + size))
  assert.equal(got.length, 1)
  return got[0]
}

// Bytes without CR and LF (which would end the line) and not starting with
// a space (which the parser strips after the colon).
function clean(bytes) {
  return bytes.map((b) => (b === 10 || b === 13 ? 0x41 : b))
}

test('boundary sequences', () => {
  const seqs = [
    [0x7f], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2, 0x80], [0xdf, 0xbf],
    [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf],
    [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xee, 0x80, 0x80], [0xef, 0xbf, 0xbf],
    [0xf0, 0x8f, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80], [0xff], [0xe2, 0x82], [0xf0, 0x9f, 0x98],
    [0xe2, 0x41], [0xf0, 0x9f, 0x41], [0xc3], [0xef, 0xbb, 0xbf],
  ]
  for (const seq of seqs) {
    for (const pre of [[], [0x61], Array(20).fill(0x62)]) {
      for (const post of [[], [0x63], Array(20).fill(0x64), [0xe6, 0x9d, 0xb1]]) {
        const bytes = new Uint8Array([...pre, ...seq, ...post])
        assert.equal(dataOf(bytes), decoder.decode(bytes), `bytes ${[...bytes].map((b) => b.toString(16))}`)
      }
    }
  }
})

test('random bytes, random chunking', () => {
  let seed = 12345
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0
    return seed % n
  }
  // Bytes biased towards UTF-8's interesting values.
  const pool = [0x20, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff]
  for (let i = 0; i < 3000; i++) {
    const n = 1 + rand(60)
    const bytes = clean(new Uint8Array(n).map(() => (rand(3) ? pool[rand(pool.length)] : rand(256))))
    if (bytes[0] === 0x20) bytes[0] = 0x41
    const want = decoder.decode(bytes)
    assert.equal(dataOf(bytes), want)
    assert.equal(dataOf(bytes, 1 + rand(9)), want)
  }
})

test('long ASCII runs around multi-byte characters (the SIMD paths)', () => {
  for (let n = 0; n < 70; n++) {
    const s = 'a'.repeat(n) + 'é' + 'b'.repeat(70 - n) + '東京🚀' + 'c'.repeat(n)
    const bytes = new TextEncoder().encode(s)
    assert.equal(dataOf(bytes), s)
    const bad = new Uint8Array([...bytes.subarray(0, n), 0xff, ...bytes.subarray(n)])
    assert.equal(dataOf(bad), decoder.decode(bad))
  }
})
