// createParser's own behaviour: inputs, limits and errors, callbacks that
// throw or reset, big chunks, CommonJS and ES module entry points.
import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {test} from 'node:test'
import {createParser, ParseError, EventSourceParserStream} from '../index.mjs'

const require = createRequire(import.meta.url)

function run(pieces, config = {}) {
  const out = []
  const p = createParser({
    onEvent: (e) => out.push(e),
    onError: (e) => out.push(e),
    onRetry: (r) => out.push({retry: r}),
    onComment: (c) => out.push({comment: c}),
    ...config,
  })
  for (const piece of pieces) p.feed(piece)
  return out
}

test('require and import give the same module', () => {
  const cjs = require('../index.js')
  assert.equal(cjs.createParser, createParser)
  assert.equal(cjs.ParseError, ParseError)
  assert.equal(cjs.EventSourceParserStream, EventSourceParserStream)
  assert.equal(require('../stream.js').EventSourceParserStream, EventSourceParserStream)
})

test('events as eventsource-parser delivers them', () => {
  const out = run(['event: delta\nid: 1\ndata: a\ndata: b\n\ndata: c\n\nid:\ndata: d\n\ndata: e\n\n'])
  assert.deepEqual(out, [
    {id: '1', event: 'delta', data: 'a\nb'},
    {id: '1', event: undefined, data: 'c'},
    {id: '', event: undefined, data: 'd'},
    {id: undefined, event: undefined, data: 'e'},
  ])
})

test('every input type', () => {
  const text = 'data: h\u00e9\n\n'
  const bytes = new TextEncoder().encode(text)
  const inputs = [text, bytes, Buffer.from(bytes), bytes.buffer, new DataView(bytes.buffer), new Uint8Array([0, ...bytes]).subarray(1)]
  for (const input of inputs) assert.deepEqual(run([input]).map((e) => e.data), ['h\u00e9'])
  assert.throws(() => createParser({}).feed(12), TypeError)
  assert.throws(() => createParser({}).feed({length: 3}), TypeError)
  // Any other view is read as its bytes.
  assert.deepEqual(run([new Uint16Array(new Uint8Array([...bytes, 0]).buffer)]).map((e) => e.data), ['h\u00e9'])
  assert.throws(() => createParser(() => {}), /must be an object/)
})

test('strings and bytes may be mixed; a surrogate pair may be split', () => {
  const out = run(['data: \ud83d', '\ude80 ', new TextEncoder().encode('x\n'), '\n', 'data: \ud83d', new Uint8Array([10, 10])])
  assert.deepEqual(out.map((e) => e.data), ['\u{1f680} x', '\ufffd'])
})

test('limits: ParseError with the offset, and parsing goes on', () => {
  const long = 'data: ' + 'x'.repeat(100) + '\n\n'
  const out = run(['data: 1\n\n' + long + 'data: 2\n\n'], {maxLineLength: 50})
  assert.equal(out.length, 3)
  const [a, err, b] = out
  assert.equal(a.data, '1')
  assert.ok(err instanceof ParseError && err instanceof Error)
  assert.equal(err.type, 'line-too-long')
  assert.equal(err.code, 'line-too-long')
  assert.equal(err.offset, 9 + 50)
  assert.match(err.message, /maxLineLength.*offset 59/)
  assert.equal(b.data, '2')
  const limits = [
    [{maxDataLength: 3}, 'data: 1234\n\n', 'data-too-long'],
    [{maxTypeLength: 3}, 'event: 1234\ndata: x\n\n', 'type-too-long'],
    [{maxIdLength: 3}, 'id: 1234\ndata: x\n\n', 'id-too-long'],
    [{maxBufferSize: 8}, 'data: 123456789\n\n', 'max-buffer-size-exceeded'],
  ]
  for (const [config, stream, type] of limits) {
    const [e, ...rest] = run([stream, 'data: n\n\n'], config)
    assert.equal(e.type, type)
    assert.deepEqual(rest, [{id: undefined, event: undefined, data: 'n'}])
  }
  assert.throws(() => createParser({maxLineLength: 0}), RangeError)
  assert.throws(() => createParser({kernel: 'nope'}), RangeError)
  const unlimited = run(['data: ' + 'y'.repeat(3 << 20) + '\n\n'], {maxLineLength: Infinity})
  assert.equal(unlimited[0].data.length, 3 << 20)
})

test('a callback that throws: feed throws, the rest comes with the next feed', () => {
  const got = []
  const p = createParser({
    onEvent(e) {
      got.push(e.data)
      if (e.data === 'boom') throw new Error('boom')
    },
  })
  assert.throws(() => p.feed('data: a\n\ndata: boom\n\ndata: b\n\ndata: c\n\n'), /boom/)
  assert.deepEqual(got, ['a', 'boom'])
  p.feed('data: d\n\n')
  assert.deepEqual(got, ['a', 'boom', 'b', 'c', 'd'])
})

test('reset() from a callback: the chunk is delivered, then the parser reset', () => {
  const got = []
  const p = createParser({
    onEvent(e) {
      got.push(e.data)
      if (e.data === 'stop') p.reset()
    },
  })
  p.feed('data: a\n\ndata: stop\n\ndata: rest of the chunk\n\ndata: cut')
  p.feed('\ufeffdata: new stream\n\n')
  assert.deepEqual(got, ['a', 'stop', 'rest of the chunk', 'new stream'])
  const q = createParser({onEvent: () => q.feed('data: x\n\n')})
  assert.throws(() => q.feed('data: y\n\n'), /inside a parser callback/)
})

test('many items in one feed, and chunks larger than one native call', () => {
  const n = 5000
  const out = run(['data: x\n\n'.repeat(n) + ': c\n'.repeat(n) + 'retry: 5\n'.repeat(n)])
  assert.equal(out.length, 3 * n)
  assert.deepEqual(out[n], {comment: 'c'})
  assert.deepEqual(out[3 * n - 1], {retry: 5})
  // 20 MiB of events in one feed: cut into several native calls.
  const big = 'data: 0123456789abcdef\n\n'.repeat(20 << 16)
  let count = 0
  createParser({onEvent: () => count++}).feed(new TextEncoder().encode(big))
  assert.equal(count, 20 << 16)
  count = 0
  createParser({onEvent: () => count++}).feed('\u00e9\n' + big)
  assert.equal(count, 20 << 16)
})

test('unterminated events are not dispatched; retries saturate', () => {
  assert.deepEqual(run(['data: never\n']), [])
  assert.deepEqual(run(['retry: 99999999999999999999999\n']), [{retry: 18446744073709552000}])
})
