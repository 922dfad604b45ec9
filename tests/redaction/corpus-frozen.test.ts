/**
 * The committed leak corpora are exactly what the generator makes from their seeds: a change to the
 * generator must regenerate them (`npm run corpus:redaction`), so the gate's corpus never drifts
 * silently and can always be rebuilt. Every annotation points at its own value.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CORPORA,
  CORPUS_DIR,
  type CorpusName,
  generateCorpus,
  toJsonl,
} from '../../tools/redaction-corpus/generate.ts'

describe.each(Object.keys(CORPORA) as CorpusName[])('%s.jsonl', (name) => {
  const committed = readFileSync(join(CORPUS_DIR, `${name}.jsonl`), 'utf8')
  const fresh = generateCorpus(name)

  it('equals a fresh generation from its seed, byte for byte', () => {
    expect(committed === toJsonl(fresh)).toBe(true)
  })

  it('annotates every planted value at its own offsets, without overlaps', () => {
    for (const doc of fresh) {
      let end = 0
      for (const m of doc.mentions) {
        expect(doc.text.slice(m.start, m.end)).toBe(m.value)
        expect(m.start).toBeGreaterThanOrEqual(end)
        end = m.end
      }
    }
  })

  it('plants every class, known names, and keeps within the size budget', () => {
    const mentions = fresh.flatMap((d) => d.mentions)
    for (const cls of ['tier1', 'structured', 'crypto', 'names', 'public'])
      expect(mentions.filter((m) => m.class === cls).length).toBeGreaterThan(50)
    expect(mentions.filter((m) => m.known).length).toBeGreaterThan(100)
    expect(new Set(fresh.map((d) => d.kind))).toEqual(new Set(['transcript', 'crm', 'email', 'chat']))
    expect(committed.length).toBeLessThan(300_000)
  })
})

it('two corpora from two seeds share no document', () => {
  const dev = new Set(generateCorpus('dev').map((d) => d.text))
  expect(generateCorpus('test').filter((d) => dev.has(d.text))).toEqual([])
})
