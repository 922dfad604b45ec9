import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { SshError } from '../../shared/ssh/errors.ts'
import { createVllmClient } from './adapters/vllm-client.ts'
import { buildApp } from './app.ts'
import { loadSwapControllerConfig } from './config.ts'
import { buildInventory } from './domain/inventory.ts'
import { FakeSshNode, FakeSshNodes, type FakeVllm, healthySpark, startFakeVllm } from './testing/fakes.ts'

let vllm: FakeVllm

beforeAll(async () => {
  vllm = await startFakeVllm(['Qwen/Qwen3-30B-A3B-FP8'])
})
afterAll(async () => {
  await vllm.close()
})
afterEach(() => {
  vi.useRealTimers()
})

function setup(env: Record<string, string> = {}, scripts: Record<string, FakeSshNode['script']> = {}) {
  const url = new URL(vllm.baseUrl)
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SPARK2_HOST: '192.0.2.11',
    VLLM_HOST: url.hostname,
    VLLM_PORT: url.port,
    ...env,
  })
  const inventory = buildInventory(config)
  const ssh = new FakeSshNodes()
  for (const node of inventory.nodes.filter((n) => n.user))
    ssh.add(new FakeSshNode(node.name, scripts[node.name] ?? healthySpark))
  const client = createVllmClient({ baseUrl: inventory.vllm.baseUrl, timeoutMs: 1000 })
  const app = buildApp({
    config,
    inventory,
    ssh,
    vllm: client,
    logger: silentLogger(),
    readinessCacheMs: 0,
    nodeCacheMs: 200,
  })
  return { app, ssh, inventory }
}

const ready = async (app: ReturnType<typeof setup>['app']) => (await app.request('/ready')).json()

describe('readiness', () => {
  it('reports vLLM with its loaded model and each node with NodeInfo', async () => {
    const { app } = setup()
    const body = await ready(app)
    expect(body.status).toBe('ready')
    expect(body.dependencies.vllm).toMatchObject({
      state: 'up',
      critical: false,
      info: { kind: 'llm', base_url: `${vllm.baseUrl}/v1`, model: 'Qwen/Qwen3-30B-A3B-FP8', disabled: false },
    })
    expect(body.dependencies['node:spark-1']).toMatchObject({
      state: 'up',
      info: { kind: 'node', name: 'spark-1', host: '192.0.2.10', role: 'head' },
    })
    expect(body.dependencies['node:spark-2']).toMatchObject({
      state: 'not_configured',
      info: { name: 'spark-2', role: 'worker' },
    })
  })

  it('checks nodes with a cheap `true` that does not wrap a remote deadline', async () => {
    const { app, ssh } = setup()
    await ready(app)
    expect(ssh.get('spark-1')!.calls).toEqual([['true']])
    expect(ssh.get('spark-1')!.options[0]).toMatchObject({ timeoutMs: 2000, remoteDeadline: false })
  })

  it('says down when vLLM fails or is gone, disabled when switched off, not_configured without a host', async () => {
    vllm.status = 500
    const failing = await ready(setup().app)
    vllm.status = 200
    expect(failing.status).toBe('degraded')
    expect(failing.dependencies.vllm).toMatchObject({ state: 'down', info: { model: null } })
    expect(failing.dependencies.vllm.detail).toContain('500')

    const gone = await ready(setup({ VLLM_HOST: '127.0.0.1', VLLM_PORT: '1' }).app)
    expect(gone.dependencies.vllm.state).toBe('down')

    const off = await ready(setup({ DISABLED_SERVICES: 'kokoro, vllm' }).app)
    expect(off.dependencies.vllm).toMatchObject({ state: 'disabled', info: { disabled: true } })

    const none = await ready(setup({ SPARK1_HOST: '', VLLM_HOST: '' }).app)
    expect(none.dependencies.vllm).toMatchObject({ state: 'not_configured', info: { base_url: null } })
  })

  it('says down with the SSH reason when a node does not answer', async () => {
    const unreachable = () =>
      new SshError('unavailable', 'spark-1', 'not connected (ECONNREFUSED)', { retryAfterS: 4 })
    const body = await ready(setup({}, { 'spark-1': unreachable }).app)
    expect(body.status).toBe('degraded')
    expect(body.dependencies['node:spark-1'].state).toBe('down')
    expect(body.dependencies['node:spark-1'].detail).toContain('ECONNREFUSED')
  })

  it('lists any number of nodes from SPARK_NODES', async () => {
    const nodes = [
      { name: 'alpha', host: '192.0.2.21', user: 'ops', role: 'head' },
      { name: 'beta', host: '192.0.2.22', user: 'ops', role: 'worker' },
      { name: 'gamma', host: '192.0.2.23', user: 'ops', role: 'worker' },
    ]
    const body = await ready(setup({ SPARK_NODES: JSON.stringify(nodes) }).app)
    expect(Object.keys(body.dependencies).sort()).toEqual(['node:alpha', 'node:beta', 'node:gamma', 'vllm'])
  })
})

describe('GET /api/swap-controller/nodes', () => {
  it('shows SSH state, memory, GPU ([N/A] as null) and the vLLM container per node', async () => {
    const { app, ssh } = setup()
    const res = await app.request('/api/swap-controller/nodes')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.simulated).toBe(false)
    expect(body.nodes).toEqual([
      {
        name: 'spark-1',
        host: '192.0.2.10',
        role: 'head',
        ssh: { state: 'connected', since: '2026-01-01T00:00:00.000Z', last_error: null },
        memory: { total_bytes: 127601952 * 1024, available_bytes: 31250616 * 1024 },
        gpu: {
          utilization_pct: 96,
          temperature_c: 71,
          power_w: 48.27,
          sm_clock_mhz: 2405,
          memory_used_mib: null,
          memory_total_mib: null,
        },
        vllm_container: { name: 'vllm_node', state: 'running', status: 'Up 2 hours', running: true },
        errors: [],
      },
      {
        name: 'spark-2',
        host: '192.0.2.11',
        role: 'worker',
        ssh: { state: 'not_configured', since: null, last_error: null },
        memory: null,
        gpu: null,
        vllm_container: null,
        errors: [],
      },
    ])
    const sent = ssh.get('spark-1')!.calls
    expect(sent).toContainEqual(['cat', '/proc/meminfo'])
    expect(sent.some((argv) => argv.includes('nvidia-smi'))).toBe(true)
    expect(sent).toContainEqual(expect.arrayContaining(['docker', 'ps', '-a', 'name=^vllm_node$']))
  })

  it('reports a failing probe in errors and keeps the rest', async () => {
    const noGpu: FakeSshNode['script'] = (argv) =>
      argv.includes('nvidia-smi') ? { code: 127, stderr: 'secret-ish output' } : healthySpark(argv)
    const body = await (
      await setup({}, { 'spark-1': noGpu }).app.request('/api/swap-controller/nodes/spark-1')
    ).json()
    expect(body.gpu).toBeNull()
    expect(body.memory).not.toBeNull()
    expect(body.errors).toEqual([{ probe: 'gpu', message: expect.stringContaining('not installed') }])
    expect(JSON.stringify(body)).not.toContain('secret-ish')
  })

  it('reuses a fresh view instead of probing again', async () => {
    // Only the clock the 200 ms cache reads is faked; the probes still run on real timers.
    vi.useFakeTimers({ toFake: ['Date'] })
    const { app, ssh } = setup()
    await app.request('/api/swap-controller/nodes')
    vi.advanceTimersByTime(150)
    await app.request('/api/swap-controller/nodes/spark-1')
    expect(ssh.get('spark-1')!.calls).toHaveLength(3)
    vi.advanceTimersByTime(250)
    await app.request('/api/swap-controller/nodes/spark-1')
    expect(ssh.get('spark-1')!.calls).toHaveLength(6)
  })

  it('answers problem+json 404 for an unknown node and 422 for an invalid name', async () => {
    const { app } = setup()
    const missing = await app.request('/api/swap-controller/nodes/spark-9')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect((await missing.json()).detail).toContain('spark-1, spark-2')
    for (const bad of ['-x', 'a%3Bb', '%24(id)']) {
      const res = await app.request(`/api/swap-controller/nodes/${bad}`)
      expect(res.status).toBe(422)
      expect((await res.json()).errors[0].field).toBe('name')
    }
  })

  it('publishes the routes in the OpenAPI document', async () => {
    const doc = await (await setup().app.request('/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/swap-controller/nodes', '/api/swap-controller/nodes/{name}']),
    )
  })
})
