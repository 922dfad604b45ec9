import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../shared/sqlite.ts'
import { MIGRATIONS } from './schema.ts'
import { openSwapStore, STORE_FILE, type SwapStore } from './store.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
let dir: string | undefined
const open: SwapStore[] = []

async function store() {
  dir ??= mkdtempSync(join(tmpdir(), 'swap-loads-'))
  const s = await openSwapStore({ dataDir: join(dir, 'data') })
  open.push(s)
  return s
}

afterEach(() => {
  for (const s of open.splice(0)) s.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('successful loads (the ETA history)', () => {
  it('keeps only ready, real loads of the recipe in the same mode, newest first, timed from the launch', async () => {
    const s = await store()
    const run = (id: string, minute: number, outcome: string, mode = 'solo', dryRun = false) => {
      const at = T0 + minute * 60_000
      s.loads.start({ id, recipe: 'qwen3', mode, dryRun, startedAtMs: at })
      const phases = {
        draining: 2,
        stopping: 20,
        'verifying-stopped': 1,
        starting: 1,
        loading: 15,
        warming: 5,
      }
      s.loads.finish(id, { outcome, endedAtMs: at + 44_000, phases })
    }
    run('ok1', 0, 'ready')
    run('oom', 1, 'failed')
    run('back', 2, 'rolled_back')
    run('stop', 3, 'cancelled')
    run('dry', 4, 'ready', 'solo', true)
    run('two', 5, 'ready', 'cluster')
    run('ok2', 6, 'ready')
    s.loads.start({ id: 'live', recipe: 'qwen3', mode: 'solo', startedAtMs: T0 + 7 * 60_000 })

    const loads = await s.loads.successfulLoads('qwen3', 'solo', 10)
    expect(loads.map((l) => l.started_at)).toEqual([
      '2026-03-01T12:06:00.000000+00:00',
      '2026-03-01T12:00:00.000000+00:00',
    ])
    // 44 s in all, of which 21 s from the launch to ready: the drain and teardown are not the load.
    expect(loads[0]).toMatchObject({ outcome: 'ready', mode: 'solo', total_s: 44, load_s: 21 })
    expect((await s.loads.successfulLoads('qwen3', 'cluster', 10)).map((l) => l.mode)).toEqual(['cluster'])
    expect(await s.loads.successfulLoads('qwen3', 'solo', 1)).toHaveLength(1)
    // The catalog's history column still shows every outcome.
    expect((await s.loads.recentLoads('qwen3', 10)).map((l) => l.outcome)).toContain('failed')
  })

  it('opens a database written before modes were recorded: its old loads stay, and teach no ETA', async () => {
    dir = mkdtempSync(join(tmpdir(), 'swap-loads-'))
    const path = join(dir, 'data', STORE_FILE)
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(dir, 'data'), { recursive: true })
    const old = await openDatabase(path, { migrations: MIGRATIONS.slice(0, 3) })
    old.run(
      `INSERT INTO swap_records (id, seq, recipe, dry_run, started_at_ms, ended_at_ms, outcome, total_s, phases)
       VALUES ('old', 1, 'qwen3', 0, ?, ?, 'ready', 80, '{}')`,
      [T0, T0 + 80_000],
    )
    old.close()
    const s = await store()
    expect(s.loads.get('old')).toMatchObject({ outcome: 'ready', total_s: 80 })
    expect(await s.loads.successfulLoads('qwen3', 'solo', 10)).toEqual([])
  })
})
