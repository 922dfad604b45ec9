import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import type { History } from '../domain/ports.ts'
import { openHistory } from './history-store.ts'
import { change, target } from './history-store-fixtures.ts'

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0)
const S = 1000
let dir: string | undefined
const opened: History[] = []

async function history(clock: { now: number } = { now: T0 }, file = 'nested/monitor.db') {
  dir ??= mkdtempSync(join(tmpdir(), 'monitor-history-'))
  const h = await openHistory({
    path: join(dir, file),
    retentionDays: 30,
    logger: silentLogger(),
    now: () => clock.now,
  })
  opened.push(h)
  return h
}

afterEach(() => {
  for (const h of opened.splice(0)) h.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('the outage log', () => {
  it('opens an outage on down and closes it on up, with its duration and evidence', async () => {
    const h = await history()
    const vllm = target('vllm')
    expect(h.record(change('vllm', 'unknown', 'up', T0), vllm)).toEqual({})
    const { opened: open } = h.record(change('vllm', 'up', 'down', T0 + 10 * S, 'tcp refused twice'), vllm)
    expect(open).toMatchObject({
      target: 'vllm',
      kind: 'upstream',
      severity: 'down',
      started_at: '2026-03-01T12:00:10.000Z',
      ended_at: null,
      ongoing: true,
      duration_ms: 500,
      reason: 'tcp refused twice',
      host_outage_id: null,
      grouped: [],
      alerted: false,
    })
    expect(h.open(T0 + 12 * S)).toMatchObject([{ id: open!.id, duration_ms: 2000, ongoing: true }])
    const { closed } = h.record(change('vllm', 'down', 'up', T0 + 13_400), vllm)
    expect(closed).toMatchObject({
      id: open!.id,
      ended_at: '2026-03-01T12:00:13.400Z',
      duration_ms: 3400,
      ongoing: false,
    })
    expect(closed!.evidence.map((e) => e.ok)).toEqual([false, true])
    expect(h.open(T0 + 20 * S)).toEqual([])
  })

  it('keeps down and degraded as one outage at the worst severity; maintenance ends it', async () => {
    const h = await history()
    const asr = target('parakeet')
    const { opened: first } = h.record(change('parakeet', 'up', 'degraded', T0), asr)
    expect(first?.severity).toBe('degraded')
    expect(h.record(change('parakeet', 'degraded', 'down', T0 + 5 * S), asr)).toEqual({})
    expect(h.record(change('parakeet', 'down', 'degraded', T0 + 8 * S), asr)).toEqual({})
    const { closed } = h.record(change('parakeet', 'degraded', 'maintenance', T0 + 9 * S), asr)
    expect(closed).toMatchObject({ id: first!.id, severity: 'down', duration_ms: 9000 })
    expect(h.outages({ limit: 10, now: T0 + 60 * S })).toHaveLength(1)
  })

  it('lists newest first, by target and time range, and remembers which were alerted', async () => {
    const h = await history()
    for (const [i, id] of ['vllm', 'kokoro', 'vllm'].entries()) {
      const at = T0 + i * 60 * S
      h.record(change(id, 'up', 'down', at), target(id))
      h.record(change(id, 'down', 'up', at + 5 * S), target(id))
    }
    const now = T0 + 600 * S
    const all = h.outages({ limit: 10, now })
    expect(all.map((o) => [o.target, o.started_at])).toEqual([
      ['vllm', '2026-03-01T12:02:00.000Z'],
      ['kokoro', '2026-03-01T12:01:00.000Z'],
      ['vllm', '2026-03-01T12:00:00.000Z'],
    ])
    expect(h.outages({ target: 'vllm', limit: 10, now }).map((o) => o.started_at)).toEqual([
      '2026-03-01T12:02:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ])
    expect(
      h.outages({ since: T0 + 64 * S, until: T0 + 100 * S, limit: 10, now }).map((o) => o.target),
    ).toEqual(['kokoro'])
    expect(h.outages({ limit: 1, now })).toHaveLength(1)
    h.markAlerted(all[1]!.id)
    h.markAlerted('not-an-id')
    expect(h.outages({ limit: 10, now }).map((o) => o.alerted)).toEqual([false, true, false])
  })
})

describe('host outages', () => {
  const node = target('spark-2', { kind: 'node' })
  const onNode = (id: string) => target(id, { host: 'spark-2' })

  it('groups the outages that start while the node is down under it', async () => {
    const h = await history()
    const { opened: nodeOutage } = h.record(change('spark-2', 'up', 'down', T0), node)
    const { opened: qdrant } = h.record(change('qdrant', 'up', 'down', T0 + 2 * S), onNode('qdrant'))
    expect(qdrant?.host_outage_id).toBe(nodeOutage!.id)
    const { closed } = h.record(change('spark-2', 'down', 'up', T0 + 30 * S), node)
    expect(closed?.grouped).toEqual([qdrant!.id])
    // The node is back: a later outage of a service on it is its own.
    expect(
      h.record(change('qdrant', 'down', 'up', T0 + 31 * S), onNode('qdrant')).closed?.host_outage_id,
    ).toBe(nodeOutage!.id)
    const { opened: later } = h.record(change('qdrant', 'up', 'down', T0 + 40 * S), onNode('qdrant'))
    expect(later?.host_outage_id).toBeNull()
  })

  it('takes a service outage seen up to 5 s before the node was, not one seen earlier', async () => {
    const h = await history()
    const { opened: early } = h.record(change('embeddings', 'up', 'down', T0 - 10 * S), onNode('embeddings'))
    const { opened: justBefore } = h.record(change('qdrant', 'up', 'down', T0 - 4 * S), onNode('qdrant'))
    const { opened: elsewhere } = h.record(
      change('vllm', 'up', 'down', T0 - 1 * S),
      target('vllm', { host: 'spark-1' }),
    )
    const { opened: nodeOutage } = h.record(change('spark-2', 'up', 'down', T0), node)
    expect(nodeOutage?.grouped).toEqual([justBefore!.id])
    const byId = new Map(h.open(T0 + S).map((o) => [o.id, o.host_outage_id]))
    expect(byId.get(justBefore!.id)).toBe(nodeOutage!.id)
    expect(byId.get(early!.id)).toBeNull()
    expect(byId.get(elsewhere!.id)).toBeNull()
  })
})

describe('a monitor that stopped', () => {
  it('ends open spans and outages at its last heartbeat, and the time until the restart is unknown', async () => {
    const clock = { now: T0 }
    const first = await history(clock, 'restart.db')
    first.record(change('vllm', 'unknown', 'up', T0), target('vllm'))
    first.record(change('kokoro', 'unknown', 'down', T0), target('kokoro'))
    first.heartbeat(T0 + 3600 * S)
    // Killed, not closed: nothing after the heartbeat is written (afterEach closes the handle, after the checks).
    const crashedAt = T0 + 3605 * S
    clock.now = crashedAt + 3600 * S
    const second = await history(clock, 'restart.db')
    expect(second.open(clock.now)).toEqual([])
    const [outage] = second.outages({ target: 'kokoro', limit: 1, now: clock.now })
    expect(outage).toMatchObject({ ongoing: false, duration_ms: 3600 * S })
    expect(outage!.reason).toMatch(/the monitor stopped before it ended$/)
    const [vllm] = second.uptime(['vllm'], clock.now)
    expect(vllm!.day).toMatchObject({ up_s: 3600, unknown_s: 86_400 - 3600, uptime_pct: 100 })
  })

  it('closing writes a last heartbeat, so a clean stop ends what was open at that moment', async () => {
    const clock = { now: T0 }
    const first = await history(clock, 'clean.db')
    first.record(change('vllm', 'unknown', 'up', T0), target('vllm'))
    clock.now = T0 + 120 * S
    first.close()
    clock.now = T0 + 600 * S
    const second = await history(clock, 'clean.db')
    expect(second.uptime(['vllm'], clock.now)[0]!.day).toMatchObject({ up_s: 120, unknown_s: 86_400 - 120 })
  })
})

describe('retention', () => {
  it('prunes closed history older than the retention and keeps what is open', async () => {
    const h = await history()
    h.record(change('vllm', 'unknown', 'down', T0), target('vllm'))
    h.record(change('vllm', 'down', 'up', T0 + 5 * S), target('vllm'))
    h.record(change('kokoro', 'unknown', 'down', T0), target('kokoro'))
    const later = T0 + 31 * 86_400 * S
    expect(h.prune(T0 + 29 * 86_400 * S)).toBe(0)
    // Three transitions, vllm's closed span and closed outage; the open span and outage stay.
    expect(h.prune(later)).toBe(3 + 1 + 1)
    expect(h.outages({ limit: 10, now: later }).map((o) => o.target)).toEqual(['kokoro'])
    expect(h.uptime(['vllm'], later)[0]!.month.up_s).toBeGreaterThan(0)
  })
})
