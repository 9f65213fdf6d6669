// Types of simdsse's Node binding: eventsource-parser 4's, plus the limits.

export interface EventSourceMessage {
  /** The event type; undefined for "message" (eventsource-parser's convention). */
  event?: string | undefined
  /** The last event ID (EventSource.lastEventId); undefined while it is empty. */
  id?: string | undefined
  data: string
}

export type ErrorType =
  | 'line-too-long'
  | 'data-too-long'
  | 'type-too-long'
  | 'id-too-long'
  | 'max-buffer-size-exceeded'

export declare class ParseError extends Error {
  type: ErrorType
  /** The limit that tripped: 'line-too-long', 'data-too-long', ... */
  code: string
  /** Stream offset (bytes) where it tripped. */
  offset: number
  field?: string | undefined
  value?: string | undefined
  line?: string | undefined
}

export interface ParserCallbacks {
  onEvent?: ((event: EventSourceMessage) => void) | undefined
  onRetry?: ((retry: number) => void) | undefined
  onComment?: ((comment: string) => void) | undefined
  onError?: ((error: ParseError) => void) | undefined
}

export interface Limits {
  /** Bytes; bounds maxLineLength and maxDataLength unless those are set. */
  maxBufferSize?: number | undefined
  maxLineLength?: number | undefined
  maxDataLength?: number | undefined
  maxTypeLength?: number | undefined
  maxIdLength?: number | undefined
  /** A tokenizer kernel: 'avx512', 'avx2', 'sse2', 'neon' or 'scalar'. */
  kernel?: string | undefined
}

export interface ParserConfig extends ParserCallbacks, Limits {}

export interface EventSourceParser {
  feed(chunk: string | Uint8Array | ArrayBuffer | ArrayBufferView): void
  reset(options?: {consume?: boolean}): void
}

export declare function createParser(config: ParserConfig): EventSourceParser

export {EventSourceParserStream} from './stream'
