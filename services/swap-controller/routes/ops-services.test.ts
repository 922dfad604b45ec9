/**
 * The service container routes over the real adapter (adapters/ops/containers.ts), with a
 * scripted docker on the nodes and a scripted health check: what runs where, what is answered,
 * and what the audit log gets.
 */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createServiceContainers } from '../adapters/ops/containers.ts'
import type { HealthCheck } from '../adapters/ops/containers-health.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import type { AuditInput } from '../domain/coordination/ports.ts'
import { buildInventory } from '../domain/inventory.ts'
import { AutoRestartBook } from '../domain/ops/auto-restart.ts'
import { buildServiceInventory } from '../domain/ops/inventory.ts'
import { recordingRunner } from '../testing/earlier-ops.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

const STATE = (status: string) =>
  JSON.stringify({ Status: status, Running: status === 'running', StartedAt: '2026-12-06T09:00:00.5Z' })
const line = (name: string, status = 'running') => `"/${name}"\t${STATE(status)}\t0\t0\t"${name}:latest"`

function setup(
  opts: { inspect?: () => { code: number; stdout?: string; stderr?: string }; restartCode?: number } = {},
) {
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SPARK2_HOST: '192.0.2.11',
    SPARK2_USER: 'owner',
    SPARK_SERVICES: JSON.stringify([
      { name: 'vllm2', kind: 'llm', node: 'spark-1', container: 'vllm_second' },
    ]),
  })
  const inventory = buildInventory(config)
  const { entries } = buildServiceInventory(config, inventory.nodes)
  const { runner, calls } = recordingRunner((argv) => {
    if (argv[1] === 'inspect')
      return (
        opts.inspect?.() ?? {
          code: 1,
          stdout: `${['parakeet-asr', 'kokoro-tts', 'bge-m3', 'vllm_second'].map((n) => line(n)).join('\n')}\n`,
          stderr: 'Error: No such object: qdrant\n',
        }
      )
    if (argv[1] === 'stats') return { code: 0, stdout: 'parakeet-asr\t6.4GiB / 119.7GiB\t0.50%\n' }
    if (argv[1] === 'logs')
      return {
        code: 0,
        stdout: '2026-12-06T09:00:00.200000000Z second\n',
        stderr: '2026-12-06T09:00:00.100000000Z first\n2026-12-06T09:00:00.300000000Z third\n',
      }
    if (argv[1] === 'restart')
      return { code: opts.restartCode ?? 0, stderr: 'Error response from daemon: boom\n' }
    return { code: 0 }
  })
  const health: HealthCheck = {
    ok: true,
    status: 200,
    ms: 3,
    at: '2026-12-06T10:00:00.000Z',
    error: null,
    wedgeLike: false,
  }
  const probed: string[] = []
  const busy: string[] = []
  const audits: AuditInput[] = []
  const policy = { enabled: false, max: 3, windowMs: 1_800_000, wedgeFailures: 3 }
  const containers = createServiceContainers({
    entries,
    runner,
    swaps: { busyNodes: () => busy },
    audit: (e) => void audits.push(e),
    probe: async (url) => {
      probed.push(url)
      return health
    },
    book: new AutoRestartBook(policy, Date.now),
    graceS: 5,
    healthWaitMs: 1000,
  })
  const app = buildApp({
    config,
    inventory,
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    ops: { containers, autoRestart: policy, simulated: false },
  })
  return { app, calls, probed, busy, audits }
}

const post = (app: ReturnType<typeof setup>['app'], path: string, body?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'owner' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('GET /api/ops/services', () => {
  it('reads each node once (inspect, then stats for the running), checks health, and shows missing ones', async () => {
    const { app, calls, probed } = setup()
    const res = await app.request('/api/ops/services')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(calls.filter((c) => c.argv[1] === 'inspect').map((c) => c.node)).toEqual(['spark-2', 'spark-1'])
    const byName = Object.fromEntries(body.services.map((s: { name: string }) => [s.name, s]))
    expect(byName.parakeet).toMatchObject({ state: 'running', memory_bytes: Math.round(6.4 * 1024 ** 3) })
    expect(byName.qdrant).toMatchObject({ state: 'missing', pill: 'not_configured' })
    expect(byName.vllm2).toMatchObject({ state: 'running', pill: 'healthy', health: null })
    expect(probed).toContain('http://192.0.2.11:8000/health')
    expect(body.auto_restart).toEqual({ enabled: false, max: 3, window_s: 1800, recent: [] })
  })

  it('a node that does not answer makes its services unknown, with the reason, never a 500', async () => {
    const { app } = setup({ inspect: () => ({ code: 255, stderr: 'ssh: connect to host: timed out' }) })
    const body = await (await app.request('/api/ops/services')).json()
    expect(body.services.find((s: { name: string }) => s.name === 'kokoro')).toMatchObject({
      state: 'unknown',
      pill: 'unknown',
      error: expect.stringMatching(/^spark-2: docker inspect failed \(exit 255\)/),
    })
  })
})

describe('POST /api/ops/services/{name}/restart', () => {
  it('428 without confirm or dry_run, 404 for an unknown service; nothing runs', async () => {
    const { app, calls } = setup()
    expect((await post(app, '/api/ops/services/parakeet/restart', {})).status).toBe(428)
    expect((await post(app, '/api/ops/services/parakeet/restart')).status).toBe(428)
    expect((await post(app, '/api/ops/services/nope/restart', { confirm: true })).status).toBe(404)
    expect(calls).toEqual([])
  })

  it('a dry run answers the commands and runs nothing', async () => {
    const { app, calls, audits } = setup()
    const res = await post(app, '/api/ops/services/parakeet/restart', { dry_run: true })
    expect(await res.json()).toMatchObject({
      dry_run: true,
      restarted: false,
      commands: [{ node: 'spark-2', argv: ['docker', 'restart', '-t', '5', 'parakeet-asr'] }],
    })
    expect(calls).toEqual([])
    expect(audits).toEqual([expect.objectContaining({ action: 'ops.restart', dryRun: true, actor: 'owner' })])
  })

  it('runs docker restart on its node, waits for health, and audits the run', async () => {
    const { app, calls, audits } = setup()
    const res = await post(app, '/api/ops/services/parakeet/restart', { confirm: true })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ restarted: true, health_after: { ok: true } })
    expect(calls).toEqual([{ node: 'spark-2', argv: ['docker', 'restart', '-t', '5', 'parakeet-asr'] }])
    expect(audits).toEqual([
      expect.objectContaining({ action: 'ops.restart', target: 'parakeet', outcome: 'ok', dryRun: false }),
    ])
  })

  it('409 while a swap uses its node, audited as refused; another node is free', async () => {
    const { app, calls, busy, audits } = setup()
    busy.push('spark-2')
    const res = await post(app, '/api/ops/services/parakeet/restart', { confirm: true })
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    expect(audits.at(-1)).toMatchObject({ outcome: 'refused', target: 'parakeet' })
    expect(calls).toEqual([])
    expect((await post(app, '/api/ops/services/vllm2/restart', { confirm: true })).status).toBe(200)
  })

  it('a failing docker restart is 502 with docker’s words, audited as failed', async () => {
    const { app, audits } = setup({ restartCode: 1 })
    const res = await post(app, '/api/ops/services/parakeet/restart', { confirm: true })
    expect(res.status).toBe(502)
    expect((await res.json()).detail).toMatch(/boom/)
    expect(audits.at(-1)).toMatchObject({ outcome: 'failed' })
  })
})

describe('GET /api/ops/services/{name}/logs', () => {
  it('puts stdout and stderr back in write order, bounded', async () => {
    const { app, calls } = setup()
    const res = await app.request('/api/ops/services/parakeet/logs?lines=50')
    expect(await res.json()).toEqual({ service: 'parakeet', lines: ['first', 'second', 'third'] })
    expect(calls[0]?.argv).toEqual(['docker', 'logs', '--tail', '50', '-t', 'parakeet-asr'])
    expect((await app.request('/api/ops/services/parakeet/logs?lines=100000')).status).toBe(422)
  })
})
