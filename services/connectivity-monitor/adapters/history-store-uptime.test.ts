import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { seededRandom } from '../../../shared/random.ts'
import { type Database, openDatabase } from '../../../shared/sqlite.ts'
import { UPTIME_WINDOWS_MS } from '../domain/history/uptime.ts'
import type { History, TargetState } from '../domain/ports.ts'
import { openHistory } from './history-store.ts'
import { change, target } from './history-store-fixtures.ts'
import { HISTORY_MIGRATIONS, HISTORY_SCOPE } from './history-store-schema.ts'
import { spanSumsPlan } from './history-store-uptime.ts'

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0)
const S = 1000
const HOUR = 3600 * S
const DAY = 24 * HOUR
let dir: string
const handles: Array<History | Database> = []

async function open() {
  dir = mkdtempSync(join(tmpdir(), 'monitor-uptime-'))
  const path = join(dir, 'monitor.db')
  const history = await openHistory({ path, retentionDays: 400, logger: silentLogger(), now: () => NOW })
  // A second connection writes a year of spans in one transaction (the store writes them one by one).
  const raw = await openDatabase(path, { migrations: HISTORY_MIGRATIONS, scope: HISTORY_SCOPE })
  handles.push(history, raw)
  return { history, raw }
}

afterEach(() => {
  for (const h of handles.splice(0)) h.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('uptime', () => {
  it('weighs each state by time in the window; before the first span is unknown; open spans run to now', async () => {
    const { history } = await open()
    const vllm = target('vllm')
    history.record(change('vllm', 'unknown', 'up', NOW - 10 * HOUR), vllm)
    history.record(change('vllm', 'up', 'busy', NOW - 4 * HOUR), vllm)
    history.record(change('vllm', 'busy', 'down', NOW - 3 * HOUR), vllm)
    history.record(change('vllm', 'down', 'maintenance', NOW - 2 * HOUR), vllm)
    history.record(change('vllm', 'maintenance', 'up', NOW - HOUR), vllm)
    const [figures] = history.uptime(['vllm'], NOW)
    expect(figures!.day).toEqual({
      from: '2026-02-28T12:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
      up_s: 7 * 3600,
      busy_s: 3600,
      degraded_s: 0,
      down_s: 3600,
      maintenance_s: 3600,
      unknown_s: 14 * 3600,
      uptime_pct: 88.889,
      outages: 1,
    })
    expect(figures!.week).toMatchObject({ up_s: 7 * 3600, unknown_s: 7 * 24 * 3600 - 10 * 3600, outages: 1 })
    expect(history.uptime(['nobody'], NOW)[0]!.month).toMatchObject({
      uptime_pct: null,
      unknown_s: 30 * 86_400,
    })
  })

  it('counts outages that overlap each window, the ongoing one too', async () => {
    const { history } = await open()
    const asr = target('parakeet')
    history.record(change('parakeet', 'unknown', 'down', NOW - 10 * DAY), asr)
    history.record(change('parakeet', 'down', 'up', NOW - 10 * DAY + 5 * S), asr)
    history.record(change('parakeet', 'up', 'down', NOW - 25 * HOUR), asr)
    history.record(change('parakeet', 'down', 'up', NOW - 23 * HOUR), asr)
    history.record(change('parakeet', 'up', 'degraded', NOW - 60 * S), asr)
    const [figures] = history.uptime(['parakeet'], NOW)
    expect([figures!.day.outages, figures!.week.outages, figures!.month.outages]).toEqual([2, 2, 3])
    expect(figures!.day.down_s).toBe(3600)
    expect(figures!.day.degraded_s).toBe(60)
  })

  it('sums a year of 10 000 spans in SQL over an index range, matching a span-by-span count', async () => {
    const { history, raw } = await open()
    const states: TargetState[] = ['up', 'up', 'up', 'busy', 'degraded', 'down', 'maintenance', 'unknown']
    const random = seededRandom(7)
    const spans: Array<{ state: TargetState; start: number; end: number | null }> = []
    let at = NOW - 365 * DAY
    for (let i = 0; i < 10_000; i++) {
      const length = Math.round(random() * 6300 * S)
      // Some gaps: the monitor was not running.
      const gap = random() < 0.05 ? Math.round(random() * HOUR) : 0
      const last = i === 9_999
      spans.push({
        state: states[Math.floor(random() * states.length)]!,
        start: at + gap,
        end: last ? null : at + gap + length,
      })
      at += gap + length
    }
    raw.transaction(() => {
      for (const s of spans)
        for (const id of ['vllm', 'kokoro'])
          raw.run('INSERT INTO spans (target, state, started_at, ended_at) VALUES (?, ?, ?, ?)', [
            id,
            s.state,
            s.start,
            s.end,
          ])
    })
    const expected = (period: keyof typeof UPTIME_WINDOWS_MS) => {
      const from = NOW - UPTIME_WINDOWS_MS[period]
      const ms: Partial<Record<TargetState, number>> = {}
      for (const s of spans) {
        const part = Math.max(0, Math.min(s.end ?? NOW, NOW) - Math.max(s.start, from))
        ms[s.state] = (ms[s.state] ?? 0) + part
      }
      return ms
    }
    const started = performance.now()
    const [vllm] = history.uptime(['vllm'], NOW)
    const elapsedMs = performance.now() - started
    for (const period of ['day', 'week', 'month'] as const) {
      const ms = expected(period)
      expect(vllm![period].up_s).toBeCloseTo((ms.up ?? 0) / 1000, 3)
      expect(vllm![period].down_s).toBeCloseTo((ms.down ?? 0) / 1000, 3)
      const known = ['up', 'busy', 'degraded', 'down', 'maintenance'].reduce(
        (sum, s) => sum + (ms[s as TargetState] ?? 0),
        0,
      )
      expect(vllm![period].unknown_s).toBeCloseTo((UPTIME_WINDOWS_MS[period] - known) / 1000, 3)
    }
    // Reads the target's spans that end inside the month (an index range), not every span of the year.
    expect(spanSumsPlan(raw).join(' | ')).toMatch(
      /USING INDEX spans_target_end \(target=\? AND ended_at>\?\)/,
    )
    // Generous for a shared 2-core machine; a scan of both targets' 20 000 rows in JS would still pass, the plan would not.
    expect(elapsedMs).toBeLessThan(250)
  })
})
