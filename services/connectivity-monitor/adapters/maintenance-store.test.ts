import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../shared/sqlite.ts'
import { createMaintenance } from '../domain/maintenance/maintenance.ts'
import type { Target } from '../domain/ports.ts'
import { openMaintenanceStore } from './maintenance-store.ts'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

function freshPath() {
  const dir = mkdtempSync(join(tmpdir(), 'maintenance-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'connectivity-monitor.db')
}

const T0 = Date.parse('2026-12-06T12:00:00Z')
const target: Target = {
  id: 'vllm',
  kind: 'upstream',
  title: 'vLLM',
  host: 'spark-1',
  legacySubject: 'vllm',
  origins: [],
  disabled: false,
}

describe('maintenance store', () => {
  it('keeps owner windows across a restart, and forgets the removed and the ended', async () => {
    const path = freshPath()
    const first = await openMaintenanceStore(path)
    const before = createMaintenance({ store: first })
    const kept = before.add(
      { targets: ['vllm', 'qdrant'], ends_at: '2026-12-06T13:00:00Z', reason: 'upgrade' },
      T0,
    )
    const removed = before.add({ targets: ['*'], ends_at: '2026-12-06T14:00:00Z', reason: 'gone' }, T0)
    before.add({ targets: ['kokoro'], ends_at: '2026-12-06T12:00:05Z', reason: 'short' }, T0)
    expect(before.remove(removed.id)).toBe(true)
    first.close()

    const second = await openMaintenanceStore(path)
    cleanups.push(() => second.close())
    const after = createMaintenance({ store: second })
    expect(after.windows(T0 + 10_000)).toEqual([kept])
    expect(after.active(target, T0 + 10_000)).toEqual({
      reason: 'upgrade',
      until: Date.parse('2026-12-06T13:00:00Z'),
    })
    expect(second.all().map((w) => w.reason)).toEqual(['upgrade'])
  })

  it('shares the file with another part that migrates its own tables through its own connection', async () => {
    const path = freshPath()
    const other = await openDatabase(path, {
      migrations: ['CREATE TABLE outages (id TEXT)', 'CREATE TABLE spans (id TEXT)'],
    })
    cleanups.push(() => other.close())
    const store = await openMaintenanceStore(path)
    cleanups.push(() => store.close())
    store.insert({ id: 'w1', targets: ['a'], startsAt: 1, endsAt: 2, reason: 'r' })
    other.run('INSERT INTO outages (id) VALUES (?)', ['o1'])
    expect(store.all()).toHaveLength(1)
    expect(other.get('SELECT journal_mode AS mode FROM pragma_journal_mode')).toEqual({ mode: 'wal' })
    expect(store.removeEnded(2)).toBe(1)
    expect(store.remove('w1')).toBe(false)
  })
})
