// helpers.mjs -- what the tests share: the conformance streams, chunking,
// and eventsource-parser when it is installed (npm install in bindings/node).
import fs from 'fs'
import path from 'path'
import {fileURLToPath} from 'url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repo = path.resolve(here, '..', '..', '..')

/** [{name, bytes, expected: [{event, data, id}]}] for the 300 cases. */
export function conformance() {
  const root = path.join(repo, 'tests', 'conformance')
  const browser = JSON.parse(fs.readFileSync(path.join(root, 'browser.json'), 'utf8'))
  return Object.keys(browser)
    .sort()
    .map((name) => ({
      name,
      bytes: new Uint8Array(fs.readFileSync(path.join(root, 'cases', name))),
      expected: browser[name],
    }))
}

/** x (Uint8Array or string) cut into pieces of `size` (0: whole). */
export function chunks(x, size) {
  if (size === 0) return [x]
  const out = []
  for (let i = 0; i < x.length; i += size) out.push(x instanceof Uint8Array ? x.subarray(i, i + size) : x.slice(i, i + size))
  return out
}

/** eventsource-parser's module, or null (the test then skips). */
export async function esp() {
  try {
    return await import('eventsource-parser')
  } catch {
    return null
  }
}

export const NO_ESP = 'eventsource-parser is not installed: run npm install in bindings/node'

/** Parses pieces with a parser made by create({onEvent}) and returns the events. */
export function parseAll(create, pieces, extra = {}) {
  const events = []
  const p = create({...extra, onEvent: (e) => events.push(e)})
  for (const piece of pieces) p.feed(piece)
  return events
}
