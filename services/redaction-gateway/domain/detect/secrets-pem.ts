import { tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/**
 * PEM private-key blocks, BEGIN to END. A block pasted cut short (no END) runs to its last base64 or
 * header line; a one-word line right after it may go with it, which is better than leaving key
 * material behind. Read in one pass: each END is looked up once, however many BEGINs precede it.
 */

const BEGIN = /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/g
const END = /-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/g
const TAIL =
  /(?:\r?\n(?:[A-Za-z0-9+/]{4,}={0,2}|[A-Za-z0-9+/]*={1,2}|[A-Za-z-]+: [^\n]*|(?=\r?\n[A-Za-z0-9+/]{16,}))[ \t]*)*/y

export function pemBlocks(text: string): Detection[] {
  const hits: Detection[] = []
  let coveredTo = 0
  let nextEnd: RegExpExecArray | null | undefined
  for (const begin of text.matchAll(BEGIN)) {
    if (begin.index < coveredTo) continue
    const afterHeader = begin.index + begin[0].length
    if (nextEnd !== null && (nextEnd === undefined || nextEnd.index < afterHeader)) {
      END.lastIndex = afterHeader
      nextEnd = END.exec(text)
    }
    const nextBegin = text.indexOf('-----BEGIN', afterHeader)
    let end: number
    if (nextEnd && (nextBegin < 0 || nextEnd.index < nextBegin)) end = nextEnd.index + nextEnd[0].length
    else {
      TAIL.lastIndex = afterHeader
      end = afterHeader + (TAIL.exec(text)?.[0].trimEnd().length ?? 0)
    }
    coveredTo = end
    hits.push(tier1Hit(text, begin.index, end, 'private_key', 'secret-pem', 0.97))
  }
  return hits
}
