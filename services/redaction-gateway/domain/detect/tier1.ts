import { normaliseSpokenDigits } from './spoken.ts'
import { detectBankNumbers } from './tier1-bank.ts'
import { detectIdNumbers } from './tier1-ids.ts'
import type { DetectContext, Detection } from './types.ts'

/**
 * Tier-1 numbers (account, routing, wire, SSN, passport, government ids, IBAN, SWIFT, cards), read both
 * as written and, for transcripts, with spelled digits rewritten ("one two three" → "123").
 */
export function detectTier1Numbers(text: string, _ctx: DetectContext = {}): Detection[] {
  const written = [...detectBankNumbers(text), ...detectIdNumbers(text)]
  const spoken = normaliseSpokenDigits(text)
  if (!spoken.changed) return dedupe(written)
  const heard = [...detectBankNumbers(spoken.text), ...detectIdNumbers(spoken.text)].map((d) => {
    const [start, end] = spoken.toOriginal(d.start, d.end)
    return { ...d, start, end, value: text.slice(start, end), detector: `${d.detector}-spoken` }
  })
  return dedupe([...written, ...heard])
}

/** One detection per span and kind, the highest score kept. */
export function dedupe(detections: Detection[]): Detection[] {
  const best = new Map<string, Detection>()
  for (const d of detections) {
    const key = `${d.start}:${d.end}:${d.kind ?? d.type}`
    const seen = best.get(key)
    if (!seen || seen.score < d.score) best.set(key, d)
  }
  return [...best.values()].sort((a, b) => a.start - b.start || b.end - a.end)
}
