import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SweepResult } from '../../../../shared/contracts/swap-controller.ts'
import { openSwapStore } from '../store/store.ts'
import { openSweepStore } from './sweep-store.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

const result = (id: string, status: SweepResult['status'] = 'running'): SweepResult => ({
  id,
  target: 'asr',
  url: 'http://127.0.0.1:8000',
  simulated: true,
  status,
  started_at: '2026-12-06T15:00:00.000Z',
  finished_at: null,
  cells: [],
  stopped_early: null,
  knee: null,
  recommended_limit: null,
  setting: 'SPEECH_LANE_ASR',
  reason: null,
})

describe('sweep store', () => {
  it('saves, updates in place, lists newest first and keeps only the newest', async () => {
    const store = await openSweepStore({ path: ':memory:', keep: 3 })
    for (const id of ['a', 'b', 'c', 'd']) store.save(result(id))
    store.save(result('c', 'done'))
    expect(store.list(10).map((r) => [r.id, r.status])).toEqual([
      ['d', 'running'],
      ['c', 'done'],
      ['b', 'running'],
    ])
    expect(store.get('a')).toBeNull()
    expect(store.get('c')?.status).toBe('done')
    store.close()
  })

  it('lives in the swap-controller database beside the main store, in its own migration scope', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweep-store-'))
    dirs.push(dir)
    const main = await openSwapStore({ dataDir: dir })
    const sweeps = await openSweepStore({ dataDir: dir })
    sweeps.save(result('x', 'done'))
    sweeps.close()
    main.close()
    const again = await openSweepStore({ dataDir: dir })
    expect(again.get('x')?.status).toBe('done')
    again.close()
  })
})
