// The same results as eventsource-parser 4.1.3 where it follows the
// standard, on the 300 conformance streams and on comments and retries; the
// places where it does not are checked against the browser instead (see
// README.md, "Where simdsse differs from eventsource-parser").
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {createParser} from '../index.mjs'
import {chunks, conformance, esp, NO_ESP, parseAll} from './helpers.mjs'

const lib = await esp()
const skip = lib ? false : NO_ESP
const cases = conformance()
const decoder = new TextDecoder()

test('events: type and data equal eventsource-parser\'s, id is the last event ID', {skip}, () => {
  const deviations = {explicitMessage: 0, blockScopedId: 0}
  for (const size of [0, 1, 13]) {
    for (const c of cases) {
      const text = decoder.decode(c.bytes)
      const theirs = parseAll(lib.createParser, chunks(text, size))
      const ours = parseAll(createParser, chunks(c.bytes, size))
      assert.equal(ours.length, theirs.length, c.name)
      ours.forEach((e, i) => {
        const t = theirs[i]
        const b = c.expected[i]
        assert.equal(e.data, t.data, c.name)
        // eventsource-parser gives "message" for an explicit `event: message`
        // and undefined when there was none; the C parser cannot tell the
        // two apart, and both are "message" to the standard.
        if (t.event === 'message') {
          assert.equal(e.event, undefined)
          deviations.explicitMessage++
        } else {
          assert.equal(e.event, t.event, c.name)
        }
        // eventsource-parser's id is the id field of the event's own block;
        // the standard's (EventSource.lastEventId) carries over.
        if ((t.id ?? '') !== b.id) deviations.blockScopedId++
        assert.equal(e.id ?? '', b.id, c.name)
        assert.deepEqual(Object.keys(e), ['id', 'event', 'data'])
      })
    }
  }
  // The deviations are real and counted, not assumed.
  assert.ok(deviations.explicitMessage > 0 && deviations.blockScopedId > 0)
})

test('comments and retries as eventsource-parser reports them', {skip}, () => {
  const stream =
    ': a comment\n:no space\n:  two spaces\n:\nretry: 1500\nretry: 15x\nretry:\nretry: 007\n' +
    'data: x\n\n:\u00e9t\u00e9 \u6771\u4eac\r\nretry: 4294967296\r\n\r\n'
  for (const size of [0, 1, 5]) {
    const log = (into) => ({
      onComment: (c) => into.push(['comment', c]),
      onRetry: (r) => into.push(['retry', r]),
      onEvent: (e) => into.push(['event', e.data]),
    })
    const theirs = []
    const ours = []
    const a = lib.createParser(log(theirs))
    const b = createParser(log(ours))
    for (const piece of chunks(stream, size)) a.feed(piece)
    for (const piece of chunks(new TextEncoder().encode(stream), size)) b.feed(piece)
    assert.deepEqual(ours, theirs)
    assert.ok(ours.length === 9)
  }
})

test('reset() between streams, and reset({consume: true})', {skip}, () => {
  for (const make of [lib.createParser, createParser]) {
    const got = []
    const p = make({onEvent: (e) => got.push(e.data), onComment: (c) => got.push('#' + c), onRetry: (r) => got.push(r)})
    p.feed('data: first\n\ndata: cut')
    p.reset()
    p.feed('data: second\n\n:pending')
    p.reset({consume: true})
    p.feed('retry: 10')
    p.reset({consume: true})
    p.feed('\ufeffdata: third\n\n')
    assert.deepEqual(got, ['first', 'second', '#pending', 10, 'third'], make === createParser ? 'simdsse' : 'esp')
  }
})

test('a TransformStream like eventsource-parser/stream', {skip}, async () => {
  const {EventSourceParserStream: Theirs} = await import('eventsource-parser/stream')
  const {EventSourceParserStream: Ours} = await import('../stream.mjs')
  const c = cases[7]
  const text = decoder.decode(c.bytes)
  const collect = async (S, pieces) => {
    const out = []
    const stream = new ReadableStream({
      start(ctl) {
        for (const p of pieces) ctl.enqueue(p)
        ctl.close()
      },
    }).pipeThrough(new S())
    for await (const e of stream) out.push(e)
    return out
  }
  const theirs = await collect(Theirs, chunks(text, 3))
  const ours = await collect(Ours, chunks(text, 3))
  assert.deepEqual(ours.map((e) => e.data), theirs.map((e) => e.data))
  assert.deepEqual(ours.map((e) => e.data), c.expected.map((e) => e.data))
})
