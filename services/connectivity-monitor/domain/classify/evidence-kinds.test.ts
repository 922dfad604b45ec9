import { describe, expect, it } from 'vitest'
import type { EvidenceLayer } from '../ports.ts'
import { calmLayer, countsForMix, evidenceClass, isPortOnly, isSlowSign } from './evidence-kinds.ts'
import { ev, node, type Result, service, upstream } from './fixtures/evidence.ts'

describe('evidenceClass', () => {
  it.each<[EvidenceLayer, Result, string]>([
    ['http', 'refused', 'hard'],
    ['passive', 'reset', 'hard'],
    ['functional', 'unreachable', 'hard'],
    ['passive', 'dns', 'hard'],
    ['tcp', 'timeout', 'hard'],
    ['ssh', 'timeout', 'hard'],
    ['ssh', 'bad_status', 'hard'],
    ['http', 'timeout', 'soft'],
    ['functional', 'timeout', 'soft'],
    ['passive', 'timeout', 'soft'],
    ['http', 'http_5xx', 'soft'],
    ['passive', 'bad_status', 'soft'],
    ['functional', 'other', 'soft'],
    ['http', 'ok', 'alive'],
    ['http', 'slow', 'alive'],
    ['functional', 'ok', 'alive'],
    ['passive', 'ok', 'alive'],
    ['tcp', 'ok', 'port'],
    ['ssh', 'ok', 'port'],
  ])('%s %s is %s', (layer, result, expected) => {
    expect(evidenceClass(ev(layer, 0, result))).toBe(expected)
  })

  it('takes a reset after a long wait on an app layer for a hang that ended, not a closed port', () => {
    expect(evidenceClass(ev('http', 0, 'reset', 1400))).toBe('soft')
    expect(evidenceClass(ev('passive', 0, 'reset', 3000))).toBe('soft')
    expect(evidenceClass(ev('http', 0, 'reset', 3))).toBe('hard')
    expect(evidenceClass(ev('tcp', 0, 'reset', 1400))).toBe('hard')
  })

  it('takes a failure with no kind for a soft one on an app layer', () => {
    expect(evidenceClass({ ...ev('http', 0, 'other'), kind: undefined })).toBe('soft')
  })
})

describe('slow signs and the mix', () => {
  it('reads health slow or timing out and the functional check timing out as slow signs, nothing else', () => {
    expect(isSlowSign(ev('http', 0, 'slow'))).toBe(true)
    expect(isSlowSign(ev('http', 0, 'timeout'))).toBe(true)
    expect(isSlowSign(ev('functional', 0, 'timeout'))).toBe(true)
    expect(isSlowSign(ev('http', 0, 'ok'))).toBe(false)
    expect(isSlowSign(ev('http', 0, 'http_5xx'))).toBe(false)
    expect(isSlowSign(ev('passive', 0, 'timeout'))).toBe(false)
    expect(isSlowSign(ev('tcp', 0, 'timeout'))).toBe(false)
  })

  it('counts app answers in the mix, but not port answers or slow signs', () => {
    expect(countsForMix(ev('passive', 0, 'http_5xx'))).toBe(true)
    expect(countsForMix(ev('passive', 0, 'timeout'))).toBe(true)
    expect(countsForMix(ev('http', 0, 'ok'))).toBe(true)
    expect(countsForMix(ev('http', 0, 'timeout'))).toBe(false)
    expect(countsForMix(ev('tcp', 0, 'ok'))).toBe(false)
  })
})

describe('what a target has to ask', () => {
  it('knows a port-only target, and which layer ends busy', () => {
    expect(isPortOnly(node)).toBe(true)
    expect(isPortOnly(upstream)).toBe(false)
    expect(isPortOnly({ ...node, functional: upstream.functional })).toBe(false)
    expect(calmLayer(service)).toBe('http')
    expect(calmLayer({ ...upstream, http: undefined })).toBe('functional')
  })
})
