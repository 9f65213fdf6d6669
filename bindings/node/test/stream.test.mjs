// EventSourceParserStream: strings or bytes in, events out; errors.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {EventSourceParserStream} from '../stream.mjs'

function source(pieces) {
  return new ReadableStream({
    start(ctl) {
      for (const p of pieces) ctl.enqueue(p)
      ctl.close()
    },
  })
}

async function collect(stream) {
  const out = []
  for await (const e of stream) out.push(e)
  return out
}

test('bytes straight from a body, no TextDecoderStream', async () => {
  const bytes = new TextEncoder().encode('retry: 7\n: hi\nid: 1\ndata: \u6771\u4eac\n\ndata: two\n\n')
  const pieces = [bytes.subarray(0, 5), bytes.subarray(5, 23), bytes.subarray(23)]
  const seen = []
  const events = await collect(
    source(pieces).pipeThrough(
      new EventSourceParserStream({onRetry: (r) => seen.push(r), onComment: (c) => seen.push(c)}),
    ),
  )
  assert.deepEqual(events, [
    {id: '1', event: undefined, data: '\u6771\u4eac'},
    {id: '1', event: undefined, data: 'two'},
  ])
  assert.deepEqual(seen, [7, 'hi'])
})

test('strings through TextDecoderStream', async () => {
  const bytes = new TextEncoder().encode('event: a\ndata: 1\n\n')
  const events = await collect(source([bytes]).pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()))
  assert.deepEqual(events, [{id: undefined, event: 'a', data: '1'}])
})

test('errors: ignored, reported, or terminating the stream', async () => {
  const pieces = ['data: ' + 'x'.repeat(40) + '\n\ndata: ok\n\n']
  assert.deepEqual(
    (await collect(source(pieces).pipeThrough(new EventSourceParserStream({maxLineLength: 20})))).map((e) => e.data),
    ['ok'],
  )
  const errors = []
  const events = await collect(
    source(pieces).pipeThrough(new EventSourceParserStream({maxLineLength: 20, onError: (e) => errors.push(e.type)})),
  )
  assert.deepEqual([events.length, errors], [1, ['line-too-long']])
  await assert.rejects(
    collect(source(pieces).pipeThrough(new EventSourceParserStream({maxLineLength: 20, onError: 'terminate'}))),
    (err) => err.name === 'ParseError' && err.offset === 20,
  )
  await assert.rejects(
    collect(source(pieces).pipeThrough(new EventSourceParserStream({maxBufferSize: 20}))),
    (err) => err.type === 'max-buffer-size-exceeded',
  )
})
