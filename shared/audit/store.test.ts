import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../errors.ts'
import { type AuditStore, openAuditStore, openAuditStoreOrStandIn } from './store.ts'

const T0 = Date.parse('2026-03-01T10:00:00Z')
const logger = () => ({ warn: vi.fn(), error: vi.fn() })
let open: AuditStore[] = []
afterEach(() => {
  for (const s of open) s.close()
  open = []
})

async function store(maxRows?: number) {
  const s = await openAuditStore(':memory:', { logger: logger(), maxRows })
  open.push(s)
  return s
}

function seed(s: AuditStore) {
  s.record({ actor: 'alice', action: 'collection.create', target: 'notes', outcome: 'ok', atMs: T0 })
  s.record({
    actor: 'bob',
    action: 'collection.delete',
    target: 'notes',
    outcome: 'refused',
    atMs: T0 + 1000,
  })
  s.record({ actor: 'alice', action: 'settings.update', target: 'A,B', outcome: 'ok', atMs: T0 + 2000 })
  s.record({ actor: 'api', action: 'collections.x', target: 'other', outcome: 'failed', atMs: T0 + 3000 })
}

describe('audit store', () => {
  it('answers newest first with the entry shape of the swap history', async () => {
    const s = await store()
    seed(s)
    const all = s.query({ limit: 10 })
    expect(all.map((e) => e.action)).toEqual([
      'collections.x',
      'settings.update',
      'collection.delete',
      'collection.create',
    ])
    expect(all[3]).toMatchObject({
      at: '2026-03-01T10:00:00.000000+00:00',
      actor: 'alice',
      target: 'notes',
      dry_run: false,
      outcome: 'ok',
      duration_ms: null,
      detail: null,
    })
  })

  it('filters by actor, action prefix (whole words), target, outcome and time, and limits', async () => {
    const s = await store()
    seed(s)
    const actions = (q: Parameters<AuditStore['query']>[0]) => s.query(q).map((e) => e.action)
    expect(actions({ limit: 10, actor: 'alice' })).toEqual(['settings.update', 'collection.create'])
    // `collection` is a word: `collections.x` is not one of its actions.
    expect(actions({ limit: 10, actionPrefix: 'collection' })).toEqual([
      'collection.delete',
      'collection.create',
    ])
    expect(actions({ limit: 10, actionPrefix: 'collection.delete' })).toEqual(['collection.delete'])
    expect(actions({ limit: 10, actionPrefix: 'collection_' })).toEqual([])
    expect(actions({ limit: 10, target: 'notes', outcome: 'refused' })).toEqual(['collection.delete'])
    expect(actions({ limit: 10, sinceMs: T0 + 1000, untilMs: T0 + 2000 })).toEqual([
      'settings.update',
      'collection.delete',
    ])
    expect(actions({ limit: 1 })).toEqual(['collections.x'])
  })

  it('keeps only the newest rows (retention by count)', async () => {
    const s = await store(3)
    for (let i = 0; i < 7; i++)
      s.record({ actor: 'a', action: `n.${'x'.repeat(i + 1)}`, outcome: 'ok', atMs: T0 + i })
    expect(s.query({ limit: 100 }).map((e) => e.action)).toEqual(['n.xxxxxxx', 'n.xxxxxx', 'n.xxxxx'])
  })

  it('bounds long fields instead of refusing them', async () => {
    const s = await store()
    s.record({ actor: 'x'.repeat(500), action: 'a.b', outcome: 'ok', detail: 'd'.repeat(10_000) })
    const [entry] = s.query({ limit: 1 })
    expect(entry!.actor.length).toBe(64)
    expect(entry!.detail!.length).toBe(2000)
  })

  it('never throws into the caller: a failed write is logged and dropped', async () => {
    const log = logger()
    const s = await openAuditStore(':memory:', { logger: log })
    s.close()
    expect(() => s.record({ actor: 'a', action: 'x.y', outcome: 'ok' })).not.toThrow()
    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'x.y' }),
      'audit entry not written',
    )
  })

  describe('on a volume it cannot write', () => {
    let dir = ''
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    it('stands in: writes are logged, reads answer 503, the service still starts', async () => {
      dir = mkdtempSync(join(tmpdir(), 'audit-'))
      const log = logger()
      // A directory where the file should be: SQLite cannot open it.
      const s = await openAuditStoreOrStandIn(dir, { logger: log })
      expect(log.error).toHaveBeenCalled()
      expect(() => s.record({ actor: 'a', action: 'x.y', outcome: 'ok' })).not.toThrow()
      expect(log.warn).toHaveBeenCalled()
      expect(() => s.query({ limit: 1 })).toThrow(AppError)
    })
  })

  it('persists in the file it was given, under its own migration scope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'))
    try {
      const path = join(dir, 'svc.db')
      const first = await openAuditStore(path, { logger: logger() })
      first.record({ actor: 'a', action: 'x.y', outcome: 'ok' })
      first.close()
      const again = await openAuditStore(path, { logger: logger() })
      open.push(again)
      expect(again.query({ limit: 5 })).toHaveLength(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
