import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../shared/sqlite.ts'
import { HOUR_MS, type TypeCountStore } from '../domain/stats/counts.ts'
import { openTypeCounts, TYPE_COUNT_MIGRATIONS, type TypeCountOptions } from './type-counts.ts'

let root: string
let clock: number
const open: TypeCountStore[] = []
const T0 = Date.UTC(2026, 11, 6, 9)

async function counts(overrides: Partial<TypeCountOptions> = {}) {
  const s = await openTypeCounts({
    path: join(root, 'data', 'counts.db'),
    now: () => clock,
    flushEveryMs: 0,
    ...overrides,
  })
  open.push(s)
  return s
}

/** What is on disk, read through a second connection. */
async function rowsOnDisk() {
  const db = await openDatabase(join(root, 'data', 'counts.db'), { migrations: TYPE_COUNT_MIGRATIONS })
  try {
    return db.all<{ hour: number; grp: string; name: string; n: number }>(
      'SELECT hour, grp, name, n FROM type_counts ORDER BY hour, grp, name',
    )
  } finally {
    db.close()
  }
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'type-counts-'))
  clock = T0 + 10 * 60_000
})
afterEach(async () => {
  for (const s of open.splice(0)) s.close()
  vi.useRealTimers()
  await rm(root, { recursive: true, force: true })
})

describe('type counts', () => {
  it('adds each scrub to its hour, by type and Tier-1 kind, and counts the scrubs', async () => {
    const s = await counts()
    s.record(new Date(T0 + 60_000), { types: { PERSON: 2, EMAIL: 1 }, tier1: { ssn: 1 } })
    s.record(new Date(T0 + 59 * 60_000), { types: { PERSON: 1 }, tier1: {} })
    s.record(new Date(T0 + HOUR_MS), { types: { BTC_ADDR: 3 }, tier1: {} })
    expect(s.hours(T0, T0 + HOUR_MS)).toEqual([
      { hour: T0, scrubs: 2, types: { PERSON: 3, EMAIL: 1 }, tier1: { ssn: 1 } },
      { hour: T0 + HOUR_MS, scrubs: 1, types: { BTC_ADDR: 3 }, tier1: {} },
    ])
    expect(s.hours(T0 + HOUR_MS, T0 + HOUR_MS).map((b) => b.hour)).toEqual([T0 + HOUR_MS])
  })

  it('keeps the counts across a restart (close writes what is pending)', async () => {
    const first = await counts()
    first.record(new Date(T0), { types: { ORG: 4 }, tier1: { iban: 2 } })
    for (const s of open.splice(0)) s.close()
    const again = await counts()
    again.record(new Date(T0), { types: { ORG: 1 }, tier1: {} })
    expect(again.hours(T0, T0)).toEqual([{ hour: T0, scrubs: 2, types: { ORG: 5 }, tier1: { iban: 2 } }])
  })

  it('writes on its timer without a read', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const s = await counts({ flushEveryMs: 5000 })
    s.record(new Date(T0), { types: { PHONE: 1 }, tier1: {} })
    expect(await rowsOnDisk()).toEqual([])
    vi.advanceTimersByTime(5000)
    expect(await rowsOnDisk()).toEqual([
      { hour: T0, grp: 'scrubs', name: 'all', n: 1 },
      { hour: T0, grp: 'type', name: 'PHONE', n: 1 },
    ])
  })

  it('deletes hours older than the retention when it writes', async () => {
    const s = await counts({ retentionHours: 48 })
    s.record(new Date(T0 - 72 * HOUR_MS), { types: { DATE: 1 }, tier1: {} })
    s.record(new Date(T0 - 47 * HOUR_MS), { types: { AMOUNT: 1 }, tier1: {} })
    s.record(new Date(T0), { types: { URL: 1 }, tier1: {} })
    expect(s.hours(T0 - 100 * HOUR_MS, T0).map((b) => Object.keys(b.types))).toEqual([['AMOUNT'], ['URL']])
    expect((await rowsOnDisk()).some((r) => r.name === 'DATE')).toBe(false)
  })

  it('counts only type and kind names, never other text', async () => {
    const s = await counts()
    s.record(new Date(T0), {
      types: { PERSON: 1, 'Jane Doe': 1, '': 2, ['x'.repeat(41)]: 1, EMAIL: 0, PHONE: -1, URL: 1.5 },
      tier1: { card_number: 1, 'DROP TABLE': 1 },
    })
    expect(s.hours(T0, T0)).toEqual([
      { hour: T0, scrubs: 1, types: { PERSON: 1 }, tier1: { card_number: 1 } },
    ])
  })

  it('creates its file owner-only', async () => {
    const s = await counts()
    s.record(new Date(T0), { types: { LOC: 1 }, tier1: {} })
    s.hours(T0, T0)
    expect((await stat(join(root, 'data'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(root, 'data', 'counts.db'))).mode & 0o777).toBe(0o600)
  })
})
