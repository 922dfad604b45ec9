import nlp from 'compromise'
import { isAllowed } from './allow-list.ts'
import { possessive, ruleNames, TITLE } from './names-rules.ts'
import { hit } from './structured-span.ts'
import type { DetectContext, Detection, EntityType } from './types.ts'

/**
 * Rule-based names: compromise's people, organisations and places, plus the repo's own rules
 * (`names-rules.ts`: titles, names after "with"/"from", organisation and fund suffixes, given
 * names in lower case). Spans are trimmed of punctuation, titles and a possessive "'s"; public
 * terms (`allow-list.ts`) are dropped. Overlaps are left to `resolve.ts`.
 */
interface Term {
  offset: { start: number; length: number }
}
type View = { docs: Term[][] }

const LEADING_TITLE = new RegExp(String.raw`^${TITLE}\s+`, 'u')

export function detectNames(text: string, _ctx: DetectContext = {}): Detection[] {
  return [...compromiseNames(text), ...ruleNames(text)]
}

function compromiseNames(text: string): Detection[] {
  const doc = nlp(text)
  // Offsets computed once for the whole document; `.json({offset})` per match is quadratic.
  doc.compute('offset')
  return [
    ...spans(text, doc.people() as unknown as View, 'PERSON'),
    ...spans(text, doc.organizations() as unknown as View, 'ORG'),
    ...spans(text, doc.places() as unknown as View, 'LOC'),
  ]
}

function spans(text: string, view: View, type: EntityType): Detection[] {
  const out: Detection[] = []
  for (const terms of view.docs) {
    const first = terms[0]?.offset
    const last = terms[terms.length - 1]?.offset
    if (!first || !last) continue
    const d = cleaned(text, first.start, last.start + last.length, type)
    if (d) out.push(d)
  }
  return out
}

function cleaned(text: string, start: number, end: number, type: EntityType): Detection | null {
  let s = start
  let e = end
  const title = LEADING_TITLE.exec(text.slice(s, e))
  if (title) s += title[0].length
  e -= possessive(text.slice(s, e))
  const d = hit(text, s, e, type, 'names-nlp', 0.7)
  if (!d || isAllowed(d.value) || !/\p{L}/u.test(d.value)) return null
  return d
}
