import { describe, expect, it } from 'vitest'
import {
  applyReport,
  applyTransition,
  emptyDocument,
  legacyStateOf,
  parseDocument,
  serializeDocument,
} from './connectivity-document.ts'

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0)

describe('the earlier connectivity document', () => {
  it('maps states to the earlier up/down; maintenance and unknown say nothing', () => {
    expect(legacyStateOf('down')).toBe('down')
    for (const s of ['up', 'busy', 'degraded'] as const) expect(legacyStateOf(s)).toBe('up')
    expect(legacyStateOf('maintenance')).toBeNull()
    expect(legacyStateOf('unknown')).toBeNull()
  })

  it('writes a transition once per change, and the up that ends a down carries down_seconds', () => {
    const doc = emptyDocument()
    expect(applyTransition(doc, { subject: 'vllm', state: 'up', at: T0 }, 200)).toBe(true)
    expect(applyTransition(doc, { subject: 'vllm', state: 'up', at: T0 + 500 }, 200)).toBe(false)
    applyTransition(doc, { subject: 'vllm', state: 'down', at: T0 + 1000 }, 200)
    applyTransition(doc, { subject: 'vllm', state: 'up', at: T0 + 3470 }, 200)
    expect(doc.events).toEqual([
      { subject: 'vllm', at: '2026-03-01T12:00:00.000Z', transition: 'up', kind: 'transition' },
      { subject: 'vllm', at: '2026-03-01T12:00:01.000Z', transition: 'down', kind: 'transition' },
      {
        subject: 'vllm',
        at: '2026-03-01T12:00:03.470Z',
        transition: 'up',
        down_seconds: 2.5,
        kind: 'transition',
      },
    ])
    expect(Object.keys(doc.events[2]!)).toEqual(['subject', 'at', 'transition', 'down_seconds', 'kind'])
    expect(doc.current).toEqual({ vllm: 'up' })
    expect(doc.last_change).toEqual({ vllm: '2026-03-01T12:00:03.470Z' })
  })

  it('appends reports without touching current, and keeps only the newest events', () => {
    const doc = emptyDocument()
    applyTransition(doc, { subject: 'parakeet', state: 'down', at: T0 }, 3)
    for (let i = 0; i < 4; i++)
      applyReport(
        doc,
        {
          subject: 'parakeet',
          at: T0 + i,
          ok: i % 2 === 0,
          source: 'recap-relay',
          detail: null,
          latencyMs: 40 + i,
        },
        3,
      )
    expect(doc.current).toEqual({ parakeet: 'down' })
    expect(doc.events).toHaveLength(3)
    expect(doc.events[2]).toEqual({
      subject: 'parakeet',
      at: '2026-03-01T12:00:00.003Z',
      kind: 'report',
      ok: false,
      source: 'recap-relay',
      detail: null,
      latency_ms: 43,
    })
  })

  it('reads v0.5 events (spark instead of subject), keeps macs and keys it does not know', () => {
    const doc = parseDocument(
      JSON.stringify({
        macs: { spark1: 'aa:bb:cc:dd:ee:01' },
        current: { spark1: 'down', bogus: 'sideways' },
        last_change: { spark1: '2026-02-01T00:00:00Z' },
        events: [{ spark: 'spark1', at: '2026-02-01T00:00:00Z', transition: 'down' }, 'junk'],
        note: 'kept',
      }),
    )
    expect(doc.events).toEqual([
      { subject: 'spark1', at: '2026-02-01T00:00:00Z', transition: 'down', kind: 'transition' },
    ])
    expect(doc.current).toEqual({ spark1: 'down' })
    expect(doc.macs).toEqual({ spark1: 'aa:bb:cc:dd:ee:01' })
    applyTransition(doc, { subject: 'spark1', state: 'up', at: Date.UTC(2026, 1, 1, 0, 1) }, 200)
    expect(doc.events.at(-1)).toMatchObject({ down_seconds: 60 })
    expect(JSON.parse(serializeDocument(doc)).note).toBe('kept')
  })

  it('refuses text that is not a JSON object', () => {
    expect(() => parseDocument('{"events": [')).toThrow()
    expect(() => parseDocument('[]')).toThrow(/object/)
  })
})
