/**
 * The local LLM's answer (entity strings) → Detections over the item text. The model only says
 * WHICH names it saw; where they are is found here, in the text itself: every whole-word,
 * unicode-folded occurrence (the matching `known.ts` uses for `known_entities`). A string the text
 * does not contain is dropped (the model made it up, or changed it), so a model can never put a
 * span anywhere the text does not hold that name; public terms (`allow-list.ts`) are dropped too.
 */
import { isAllowed } from './allow-list.ts'
import { findFolded, needsCapital } from './known.ts'
import { fold, foldKey } from './known-fold.ts'
import type { Detection, EntityType } from './types.ts'

export type LlmEntityType = 'person' | 'organization' | 'location'

export interface LlmEntity {
  text: string
  type: LlmEntityType
}

const TYPES: Record<LlmEntityType, EntityType> = { person: 'PERSON', organization: 'ORG', location: 'LOC' }

/** A name longer than this is a sentence the model mislabelled, not a name. */
const MAX_NAME_CHARS = 120
/** A placeholder the model copied back (`[PERSON_1]`, or its neutralised `［PERSON_1］`): not a name. */
const PLACEHOLDER = /[[［]\s*[A-Za-z][A-Za-z0-9_]*[\s_-]*\d+\s*[\]］]/
export const LLM_DETECTOR = 'names-llm'
const SCORE = 0.8

/** Every occurrence in `text` of every usable entity, one Detection each (overlaps are `resolve.ts`'s). */
export function llmNameDetections(text: string, entities: readonly LlmEntity[]): Detection[] {
  const needles = new Map<string, EntityType>()
  for (const entity of entities) {
    const key = usableKey(entity.text)
    if (key !== null && !needles.has(`${entity.type}\u0000${key}`))
      needles.set(`${entity.type}\u0000${key}`, TYPES[entity.type])
  }
  if (needles.size === 0) return []
  const folded = fold(text)
  const out: Detection[] = []
  for (const [needle, type] of needles) {
    const key = needle.slice(needle.indexOf('\u0000') + 1)
    for (const [start, end] of findFolded(text, folded, key, needsCapital(key))) {
      out.push({
        start,
        end,
        tier: 2,
        type,
        kind: null,
        detector: LLM_DETECTOR,
        score: SCORE,
        value: text.slice(start, end),
      })
    }
  }
  return out
}

/** The folded key to look for, or null when the string cannot be a name worth a token. */
function usableKey(raw: string): string | null {
  const value = raw.trim()
  if (value.length === 0 || value.length > MAX_NAME_CHARS || /[\r\n]/.test(value)) return null
  if (PLACEHOLDER.test(value) || isAllowed(value) || !/\p{L}/u.test(value)) return null
  const key = foldKey(value)
  return key.replace(/[^\p{L}\p{N}]/gu, '').length >= 2 ? key : null
}
