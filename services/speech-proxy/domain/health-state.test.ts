import { describe, expect, it } from 'vitest'
import type { ProbeOutcome } from '../../../shared/upstream-health.ts'
import { createHealthJudge, readinessAssessment } from './health-state.ts'

const slow: ProbeOutcome = { kind: 'timeout', detail: 'no answer within 300 ms' }
const ok: ProbeOutcome = { kind: 'ok', status: 200 }
let clock = 0
const judge = () => createHealthJudge({ downAfter: 3, faultHoldMs: 60_000, now: () => clock })

describe('health judge: busy is not down', () => {
  it('reads a slow probe as busy while our own requests run, however many times', () => {
    const j = judge()
    for (let i = 0; i < 5; i++) expect(j.probed(slow, true).state).toBe('busy')
    expect(j.current().why).toContain('no answer within 300 ms')
  })

  it('calls a quiet upstream down only after 3 slow probes in a row, degraded before', () => {
    const j = judge()
    expect([j.probed(slow, false), j.probed(slow, false), j.probed(slow, false)].map((h) => h.state)).toEqual(
      ['degraded', 'degraded', 'down'],
    )
    expect(j.current().why).toBe('no answer within 300 ms, 3 checks in a row with nothing of ours running')
  })

  it('starts the count again after a healthy answer; a busy reading neither counts nor breaks it', () => {
    const j = judge()
    j.probed(slow, false)
    j.probed(slow, false)
    expect(j.probed(ok, false)).toMatchObject({ state: 'up', misses: 0 })
    j.probed(slow, false)
    j.probed(slow, true)
    expect(j.probed(slow, false)).toMatchObject({ state: 'degraded', misses: 2 })
    expect(j.probed(slow, false).state).toBe('down')
  })

  it('never excuses a refused connection or an error status, even under load', () => {
    expect(judge().probed({ kind: 'unreachable', detail: 'connection refused' }, true)).toMatchObject({
      state: 'down',
      why: 'connection refused',
    })
    const badStatus: ProbeOutcome = {
      kind: 'bad_status',
      status: 500,
      detail: 'health check answered HTTP 500',
    }
    expect(judge().probed(badStatus, true).state).toBe('down')
  })

  it('keeps an upstream whose request hit a GPU fault down for the hold, though /health still answers', () => {
    const j = judge()
    j.faulted('CUBLAS_STATUS_EXECUTION_FAILED')
    expect(j.current()).toMatchObject({ state: 'down', why: expect.stringContaining('CUBLAS_STATUS_') })
    clock = 59_999
    expect(j.probed(ok, false).state).toBe('down')
    clock = 60_000
    expect(j.probed(ok, false).state).toBe('up')
  })

  it('takes a successful request of ours as proof the model works', () => {
    const j = judge()
    j.faulted('CUDA error')
    j.served()
    expect(j.current().state).toBe('up')
    expect(j.probed(ok, false).state).toBe('up')
  })
})

describe('readinessAssessment', () => {
  it('reports degraded as busy (readiness has no degraded), with the words that tell them apart', () => {
    const j = judge()
    expect(readinessAssessment(j.probed(slow, false))).toEqual({
      state: 'busy',
      detail: 'health check slow (no answer within 300 ms); 1 of 3 misses before it is called down',
    })
    expect(readinessAssessment(j.probed(ok, false))).toEqual({ state: 'up' })
  })
})
