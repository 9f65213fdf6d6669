// index.mjs -- `import {createParser} from 'simdsse'`.
import cjs from './index.js'

export const {createParser, ParseError} = cjs
export {EventSourceParserStream} from './stream.mjs'
export default cjs
