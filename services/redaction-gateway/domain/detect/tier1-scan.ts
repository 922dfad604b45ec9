import type { Detection, Tier1Kind } from './types.ts'

/**
 * Label-anchored values: a label ("routing number", "passport no.") then a little filler ("is", ":",
 * "#") then a code. The code is read chunk by chunk so "D1234567 and I" stops after the code.
 */

const FILLER =
  /(?:[ \t]*(?:number|numbers|num|nr|no\b\.?|#|code|id)\b)?(?:[ \t]*(?:is|was|reads|:|=|-|–|#|of|\(|:-))*[ \t]*(?:the[ \t]+|a[ \t]+)?/iy

export function skipFiller(text: string, at: number): number {
  FILLER.lastIndex = at
  const m = FILLER.exec(text)
  return m ? at + m[0].length : at
}

export interface CodeOptions {
  digitsOnly: boolean
  /** Longest code in characters, separators included. */
  maxLength: number
}

export interface CodeSpan {
  start: number
  end: number
  compact: string
  digits: number
}

const CHUNK = /[A-Za-z0-9]+/y
const SEPARATOR = /[-. /]/

function chunkAt(text: string, at: number): string | null {
  CHUNK.lastIndex = at
  return CHUNK.exec(text)?.[0] ?? null
}

function chunkFits(chunk: string, options: CodeOptions): boolean {
  if (/\d/.test(chunk)) return !options.digitsOnly || /^\d+$/.test(chunk)
  // Letter-only chunks: a short upper-case prefix or suffix of an id ("AB 12 34 56 C").
  return !options.digitsOnly && chunk.length <= 2 && chunk === chunk.toUpperCase()
}

/** Reads a code starting at `at`; null when there is none. */
export function scanCode(text: string, at: number, options: CodeOptions): CodeSpan | null {
  let end = at
  let compact = ''
  let cursor = at
  for (;;) {
    const chunk = chunkAt(text, cursor)
    if (!chunk || !chunkFits(chunk, options)) break
    if (cursor + chunk.length - at > options.maxLength) break
    compact += chunk
    end = cursor + chunk.length
    const next = text[end]
    if (next === undefined || !SEPARATOR.test(next)) break
    cursor = end + 1
  }
  const digits = compact.replace(/\D/g, '').length
  return digits > 0 ? { start: at, end, compact, digits } : null
}

export interface LabelledRule {
  kind: Tier1Kind
  detector: string
  label: RegExp
  code: CodeOptions
  /** The score of a hit, or null when the value is not one. */
  score: (code: CodeSpan) => number | null
}

export function labelledHits(text: string, rule: LabelledRule): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(rule.label)) {
    const at = skipFiller(text, m.index + m[0].length)
    const code = scanCode(text, at, rule.code)
    const score = code ? rule.score(code) : null
    if (!code || score === null) continue
    hits.push(tier1Hit(text, code.start, code.end, rule.kind, rule.detector, score))
  }
  return hits
}

export function tier1Hit(
  text: string,
  start: number,
  end: number,
  kind: Tier1Kind,
  detector: string,
  score: number,
): Detection {
  return { start, end, tier: 1, type: null, kind, detector, score, value: text.slice(start, end) }
}
