/** `/api/swap/telemetry`, `/api/swap/telemetry/stream` and `/api/swap/logs` through buildApp, with fake sources. */
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import { sseReader } from '../../../ui/fixtures/sse.ts'
import type { LogLineEvent, LogTail } from '../adapters/log-tail.ts'
import type { TelemetryPoller, TelemetrySnapshot, TelemetryUpdate } from '../adapters/telemetry-poller.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { buildInventory } from '../domain/inventory.ts'
import { FakeSshNode, FakeSshNodes, healthySpark } from '../testing/fakes.ts'
import { telemetryRoutes } from './telemetry.ts'

const SNAPSHOT: TelemetrySnapshot = {
  interval_ms: 2000,
  nodes: [
    {
      node: 'spark-1',
      role: 'head',
      configured: true,
      gpu: {
        utilization_pct: 96,
        temperature_c: 71,
        power_w: 48.27,
        sm_clock_mhz: 2405,
        throttle_reasons: [],
        at: '2026-04-18T10:00:00.000Z',
      },
      memory: { total_bytes: 100, available_bytes: 40, used_bytes: 60, at: '2026-04-18T10:00:00.000Z' },
      disk: null,
      errors: [
        {
          source: 'disk',
          message: 'spark-1 failed: the model cache /x does not exist',
          at: '2026-04-18T10:00:00.000Z',
        },
      ],
      polls: 3,
      skipped: 0,
    },
  ],
  vllm: { base_url: 'http://192.0.2.10:8888', at: null, models: [], error: null, polls: 3, skipped: 0 },
}

function fakeTelemetry() {
  const listeners = new Set<(u: TelemetryUpdate) => void>()
  const fake: TelemetryPoller & { emit(source: string): void; listeners: number } = {
    intervalMs: 2000,
    historySize: 300,
    start: () => undefined,
    stop: async () => undefined,
    snapshot: () => structuredClone(SNAPSHOT),
    history: (n = 300) => ({
      nodes: { 'spark-1': { at_ms: [1, 2, 3].slice(-n), gpu_util_pct: [1, 2, 3].slice(-n) } as never },
      vllm: { at_ms: [1, 2, 3].slice(-n) } as never,
    }),
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
    pollNow: async () => undefined,
    emit: (source) => {
      for (const l of listeners) l({ source, at: new Date().toISOString() })
    },
    get listeners() {
      return listeners.size
    },
  }
  return fake
}

function fakeLogs(backlog: LogLineEvent[]) {
  const listeners = new Set<(e: LogLineEvent) => void>()
  const fake: LogTail & { emit(e: LogLineEvent): void; listeners: number } = {
    nodes: ['spark-1', 'spark-2'],
    replayLines: 500,
    start: () => undefined,
    stop: async () => undefined,
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
    replay: ({ node, tail = 500 } = {}) =>
      ['spark-1', 'spark-2']
        .filter((n) => node === undefined || n === node)
        .flatMap((n) => backlog.filter((e) => e.node === n).slice(-tail))
        .sort((a, b) => a.at.localeCompare(b.at)),
    kick: () => undefined,
    status: () => [],
    emit: (e) => {
      for (const l of listeners) l(e)
    },
    get listeners() {
      return listeners.size
    },
  }
  return fake
}

const at = (s: number) => new Date(Date.UTC(2026, 3, 18, 10, 0, s)).toISOString()
const BACKLOG: LogLineEvent[] = [
  { node: 'spark-1', line: 'a1', at: at(1) },
  { node: 'spark-2', line: 'b1', at: at(2) },
  { node: 'spark-1', line: 'a2', at: at(3) },
  { node: 'spark-1', line: 'a3', at: at(4) },
]

const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

function setup() {
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SPARK2_HOST: '192.0.2.11',
    SPARK2_USER: 'owner',
  })
  const inventory = buildInventory(config)
  const ssh = new FakeSshNodes()
    .add(new FakeSshNode('spark-1', healthySpark))
    .add(new FakeSshNode('spark-2', healthySpark))
  const shutdown = new AbortController()
  const telemetry = fakeTelemetry()
  const logTail = fakeLogs(BACKLOG)
  const vllm = createVllmClient({ baseUrl: null })
  const app = buildApp({
    config,
    inventory,
    ssh,
    vllm,
    logger: silentLogger(),
    shutdown: shutdown.signal,
    telemetry,
    logTail,
  })
  closers.push(() => shutdown.abort())
  return { app, shutdown, telemetry, logTail }
}

async function open(app: ReturnType<typeof setup>['app'], path: string) {
  const res = await app.request(path)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/event-stream')
  const events = sseReader(res.body!)
  closers.push(() => events.cancel())
  return events
}

const logOf = (e: { data: string } | undefined) => JSON.parse(e!.data) as LogLineEvent

describe('GET /api/swap/telemetry', () => {
  it('returns the latest readings per node with their history columns', async () => {
    const { app } = setup()
    const res = await app.request('/api/swap/telemetry?samples=2')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      simulated: false,
      interval_ms: 2000,
      vllm: { base_url: 'http://192.0.2.10:8888', history: { at_ms: [2, 3] } },
    })
    expect(body.nodes[0]).toMatchObject({
      node: 'spark-1',
      gpu: { utilization_pct: 96 },
      history: { gpu_util_pct: [2, 3] },
    })
    expect(body.nodes[0].errors[0].source).toBe('disk')
    expect(Date.now() - Date.parse(body.generated_at)).toBeLessThan(1000)
  })

  it('refuses a bad sample count with problem+json', async () => {
    const { app } = setup()
    for (const q of ['-1', '301', 'many']) {
      const res = await app.request(`/api/swap/telemetry?samples=${q}`)
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect((await res.json()).errors[0]).toMatchObject({ field: 'samples', location: 'query' })
    }
  })
})

describe('GET /api/swap/telemetry/stream', () => {
  it('sends the current readings at once, then one event per poll, and ends on shutdown', async () => {
    const { app, telemetry, shutdown } = setup()
    const events = await open(app, '/api/swap/telemetry/stream')
    const first = await events.next()
    expect(first?.event).toBe('telemetry')
    expect(JSON.parse(first!.data)).toMatchObject({ source: 'snapshot', nodes: [{ node: 'spark-1' }] })
    expect(JSON.parse(first!.data).nodes[0].history).toBeUndefined()
    telemetry.emit('spark-1')
    telemetry.emit('vllm')
    expect(JSON.parse((await events.next())!.data).source).toBe('spark-1')
    expect(JSON.parse((await events.next())!.data).source).toBe('vllm')
    shutdown.abort()
    expect(await events.next()).toBeUndefined()
    await expect.poll(() => telemetry.listeners).toBe(0)
  })

  it('caps open streams at 32 with 503 + Retry-After, and frees a slot when a client leaves', async () => {
    const { app, telemetry } = setup()
    const streams = []
    for (let i = 0; i < 32; i++) streams.push(await open(app, '/api/swap/telemetry/stream'))
    const refused = await app.request('/api/swap/telemetry/stream')
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('10')
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(telemetry.listeners).toBe(32)
    await streams[0]!.cancel()
    await expect.poll(() => telemetry.listeners).toBe(31)
    await open(app, '/api/swap/telemetry/stream')
  })

  it('writes a comment line as heartbeat while nothing happens', async () => {
    const service = createService({
      name: 'swap-controller',
      logger: silentLogger(),
      readiness: createReadiness({ service: 'swap-controller', checks: [] }),
    })
    service.route('/', telemetryRoutes({ telemetry: fakeTelemetry(), simulated: true, heartbeatMs: 30 }))
    const res = await service.request('/api/swap/telemetry/stream')
    const reader = res.body!.getReader()
    let text = ''
    while (!text.includes(': keep-alive')) text += new TextDecoder().decode((await reader.read()).value)
    expect(text.indexOf('event: telemetry')).toBeLessThan(text.indexOf(': keep-alive'))
    await reader.cancel()
  })
})

describe('GET /api/swap/logs', () => {
  it('replays the newest lines of every node, then streams new ones', async () => {
    const { app, logTail } = setup()
    const events = await open(app, '/api/swap/logs?tail=2')
    const replay = [logOf(await events.next()), logOf(await events.next()), logOf(await events.next())]
    expect(replay.map((e) => e.line)).toEqual(['b1', 'a2', 'a3'])
    logTail.emit({ node: 'spark-2', line: 'live', at: at(9) })
    const live = await events.next()
    expect(live?.event).toBe('log')
    expect(logOf(live)).toEqual({ node: 'spark-2', line: 'live', at: at(9) })
  })

  it('filters by node, validated against the inventory', async () => {
    const { app, logTail } = setup()
    const events = await open(app, '/api/swap/logs?node=spark-1&tail=0')
    logTail.emit({ node: 'spark-2', line: 'other', at: at(10) })
    logTail.emit({ node: 'spark-1', line: 'mine', at: at(11) })
    expect(logOf(await events.next()).line).toBe('mine')
    for (const q of ['node=spark-9', 'node=%3Brm%20-rf', 'tail=501', 'tail=-1']) {
      const res = await app.request(`/api/swap/logs?${q}`)
      expect(res.status, q).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
    const body = await (await app.request('/api/swap/logs?node=spark-9')).json()
    expect(body.errors[0].message).toContain('spark-1, spark-2')
  })

  it('answers the newest lines as JSON on /recent, merged across nodes and cut to tail', async () => {
    const { app } = setup()
    const res = await app.request('/api/swap/logs/recent?tail=2')
    expect(res.status).toBe(200)
    const recent = (await res.json()).lines as { line: string; at: string }[]
    expect(recent.map((e) => e.line)).toEqual(['a2', 'a3'])
    // The same timestamp form as the other routes (history, lock, jobs): `+00:00`, six fractional digits.
    for (const e of recent) expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/)
    const one = await (await app.request('/api/swap/logs/recent?node=spark-2&tail=5')).json()
    expect(one.lines.every((e: { node: string }) => e.node === 'spark-2')).toBe(true)
    const bad = await app.request('/api/swap/logs/recent?tail=abc')
    expect(bad.status).toBe(422)
    expect(bad.headers.get('content-type')).toBe('application/problem+json')
  })

  it('lets the client go: its subscription ends with the stream', async () => {
    const { app, logTail } = setup()
    const events = await open(app, '/api/swap/logs')
    await events.next()
    expect(logTail.listeners).toBe(1)
    await events.cancel()
    await expect.poll(() => logTail.listeners).toBe(0)
  })
})

describe('OpenAPI', () => {
  it('documents the three routes', async () => {
    const { app } = setup()
    const doc = await (await app.request('/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/swap/telemetry', '/api/swap/telemetry/stream', '/api/swap/logs']),
    )
    expect(doc.paths['/api/swap/logs'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'node',
      'tail',
    ])
  })
})
