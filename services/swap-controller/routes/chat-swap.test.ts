import { describe, expect, it } from 'vitest'
import { AppError, upstreamUnavailable } from '../../../shared/errors.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import type { ForwardRequest, VllmProxy } from '../adapters/vllm-proxy.ts'
import { createInflight } from '../domain/chat/inflight.ts'
import type { SwapEngine, SwapRequest } from '../domain/swap/engine.ts'
import type { JobView } from '../domain/swap/view.ts'
import { chatRoutes } from './chat.ts'

const job = (over: Partial<JobView>): JobView =>
  ({
    job_id: 'swp_1',
    status: 'loading',
    outcome: 'running',
    model: 'air',
    from_model: 'qwen',
    finished_at: null,
    progress: null,
    ...over,
  }) as JobView
const ready = (over: Partial<JobView> = {}) =>
  job({ status: 'ready', outcome: 'ready', finished_at: new Date().toISOString(), ...over })

/**
 * The engine's state as the route reads it, passed through: at the `n`-th read `end` runs (the swap
 * finishes, or shutdown begins) — an event the held request itself brings about, not a timer.
 */
function endsAfter(n: number, end: () => void) {
  const read = <T>(state: T): T => {
    if (++read.reads === n) end()
    return state
  }
  read.reads = 0
  return read
}
const eta = (s: number) => ({
  phase: 'weights',
  phase_percent: 10,
  percent: 10,
  eta_s: s,
  eta_basis: 'history' as const,
  stalled: false,
})
const recipe = (key: string, served: string, onDemand: boolean, minResidencyS = 0) =>
  ({ valid: true, key, servedModelName: served, onDemand, minResidencyS }) as never

function setup(
  state: () => JobView | null,
  loaded: () => string[],
  onSwap?: (r: SwapRequest) => void,
  more: { stopping?: () => boolean; shutdown?: AbortSignal } = {},
) {
  const forwarded: ForwardRequest[] = []
  const proxy: VllmProxy = {
    forward: async (r) => {
      forwarded.push(r)
      r.onEnd()
      const headers = { 'content-type': 'application/json' }
      return new Response(JSON.stringify({ served_by: loaded()[0] }), { headers })
    },
    models: async () => new Response('{}'),
  }
  const swaps: SwapRequest[] = []
  const engine: Pick<SwapEngine, 'state' | 'request' | 'stopInProgress'> = {
    state,
    stopInProgress: more.stopping ?? (() => false),
    request: async (r) => {
      swaps.push(r)
      onSwap?.(r)
      return {} as never
    },
  }
  const catalog = {
    snapshot: async () => ({
      dir: '/r',
      notes: [],
      readAt: '',
      entries: [
        recipe('qwen-key', 'qwen', true, 600),
        recipe('air-key', 'air', true),
        recipe('big', 'big', false),
      ],
    }),
  }
  const readiness = createReadiness({ service: 'swap-controller', checks: [] })
  const app = createService({
    name: 'swap-controller',
    logger: silentLogger(),
    readiness,
    shutdown: more.shutdown,
  })
  const loadedModels = async () => loaded()
  const timing = { waitDuringSwapMs: 1000, pollMs: 10, modelCacheMs: 0 }
  app.route('/', chatRoutes({ proxy, inflight: createInflight(), engine, catalog, loadedModels, ...timing }))
  const chat = (body: unknown, headers: Record<string, string> = {}) =>
    app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  return { chat, forwarded, swaps }
}

describe('chat proxy during a swap', () => {
  it('holds a request until the new model is ready, then forwards it', async () => {
    let current = job({})
    let models: string[] = []
    const read = endsAfter(3, () => {
      current = ready()
      models = ['air']
    })
    const { chat, forwarded } = setup(
      () => read(current),
      () => models,
    )
    const res = await chat({ model: 'air', messages: [] })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ served_by: 'air' })
    // Held: it looked at the running swap again after a pause, then went through.
    expect(read.reads).toBeGreaterThanOrEqual(3)
    expect(forwarded).toHaveLength(1)
  })

  it('answers 503 + Retry-After from the ETA at once when the swap outlasts the hold budget', async () => {
    const { chat, forwarded } = setup(
      () => job({ progress: eta(42.3) }),
      () => [],
    )
    const t0 = Date.now()
    const res = await chat({ model: 'air', messages: [] })
    expect(Date.now() - t0).toBeLessThan(500)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    const body = await res.json()
    expect(body.error).toMatchObject({ code: 'model_switching', type: 'server_error' })
    expect(body.error.message).toBe('Switching models to air (loading); about 43 s left. Retry in 30 s.')
    expect(forwarded).toHaveLength(0)
  })

  it('holds for the budget when the ETA is unknown, then 503 with at least 5 s', async () => {
    const { chat } = setup(
      () => job({ status: 'stopping' }),
      () => [],
    )
    const t0 = Date.now()
    const res = await chat({ messages: [] })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(5)
  })
})

describe('chat proxy during a stop and at shutdown', () => {
  it('does not forward a request when a stop began while it was reading what is loaded', async () => {
    let stopping = false
    // The stop begins while the request awaits the loaded-model read.
    const loaded = () => {
      stopping = true
      return ['qwen']
    }
    const { chat, forwarded } = setup(() => null, loaded, undefined, { stopping: () => stopping })
    const res = await chat({ model: 'qwen', messages: [] })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('model_stopping')
    expect(forwarded).toHaveLength(0)
  })

  it('refuses new generations with 503 while POST /api/swap/stop drains and tears down', async () => {
    let stopping = true
    const { chat, forwarded } = setup(
      () => null,
      () => ['qwen'],
      undefined,
      { stopping: () => stopping },
    )
    const res = await chat({ model: 'qwen', messages: [] })
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('model_stopping')
    expect(forwarded).toHaveLength(0)
    stopping = false
    expect((await chat({ model: 'qwen', messages: [] })).status).toBe(200)
  })

  it('answers a held request at once when shutdown begins, instead of holding the server open', async () => {
    const lifecycle = new AbortController()
    // Shutdown begins while the request is held (its second look at the swap).
    const read = endsAfter(2, () => lifecycle.abort())
    const { chat, forwarded } = setup(
      () => read(job({})),
      () => [],
      undefined,
      { shutdown: lifecycle.signal },
    )
    const t0 = Date.now()
    const res = await chat({ model: 'air', messages: [] })
    expect(Date.now() - t0).toBeLessThan(500)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect((await res.json()).error.code).toBe('shutting_down')
    expect(forwarded).toHaveLength(0)
  })
})

describe('chat proxy and the loaded model', () => {
  it('names the loaded model for a model that is not loaded and not on demand', async () => {
    const { chat, swaps } = setup(
      () => null,
      () => ['qwen'],
    )
    const res = await chat({ model: 'big', messages: [] })
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body.error.code).toBe('model_not_found')
    expect(body.error.message).toContain('the loaded model is qwen')
    expect(swaps).toEqual([])
  })

  it('starts an on-demand swap, holds, and forwards to the new model', async () => {
    let current: JobView | null = null
    let models = ['big']
    const read = endsAfter(3, () => {
      current = ready()
      models = ['air']
    })
    const { chat, swaps, forwarded } = setup(
      () => (current ? read(current) : null),
      () => models,
      () => {
        current = job({ status: 'draining' })
      },
    )
    const res = await chat(
      { model: 'air', messages: [] },
      { 'x-swap-lock-token': 'tok', 'x-spark-actor': 'crm' },
    )
    expect(res.status).toBe(200)
    expect(swaps).toEqual([expect.objectContaining({ recipe: 'air-key', token: 'tok', actor: 'chat:crm' })])
    expect(forwarded).toHaveLength(1)
  })

  it('loads an on-demand model when none is loaded (vLLM not there), and forwards to it', async () => {
    let current: JobView | null = null
    let models: string[] | null = null
    const notThere = upstreamUnavailable('vLLM', 5, undefined, { code: 'ECONNREFUSED' })
    const served = () => {
      if (models === null) throw notThere
      return models
    }
    const read = endsAfter(3, () => {
      current = ready({ from_model: null })
      models = ['air']
    })
    const { chat, swaps, forwarded } = setup(
      () => (current ? read(current) : null),
      served,
      () => {
        current = job({ status: 'starting', from_model: null })
      },
    )
    const res = await chat({ model: 'air', messages: [] })
    expect(res.status).toBe(200)
    expect(swaps).toEqual([expect.objectContaining({ recipe: 'air-key' })])
    expect(forwarded).toHaveLength(1)
  })

  it('starts no swap when vLLM could not be asked (a reset, a timeout): nothing is known to be unloaded', async () => {
    const reset = upstreamUnavailable('vLLM', 5, undefined, { code: 'ECONNRESET' })
    const { chat, swaps, forwarded } = setup(
      () => null,
      () => {
        throw reset
      },
    )
    await chat({ model: 'air', messages: [] })
    expect(swaps).toEqual([])
    expect(forwarded).toHaveLength(1)
  })

  it('refuses an on-demand swap (403, nothing started) when the gateway says the key may not swap', async () => {
    const { chat, swaps, forwarded } = setup(
      () => null,
      () => ['big'],
    )
    const res = await chat({ model: 'air', messages: [] }, { 'x-spark-may-swap': 'no' })
    expect(res.status).toBe(403)
    const body = await res.json()
    expect(body.error.code).toBe('swap_needs_admin')
    expect(body.error.message).toContain('big is loaded')
    expect(swaps).toEqual([])
    expect(forwarded).toHaveLength(0)
    // The loaded model itself is still served to the same request.
    expect((await chat({ model: 'big', messages: [] }, { 'x-spark-may-swap': 'no' })).status).toBe(200)
  })

  it('refuses an on-demand swap within the min residency of the loaded model (409 with when)', async () => {
    const finished = new Date(Date.now() - 60_000).toISOString()
    const { chat, swaps } = setup(
      () => job({ status: 'ready', outcome: 'ready', model: 'qwen', finished_at: finished }),
      () => ['qwen'],
    )
    const res = await chat({ model: 'air', messages: [] })
    expect(res.status).toBe(409)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(530)
    const body = await res.json()
    expect(body.error.code).toBe('model_resident')
    expect(body.error.message).toContain('qwen stays loaded at least 600 s')
    expect(swaps).toEqual([])
  })

  it('passes the lock refusal of an on-demand swap through (423)', async () => {
    const { chat } = setup(
      () => null,
      () => ['big'],
      () => {
        throw new AppError(423, 'locked', 'The swap lock is held by crm until 12:00.')
      },
    )
    const res = await chat({ model: 'air', messages: [] })
    expect(res.status).toBe(423)
    expect((await res.json()).error.message).toContain('lock is held')
  })
})
