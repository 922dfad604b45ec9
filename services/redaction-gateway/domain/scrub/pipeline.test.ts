import { describe, expect, it } from 'vitest'
import type { Detection } from '../detect/types.ts'
import { type ScrubInput, scrub } from './pipeline.ts'
import type { Detectors, SurfaceRecord, TokenStore } from './ports.ts'

/** An in-memory store that records what it was asked, so the tests can see what reached it. */
function fakeStore() {
  const tokens = new Map<string, string>()
  const calls = { batches: 0, tokenFor: [] as string[], inBatch: true, surfaces: [] as SurfaceRecord[] }
  let depth = 0
  const store: TokenStore = {
    create: () => ({ handle: 'h1', expiresAt: new Date(0) }),
    extend: () => ({ state: 'unknown' }),
    tokenFor(_handle, type, value, key) {
      calls.tokenFor.push(value)
      if (depth === 0) calls.inBatch = false
      const k = key ?? value
      if (!tokens.has(k))
        tokens.set(k, `[${type}_${[...tokens.keys()].filter((t) => t.startsWith(type)).length + 1}]`)
      return tokens.get(k)!
    },
    entryFor(handle, type, value, key) {
      return { token: store.tokenFor(handle, type, value, key), value }
    },
    valuesOfType: () => [],
    recordSurfaces(_handle, records) {
      if (depth === 0) calls.inBatch = false
      calls.surfaces.push(...records)
    },
    surfacesAt: (_handle, occurrences) => occurrences.map(() => undefined),
    valuesFor: () => new Map(),
    status: () => 'live',
    batch(fn) {
      calls.batches++
      depth++
      try {
        return fn()
      } finally {
        depth--
      }
    },
  }
  return { store, calls }
}

const span = (text: string, value: string, over: Partial<Detection>): Detection => {
  const start = text.indexOf(value)
  return {
    start,
    end: start + value.length,
    tier: 2,
    type: 'PERSON',
    kind: null,
    detector: 'test',
    score: 1,
    value,
    ...over,
  }
}

/** Detectors that find fixed words: "Ann" a person, "$5k" an amount, "999-99-9999" an SSN. */
const fixed: Detectors = {
  tier1AndCrypto: (text) => ({
    tier1: text.includes('999-99-9999')
      ? [span(text, '999-99-9999', { tier: 1, type: null, kind: 'ssn' })]
      : [],
    crypto: [],
  }),
  known: () => [],
  structured: (text) =>
    text.includes('$5k') ? [span(text, '$5k', { type: 'AMOUNT', detector: 'amount' })] : [],
  names: (text) => (text.includes('Ann') ? [span(text, 'Ann', { detector: 'names' })] : []),
}

const input = (texts: string[], over: Partial<ScrubInput> = {}): ScrubInput => ({
  taskId: 't',
  items: texts.map((text, id) => ({ id, text })),
  tier1Action: 'drop',
  ner: 'rules_only',
  ...over,
})
const limits = { maxItems: 10, maxItemChars: 100 }

describe('scrub pipeline', () => {
  it("records, in the batch, the text of each span that differs from its token's value, under its context", () => {
    const { store, calls } = fakeStore()
    const detectors: Detectors = {
      ...fixed,
      names: (text) => (text.includes('Ann Lee') ? [span(text, 'Ann Lee', { detector: 'names' })] : []),
      // As the known-entity detector does: the span as written, the value as given.
      known: (text) =>
        text.includes('ann lee') ? [span(text, 'ann lee', { value: 'Ann Lee', detector: 'known' })] : [],
    }
    const out = scrub(input(['Ann Lee met us.', 'Later ann lee and Ann again.']), {
      detectors,
      store,
      limits,
    })
    expect(out.items.map((i) => i.scrubbedText)).toEqual([
      '[PERSON_1] met us.',
      'Later [PERSON_1] and [PERSON_1] again.',
    ])
    expect(calls.inBatch).toBe(true)
    expect(calls.surfaces).toEqual([
      { token: '[PERSON_1]', surface: 'ann lee', before: 'Later ', after: ' and [PERSON_1] ', nth: 0 },
      { token: '[PERSON_1]', surface: 'Ann', before: ' [PERSON_1] and ', after: ' again.', nth: 0 },
    ])
  })

  it('asks the store once per distinct value in one batch, and never for Tier-1 or bucketed values', () => {
    const { store, calls } = fakeStore()
    const out = scrub(input(['Ann owes $5k', 'Ann: 999-99-9999'], { bucket: { amounts: true } }), {
      detectors: fixed,
      store,
      limits,
    })
    expect(calls.batches).toBe(1)
    expect(calls.inBatch).toBe(true)
    expect(calls.tokenFor).toEqual(['Ann'])
    expect(out.items.map((i) => i.scrubbedText)).toEqual([
      expect.stringMatching(/^\[PERSON_1\] owes (?!\$5k)/),
      '[PERSON_1]: [REDACTED]',
    ])
    expect(out).toMatchObject({
      tier1Dropped: 1,
      tier2Tokenized: 2,
      distinctEntities: 1,
      typeCounts: { PERSON: 2 },
    })
  })

  it('stores nothing when it rejects Tier-1 data, when a detector throws, or over the limits', () => {
    const { store, calls } = fakeStore()
    const deps = { detectors: fixed, store, limits }
    expect(() => scrub(input(['Ann', 'id 999-99-9999'], { tier1Action: 'reject' }), deps)).toThrow(
      expect.objectContaining({ code: 'tier1_detected', extra: { spans: [{ item: 1, kinds: ['ssn'] }] } }),
    )
    const throwing = {
      ...fixed,
      names: () => {
        throw new Error('boom')
      },
    }
    expect(() => scrub(input(['Ann']), { ...deps, detectors: throwing })).toThrow(
      expect.objectContaining({ status: 500, code: 'scrub_failed' }),
    )
    expect(() => scrub(input(['x'.repeat(101)]), deps)).toThrow(expect.objectContaining({ status: 413 }))
    expect(() => scrub(input(Array(11).fill('x')), deps)).toThrow(expect.objectContaining({ status: 413 }))
    expect(() => scrub(input(['Ann'], { ner: 'auto' }), deps)).toThrow(
      expect.objectContaining({ code: 'ner_unavailable' }),
    )
    expect(calls.batches).toBe(0)
    expect(calls.tokenFor).toEqual([])
  })

  it('refuses an unknown map before detecting anything', () => {
    const { store, calls } = fakeStore()
    store.status = () => 'unknown'
    expect(() => scrub(input(['Ann'], { mapHandle: 'gone' }), { detectors: fixed, store, limits })).toThrow(
      expect.objectContaining({ status: 404, code: 'map_not_found' }),
    )
    expect(calls.tokenFor).toEqual([])
  })
})
