// stream.mjs -- `import {EventSourceParserStream} from 'simdsse/stream'`.
import cjs from './stream.js'

export const {EventSourceParserStream, ParseError} = cjs
export default cjs
