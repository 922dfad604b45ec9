import { describe, expect, it } from 'vitest'
import { decideHealthState } from './health-state.ts'

describe('decideHealthState: busy is not down', () => {
  it('reads a health timeout as busy while our own requests run', () => {
    const r = decideHealthState({ kind: 'timeout', detail: 'no answer within 300 ms' }, true)
    expect(r.state).toBe('busy')
    expect(r.detail).toContain('no answer within 300 ms')
  })

  it('reads the same timeout as down when we are not loading the upstream', () => {
    expect(decideHealthState({ kind: 'timeout', detail: 'no answer within 300 ms' }, false)).toEqual({
      state: 'down',
      detail: 'no answer within 300 ms',
    })
  })

  it('never excuses a refused connection or an error status, even under load', () => {
    expect(decideHealthState({ kind: 'unreachable', detail: 'connection refused' }, true).state).toBe('down')
    expect(
      decideHealthState({ kind: 'bad_status', status: 500, detail: 'health check answered HTTP 500' }, true)
        .state,
    ).toBe('down')
  })

  it('is up on a healthy answer', () => {
    expect(decideHealthState({ kind: 'ok', status: 200 }, true)).toEqual({ state: 'up' })
  })
})
