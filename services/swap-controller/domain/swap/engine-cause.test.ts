import { describe, expect, it } from 'vitest'
import { deferred } from '../../../../shared/testing/deferred.ts'
import { testRecipe } from '../../testing/engine-parts.ts'
import { createSwapEngine, type SwapEngineDeps } from './engine.ts'
import { type ClusterDriver, SwapFailure } from './ports.ts'

const GIB = 2 ** 30
const OOM_LOG = [
  '(EngineCore_DP0 pid=312) INFO 12-06 04:12:01 [gpu_model_runner.py:2602] Starting to load model org/new...',
  '(EngineCore_DP0 pid=312) ERROR 12-06 04:12:09 [core.py:708] EngineCore failed to start.',
  '(EngineCore_DP0 pid=312) ERROR 12-06 04:12:09 [core.py:708] Traceback (most recent call last):',
  '(EngineCore_DP0 pid=312) ERROR 12-06 04:12:09 [core.py:708] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB. GPU 0 has a total capacity of 119.70 GiB of which 1.21 GiB is free.',
  '(APIServer pid=97) ERROR 12-06 04:12:10 [core_client.py:564] Engine core proc EngineCore_DP0 died unexpectedly, shutting down client.',
].join('\n')

function setup(driver: Partial<ClusterDriver>, loads: Partial<SwapEngineDeps['loads']> = {}) {
  const webhooks: (string | null)[] = []
  const audits: string[] = []
  const finished: (string | null | undefined)[] = []
  const base: ClusterDriver = {
    memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 200 * GIB])),
    stop: async () => undefined,
    verifyStopped: async () => undefined,
    launch: async () => undefined,
    awaitReady: async () => undefined,
    logExcerpt: async () => OOM_LOG,
  }
  const engine = createSwapEngine({
    catalog: {
      snapshot: async () => ({ dir: '/r', entries: [testRecipe('new', 'new-model')], notes: [], readAt: '' }),
    },
    driver: { ...base, ...driver },
    coordination: {
      assertSwapAllowed: () => undefined,
      recordAudit: (e) => {
        audits.push(e.detail ?? '')
        return {} as never
      },
      enqueueWebhook: (e) => webhooks.push(e.error ?? null),
    },
    loads: {
      start: () => undefined,
      finish: (_id, end) => finished.push(end.error) > 0,
      recentLoads: async () => [],
      ...loads,
    },
    loadedModels: async () => [],
    inventory: { nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' }] },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 1,
    fitPolicy: 'refuse',
  })
  return { engine, webhooks, audits, finished }
}

describe('a failed load names its cause', () => {
  it('an engine that exited says out of GPU memory with the torch line, everywhere the error is shown', async () => {
    const { engine, webhooks, audits, finished } = setup({
      awaitReady: async () => {
        throw new SwapFailure('load', 'container vllm_node on spark-1 exited: Exited (137) 2 seconds ago')
      },
    })
    await engine.request({ recipe: 'new', actor: 'api' })
    await engine.idle()
    const error = engine.state()?.error
    expect(error).toMatch(
      /^vLLM exited: out of GPU memory \(torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.50 GiB/,
    )
    expect(error).toContain('exited: Exited (137)')
    expect(webhooks).toEqual([error])
    expect(audits).toEqual([error])
    expect(finished).toEqual([error])
  })

  it('a failure the log does not explain keeps its own words', async () => {
    const { engine } = setup({
      awaitReady: async () => {
        throw new SwapFailure('readiness', 'not ready within 1800 s')
      },
      logExcerpt: async () => 'INFO 12-06 04:12:01 [api_server.py:1400] Starting vLLM API server 0',
    })
    await engine.request({ recipe: 'new', actor: 'api' })
    await engine.idle()
    expect(engine.state()?.error).toBe('not ready within 1800 s')
  })

  it('a launch that docker refused says the image is not found', async () => {
    const { engine } = setup({
      launch: async () => {
        const pull =
          "Unable to find image 'vllm-node:latest' locally\ndocker: Error response from daemon: pull access denied for vllm-node"
        throw new SwapFailure('launch', `run-recipe.sh exited with 125: ${pull}`)
      },
      logExcerpt: async () => null,
    })
    await engine.request({ recipe: 'new', actor: 'api' })
    await engine.idle()
    expect(engine.state()?.error).toMatch(
      /^the launch failed: image not found \(.*Unable to find image 'vllm-node:latest' locally\) — run-recipe\.sh exited with 125/,
    )
  })

  it('a teardown failure is never explained by the old model log', async () => {
    const { engine } = setup({
      verifyStopped: async () => {
        throw new SwapFailure('teardown', 'container vllm_node still present on spark-1')
      },
    })
    await engine.request({ recipe: 'new', actor: 'api' })
    await engine.idle()
    expect(engine.state()?.error).toBe('container vllm_node still present on spark-1')
  })
})

describe('the ETA of a swap', () => {
  it('comes from the successful loads of the recipe in the mode it runs in', async () => {
    const asked: string[] = []
    const started: (string | undefined)[] = []
    const ready = deferred()
    const { engine } = setup(
      { awaitReady: () => ready.promise },
      {
        start: (r) => void started.push(r.mode),
        recentLoads: async () => [{ phases: {}, total_s: 400, outcome: 'failed' }],
        successfulLoads: async (key, mode, limit) => {
          asked.push(`${key} ${mode} ${limit}`)
          return [{ phases: {}, total_s: 81, load_s: 21, outcome: 'ready' }]
        },
      },
    )
    await engine.request({ recipe: 'new', actor: 'api' })
    await expect.poll(() => engine.state()?.progress?.eta_basis).toBe('history')
    expect(engine.state()?.progress?.eta_s).toBeLessThanOrEqual(21)
    expect(asked).toEqual(['new solo 10'])
    expect(started).toEqual(['solo'])
    ready.resolve()
    await engine.idle()
  })
})
