import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger, type Logger, silentLogger } from '../../shared/logger.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { buildApp } from './app.ts'
import { REDACTION_CAPABILITIES } from './capabilities.ts'
import { loadRedactionConfig } from './config.ts'

const KEY = Buffer.alloc(32, 0x5a).toString('base64')
let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'redaction-test-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

function redactionApp(env: Record<string, string>, logger: Logger = silentLogger()) {
  return buildApp({ config: loadRedactionConfig({ REDACTION_INSECURE_DEV_KEY: '1', ...env }), logger })
}

async function ready(app: ReturnType<typeof redactionApp>) {
  const res = await app.request('/ready')
  return { status: res.status, body: (await res.json()) as ReadyReport }
}

describe('redaction-gateway readiness: map_store', () => {
  it('creates a missing database directory with mode 0700 and reports ready', async () => {
    const dir = join(root, 'missing', 'maps')
    const { status, body } = await ready(redactionApp({ REDACTION_MAP_DB: join(dir, 'r.db') }))
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(body.dependencies.map_store).toMatchObject({
      state: 'up',
      critical: true,
      detail: expect.stringContaining('created'),
      info: { kind: 'sqlite', path: join(dir, 'r.db') },
    })
    const made = await stat(dir)
    expect(made.isDirectory()).toBe(true)
    expect(made.mode & 0o777).toBe(0o700)
  })

  it('uses <DATA_DIR>/redaction_maps.db by default', async () => {
    const { body } = await ready(redactionApp({ DATA_DIR: join(root, 'data') }))
    expect(body.dependencies.map_store).toMatchObject({
      state: 'up',
      info: { path: join(root, 'data', 'redaction_maps.db') },
    })
    expect((await stat(join(root, 'data'))).isDirectory()).toBe(true)
  })

  it('answers 503 not_ready when a file sits where the directory should be', async () => {
    await writeFile(join(root, 'blocker'), 'x')
    const { status, body } = await ready(redactionApp({ REDACTION_MAP_DB: join(root, 'blocker', 'r.db') }))
    expect(status).toBe(503)
    expect(body.status).toBe('not_ready')
    expect(body.dependencies.map_store!.state).toBe('down')
    expect(body.dependencies.map_store!.detail).toContain(join(root, 'blocker'))
  })

  it('answers 503 when the database path is a directory', async () => {
    await mkdir(join(root, 'r.db'))
    const { status, body } = await ready(redactionApp({ REDACTION_MAP_DB: join(root, 'r.db') }))
    expect(status).toBe(503)
    expect(body.dependencies.map_store).toMatchObject({
      state: 'down',
      detail: `${join(root, 'r.db')}: not a regular file`,
    })
  })
})

describe('redaction-gateway service surface', () => {
  it('answers /health, /ready, /metrics and /openapi.json', async () => {
    const app = redactionApp({ DATA_DIR: root })
    expect(await (await app.request('/health')).json()).toMatchObject({
      status: 'ok',
      service: 'redaction-gateway',
    })
    expect((await app.request('/ready')).status).toBe(200)
    expect(await (await app.request('/metrics')).text()).toContain('http_requests_total')
    expect((await (await app.request('/openapi.json')).json()).info.title).toBe('redaction-gateway')
  })

  it('builds /scrub and /rehydrate; without an open store they answer 503 in the {"error": code} shape', async () => {
    const app = redactionApp({ DATA_DIR: root })
    expect(await askRoutes(app, REDACTION_CAPABILITIES, 'planned')).toEqual([])
    const answers = await askRoutes(app, REDACTION_CAPABILITIES, 'built')
    expect(answers.map((a) => [a.route, a.status])).toEqual([
      ['POST /scrub', 400],
      ['POST /rehydrate', 400],
      ['POST /rehydrate/stream', 400],
      ['GET /api/redaction/stats', 503],
      ['POST /scrub-proxy/v1/chat/completions', 503],
    ])
    const body = { task_id: 't', items: [{ id: 1, text: 'x' }], ner: 'rules_only', map_handle: 'h' }
    const res = await app.request('/scrub', { method: 'POST', body: JSON.stringify(body) })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: 'map_store_unavailable' })
    const report = await ready(app)
    expect(report.body.dependencies.map_store!.state).toBe('up')
    expect(report.body.capabilities!.redaction!.state).toBe('up')
  })

  it('reports map_store down with the reason when main.ts could not open the store', async () => {
    const config = loadRedactionConfig({ REDACTION_INSECURE_DEV_KEY: '1', DATA_DIR: root })
    const app = buildApp({
      config,
      logger: silentLogger(),
      storeProblem: 'could not be opened: disk I/O error',
    })
    const { status, body } = await ready(app)
    expect(status).toBe(503)
    expect(body.dependencies.map_store).toMatchObject({
      state: 'down',
      detail: 'could not be opened: disk I/O error',
    })
    expect(body.capabilities!.redaction!.state).not.toBe('up')
  })

  it('never writes REDACTION_MAP_KEY to the log or the readiness report', async () => {
    const sink = new PassThrough()
    let logged = ''
    sink.on('data', (chunk: Buffer) => (logged += chunk.toString()))
    const logger = createLogger({ service: 'redaction-gateway', level: 'trace', destination: sink })
    const config = loadRedactionConfig({ DATA_DIR: root, REDACTION_MAP_KEY: KEY })
    const app = buildApp({ config, logger })
    const report = await (await app.request('/ready')).text()
    await app.request('/nowhere')
    logger.info({ config }, 'config')
    await new Promise((r) => setImmediate(r))
    expect(logged).toContain('[redacted]')
    expect(logged + report).not.toContain(KEY)
  })
})
