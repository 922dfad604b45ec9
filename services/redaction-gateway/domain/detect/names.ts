import { isAllowed } from './allow-list.ts'
import { phrases } from './names-phrases.ts'
import { organisations } from './names-rules.ts'
import { tokenize } from './names-tokens.ts'
import { hit } from './structured-span.ts'
import type { DetectContext, Detection } from './types.ts'

/**
 * Rule-based names, all local and in one pass over the words: people and places from capitalised
 * and lower-case phrases scored with gazetteers of given names, surnames and places of many
 * origins, titles and the words around them (`names-phrases.ts`), and organisations and funds by
 * their suffix (`names-rules.ts`). Public terms (`allow-list.ts`) are dropped. Overlaps are left
 * to `resolve.ts`, later mentions to `propagate.ts`.
 */
export function detectNames(text: string, _ctx: DetectContext = {}): Detection[] {
  const out: Detection[] = []
  for (const p of phrases(tokenize(text))) {
    const d = hit(text, p.start, p.end, p.type, p.detector, p.score)
    if (d && !isAllowed(d.value) && /\p{L}/u.test(d.value)) out.push(d)
  }
  return [...out, ...organisations(text)]
}
