import type {EventSourceMessage, Limits, ParseError} from './index'

export interface StreamOptions extends Limits {
  onError?: ('terminate' | ((error: Error) => void)) | undefined
  onRetry?: ((retry: number) => void) | undefined
  onComment?: ((comment: string) => void) | undefined
}

export declare class EventSourceParserStream extends TransformStream<
  string | Uint8Array,
  EventSourceMessage
> {
  constructor(options?: StreamOptions)
}

export type {EventSourceMessage, ParseError}
