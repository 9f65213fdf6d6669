'use strict'
// stream.js -- EventSourceParserStream, a TransformStream from chunks
// (strings, as eventsource-parser takes, or bytes: no TextDecoderStream
// needed) to events, like eventsource-parser's `/stream` export.
const {createParser, ParseError} = require('./index.js')

class EventSourceParserStream extends TransformStream {
  constructor({onError, onRetry, onComment, maxBufferSize, ...limits} = {}) {
    let parser
    super({
      start(controller) {
        parser = createParser({
          ...limits,
          maxBufferSize,
          onEvent(event) {
            controller.enqueue(event)
          },
          onError(error) {
            if (typeof onError === 'function') onError(error)
            // As eventsource-parser: 'terminate' errors the stream, and so
            // does exceeding maxBufferSize.
            if (onError === 'terminate' || error.type === 'max-buffer-size-exceeded') {
              controller.error(error)
            }
          },
          onRetry,
          onComment,
        })
      },
      transform(chunk) {
        parser.feed(chunk)
      },
    })
  }
}

module.exports = {EventSourceParserStream, ParseError}
