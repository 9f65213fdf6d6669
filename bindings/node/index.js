'use strict'
// index.js -- simdsse for Node: eventsource-parser 4's createParser() on the
// simdsse C parser. One native call per chunk parses it and returns every
// string its items need as one string; this file slices it and makes the
// callbacks, in stream order. README.md lists where the results differ from
// eventsource-parser's and why.
const native = require('./native.js')

const EVENT = 1
const COMMENT = 2
const RETRY = 3
const ERROR = 4
const TYPE_SAME = 16
const ID_SAME = 32
const TYPE_MESSAGE = 64
// The value is in the wide string (UTF-16), not the narrow one (ASCII).
const TEXT_WIDE = 128
const TYPE_WIDE = 256
const ID_WIDE = 512
const SLOTS = 7
const STATE_COUNT = 0
const STATE_GENERATION = 1
const STATE_TEXTS = 3
// Chunks are handed to the C parser at most this big (bytes, or UTF-16
// units of a string), so that one chunk's strings always fit in one
// JavaScript string and a string's UTF-8 copy stays small.
const SLICE = 16 << 20
const STRING_SLICE = 1 << 20
const TWO32 = 4294967296

// Each limit's code and the option that sets it, by C status.
const LIMITS = {
  [-1]: ['line-too-long', 'maxLineLength'],
  [-2]: ['data-too-long', 'maxDataLength'],
  [-3]: ['type-too-long', 'maxTypeLength'],
  [-4]: ['id-too-long', 'maxIdLength'],
}

// Strings are fed as UTF-8 (a lone surrogate becomes U+FFFD), encoded here:
// TextEncoder's encodeInto is much faster than N-API's string access. One
// buffer serves every parser (feed runs to completion, never nested).
const encoder = new TextEncoder()
let scratch = new Uint8Array(0)

function feedUtf8(handle, chunk) {
  if (scratch.length < chunk.length * 3) scratch = new Uint8Array(Math.max(chunk.length * 3, 4096))
  const n = encoder.encodeInto(chunk, scratch).written
  return native.feedBytes(handle, scratch, n)
}

class ParseError extends Error {
  constructor(message, options) {
    super(message)
    this.name = 'ParseError'
    this.type = options.type
    this.field = options.field
    this.value = options.value
    this.line = options.line
    this.code = options.code
    this.offset = options.offset
  }
}

function createParser(config) {
  if (typeof config === 'function') {
    throw new TypeError(
      '`config` must be an object, got a function instead. Did you mean `createParser({onEvent: fn})`?',
    )
  }
  const {onEvent, onRetry, onComment, onError, maxBufferSize} = config || {}
  const handle = native.create({
    // maxBufferSize, eventsource-parser's one limit, bounds a line and an
    // event's data (here in bytes, not UTF-16 units).
    maxLineLength: config?.maxLineLength ?? maxBufferSize,
    maxDataLength: config?.maxDataLength ?? maxBufferSize,
    maxTypeLength: config?.maxTypeLength,
    maxIdLength: config?.maxIdLength,
    kernel: config?.kernel,
    events: typeof onEvent === 'function',
    comments: typeof onComment === 'function',
    retries: typeof onRetry === 'function',
  })
  const state = native.state(handle)
  let generation = state[STATE_GENERATION]
  let meta = native.meta(handle)

  // The items of the last feed not yet delivered (a callback threw), and
  // the two strings their values are sliced from.
  let narrow = ''
  let wide = ''
  let count = 0
  let next = 0
  let delivering = false
  // The previous event's type, last event ID and delivered id.
  let type
  let lastId = ''
  let id
  // The last code unit or byte fed (-1: none since a line end or reset).
  let last = -1
  // A high surrogate that ended the last string: it is fed with the next
  // string, so that a pair split between two strings stays one character.
  let high = ''
  // reset() was called from a callback: done once that feed's items are out.
  let resetLater = null

  function limitError(status, offset) {
    const [code, option] = LIMITS[status] || ['limit', '']
    const type =
      maxBufferSize !== undefined && (status === -1 || status === -2)
        ? 'max-buffer-size-exceeded'
        : code
    return new ParseError(
      `${native.strerror(status)} (${option}) at stream offset ${offset}: the event was dropped`,
      {type, code, offset},
    )
  }

  // Makes the callbacks for the items not delivered yet. Locals in the
  // loop, written back at the end (also when a callback throws: the item
  // that threw counts as delivered).
  function deliver() {
    delivering = true
    const m = meta
    const tn = narrow
    const tw = wide
    const end = count
    let i = next
    let ty = type
    let lid = lastId
    let ident = id
    try {
      while (i < end) {
        const p = i * SLOTS
        const k = m[p]
        i++
        if ((k & 15) === EVENT) {
          if (!(k & TYPE_SAME)) ty = k & TYPE_MESSAGE ? undefined : (k & TYPE_WIDE ? tw : tn).slice(m[p + 3], m[p + 4])
          // id: the last event ID; undefined while that is empty, except
          // for the event whose id field emptied it.
          if (!(k & ID_SAME)) {
            const s = (k & ID_WIDE ? tw : tn).slice(m[p + 5], m[p + 6])
            ident = s !== '' ? s : lid !== '' ? '' : undefined
            lid = s
          } else if (lid === '') {
            ident = undefined
          }
          onEvent({id: ident, event: ty, data: (k & TEXT_WIDE ? tw : tn).slice(m[p + 1], m[p + 2])})
        } else if ((k & 15) === COMMENT) {
          onComment((k & TEXT_WIDE ? tw : tn).slice(m[p + 1], m[p + 2]))
        } else if ((k & 15) === RETRY) {
          onRetry((m[p + 2] >>> 0) * TWO32 + (m[p + 1] >>> 0))
        } else if (onError) {
          onError(limitError(m[p + 1], (m[p + 3] >>> 0) * TWO32 + (m[p + 2] >>> 0)))
        }
      }
    } finally {
      next = i
      type = ty
      lastId = lid
      id = ident
      delivering = false
    }
  }

  function run(result) {
    if (result === undefined) return
    if (state[STATE_GENERATION] !== generation) {
      generation = state[STATE_GENERATION]
      meta = native.meta(handle)
    }
    const texts = state[STATE_TEXTS]
    if (texts === 3) {
      narrow = result[0]
      wide = result[1]
    } else if (texts === 2) {
      narrow = ''
      wide = result
    } else {
      narrow = result
      wide = ''
    }
    count = state[STATE_COUNT]
    next = 0
    deliver()
    if (resetLater) reset(resetLater)
  }

  function feedString(chunk) {
    if (high !== '') {
      chunk = high + chunk
      high = ''
    }
    let n = chunk.length
    if (n === 0) return
    if ((chunk.charCodeAt(n - 1) & 0xfc00) === 0xd800) {
      high = chunk[n - 1]
      chunk = chunk.slice(0, --n)
      if (n === 0) return
    }
    if (n <= STRING_SLICE) {
      run(feedUtf8(handle, chunk))
    } else {
      for (let i = 0; i < n; ) {
        let j = Math.min(n, i + STRING_SLICE)
        // Never between the two halves of a surrogate pair.
        if (j < n && (chunk.charCodeAt(j - 1) & 0xfc00) === 0xd800) j--
        run(feedUtf8(handle, chunk.slice(i, j)))
        i = j
      }
    }
    last = chunk.charCodeAt(n - 1)
  }

  function feedBytes(chunk) {
    if (high !== '') {
      // A lone surrogate, then bytes: it stands alone (U+FFFD).
      const h = high
      high = ''
      run(feedUtf8(handle, h))
    }
    let bytes = chunk
    if (!(chunk instanceof Uint8Array)) {
      if (ArrayBuffer.isView(chunk)) bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      else if (chunk instanceof ArrayBuffer) bytes = new Uint8Array(chunk)
      else throw new TypeError('simdsse: feed() takes a string or a Uint8Array')
    }
    const n = bytes.length
    if (n === 0) return
    if (n <= SLICE) run(native.feedBytes(handle, bytes))
    else for (let i = 0; i < n; i += SLICE) run(native.feedBytes(handle, bytes.subarray(i, i + SLICE)))
    last = bytes[n - 1]
  }

  function feed(chunk) {
    if (delivering) throw new Error('simdsse: feed() was called from inside a parser callback')
    if (next < count) deliver()
    if (resetLater) reset(resetLater)
    if (typeof chunk === 'string') feedString(chunk)
    else feedBytes(chunk)
  }

  function reset(options) {
    if (delivering) {
      // From a callback: the rest of this feed's items are still delivered,
      // as eventsource-parser delivers the rest of its chunk, then reset.
      resetLater = options || {}
      return
    }
    resetLater = null
    // {consume: true}: the last line, if it lacks its line end, is read as
    // if it had one (for its comment, retry or error callbacks), as
    // eventsource-parser does.
    if (options && options.consume && (high !== '' || (last !== -1 && last !== 10 && last !== 13))) {
      feed('\n')
    }
    native.reset(handle)
    // Items not delivered (a callback threw) belong to the old stream.
    count = next = 0
    last = -1
    high = ''
  }

  return {feed, reset}
}

module.exports = {createParser, ParseError}
// EventSourceParserStream is in ./stream.js (its own export, as in
// eventsource-parser); also here for convenience.
Object.defineProperty(module.exports, 'EventSourceParserStream', {
  enumerable: true,
  get: () => require('./stream.js').EventSourceParserStream,
})
