import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import type { Target } from '../ports.ts'
import { createMaintenance, MAX_WINDOWS } from './maintenance.ts'
import type { MaintenanceStore, StoredWindow } from './ports.ts'

/** The store port in memory, counting writes so a test can see what reached it. */
function memoryStore(initial: StoredWindow[] = []): MaintenanceStore & { rows: StoredWindow[] } {
  const rows = [...initial]
  return {
    rows,
    all: () => [...rows].sort((a, b) => a.startsAt - b.startsAt),
    insert: (w) => void rows.push(w),
    remove(id) {
      const i = rows.findIndex((w) => w.id === id)
      if (i >= 0) rows.splice(i, 1)
      return i >= 0
    },
    removeEnded(now) {
      const before = rows.length
      for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.endsAt <= now) rows.splice(i, 1)
      return before - rows.length
    },
  }
}

const target = (id: string, host: string | null = null): Target => ({
  id,
  kind: host ? 'upstream' : 'service',
  title: id,
  host,
  legacySubject: null,
  origins: [],
  disabled: false,
})

const T0 = Date.parse('2026-12-06T12:00:00Z')
const at = (s: number) => new Date(T0 + s * 1000).toISOString()
let ids = 0
const make = (store = memoryStore()) => ({ store, m: createMaintenance({ store, newId: () => `w${++ids}` }) })

describe('owner windows', () => {
  it('covers the named targets between start and end, and reports when it ends', () => {
    const { m } = make()
    const w = m.add({ targets: ['kokoro'], starts_at: at(60), ends_at: at(120), reason: 'disk swap' }, T0)
    expect(w).toMatchObject({ targets: ['kokoro'], starts_at: at(60), ends_at: at(120), source: 'owner' })
    expect(m.active(target('kokoro'), T0 + 59_999)).toBeNull()
    expect(m.active(target('kokoro'), T0 + 60_000)).toEqual({ reason: 'disk swap', until: T0 + 120_000 })
    expect(m.active(target('parakeet'), T0 + 60_000)).toBeNull()
    expect(m.active(target('kokoro'), T0 + 120_000)).toBeNull()
  })

  it('starts now when no start is given; `*` covers every target; a node covers what runs on it', () => {
    const { m } = make()
    m.add({ targets: ['*'], ends_at: at(10), reason: 'all' }, T0)
    expect(m.active(target('gateway'), T0)).toMatchObject({ reason: 'all' })
    m.add({ targets: ['spark-2'], ends_at: at(100), reason: 'reboot spark-2' }, T0)
    expect(m.active(target('parakeet', 'spark-2'), T0 + 20_000)).toMatchObject({ reason: 'reboot spark-2' })
    expect(m.active(target('vllm', 'spark-1'), T0 + 20_000)).toBeNull()
  })

  it('answers the window that lasts longest when several cover a target', () => {
    const { m } = make()
    m.add({ targets: ['qdrant'], ends_at: at(30), reason: 'short' }, T0)
    m.add({ targets: ['*'], ends_at: at(90), reason: 'long' }, T0)
    expect(m.active(target('qdrant'), T0)).toEqual({ reason: 'long', until: T0 + 90_000 })
  })

  it('lists current and future windows, and drops the expired ones from the store too', () => {
    const { m, store } = make()
    m.add({ targets: ['a'], ends_at: at(10), reason: 'soon over' }, T0)
    m.add({ targets: ['b'], starts_at: at(100), ends_at: at(200), reason: 'later' }, T0)
    expect(m.windows(T0).map((w) => w.reason)).toEqual(['soon over', 'later'])
    expect(m.windows(T0 + 10_000).map((w) => w.reason)).toEqual(['later'])
    expect(store.rows.map((w) => w.reason)).toEqual(['later'])
  })

  it('keeps what the store held before (a restart)', () => {
    const store = memoryStore([
      { id: 'old', targets: ['vllm'], startsAt: T0, endsAt: T0 + 5000, reason: 'kept' },
    ])
    const { m } = make(store)
    expect(m.active(target('vllm'), T0 + 1000)).toEqual({ reason: 'kept', until: T0 + 5000 })
  })

  it('removes a window by id, and says when there was none', () => {
    const { m, store } = make()
    const w = m.add({ targets: ['a'], ends_at: at(10), reason: 'x' }, T0)
    expect(m.remove(w.id)).toBe(true)
    expect(m.remove(w.id)).toBe(false)
    expect(m.active(target('a'), T0)).toBeNull()
    expect(store.rows).toEqual([])
  })

  it('refuses a window that ends before it starts, one already over, and a date that is not one', () => {
    const { m, store } = make()
    const refused = (request: Parameters<typeof m.add>[0]) => {
      try {
        m.add(request, T0)
      } catch (err) {
        return err as AppError
      }
      throw new Error('accepted')
    }
    expect(refused({ targets: ['a'], starts_at: at(20), ends_at: at(10), reason: 'x' })).toMatchObject({
      status: 422,
      issues: [{ field: 'body.ends_at', message: 'must be after starts_at' }],
    })
    expect(refused({ targets: ['a'], starts_at: at(-20), ends_at: at(-10), reason: 'x' })).toMatchObject({
      status: 422,
      issues: [{ message: 'is already past' }],
    })
    expect(refused({ targets: ['a'], ends_at: 'tomorrow', reason: 'x' }).status).toBe(422)
    expect(store.rows).toEqual([])
  })

  it(`keeps at most ${MAX_WINDOWS} windows`, () => {
    const { m } = make()
    for (let i = 0; i < MAX_WINDOWS; i++) m.add({ targets: ['a'], ends_at: at(60), reason: `w${i}` }, T0)
    expect(() => m.add({ targets: ['a'], ends_at: at(60), reason: 'one more' }, T0)).toThrow(AppError)
  })
})

describe('the swap', () => {
  it('puts vllm, and only vllm, under maintenance until it ends, shown as an open-ended window', () => {
    const { m } = make()
    m.setSwap('qwen3 (loading)', T0)
    expect(m.active(target('vllm', 'spark-1'), T0 + 5000)).toEqual({
      reason: 'swap: qwen3 (loading)',
      until: null,
    })
    expect(m.active(target('spark-1'), T0 + 5000)).toBeNull()
    expect(m.active(target('parakeet', 'spark-1'), T0 + 5000)).toBeNull()
    m.setSwap('qwen3 (warming)', T0 + 9000)
    expect(m.windows(T0 + 9000)).toEqual([
      {
        id: 'swap',
        targets: ['vllm'],
        starts_at: at(0),
        ends_at: null,
        reason: 'swap: qwen3 (warming)',
        source: 'swap',
      },
    ])
    m.setSwap(null, T0 + 10_000)
    expect(m.active(target('vllm'), T0 + 10_000)).toBeNull()
    expect(m.windows(T0 + 10_000)).toEqual([])
  })
})
