import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../shared/sqlite.ts'
import { createCoordination } from '../../domain/coordination/service.ts'
import { hashToken } from '../../domain/coordination/token.ts'
import { MIGRATIONS } from './schema.ts'
import { openSwapStore, STORE_FILE, type StoreLimits, type SwapStore } from './store.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
let dir: string | undefined
const open: SwapStore[] = []

async function fileStore(limits?: Partial<StoreLimits>) {
  dir ??= mkdtempSync(join(tmpdir(), 'swap-store-'))
  const store = await openSwapStore({ dataDir: join(dir, 'data'), limits })
  open.push(store)
  return store
}

afterEach(() => {
  for (const s of open.splice(0)) s.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('the swap-controller database', () => {
  it('lives at <DATA_DIR>/swap-controller.db, owner-only', async () => {
    const store = await fileStore()
    expect(store.path).toBe(join(dir!, 'data', STORE_FILE))
    expect(statSync(store.path).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir!, 'data')).mode & 0o777).toBe(0o700)
  })

  it('keeps the lock across a restart, with only the token hash on disk', async () => {
    const first = await fileStore()
    let now = T0
    const granted = createCoordination({ store: first, clock: () => now }).acquireLock(
      { holder: 'batch', note: 'n' },
      { actor: 'api' },
    )
    first.close()
    const bytes = readdirSync(join(dir!, 'data'))
      .map((f) => readFileSync(join(dir!, 'data', f)).toString('latin1'))
      .join('')
    expect(bytes).not.toContain(granted.token)
    expect(bytes).toContain(hashToken(granted.token))

    const again = await fileStore()
    now = T0 + 60_000
    const coordination = createCoordination({ store: again, clock: () => now })
    expect(coordination.lockState()).toMatchObject({
      held: true,
      holder: 'batch',
      note: 'n',
      seconds_remaining: 840,
    })
    expect(() => coordination.assertSwapAllowed()).toThrow(/held by batch/)
    expect(() => coordination.assertSwapAllowed(granted.token)).not.toThrow()
    expect(coordination.releaseLock({ token: granted.token }, { actor: 'api' })).toEqual({ held: false })
    expect(again.lock.read()).toBeNull()
  })

  it('refuses to store anything but a SHA-256 digest as the lock token', async () => {
    const store = await fileStore()
    expect(() =>
      store.lock.write({
        holder: 'x',
        note: null,
        acquiredAtMs: T0,
        expiresAtMs: T0 + 1,
        tokenHash: 'plain-token',
      }),
    ).toThrow(/digest/)
  })

  it('keeps schedule entries and audit rows across a restart', async () => {
    const first = await fileStore()
    const c1 = createCoordination({ store: first, clock: () => T0 })
    c1.putSchedule({ id: 'nightly', holder: 'batch', cron: '0 2 * * *' }, { actor: 'ops' })
    first.close()
    const c2 = createCoordination({ store: await fileStore(), clock: () => T0 })
    expect(c2.listSchedule()).toMatchObject([{ id: 'nightly', holder: 'batch', cron: '0 2 * * *' }])
    expect(c2.history(5)).toMatchObject([{ action: 'schedule.add', actor: 'ops', target: 'nightly' }])
  })
})

describe('audit log', () => {
  it('is bounded by count, dropping the oldest rows', async () => {
    const store = await fileStore({ auditRows: 5 })
    for (let i = 0; i < 12; i++)
      store.audit.append({ actor: 'api', action: `a${i}`, outcome: 'ok', atMs: T0 + i })
    expect(store.audit.recent(100).map((r) => r.action)).toEqual(['a11', 'a10', 'a9', 'a8', 'a7'])
  })

  it('clips long free text instead of refusing it', async () => {
    const store = await fileStore()
    const row = store.audit.append({
      actor: 'x'.repeat(500),
      action: 'swap.start',
      outcome: 'ok',
      detail: 'd'.repeat(10_000),
      atMs: T0,
    })
    expect(row.actor).toHaveLength(64)
    expect(row.detail).toHaveLength(2000)
  })
})

describe('swap records and LoadHistory', () => {
  it('records a swap and reports finished real loads of a recipe, newest first', async () => {
    const store = await fileStore()
    const at = (min: number) => T0 + min * 60_000
    store.loads.start({ id: 's1', recipe: 'qwen3', model: 'Qwen/Qwen3', fromModel: null, startedAtMs: at(0) })
    store.loads.finish('s1', {
      outcome: 'ready',
      endedAtMs: at(0) + 95_500,
      phases: { stopping: 4.2, loading: 80.1234, warming: 11.2 },
    })
    store.loads.start({ id: 's2', recipe: 'qwen3', startedAtMs: at(10) })
    const oom = { logExcerpt: 'CUDA out of memory', error: 'OOM' }
    store.loads.finish('s2', {
      outcome: 'failed',
      endedAtMs: at(10) + 30_000,
      phases: { loading: 30 },
      ...oom,
    })
    store.loads.start({ id: 's3', recipe: 'qwen3', startedAtMs: at(20) })
    store.loads.start({ id: 's4', recipe: 'qwen3', dryRun: true, startedAtMs: at(30) })
    store.loads.finish('s4', { outcome: 'ready', endedAtMs: at(30) + 1, phases: {} })
    store.loads.start({ id: 's5', recipe: 'other', startedAtMs: at(40) })
    store.loads.finish('s5', { outcome: 'ready', endedAtMs: at(41), phases: {} })

    expect(await store.loads.recentLoads('qwen3', 10)).toEqual([
      {
        started_at: '2026-03-01T12:10:00.000000+00:00',
        outcome: 'failed',
        total_s: 30,
        phases: { loading: 30 },
      },
      {
        started_at: '2026-03-01T12:00:00.000000+00:00',
        outcome: 'ready',
        total_s: 95.5,
        phases: { stopping: 4.2, loading: 80.123, warming: 11.2 },
      },
    ])
    expect(await store.loads.recentLoads('qwen3', 1)).toHaveLength(1)
    expect(await store.loads.recentLoads('missing', 5)).toEqual([])
    expect(store.loads.get('s2')).toMatchObject({
      log_excerpt: 'CUDA out of memory',
      error: 'OOM',
      ended_at: '2026-03-01T12:10:30.000000+00:00',
    })
    expect(store.loads.get('s3')).toMatchObject({ outcome: 'running', ended_at: null, total_s: null })
    expect(store.loads.finish('nope', { outcome: 'ready', endedAtMs: T0, phases: {} })).toBe(false)
  })

  it('closes a record left running by a process that died mid-swap, at the next open', async () => {
    const first = await fileStore()
    first.loads.start({ id: 'swp_dead', recipe: 'big', model: 'big', fromModel: null, startedAtMs: T0 })
    first.loads.start({ id: 'swp_done', recipe: 'big', model: 'big', fromModel: null, startedAtMs: T0 + 1 })
    first.loads.finish('swp_done', { outcome: 'ready', endedAtMs: T0 + 60_000, phases: {} })
    first.close()
    const second = await fileStore()
    expect(second.loads.get('swp_dead')).toMatchObject({
      outcome: 'interrupted',
      error: expect.stringMatching(/stopped during this swap/),
    })
    expect(second.loads.get('swp_done')).toMatchObject({ outcome: 'ready' })
    // Not a load to learn an ETA from.
    expect((await second.loads.recentLoads('big', 10)).map((l) => l.outcome)).toEqual(['ready'])
  })

  it('keeps the tail of a long log excerpt and a bounded number of records', async () => {
    const store = await fileStore({ swapRecords: 3 })
    for (let i = 0; i < 5; i++) store.loads.start({ id: `s${i}`, recipe: 'r', startedAtMs: T0 + i })
    expect(store.loads.get('s1')).toBeUndefined()
    store.loads.finish('s4', {
      outcome: 'failed',
      endedAtMs: T0 + 10,
      phases: {},
      logExcerpt: `${'a'.repeat(100_000)}THE END`,
    })
    const excerpt = store.loads.get('s4')!.log_excerpt!
    expect(excerpt.length).toBe(64 * 1024)
    expect(excerpt.endsWith('THE END')).toBe(true)
  })
})

describe('webhook outbox', () => {
  it('hands out due items, reschedules retries and forgets finished ones', async () => {
    const store = await fileStore()
    const a = store.outbox.enqueue('swap_complete', '{"a":1}', T0)
    const b = store.outbox.enqueue('swap_failed', '{"b":2}', T0 + 5)
    expect(store.outbox.due(T0, 10).map((i) => i.id)).toEqual([a])
    expect(store.outbox.nextDueAtMs()).toBe(T0)
    store.outbox.markRetry(a, 1, T0 + 1000, 'ECONNREFUSED')
    expect(store.outbox.due(T0 + 10, 10).map((i) => i.id)).toEqual([b])
    store.outbox.markDelivered(b, T0 + 10, 1)
    expect(store.outbox.nextDueAtMs()).toBe(T0 + 1000)
    expect(store.outbox.due(T0 + 1000, 10)).toEqual([
      { id: a, event: 'swap_complete', body: '{"a":1}', attempts: 1, nextAttemptAtMs: T0 + 1000 },
    ])
    store.outbox.markFailed(a, 8, 'HTTP 500')
    expect(store.outbox.nextDueAtMs()).toBeNull()
  })

  it('is bounded: the oldest rows go when it is full', async () => {
    const store = await fileStore({ outboxRows: 3 })
    const ids = Array.from({ length: 5 }, (_, i) => store.outbox.enqueue('swap_complete', `{"n":${i}}`, T0))
    expect(store.outbox.due(T0, 10).map((i) => i.id)).toEqual(ids.slice(2))
  })
})

describe('download jobs', () => {
  const view = (id: string, status: 'running' | 'done' = 'running') => ({
    download_id: id,
    repo: 'org/name',
    status,
    percent: status === 'done' ? 100 : 10,
    started_at: '2026-03-01T12:00:00.000Z',
    finished_at: null,
    actor: 'ops',
    error: null,
    nodes: [],
  })

  it('keeps each job once, updated in place, across a restart, newest last and bounded', async () => {
    const first = await fileStore({ downloadJobs: 3 })
    for (const id of ['dl_1', 'dl_2', 'dl_3', 'dl_4']) first.downloads.save(view(id))
    first.downloads.save(view('dl_3', 'done'))
    first.close()
    const again = await fileStore()
    expect(again.downloads.recent(10).map((v) => [v.download_id, v.status])).toEqual([
      ['dl_2', 'running'],
      ['dl_3', 'done'],
      ['dl_4', 'running'],
    ])
    expect(again.downloads.recent(1).map((v) => v.download_id)).toEqual(['dl_4'])
  })
  it('skips a row that does not hold a job (a hand-edited file) instead of failing', async () => {
    const first = await fileStore()
    first.downloads.save(view('dl_1'))
    const path = first.path
    first.close()
    const raw = await openDatabase(path, { migrations: MIGRATIONS })
    raw.run("INSERT INTO download_jobs (id, view) VALUES ('x', 'not json'), ('y', '{\"repo\": 1}')")
    raw.close()
    expect((await fileStore()).downloads.recent(10).map((v) => v.download_id)).toEqual(['dl_1'])
  })
})
