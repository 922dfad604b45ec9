/** `POST /api/swap/stop` through buildApp, with a real engine and a fake driver. */

import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger, type Logger, silentLogger } from '../../../shared/logger.ts'
import { deferred } from '../../../shared/testing/deferred.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { createInflight } from '../domain/chat/inflight.ts'
import { buildInventory } from '../domain/inventory.ts'
import { createSwapEngine, type SwapEngineDeps } from '../domain/swap/engine.ts'
import { type ClusterDriver, SwapFailure } from '../domain/swap/ports.ts'
import { lockedCoordination, testRecipe } from '../testing/engine-parts.ts'
import { FakeSshNode, FakeSshNodes, healthySpark } from '../testing/fakes.ts'

const recipe = testRecipe

const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

function setup(
  driver: Partial<ClusterDriver> = {},
  extra: Partial<SwapEngineDeps> = {},
  logger: Logger = silentLogger(),
) {
  const calls = { steps: [] as string[], audits: [] as Record<string, unknown>[] }
  const state = { locked: false }
  let releaseLoad: () => void = () => undefined
  const engine = createSwapEngine({
    catalog: {
      snapshot: async () => ({
        dir: '/r',
        entries: [recipe('old', 'old-model'), recipe('new', 'new-model')],
        notes: [],
        readAt: '',
      }),
    },
    driver: {
      memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 100 * 2 ** 30])),
      stop: async (p) => void calls.steps.push(`stop ${p.nodes.join(',')}`),
      verifyStopped: async () => void calls.steps.push('verify'),
      launch: async () => void calls.steps.push('launch'),
      awaitReady: () => new Promise<void>((r) => (releaseLoad = r)),
      logExcerpt: async () => null,
      ...driver,
    },
    coordination: lockedCoordination(state, calls.audits),
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    loadedModels: async () => ['old-model'],
    inventory: {
      nodes: [
        { name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' },
        { name: 'spark-2', user: 'u', dockerDir: '/home/u/d', role: 'worker' },
        { name: 'spark-3', user: null, dockerDir: null, role: 'worker' },
      ],
    },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 5,
    fitPolicy: 'refuse',
    ...extra,
  })
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const app = buildApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes().add(new FakeSshNode('spark-1', healthySpark)),
    vllm: createVllmClient({ baseUrl: null }),
    logger,
    swap: engine,
  })
  closers.push(async () => {
    releaseLoad()
    await engine.idle()
    engine.close()
  })
  const stop = (body?: unknown, headers: Record<string, string> = {}) =>
    app.request('/api/swap/stop', {
      method: 'POST',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return { app, engine, calls, state, stop }
}

describe('POST /api/swap/stop', () => {
  it('stops on every reachable node, verifies the teardown and audits it', async () => {
    const { stop, calls } = setup()
    const res = await stop()
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body).toMatchObject({
      dry_run: false,
      stopped: true,
      model: 'old-model',
      recipe: 'old',
      nodes: ['spark-1', 'spark-2'],
    })
    expect(Object.keys(body.duration_ms)).toEqual(['stopping', 'verifying-stopped'])
    expect(calls.steps).toEqual(['stop spark-1,spark-2', 'verify'])
    expect(calls.audits).toEqual([
      expect.objectContaining({ action: 'swap.stop', target: 'old', outcome: 'ok', dryRun: false }),
    ])
  })

  it('dry_run returns the exact commands and touches nothing, even while locked', async () => {
    const { stop, calls, state } = setup()
    state.locked = true
    const res = await stop({ dry_run: true })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ dry_run: true, stopped: false, duration_ms: null })
    expect(
      body.commands.teardown.map((c: { node: string; command: string }) => `${c.node}: ${c.command}`),
    ).toEqual([
      "spark-1: 'timeout' '-s' 'KILL' '36.000s' 'docker' 'stop' '-t' '5' 'vllm_node'",
      "spark-1: 'timeout' '-s' 'KILL' '36.000s' 'docker' 'rm' '-f' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '36.000s' 'docker' 'stop' '-t' '5' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '36.000s' 'docker' 'rm' '-f' 'vllm_node'",
    ])
    expect(body.commands.verify).toHaveLength(4)
    expect(calls.steps).toEqual([])
    expect(calls.audits).toEqual([
      expect.objectContaining({ action: 'swap.stop', outcome: 'ok', dryRun: true }),
    ])
  })

  it('answers 423 problem+json without the lock token, and proceeds with it', async () => {
    const { stop, calls, state } = setup()
    state.locked = true
    const refused = await stop()
    expect(refused.status).toBe(423)
    expect(refused.headers.get('content-type')).toContain('application/problem+json')
    expect(await refused.json()).toMatchObject({
      status: 423,
      lock: { held: true },
      instance: '/api/swap/stop',
    })
    expect(calls.steps).toEqual([])
    expect((await stop(undefined, { 'X-Swap-Lock-Token': 'secret' })).status).toBe(200)
    expect((await stop({ token: 'secret' })).status).toBe(200)
  })

  it('refuses while a swap runs (409), and a swap while a stop runs (409)', async () => {
    const tearingDown = deferred()
    const letGo = deferred()
    let held = 0
    // Only the first teardown waits (the stop's); the swap's later one passes at once.
    const verifyStopped = () => {
      if (held++ > 0) return Promise.resolve(undefined)
      tearingDown.resolve()
      return letGo.promise.then(() => undefined)
    }
    const { app, stop, engine } = setup({ verifyStopped })
    const stopping = stop()
    await tearingDown.promise
    const swap = await app.request('/api/swap', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"recipe":"new"}',
    })
    expect(swap.status).toBe(409)
    expect((await stop()).status).toBe(409)
    letGo.resolve()
    expect((await stopping).status).toBe(200)
    await engine.request({ recipe: 'new', actor: 'api' })
    const busy = await stop()
    expect(busy.status).toBe(409)
    expect((await busy.json()).job_id).toMatch(/^swp_/)
  })

  it('answers 502 naming the nodes when teardown cannot be verified, audited as failed', async () => {
    const failing = async () => {
      throw new SwapFailure(
        'teardown',
        'teardown not verified: container vllm_node still present on spark-2 (Up 1 hour); the new model was not started',
      )
    }
    const { stop, calls } = setup({ verifyStopped: failing })
    const res = await stop()
    expect(res.status).toBe(502)
    const body = await res.json()
    expect(body.detail).toBe(
      'Stop failed: teardown not verified: container vllm_node still present on spark-2 (Up 1 hour).',
    )
    expect(body.nodes).toEqual(['spark-1', 'spark-2'])
    expect(calls.audits.at(-1)).toMatchObject({ action: 'swap.stop', outcome: 'failed' })
  })

  it('logs a failed request with one `msg` (the error text goes in another field)', async () => {
    const out = new PassThrough()
    const lines: string[] = []
    out.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)))
    const failing = async () => {
      throw new SwapFailure('teardown', 'teardown not verified: container vllm_node still present on spark-2')
    }
    const { stop } = setup(
      { verifyStopped: failing },
      {},
      createLogger({ service: 'swap-controller', destination: out }),
    )
    expect((await stop()).status).toBe(502)
    await new Promise((r) => setImmediate(r))
    const failed = lines.find((l) => l.includes('request failed'))
    expect(failed).toBeDefined()
    expect(failed!.match(/"msg":/g)).toHaveLength(1)
    expect(JSON.parse(failed!)).toMatchObject({ msg: 'request failed', status: 502 })
    for (const line of lines) expect(line.match(/"msg":/g)?.length ?? 0, line).toBeLessThanOrEqual(1)
  })

  it('drains in-flight chat generations before stopping, as a swap does, and refuses new ones meanwhile', async () => {
    const inflight = createInflight()
    const draining = deferred()
    const drain = async (signal: AbortSignal) => {
      draining.resolve()
      await inflight.drain(5000, signal)
    }
    let clock = Date.now()
    const { stop, calls, engine } = setup({}, { drain, now: () => clock })
    const release = inflight.acquire()
    const stopping = stop()
    await draining.promise
    // One turn of the event loop: a stop that did not wait for the drain would be tearing down by now.
    await new Promise((r) => setImmediate(r))
    // The generation is still running: nothing is torn down, and the chat proxy sees the stop.
    expect(calls.steps).toEqual([])
    expect(engine.stopInProgress()).toBe(true)
    clock += 30
    release()
    const res = await stopping
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(calls.steps).toEqual(['stop spark-1,spark-2', 'verify'])
    expect(Object.keys(body.duration_ms)).toEqual(['draining', 'stopping', 'verifying-stopped'])
    expect(body.duration_ms.draining).toBe(30)
    expect(engine.stopInProgress()).toBe(false)
  })

  it('bounds the drain: a generation that outlives it does not block the stop', async () => {
    const inflight = createInflight()
    const { stop, calls } = setup({}, { drain: async (signal) => void (await inflight.drain(50, signal)) })
    inflight.acquire()
    const res = await stop()
    expect(res.status).toBe(200)
    expect(calls.steps).toEqual(['stop spark-1,spark-2', 'verify'])
  })

  it('stops nothing when shutdown interrupts the drain (503, audited as cancelled)', async () => {
    const inflight = createInflight()
    const draining = deferred()
    const drain = async (signal: AbortSignal) => {
      draining.resolve()
      await inflight.drain(5000, signal)
    }
    const { stop, calls, engine } = setup({}, { drain })
    inflight.acquire()
    const stopping = stop()
    await draining.promise
    engine.close()
    const res = await stopping
    expect(res.status).toBe(503)
    expect(calls.steps).toEqual([])
    expect(calls.audits.at(-1)).toMatchObject({ action: 'swap.stop', outcome: 'cancelled' })
  })

  it('answers 422 for a bad body', async () => {
    const { stop } = setup()
    expect((await stop({ dry_run: 'yes' })).status).toBe(422)
  })
})
