import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError, conflict } from '../../../../shared/errors.ts'
import { deferred } from '../../../../shared/testing/deferred.ts'
import { openSwapStore, type SwapStore } from '../../adapters/store/store.ts'
import { lockedCoordination, testRecipe } from '../../testing/engine-parts.ts'
import type { AuditInput } from '../coordination/ports.ts'
import { createSwapEngine, type SystemStopRequest } from './engine.ts'
import type { ClusterDriver } from './ports.ts'
import {
  CLEANUP_ACTOR,
  type CleanupResult,
  cleanUpInterruptedSwap,
  type LastSwap,
  type StartupCleanupDeps,
} from './startup-cleanup.ts'

const interrupted: LastSwap = {
  id: 'swap_1',
  recipe: 'new',
  model: 'new-model',
  leftOnNodes: true,
  cleanupAtMs: null,
}

function fakes(last: LastSwap | undefined, over: Partial<StartupCleanupDeps> = {}) {
  const audits: AuditInput[] = []
  const stops: SystemStopRequest[] = []
  const marked: string[] = []
  const deps: StartupCleanupDeps = {
    records: { newest: () => last, markCleanedUp: (id) => void marked.push(id) },
    loadedModels: async () => [],
    engine: {
      systemStop: async (req) => {
        stops.push(req)
        return {} as never
      },
    },
    audit: (e) => void audits.push(e),
    budgetMs: 5000,
    retryMs: 1,
    ...over,
  }
  return { deps, audits, stops, marked }
}

describe('start-up cleanup (fakes)', () => {
  it.each([
    ['no swap yet', undefined],
    ['the newest swap left nothing', { ...interrupted, leftOnNodes: false }],
    ['an earlier start cleaned it', { ...interrupted, cleanupAtMs: 1 }],
  ])('does nothing when %s', async (_why, last) => {
    const f = fakes(last, { loadedModels: () => Promise.reject(new Error('must not be asked')) })
    expect(await cleanUpInterruptedSwap(f.deps)).toEqual({ kind: 'nothing' })
    expect([f.audits, f.stops, f.marked]).toEqual([[], [], []])
  })

  it('tears down as the controller itself when vLLM serves nothing, and marks the record', async () => {
    const f = fakes(interrupted)
    expect(await cleanUpInterruptedSwap(f.deps)).toEqual({ kind: 'cleaned' })
    expect(f.stops).toEqual([
      expect.objectContaining({ actor: CLEANUP_ACTOR, action: 'swap.cleanup', target: 'new' }),
    ])
    expect(f.stops[0]!.doneDetail).toBe(
      'Removed what the load of new-model interrupted by a shutdown left on the nodes; teardown verified.',
    )
    expect(f.marked).toEqual(['swap_1'])
  })

  it.each([
    [
      'new-model',
      'Nothing removed: the load of new-model interrupted by a shutdown finished by itself, and vLLM serves it.',
    ],
    [
      'other-model',
      'Nothing removed: vLLM serves other-model, ready, so the load of new-model interrupted by a shutdown is no longer there.',
    ],
  ])('leaves the nodes alone when vLLM serves %s, ready', async (serving, detail) => {
    const f = fakes(interrupted, { loadedModels: async () => [serving] })
    expect(await cleanUpInterruptedSwap(f.deps)).toEqual({ kind: 'left-alone', serving })
    expect(f.stops).toEqual([])
    expect(f.audits).toEqual([
      { actor: CLEANUP_ACTOR, action: 'swap.cleanup', target: 'new', outcome: 'ok', detail },
    ])
    expect(f.marked).toEqual(['swap_1'])
  })

  it('asks vLLM again after one failed answer before taking it as serving nothing', async () => {
    const answers = [() => Promise.reject(new Error('connection reset')), async () => ['new-model']]
    const f = fakes(interrupted, { loadedModels: () => answers.shift()!() })
    expect(await cleanUpInterruptedSwap(f.deps)).toMatchObject({ kind: 'left-alone' })
    const down = fakes(interrupted, { loadedModels: () => Promise.reject(new Error('refused')) })
    expect(await cleanUpInterruptedSwap(down.deps)).toEqual({ kind: 'cleaned' })
  })

  it('is not needed when a swap or stop began first: audited and marked', async () => {
    const f = fakes(interrupted, {
      engine: { systemStop: () => Promise.reject(conflict('A swap to other is in progress.')) },
    })
    expect(await cleanUpInterruptedSwap(f.deps)).toMatchObject({ kind: 'not-done' })
    expect(f.audits).toEqual([expect.objectContaining({ action: 'swap.cleanup', outcome: 'cancelled' })])
    expect(f.marked).toEqual(['swap_1'])
  })

  it('a failure the stop did not audit is audited here and left for the next start', async () => {
    const f = fakes(interrupted, {
      engine: { systemStop: () => Promise.reject(new Error('SSH to spark-1 failed')) },
    })
    expect(await cleanUpInterruptedSwap(f.deps)).toMatchObject({ kind: 'not-done' })
    expect(f.audits).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        detail: 'Not finished (it is tried again at the next start): SSH to spark-1 failed',
      }),
    ])
    expect(f.marked).toEqual([])
    const unverified = new AppError(502, 'teardown_not_verified', 'Stop failed: vllm_node still listed.')
    const g = fakes(interrupted, { engine: { systemStop: () => Promise.reject(unverified) } })
    await cleanUpInterruptedSwap(g.deps)
    expect([g.audits, g.marked]).toEqual([[], []])
  })
})

const stores: SwapStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

/** The real engine and store, the driver faked; `lock.locked` holds the swap lock. */
async function realParts(lock = { locked: false }) {
  const store = await openSwapStore({ path: ':memory:' })
  stores.push(store)
  const audits: Record<string, unknown>[] = []
  const teardowns: string[] = []
  const loading = deferred()
  const driver: ClusterDriver = {
    memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 2 ** 40])),
    stop: async () => void teardowns.push('stop'),
    verifyStopped: async () => void teardowns.push('verify'),
    launch: async () => undefined,
    awaitReady: (_p, watch) => {
      loading.resolve()
      return new Promise((_r, reject) =>
        watch.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      )
    },
    logExcerpt: async () => null,
  }
  const served: string[] = []
  const newEngine = () =>
    createSwapEngine({
      catalog: {
        snapshot: async () => ({
          dir: '/r',
          entries: [testRecipe('new', 'new-model')],
          notes: [],
          readAt: '',
        }),
      },
      driver,
      coordination: lockedCoordination(lock, audits),
      loads: store.loads,
      loadedModels: async () => served,
      inventory: { nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' }] },
      vllmPort: 8888,
      container: 'vllm_node',
      stopGraceS: 1,
      fitPolicy: 'refuse',
    })
  const cleanup = (engine: ReturnType<typeof newEngine>): Promise<CleanupResult> =>
    cleanUpInterruptedSwap({
      records: store.loads,
      loadedModels: async () => served,
      engine,
      audit: () => undefined,
      budgetMs: 5000,
    })
  return { store, audits, teardowns, loading, newEngine, cleanup }
}

describe('start-up cleanup through the engine and the store', () => {
  it('a swap interrupted by shutdown mid-load is torn down at the next start past the lock, audited, once', async () => {
    const lock = { locked: false }
    const parts = await realParts(lock)
    const first = parts.newEngine()
    await first.request({ recipe: 'new', actor: 'api' })
    await parts.loading.promise
    first.close()
    await first.idle()
    expect(parts.store.loads.newest()).toMatchObject({ recipe: 'new', leftOnNodes: true, cleanupAtMs: null })

    // The next start, with someone's swap lock held meanwhile: the cleanup is not theirs to refuse.
    lock.locked = true
    const next = parts.newEngine()
    parts.teardowns.length = 0
    expect(await parts.cleanup(next)).toEqual({ kind: 'cleaned' })
    expect(parts.teardowns).toEqual(['stop', 'verify'])
    expect(parts.audits.at(-1)).toMatchObject({
      actor: CLEANUP_ACTOR,
      action: 'swap.cleanup',
      target: 'new',
      outcome: 'ok',
      detail:
        'Removed what the load of new-model interrupted by a shutdown left on the nodes; teardown verified.',
    })
    expect(parts.store.loads.newest()!.cleanupAtMs).not.toBeNull()
    expect(await parts.cleanup(parts.newEngine())).toEqual({ kind: 'nothing' })
    // The HTTP stop still needs the token.
    await expect(next.stop({ actor: 'api' })).rejects.toMatchObject({ status: 423 })
  })

  it('a swap cancelled by a person is torn down by the cancel itself: nothing is left for the next start', async () => {
    const parts = await realParts()
    const engine = parts.newEngine()
    await engine.request({ recipe: 'new', actor: 'api' })
    await parts.loading.promise
    engine.cancel({ actor: 'api' })
    await engine.idle()
    expect(parts.store.loads.newest()).toMatchObject({ leftOnNodes: false })
    expect(await parts.cleanup(parts.newEngine())).toEqual({ kind: 'nothing' })
  })

  it('no route reaches the system stop (it skips the swap lock)', () => {
    const routes = join(import.meta.dirname, '..', '..', 'routes')
    const callers = readdirSync(routes).filter((f) =>
      readFileSync(join(routes, f), 'utf8').includes('systemStop'),
    )
    expect(callers).toEqual([])
  })
})
