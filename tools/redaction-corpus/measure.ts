/**
 * The leak report: for each planted mention, which of its characters survived scrubbing.
 * - tier1 / structured / crypto: a mention leaks when its whole value survives, or more than half of
 *   its letters and digits do (a card with four digits masked still leaks), or its value (6+ letters
 *   and digits) appears anywhere in the scrubbed text; `partial` counts any
 *   surviving letter or digit. A mention marked `drop` is also checked to be dropped, not tokenised
 *   (Tier-1 material must never reach the map).
 * - names: a mention is masked when none of its words of 4+ letters (all its words, when it has no
 *   such word) survives whole; recall is the masked share. Precision is over the name-typed tokens
 *   (PERSON, ORG, FUND, LOC): one is right when it covers part of a planted name, wrong when it covers
 *   no planted value at all (a public term, template text); a name token over another planted value
 *   (the city of a street address) hides PII and is counted as neither.
 * Values are synthetic, so the report may quote them.
 */
import { coverage, type Region } from './align.ts'
import type { CorpusDoc, Mention } from './builder.ts'

export const NAME_TYPES = new Set(['PERSON', 'ORG', 'FUND', 'LOC'])
const SIGNIFICANT = /[\p{L}\p{N}]/u

export interface ClassFigures {
  mentions: number
  leaked: number
  partial: number
  /** Tier-1 material written as a token (so stored in the map) instead of dropped. */
  tokenised: number
  documents: number
  documentsLeaked: number
  byType: Record<string, { mentions: number; leaked: number; partial: number; tokenised: number }>
}

export interface NameFigures {
  mentions: number
  masked: number
  recall: number
  precision: number
  tokens: { right: number; wrong: number; neutral: number }
  bySubclass: Record<string, { mentions: number; masked: number; recall: number }>
  byForm: Record<string, { mentions: number; masked: number; recall: number }>
  byOrigin: Record<string, { mentions: number; masked: number; recall: number }>
  /** Names given in `known_entities` and those the rules must find alone. */
  byKnown: Record<string, { mentions: number; masked: number; recall: number }>
  /** People whose names dev.jsonl also uses, and people it never shows (held out for the gate). */
  byPool: Record<string, { mentions: number; masked: number; recall: number }>
  known: { mentions: number; leaked: number }
  precisionByType: Record<string, { right: number; wrong: number; precision: number }>
  topMisses: { pattern: string; count: number; example: string }[]
  topFalsePositives: { pattern: string; count: number }[]
}

export interface LeakReport {
  corpus: string
  documents: number
  classes: Record<
    'tier1' | 'structured' | 'crypto',
    ClassFigures & { leakRate: number; documentLeakRate: number }
  >
  names: NameFigures
  public: { mentions: number; scrubbed: number; examples: string[] }
}

export interface Scrubbed {
  doc: CorpusDoc
  /** The scrubbed text, as the pipeline answered it. */
  scrubbed: string
  regions: Region[]
}

/**
 * A second look that does not rely on the alignment: a value of 6+ letters and digits found
 * anywhere in the scrubbed text, case-folded, has leaked wherever it sits.
 */
function foundAnywhere(value: string, scrubbed: string): boolean {
  return (
    (value.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 6 && scrubbed.toLowerCase().includes(value.toLowerCase())
  )
}

type Tally = { mentions: number; masked: number }
/** The entry for `key`, created from `init` the first time. */
function entry<T>(table: Record<string, T>, key: string, init: () => T): T {
  if (!(key in table)) table[key] = init()
  return table[key]!
}
const bump = (m: Record<string, Tally>, key: string, masked: boolean) => {
  const t = entry(m, key, () => ({ mentions: 0, masked: 0 }))
  t.mentions++
  if (masked) t.masked++
}
const withRecall = (m: Record<string, Tally>) =>
  Object.fromEntries(Object.entries(m).map(([k, t]) => [k, { ...t, recall: ratio(t.masked, t.mentions) }]))
const round = (v: number) => Math.round(v * 10_000) / 10_000
/** A share where nothing to find counts as all found (recall, precision). */
const ratio = (a: number, b: number) => (b === 0 ? 1 : round(a / b))
/** A share where nothing to leak counts as no leak. */
const rate = (a: number, b: number) => (b === 0 ? 0 : round(a / b))

function surviving(text: string, covered: Int32Array, start: number, end: number) {
  let total = 0
  let kept = 0
  for (let i = start; i < end; i++) {
    if (!SIGNIFICANT.test(text[i]!)) continue
    total++
    if (covered[i] === -1) kept++
  }
  return { total, kept }
}

/** The words of a name that must not survive: 4+ letters, or all of them when none is that long. */
function nameWords(text: string, m: Mention): [number, number][] {
  const words = [...text.slice(m.start, m.end).matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)].map(
    (w) => [m.start + w.index, m.start + w.index + w[0].length] as [number, number],
  )
  const long = words.filter(([s, e]) => e - s >= 4)
  return long.length > 0 ? long : words
}

export function nameMasked(text: string, covered: Int32Array, m: Mention): boolean {
  return nameWords(text, m).every(([s, e]) => covered.subarray(s, e).some((r) => r !== -1))
}

function emptyClass(): ClassFigures {
  return { mentions: 0, leaked: 0, partial: 0, tokenised: 0, documents: 0, documentsLeaked: 0, byType: {} }
}

export function measure(corpus: string, runs: readonly Scrubbed[]): LeakReport {
  const classes = { tier1: emptyClass(), structured: emptyClass(), crypto: emptyClass() }
  const names = { bySubclass: {}, byForm: {}, byOrigin: {}, byKnown: {}, byPool: {} } as Record<
    'bySubclass' | 'byForm' | 'byOrigin' | 'byKnown' | 'byPool',
    Record<string, Tally>
  >
  const known = { mentions: 0, leaked: 0 }
  const tokens = { right: 0, wrong: 0, neutral: 0 }
  const byType: Record<string, { right: number; wrong: number }> = {}
  const misses = new Map<string, { count: number; example: string }>()
  const falsePositives = new Map<string, number>()
  const pub = { mentions: 0, scrubbed: 0, examples: [] as string[] }
  let nameMentions = 0
  let nameMasked_ = 0
  for (const { doc, scrubbed, regions } of runs) {
    const covered = coverage(doc.text.length, regions)
    const leakedIn = new Set<string>()
    const seenIn = new Set<string>()
    for (const m of doc.mentions) {
      if (m.class === 'public') {
        pub.mentions++
        if (covered.subarray(m.start, m.end).some((r) => r !== -1)) {
          pub.scrubbed++
          if (pub.examples.length < 10) pub.examples.push(m.value)
        }
      } else if (m.class === 'names') {
        const masked = nameMasked(doc.text, covered, m)
        nameMentions++
        if (masked) nameMasked_++
        bump(names.bySubclass, m.type, masked)
        if (m.form) bump(names.byForm, m.form, masked)
        if (m.origin) bump(names.byOrigin, m.origin, masked)
        bump(names.byKnown, m.known ? 'known' : 'not_known', masked)
        if (m.type === 'person') bump(names.byPool, m.unseen ? 'held_out' : 'in_dev', masked)
        if (m.known) {
          known.mentions++
          if (!masked) known.leaked++
        }
        if (!masked) {
          const pattern = [m.type, m.form, m.origin, m.known ? 'known' : '', m.unseen ? 'held_out' : '']
            .filter(Boolean)
            .join('/')
          const miss = misses.get(pattern) ?? { count: 0, example: m.value }
          miss.count++
          misses.set(pattern, miss)
        }
      } else {
        const figures = classes[m.class]
        const t = entry(figures.byType, m.type, () => ({ mentions: 0, leaked: 0, partial: 0, tokenised: 0 }))
        const { total, kept } = surviving(doc.text, covered, m.start, m.end)
        const leaked = (total > 0 && (kept === total || kept * 2 > total)) || foundAnywhere(m.value, scrubbed)
        const tokenised =
          Boolean(m.drop) && regions.some((r) => r.type !== null && r.start < m.end && r.end > m.start)
        figures.mentions++
        t.mentions++
        seenIn.add(m.class)
        if (leaked) {
          figures.leaked++
          t.leaked++
          leakedIn.add(m.class)
        }
        if (kept > 0) {
          figures.partial++
          t.partial++
        }
        if (tokenised) {
          figures.tokenised++
          t.tokenised++
        }
      }
    }
    for (const cls of seenIn) classes[cls as keyof typeof classes].documents++
    for (const cls of leakedIn) classes[cls as keyof typeof classes].documentsLeaked++
    for (const r of regions) {
      if (!r.type || !NAME_TYPES.has(r.type)) continue
      const over = doc.mentions.filter((m) => m.start < r.end && m.end > r.start && m.class !== 'public')
      const verdict = over.some((m) => m.class === 'names') ? 'right' : over.length > 0 ? 'neutral' : 'wrong'
      tokens[verdict]++
      if (verdict === 'neutral') continue
      const t = entry(byType, r.type, () => ({ right: 0, wrong: 0 }))
      t[verdict]++
      if (verdict === 'wrong') {
        const pattern = `${r.type}: ${doc.text.slice(r.start, r.end).replace(/\s+/g, ' ')}`
        falsePositives.set(pattern, (falsePositives.get(pattern) ?? 0) + 1)
      }
    }
  }
  const top = <T>(m: Map<string, T>, count: (v: T) => number) =>
    [...m].sort((a, b) => count(b[1]) - count(a[1]) || a[0].localeCompare(b[0])).slice(0, 20)
  return {
    corpus,
    documents: runs.length,
    classes: Object.fromEntries(
      Object.entries(classes).map(([k, c]) => [
        k,
        {
          ...c,
          leakRate: rate(c.leaked, c.mentions),
          documentLeakRate: rate(c.documentsLeaked, c.documents),
        },
      ]),
    ) as LeakReport['classes'],
    names: {
      mentions: nameMentions,
      masked: nameMasked_,
      recall: ratio(nameMasked_, nameMentions),
      precision: ratio(tokens.right, tokens.right + tokens.wrong),
      tokens,
      bySubclass: withRecall(names.bySubclass),
      byForm: withRecall(names.byForm),
      byOrigin: withRecall(names.byOrigin),
      byKnown: withRecall(names.byKnown),
      byPool: withRecall(names.byPool),
      known,
      precisionByType: Object.fromEntries(
        Object.entries(byType).map(([k, t]) => [k, { ...t, precision: ratio(t.right, t.right + t.wrong) }]),
      ),
      topMisses: top(misses, (v) => v.count).map(([pattern, v]) => ({ pattern, ...v })),
      topFalsePositives: top(falsePositives, (v) => v).map(([pattern, count]) => ({ pattern, count })),
    },
    public: pub,
  }
}
