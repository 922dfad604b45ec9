import { describe, expect, it } from 'vitest'
import { deferred } from '../../../../shared/testing/deferred.ts'
import { testRecipe } from '../../testing/engine-parts.ts'
import { createSwapEngine, type SwapEngineDeps } from './engine.ts'
import type { SwapPlan } from './plan.ts'
import { type ClusterDriver, SwapFailure } from './ports.ts'

const GIB = 2 ** 30
const entry = testRecipe

interface Calls {
  launches: string[]
  stops: string[]
  audits: { action: string; outcome: string }[]
  webhooks: string[]
  loads: string[]
}

function setup(driver: Partial<ClusterDriver>, over: Partial<SwapEngineDeps> = {}) {
  const calls: Calls = { launches: [], stops: [], audits: [], webhooks: [], loads: [] }
  const base: ClusterDriver = {
    memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 100 * GIB])),
    stop: async (p: SwapPlan) => void calls.stops.push(p.recipe),
    verifyStopped: async () => undefined,
    launch: async (p: SwapPlan) => void calls.launches.push(p.recipe),
    awaitReady: async () => undefined,
    logExcerpt: async () => 'CUDA out of memory',
  }
  const engine = createSwapEngine({
    catalog: {
      snapshot: async () => ({
        dir: '/r',
        entries: [entry('old', 'old-model'), entry('new', 'new-model')],
        notes: [],
        readAt: '',
      }),
    },
    driver: { ...base, ...driver },
    coordination: {
      assertSwapAllowed: () => undefined,
      recordAudit: (e) => {
        calls.audits.push({ action: e.action, outcome: e.outcome })
        return {} as never
      },
      enqueueWebhook: (e) => {
        calls.webhooks.push(`${e.event} serving=${e.serving_model}${e.error ? ` error=${e.error}` : ''}`)
        return 1
      },
    },
    loads: {
      start: (r) => void calls.loads.push(`start ${r.recipe}`),
      finish: (_id, end) => calls.loads.push(`finish ${end.outcome}`) > 0,
      recentLoads: async () => [],
    },
    loadedModels: async () => ['old-model'],
    inventory: { nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' }] },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 1,
    fitPolicy: 'refuse',
    ...over,
  })
  return { engine, calls }
}

const ask = { recipe: 'new', actor: 'api' }

describe('swap engine', () => {
  it('swaps, records the load, audits and sends swap_complete', async () => {
    const { engine, calls } = setup({})
    const started = await engine.request(ask)
    await engine.idle()
    const job = engine.job(started.dry_run ? '' : started.job_id)!
    expect(job).toMatchObject({
      status: 'ready',
      outcome: 'ready',
      from_model: 'old-model',
      model: 'new-model',
    })
    expect(calls).toMatchObject({
      launches: ['new'],
      stops: ['new'],
      webhooks: ['swap_complete serving=new-model'],
      loads: ['start new', 'finish ready'],
    })
    expect(calls.audits).toEqual([{ action: 'swap.start', outcome: 'ready' }])
  })

  it('rolls back once when the load fails, and stops there when the rollback fails too', async () => {
    const { engine, calls } = setup({
      awaitReady: async () => {
        throw new SwapFailure('load', 'vLLM failed on spark-1 (oom)')
      },
    })
    await engine.request(ask)
    await engine.idle()
    const job = engine.state()!
    expect(job).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      rollback: { recipe: 'old', outcome: 'failed' },
    })
    expect(job.error).toMatch(/oom.*rollback to old failed/)
    expect(job.log_excerpt).toBe('CUDA out of memory')
    expect(calls.launches).toEqual(['new', 'old'])
    expect(calls.webhooks).toEqual([expect.stringMatching(/^swap_failed serving=null error=.*oom/)])
  })

  it('never launches after a teardown that could not be verified, and does not roll back', async () => {
    const { engine, calls } = setup({
      verifyStopped: async () => {
        throw new SwapFailure('teardown', 'container vllm_node still present on spark-1')
      },
    })
    await engine.request(ask)
    await engine.idle()
    expect(engine.state()).toMatchObject({ status: 'failed', rollback: null })
    expect(calls.launches).toEqual([])
  })

  it('cancels mid-load: aborts the wait, stops what it started, audits, tells apps nothing serves now', async () => {
    const loading = deferred()
    const { engine, calls } = setup({
      awaitReady: (_p, w) => {
        loading.resolve()
        return new Promise((_r, reject) =>
          w.signal.addEventListener('abort', () => reject(new SwapFailure('cancelled', 'cancelled'))),
        )
      },
    })
    await engine.request(ask)
    await loading.promise
    expect(engine.state()?.status).toBe('loading')
    expect(engine.cancel({ actor: 'api' }).cancel_requested).toBe(true)
    await engine.idle()
    expect(engine.state()).toMatchObject({ status: 'cancelled', outcome: 'cancelled' })
    expect(calls.stops).toEqual(['new', 'new'])
    expect(calls.webhooks).toEqual(['swap_failed serving=null error=cancelled: requested while loading'])
    expect(calls.audits.map((a) => `${a.action} ${a.outcome}`)).toEqual([
      'swap.cancel ok',
      'swap.start cancelled',
    ])
    expect(() => engine.cancel({ actor: 'api' })).toThrow(expect.objectContaining({ status: 409 }))
  })

  it('refuses a swap that does not fit before touching anything', async () => {
    const { engine, calls } = setup(
      { memory: async () => ({ 'spark-1': 1 * GIB }) },
      { loadedModels: async () => [] },
    )
    await expect(engine.request(ask)).rejects.toMatchObject({ status: 409 })
    expect(calls.stops).toEqual([])
    expect(calls.audits).toEqual([{ action: 'swap.start', outcome: 'refused' }])
  })

  it('answers 404 for an unknown recipe and publishes state events', async () => {
    const { engine } = setup({})
    await expect(engine.request({ recipe: 'nope', actor: 'api' })).rejects.toMatchObject({ status: 404 })
    const seen: string[] = []
    engine.events.subscribe((e) => seen.push(`${e.type}:${(e.data as { status?: string }).status}`))
    await engine.request(ask)
    await engine.idle()
    expect(seen.filter((s) => s.startsWith('state')).at(-1)).toBe('state:ready')
    expect(seen).toContain('state:verifying-stopped')
  })

  it('drains in `draining` before the old model is stopped', async () => {
    const drainStarted = deferred()
    const drained = deferred()
    const order: string[] = []
    const { engine, calls } = setup(
      { stop: async (p: SwapPlan) => void order.push(`stop ${p.recipe}`) },
      {
        drain: async () => {
          drainStarted.resolve()
          await drained.promise
          order.push('drained')
        },
      },
    )
    await engine.request(ask)
    await drainStarted.promise
    expect(engine.state()).toMatchObject({ status: 'draining' })
    expect(order).toEqual([])
    drained.resolve()
    await engine.idle()
    expect(order).toEqual(['drained', 'stop new'])
    expect(engine.state()).toMatchObject({ status: 'ready' })
    expect(calls.launches).toEqual(['new'])
  })

  it('a cancel during the drain stops nothing', async () => {
    const { engine, calls } = setup(
      {},
      {
        drain: (signal) =>
          new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true })),
      },
    )
    await engine.request(ask)
    engine.cancel({ actor: 'api' })
    await engine.idle()
    expect(engine.state()).toMatchObject({ status: 'cancelled' })
    expect(calls.stops).toEqual([])
    expect(calls.launches).toEqual([])
  })
})

describe('fit when reloading the loaded recipe', () => {
  it('counts the memory the loaded model gives back when it is stopped first', async () => {
    const need = entry('old', 'old-model') as { memoryNeedBytes: number }
    // Free memory alone is short of the need; the loaded copy of the same recipe makes up for it.
    const { engine } = setup({
      memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, need.memoryNeedBytes / 2])),
    })
    const answer = await engine.validate('old')
    expect(answer.fit).toMatchObject({ fits: true, allowed: true })
    expect(answer.fit!.per_node[0]!.freed_bytes).toBe(need.memoryNeedBytes)
    const other = await engine.validate('new')
    expect(other.fit!.per_node[0]!.freed_bytes).toBe(need.memoryNeedBytes)
  })

  it('shutdown mid-load ends the swap as interrupted at once: no log excerpt, no teardown', async () => {
    let excerpts = 0
    const loading = deferred()
    const { engine, calls } = setup({
      awaitReady: (_p, o) => {
        loading.resolve()
        return new Promise<void>((_r, reject) =>
          o.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        )
      },
      logExcerpt: async () => {
        excerpts++
        return 'log'
      },
    })
    await engine.request(ask)
    await loading.promise
    expect(engine.state()).toMatchObject({ status: 'loading' })
    const stopsBefore = calls.stops.length
    engine.close()
    await engine.idle()
    const job = engine.state()!
    expect(job).toMatchObject({ status: 'cancelled', outcome: 'cancelled' })
    expect(job.error).toBe(
      'interrupted in loading: swap-controller shut down; the model being loaded was left on the nodes (the next start removes it)',
    )
    expect(calls.stops.length).toBe(stopsBefore)
    expect(excerpts).toBe(0)
    expect(calls.loads.at(-1)).toBe('finish cancelled')
  })
})

describe('holds', () => {
  it('refuses new swaps with 409 naming the reason while held, and starts them again once released', async () => {
    const { engine, calls } = setup({})
    const release = engine.holdSwaps('the weights of org/new are being deleted')
    await expect(engine.request(ask)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('org/new are being deleted'),
    })
    // A dry run touches nothing, so a hold does not stop it.
    expect((await engine.request({ ...ask, dryRun: true })).dry_run).toBe(true)
    expect(calls.launches).toEqual([])
    release()
    await engine.request(ask)
    await engine.idle()
    expect(calls.launches).toEqual(['new'])
  })
})

describe('a swap still reading the nodes', () => {
  /** A driver whose memory read waits for `open()`, so the test can act while the swap checks fit. */
  function gated() {
    let open = () => {}
    const gate = new Promise<void>((r) => (open = r))
    let reading = () => {}
    const started = new Promise<void>((r) => (reading = r))
    const memory = async (nodes: readonly string[]) => {
      reading()
      await gate
      return Object.fromEntries(nodes.map((n) => [n, 100 * GIB]))
    }
    return { memory, open: () => open(), started }
  }

  it('is refused (409) if a weights delete took its hold meanwhile, and launches nothing', async () => {
    const g = gated()
    const { engine, calls } = setup({ memory: g.memory })
    const asked = engine.request(ask)
    await g.started
    const release = engine.holdSwaps('the weights of org/new are being deleted')
    g.open()
    await expect(asked).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('being deleted'),
    })
    release()
    await engine.idle()
    expect(calls.launches).toEqual([])
    expect(engine.state()).toBeNull()
  })

  it('keeps a stop from starting under it (409), then the swap goes ahead', async () => {
    const g = gated()
    const { engine, calls } = setup({ memory: g.memory })
    const asked = engine.request(ask)
    await g.started
    await expect(engine.stop({ actor: 'api' })).rejects.toMatchObject({ status: 409 })
    g.open()
    await asked
    await engine.idle()
    expect(calls.launches).toEqual(['new'])
  })
})
