// The 300 hostile browser-recorded streams at many chunkings, fed as bytes
// and as strings: every event must be what Chromium's EventSource
// dispatched (type, data, lastEventId).
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {createParser} from '../index.mjs'
import {chunks, conformance, parseAll} from './helpers.mjs'

const cases = conformance()
const CHUNKINGS = [0, 1, 2, 3, 7, 16, 63, 64, 65, 4096]

// eventsource-parser's conventions, which this binding keeps: event is
// undefined for "message", id undefined while the last event ID is empty
// (except for the event that emptied it).
function asBrowser(events) {
  let last = ''
  return events.map((e) => {
    assert.notEqual(e.event, 'message')
    const id = e.id ?? ''
    if (e.id === undefined) assert.equal(last, '', 'id is undefined only while it stays empty')
    if (e.id === '') assert.notEqual(last, '', 'id is "" only when the event emptied it')
    last = id
    return {event: e.event ?? 'message', data: e.data, id}
  })
}

test('300 cases: Uint8Array chunks', () => {
  assert.equal(cases.length, 300)
  for (const size of CHUNKINGS) {
    for (const c of cases) {
      assert.deepEqual(asBrowser(parseAll(createParser, chunks(c.bytes, size))), c.expected, `${c.name}, chunk ${size}`)
    }
  }
})

test('300 cases: string chunks (decoded by TextDecoder)', () => {
  const dec = new TextDecoder()
  for (const size of CHUNKINGS) {
    for (const c of cases) {
      // Decoding the whole stream first cuts strings anywhere, even between
      // the halves of a surrogate pair.
      const text = dec.decode(c.bytes)
      assert.deepEqual(asBrowser(parseAll(createParser, chunks(text, size))), c.expected, `${c.name}, chunk ${size}`)
    }
  }
})

test('300 cases: streamed TextDecoder output, as TextDecoderStream gives it', () => {
  for (const size of [1, 5, 64]) {
    for (const c of cases) {
      const dec = new TextDecoder()
      const pieces = chunks(c.bytes, size).map((b) => dec.decode(b, {stream: true}))
      assert.deepEqual(asBrowser(parseAll(createParser, pieces)), c.expected, `${c.name}, chunk ${size}`)
    }
  }
})

test('300 cases: every kernel', () => {
  for (const kernel of ['scalar', 'sse2', 'avx2', 'avx512', 'neon']) {
    let p
    try {
      p = createParser({kernel, onEvent() {}})
    } catch (err) {
      assert.match(err.message, /kernel|CPU|support/i)
      continue
    }
    p.feed('data: x\n\n')
    for (const c of cases) {
      assert.deepEqual(asBrowser(parseAll(createParser, chunks(c.bytes, 7), {kernel})), c.expected, `${c.name}, ${kernel}`)
    }
  }
})
