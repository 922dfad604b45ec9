import { describe, expect, it } from 'vitest'
import { boundEvidence, evidenceItem, MAX_DETAIL } from './evidence.ts'

describe('evidence as recorded', () => {
  it('is the wire form: ISO time, whole milliseconds, detail cut to the earlier 280 characters', () => {
    const item = evidenceItem({
      target: 'vllm',
      layer: 'http',
      at: Date.UTC(2026, 2, 1, 12, 0, 0, 250),
      ok: false,
      kind: 'timeout',
      latencyMs: 1500.4,
      detail: 'x'.repeat(500),
      source: 'probe',
    })
    expect(item).toEqual({
      layer: 'http',
      at: '2026-03-01T12:00:00.250Z',
      ok: false,
      kind: 'timeout',
      latency_ms: 1500,
      detail: 'x'.repeat(MAX_DETAIL),
      source: 'probe',
    })
    const ok = evidenceItem({ target: 'vllm', layer: 'tcp', at: 0, ok: true, latencyMs: 2, source: 'probe' })
    expect(Object.keys(ok)).toEqual(['layer', 'at', 'ok', 'latency_ms', 'source'])
  })

  it('keeps how it began and the latest, never more than the bound', () => {
    const many = Array.from({ length: 50 }, (_, i) => i)
    const kept = boundEvidence(many, 6)
    expect(kept).toEqual([0, 1, 2, 47, 48, 49])
    expect(boundEvidence([1, 2], 6)).toEqual([1, 2])
  })
})
