import type { Detection, EntityType } from './types.ts'

/** Punctuation a match may drag along at its end that never belongs to the value. */
const TRAILING = /[\s.,;:!?'"’”)\]}>]+$/u

/** A tier-2 detection for `[start, end)` of `text`, trimmed of trailing punctuation. */
export function hit(
  text: string,
  start: number,
  end: number,
  type: EntityType,
  detector: string,
  score: number,
): Detection | null {
  const trimmed = text.slice(start, end).replace(TRAILING, '')
  const lead = trimmed.length - trimmed.trimStart().length
  const value = trimmed.trimStart()
  if (!value) return null
  return {
    start: start + lead,
    end: start + lead + value.length,
    tier: 2,
    type,
    kind: null,
    detector,
    score,
    value,
  }
}

/** Every match of a global regex as a detection; `accept` may veto a match. */
export function matchAll(
  text: string,
  re: RegExp,
  type: EntityType,
  detector: string,
  score: number,
  accept: (m: RegExpExecArray) => boolean = () => true,
): Detection[] {
  const out: Detection[] = []
  for (const m of text.matchAll(re)) {
    if (!accept(m as RegExpExecArray)) continue
    const d = hit(text, m.index, m.index + m[0].length, type, detector, score)
    if (d) out.push(d)
  }
  return out
}
