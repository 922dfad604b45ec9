import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { openSwapStore, type SwapStore } from '../../adapters/store/store.ts'
import { createCoordination } from './service.ts'
import { swapEvent } from './webhook.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
const stores: SwapStore[] = []
const api = { actor: 'api' }

async function setup(options: { webhook?: boolean } = {}) {
  const store = await openSwapStore({ path: ':memory:' })
  stores.push(store)
  const clock = { now: T0 }
  const notified: number[] = []
  let n = 0
  const coordination = createCoordination({
    store,
    clock: () => clock.now,
    mintToken: () => `tok-${++n}`,
    newId: () => `sch_${++n}`,
    webhook: options.webhook ? { notify: () => notified.push(clock.now) } : null,
    maxScheduleEntries: 3,
  })
  return { store, clock, coordination, notified }
}

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('lock through the coordination service', () => {
  it('acquires, shows the state without the token, extends and releases, auditing each step', async () => {
    const { coordination, clock } = await setup()
    const granted = coordination.acquireLock(
      { holder: 'batch', ttlSeconds: 600, note: 'reindex' },
      { actor: 'ops', requestId: 'r1' },
    )
    expect(granted).toMatchObject({
      held: true,
      holder: 'batch',
      seconds_remaining: 600,
      note: 'reindex',
      token: 'tok-1',
    })
    expect(coordination.lockState()).not.toHaveProperty('token')
    clock.now += 500_000
    expect(coordination.lockState()).toMatchObject({ seconds_remaining: 100 })
    const extended = coordination.acquireLock({ holder: 'batch', token: 'tok-1' }, api)
    expect(extended).toMatchObject({
      token: 'tok-1',
      seconds_remaining: 900,
      acquired_at: granted.acquired_at,
      note: 'reindex',
    })
    expect(coordination.releaseLock({ token: 'tok-1' }, api)).toEqual({ held: false })
    expect(coordination.lockState()).toEqual({ held: false })
    const rows = coordination.history(10)
    expect(rows.map((r) => [r.action, r.outcome, r.actor])).toEqual([
      ['lock.release', 'ok', 'api'],
      ['lock.extend', 'ok', 'api'],
      ['lock.acquire', 'ok', 'ops'],
    ])
    expect(rows[2]).toMatchObject({ target: 'batch', request_id: 'r1', dry_run: false, detail: 'ttl 600 s' })
    expect(JSON.stringify(rows)).not.toContain('tok-1')
  })

  it('answers 409 with the lock for another holder, and audits the refusal', async () => {
    const { coordination } = await setup()
    coordination.acquireLock({ holder: 'alice' }, api)
    const err = thrown(() => coordination.acquireLock({ holder: 'bob' }, { actor: 'bob-script' }))
    expect(err.status).toBe(409)
    expect(err.message).toContain('alice')
    expect(err.extra?.lock).toMatchObject({ held: true, holder: 'alice', seconds_remaining: 900 })
    expect(coordination.history(1)[0]).toMatchObject({
      action: 'lock.acquire',
      outcome: 'refused',
      actor: 'bob-script',
      target: 'bob',
    })
  })

  it('refuses release without the token (403 with the lock), and force-releases naming the actor', async () => {
    const { coordination } = await setup()
    coordination.acquireLock({ holder: 'alice' }, api)
    const err = thrown(() => coordination.releaseLock({}, api))
    expect(err.status).toBe(403)
    expect(err.extra?.lock).toMatchObject({ held: true, holder: 'alice' })
    expect(coordination.lockState()).toMatchObject({ held: true })
    expect(coordination.releaseLock({ force: true }, { actor: 'dashboard' })).toEqual({ held: false })
    expect(coordination.history(1)[0]).toMatchObject({
      action: 'lock.force_release',
      actor: 'dashboard',
      target: 'alice',
      outcome: 'ok',
      detail: 'forced; was held by alice',
    })
  })

  it('expires on the injected clock', async () => {
    const { coordination, clock } = await setup()
    coordination.acquireLock({ holder: 'alice', ttlSeconds: 0 }, api)
    expect(coordination.lockState()).toMatchObject({ seconds_remaining: 1 })
    clock.now += 1000
    expect(coordination.lockState()).toEqual({ held: false })
    expect(coordination.acquireLock({ holder: 'bob' }, api).holder).toBe('bob')
  })
})

describe('assertSwapAllowed', () => {
  it('passes when free or with the token, throws 423 with the lock otherwise', async () => {
    const { coordination } = await setup()
    expect(() => coordination.assertSwapAllowed()).not.toThrow()
    const { token } = coordination.acquireLock({ holder: 'alice' }, api)
    expect(() => coordination.assertSwapAllowed(token)).not.toThrow()
    for (const wrong of [undefined, 'nope']) {
      const err = thrown(() => coordination.assertSwapAllowed(wrong))
      expect(err.status).toBe(423)
      expect(err.extra?.lock).toMatchObject({ holder: 'alice' })
    }
  })
})

describe('recordAudit and enqueueWebhook', () => {
  it('records what the swap engine reports, with per-phase milliseconds', async () => {
    const { coordination, clock } = await setup()
    const entry = coordination.recordAudit({
      actor: 'dashboard',
      action: 'swap.start',
      target: 'qwen3',
      dryRun: true,
      outcome: 'ok',
      durationMs: { stopping: 5200.4, loading: 81_000, bogus: Number.NaN },
    })
    expect(entry).toMatchObject({
      at: '2026-03-01T12:00:00.000000+00:00',
      dry_run: true,
      duration_ms: { stopping: 5200, loading: 81_000 },
    })
    clock.now += 1
    expect(coordination.history(5)[0]!.id).toBe(entry.id)
  })

  it('queues signed-later deliveries in the outbox and wakes the sender', async () => {
    const { coordination, store, notified } = await setup({ webhook: true })
    const event = swapEvent({
      swapId: 's1',
      recipe: 'r',
      model: 'm',
      fromModel: null,
      startedAtMs: T0,
      finishedAtMs: T0 + 1000,
      servingModel: 'm',
    })
    const id = coordination.enqueueWebhook(event)
    expect(id).toBeGreaterThan(0)
    expect(notified).toEqual([T0])
    expect(store.outbox.due(T0, 10)).toEqual([
      { id, event: 'swap_complete', body: JSON.stringify(event), attempts: 0, nextAttemptAtMs: T0 },
    ])
  })

  it('queues nothing when no webhook is configured', async () => {
    const { coordination, store } = await setup()
    const event = swapEvent({
      swapId: 's1',
      recipe: 'r',
      model: 'm',
      fromModel: null,
      startedAtMs: T0,
      finishedAtMs: T0,
      servingModel: 'm',
    })
    expect(coordination.enqueueWebhook(event)).toBeNull()
    expect(store.outbox.nextDueAtMs()).toBeNull()
  })
})

describe('schedule', () => {
  it('adds, replaces by id, lists, deletes, and audits each change', async () => {
    const { coordination, clock } = await setup()
    const a = coordination.putSchedule({ holder: 'crm', recipe: 'qwen3', cron: '0 22 * * *' }, api)
    expect(a.id).toMatch(/^sch_/)
    clock.now += 1000
    const b = coordination.putSchedule({ id: 'nightly', holder: 'batch', at: '2026-03-02T01:00:00Z' }, api)
    const b2 = coordination.putSchedule({ id: 'nightly', holder: 'batch', at: '2026-03-02T02:00:00Z' }, api)
    expect(b2.created_at).toBe(b.created_at)
    expect(coordination.listSchedule().map((e) => e.id)).toEqual([a.id, 'nightly'])
    expect(coordination.deleteSchedule('nightly', api)).toEqual(b2)
    expect(thrown(() => coordination.deleteSchedule('nightly', api)).status).toBe(404)
    expect(coordination.history(10).map((r) => r.action)).toEqual([
      'schedule.delete',
      'schedule.update',
      'schedule.add',
      'schedule.add',
    ])
  })

  it("answers each entry with its next_run from the clock's now, recomputed as time passes", async () => {
    const { coordination, clock } = await setup()
    const nightly = coordination.putSchedule({ holder: 'crm', cron: '0 22 * * *' }, api)
    expect(nightly.next_run).toBe('2026-03-01T22:00:00.000000+00:00')
    coordination.putSchedule({ id: 'once', holder: 'demo', at: '2026-03-01T23:00:00Z' }, api)
    clock.now = Date.parse('2026-03-01T22:30:00Z')
    expect(coordination.listSchedule().map((e) => [e.id, e.next_run])).toEqual([
      [nightly.id, '2026-03-02T22:00:00.000000+00:00'],
      ['once', '2026-03-01T23:00:00.000000+00:00'],
    ])
    clock.now = Date.parse('2026-03-01T23:00:00Z')
    expect(coordination.deleteSchedule('once', api).next_run).toBeNull()
  })

  it('refuses new entries when full, still allowing replacements', async () => {
    const { coordination } = await setup()
    for (const id of ['a', 'b', 'c']) coordination.putSchedule({ id, holder: 'x' }, api)
    expect(thrown(() => coordination.putSchedule({ holder: 'y' }, api)).status).toBe(409)
    expect(coordination.putSchedule({ id: 'a', holder: 'z' }, api).holder).toBe('z')
  })
})
