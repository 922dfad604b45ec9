/**
 * Held chat requests against the real swap engine (a fake driver): the hold lasts while the ETA,
 * learnt from the recipe's successful loads, fits the budget, and the request is answered by the
 * new model; a swap whose loads take longer answers 503 with a Retry-After of about its real time.
 */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import { deferred } from '../../../shared/testing/deferred.ts'
import type { VllmProxy } from '../adapters/vllm-proxy.ts'
import { createInflight } from '../domain/chat/inflight.ts'
import type { LoadHistoryEntry } from '../domain/progress/eta.ts'
import { createSwapEngine } from '../domain/swap/engine.ts'
import { testRecipe } from '../testing/engine-parts.ts'
import { chatRoutes } from './chat.ts'

const GIB = 2 ** 30
const load = (s: number, outcome = 'ready'): LoadHistoryEntry => ({
  phases: {},
  total_s: s + 60,
  load_s: s,
  outcome,
})

/** A swap from `old-model` to `new-model` whose readiness waits for `ready`, behind the chat route. */
function setup(history: LoadHistoryEntry[], waitDuringSwapMs: number) {
  const ready = deferred()
  let served = ['old-model']
  const entries = [testRecipe('old', 'old-model'), testRecipe('new', 'new-model')]
  const engine = createSwapEngine({
    catalog: { snapshot: async () => ({ dir: '/r', entries, notes: [], readAt: '' }) },
    driver: {
      memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 200 * GIB])),
      stop: async () => {
        served = []
      },
      verifyStopped: async () => undefined,
      launch: async () => undefined,
      awaitReady: async () => {
        await ready.promise
        served = ['new-model']
      },
      logExcerpt: async () => null,
    },
    coordination: {
      assertSwapAllowed: () => undefined,
      recordAudit: () => ({}) as never,
      enqueueWebhook: () => 1,
    },
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => history },
    loadedModels: async () => served,
    inventory: { nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' }] },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 1,
    fitPolicy: 'refuse',
  })
  const proxy: VllmProxy = {
    forward: async (r) => {
      r.onEnd()
      return Response.json({ model: served[0] })
    },
    models: async () => Response.json({}),
  }
  /** Resolves at the route's `n`-th look at the swap: the request is being held. */
  let looks = 0
  const looked = deferred()
  const state = () => {
    if (++looks === 3) looked.resolve()
    return engine.state()
  }
  const app = createService({
    name: 'swap-controller',
    logger: silentLogger(),
    readiness: createReadiness({ service: 'swap-controller', checks: [] }),
  })
  const loadedModels = async () => served
  const route = { proxy, inflight: createInflight(), engine: { ...engine, state }, loadedModels }
  app.route('/', chatRoutes({ ...route, waitDuringSwapMs, pollMs: 10, modelCacheMs: 0 }))
  const chat = () =>
    app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'new-model', messages: [] }),
    })
  const swapLoading = async () => {
    await engine.request({ recipe: 'new', actor: 'api' })
    await expect.poll(() => engine.state()?.progress?.eta_basis).toBe('history')
  }
  return { engine, ready, looked, chat, swapLoading }
}

describe('chat requests held during a swap', () => {
  it('are served by the new model when it is ready within the budget, whatever failed loads took', async () => {
    // Successful loads take 2 s; failed and teardown-only runs took far longer and must not count.
    const history = [load(2), load(80, 'failed'), load(90, 'failed'), load(2), load(0, 'cancelled')]
    const { engine, ready, looked, chat, swapLoading } = setup(history, 20_000)
    await swapLoading()
    const answer = chat()
    await looked.promise
    expect(engine.state()?.status).toBe('loading')
    ready.resolve()
    const res = await answer
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ model: 'new-model' })
    await engine.idle()
  })

  it('answer 503 at once with a Retry-After of the real remaining time when it outlasts the budget', async () => {
    const { engine, ready, chat, swapLoading } = setup([load(12), load(12), load(400, 'failed')], 3000)
    await swapLoading()
    const res = await chat()
    expect(res.status).toBe(503)
    const retryAfter = Number(res.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(10)
    expect(retryAfter).toBeLessThanOrEqual(12)
    expect((await res.json()).error).toMatchObject({ code: 'model_switching' })
    ready.resolve()
    await engine.idle()
  })
})
