import { describe, expect, it } from 'vitest'
import { outageStep, stoppedReason, worstSeverity } from './outage-rules.ts'

describe('outage steps', () => {
  it('opens on entering down or degraded with that severity', () => {
    expect(outageStep(null, { to: 'down' })).toEqual({ kind: 'open', severity: 'down' })
    expect(outageStep(null, { to: 'degraded' })).toEqual({ kind: 'open', severity: 'degraded' })
  })

  it('keeps one outage between down and degraded, at the worst severity seen', () => {
    expect(outageStep({ severity: 'degraded' }, { to: 'down' })).toEqual({
      kind: 'continue',
      severity: 'down',
    })
    expect(outageStep({ severity: 'down' }, { to: 'degraded' })).toEqual({
      kind: 'continue',
      severity: 'down',
    })
    expect(worstSeverity('degraded', 'degraded')).toBe('degraded')
  })

  it('closes on leaving both, maintenance included; nothing happens with no outage open', () => {
    for (const to of ['up', 'busy', 'unknown', 'maintenance'] as const) {
      expect(outageStep({ severity: 'down' }, { to })).toEqual({ kind: 'close' })
      expect(outageStep(null, { to })).toEqual({ kind: 'none' })
    }
  })

  it('says the monitor stopped, after the reason it had', () => {
    expect(stoppedReason('tcp refused twice')).toBe('tcp refused twice; the monitor stopped before it ended')
    expect(stoppedReason('')).toBe('the monitor stopped before it ended')
  })
})
