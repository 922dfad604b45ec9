import { describe, expect, it } from 'vitest'
import { SwapMachine, stateDurations } from './machine.ts'

const req = (recipe = 'a') => ({
  recipe,
  mode: 'solo' as const,
  model: recipe,
  from_model: null,
  from_recipe: null,
  actor: 'api',
})
function machine() {
  let t = 1000
  let n = 0
  const m = new SwapMachine({ now: () => t, newId: () => `swp_${String(++n).padStart(16, '0')}`, keep: 2 })
  return { m, tick: (ms: number) => (t += ms) }
}

describe('SwapMachine', () => {
  it('walks the states with timestamps and per-state durations', () => {
    const { m, tick } = machine()
    const { job } = m.start(req())
    for (const s of ['stopping', 'verifying-stopped', 'starting', 'loading', 'warming', 'ready'] as const) {
      tick(100)
      m.move(job.id, s)
    }
    m.finish(job.id)
    expect(job.transitions.map((t) => t.at_ms)).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 1600])
    expect(stateDurations(job, 9999)).toEqual({
      draining: 100,
      stopping: 100,
      'verifying-stopped': 100,
      starting: 100,
      loading: 100,
      warming: 100,
    })
    expect(m.current()).toBeNull()
    expect(m.get(job.id)?.finished_at_ms).toBe(1600)
  })

  it('coalesces the same recipe and refuses another with 409', () => {
    const { m } = machine()
    const first = m.start(req())
    expect(m.start(req())).toEqual({ kind: 'coalesced', job: first.job })
    expect(() => m.start(req('b'))).toThrow(expect.objectContaining({ status: 409 }))
  })

  it('refuses skipped or backward transitions', () => {
    const { m } = machine()
    const { job } = m.start(req())
    expect(() => m.move(job.id, 'loading')).toThrow(/not allowed/)
    m.move(job.id, 'stopping')
    expect(() => m.move(job.id, 'draining')).toThrow(/not allowed/)
    expect(() => m.finish(job.id)).toThrow(/cannot finish/)
  })

  it('rolls back once at most', () => {
    const { m } = machine()
    const { job } = m.start(req())
    m.move(job.id, 'stopping')
    m.fail(job.id, 'boom', 'log tail')
    m.move(job.id, 'rolling-back')
    job.rollback = { recipe: 'prev', outcome: 'running' }
    m.move(job.id, 'failed')
    expect(() => m.move(job.id, 'rolling-back')).toThrow(/already rolled back/)
    expect(job).toMatchObject({ error: 'boom', log_excerpt: 'log tail', state: 'failed' })
  })

  it('allows cancel at any stage; a cancelled request is not joined', () => {
    const { m } = machine()
    const { job } = m.start(req())
    m.move(job.id, 'stopping')
    m.move(job.id, 'verifying-stopped')
    expect(m.requestCancel()?.cancel_requested).toBe(true)
    expect(() => m.start(req())).toThrow(expect.objectContaining({ status: 409 }))
    m.move(job.id, 'cancelled')
    m.finish(job.id)
    expect(m.requestCancel()).toBeNull()
  })

  it('keeps a bounded number of finished jobs', () => {
    const { m } = machine()
    const ids = [1, 2, 3].map(() => {
      const { job } = m.start(req())
      m.fail(job.id, 'x')
      m.finish(job.id)
      return job.id
    })
    expect(m.get(ids[0]!)).toBeUndefined()
    expect(m.latest()?.id).toBe(ids[2])
  })
})
