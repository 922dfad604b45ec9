import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SweepResult } from '../../../../../shared/contracts/swap-controller.ts'
import type { AppError } from '../../../../../shared/errors.ts'
import type { AuditInput } from '../../coordination/ports.ts'
import { systemClock } from './clock.ts'
import type { SweepStore } from './ports.ts'
import { createSweepService, type SweepServiceDeps } from './service.ts'
import { fakeBackend } from './testing.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function memoryStore(initial: SweepResult[] = []): SweepStore {
  const rows = new Map(initial.map((r) => [r.id, r]))
  return {
    save: (r) => void rows.set(r.id, r),
    list: (limit) => [...rows.values()].reverse().slice(0, limit),
    get: (id) => rows.get(id) ?? null,
  }
}

function setup(overrides: Partial<SweepServiceDeps> = {}) {
  const audit: AuditInput[] = []
  const store = overrides.store ?? memoryStore()
  let n = 0
  const service = createSweepService({
    store,
    backendFor: (target) =>
      target === 'embeddings'
        ? null
        : {
            url: 'http://127.0.0.1:8000',
            backend: fakeBackend({ capacity: 2, serviceMs: 200, clock: systemClock }),
          },
    simulated: true,
    audit: (e) => void audit.push(e),
    clock: systemClock,
    cellS: 2,
    warmupS: 1,
    newId: () => `sweep-${++n}`,
    ...overrides,
  })
  return { service, audit, store }
}

const actor = { actor: 'tester', requestId: 'r1' }

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err as AppError
  }
  throw new Error('not refused')
}

describe('sweep service', () => {
  it('runs one sweep in the background, saving each level, and ends with the recommendation', async () => {
    const { service, audit } = setup()
    const started = service.start({ target: 'asr', levels: [1, 2, 3, 4], confirm: true }, actor)
    expect(started).toMatchObject({ id: 'sweep-1', status: 'running', cells: [], setting: 'SPEECH_LANE_ASR' })
    await vi.advanceTimersByTimeAsync(3500)
    expect(service.get('sweep-1').cells).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(20_000)
    await service.idle()
    const done = service.get('sweep-1')
    expect(done).toMatchObject({ status: 'done', knee: 2, recommended_limit: 2 })
    expect(done.finished_at).not.toBeNull()
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['ops.sweep', 'started'],
      ['ops.sweep', 'ok'],
    ])
    expect(audit[1]!.detail).toMatch(/SPEECH_LANE_ASR=2/)
  })

  it('refuses without confirm or dry_run (428), a second sweep while one runs (409), and audits both', async () => {
    const { service, audit } = setup()
    expect(refusal(() => service.start({ target: 'asr' }, actor)).status).toBe(428)
    service.start({ target: 'asr', confirm: true }, actor)
    const busy = refusal(() => service.start({ target: 'tts', confirm: true }, actor))
    expect(busy.status).toBe(409)
    expect(audit.filter((a) => a.outcome === 'refused')).toHaveLength(2)
    await service.close()
    expect(service.list()[0]).toMatchObject({ status: 'cancelled' })
  })

  it('refuses a live cluster without confirm_live, and a target with no backend', () => {
    const { service } = setup({ simulated: false })
    const live = refusal(() => service.start({ target: 'asr', confirm: true }, actor))
    expect(live.status).toBe(428)
    expect(live.message).toMatch(/confirm_live/)
    expect(refusal(() => service.start({ target: 'embeddings', confirm: true }, actor)).status).toBe(503)
    expect(service.start({ target: 'asr', confirm: true, confirm_live: true }, actor).status).toBe('running')
  })

  it('answers a dry run with the plan, sends nothing and saves nothing', () => {
    const { service, audit } = setup({ simulated: false })
    const plan = service.start(
      { target: 'tts', dry_run: true, levels: [1, 2], cell_s: 5, warmup_s: 1 },
      actor,
    )
    expect(plan).toMatchObject({ dry_run: true, status: 'done', cells: [] })
    expect(plan.reason).toMatch(
      /Concurrency 1, 2 against http:\/\/127\.0\.0\.1:8000: 1 s warm-up and 5 s measured/,
    )
    expect(service.list()).toEqual([])
    expect(audit[0]).toMatchObject({ dryRun: true, outcome: 'ok' })
  })

  it('marks a sweep left running by a previous process as interrupted; 404 for an unknown id', () => {
    const left = {
      ...setup().service.start({ target: 'asr', dry_run: true }, actor),
      id: 'old',
      status: 'running' as const,
    }
    const { service } = setup({ store: memoryStore([left]) })
    expect(service.get('old')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/Interrupted/),
    })
    expect(refusal(() => service.get('nope')).status).toBe(404)
  })
})
