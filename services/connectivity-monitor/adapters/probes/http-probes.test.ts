import { describe, expect, it } from 'vitest'
import { loadMonitorConfig } from '../../config.ts'
import { buildTargets } from '../../domain/targets/build.ts'
import { probeSettings } from './index.ts'
import { refusingPort, SETTINGS, signal, target, useProbeKit } from './probe-test-kit.ts'

const { probes, tcpServer, httpServer } = useProbeKit()

describe('http probe', () => {
  it('is ok on 2xx, names 5xx and other statuses', async () => {
    const statuses = new Map([
      ['/ok', 200],
      ['/busy', 503],
      ['/gone', 404],
    ])
    const { url } = await httpServer((req, res) => res.writeHead(statuses.get(req.url!) ?? 500).end('{}'))
    // A threshold far above loopback times, so a first request on a busy machine is not slow.
    const p = probes({ httpSlowMs: 5000 })
    const ok = await p.http!(target({ http: { url: `${url}/ok` } }), signal())
    expect(ok).toMatchObject({ layer: 'http', ok: true, detail: 'HTTP 200' })
    expect(ok.slow).toBeUndefined()
    expect(await p.http!(target({ http: { url: `${url}/busy` } }), signal())).toMatchObject({
      ok: false,
      kind: 'http_5xx',
      detail: 'answered HTTP 503',
    })
    expect(await p.http!(target({ http: { url: `${url}/gone` } }), signal())).toMatchObject({
      ok: false,
      kind: 'bad_status',
      detail: 'answered HTTP 404',
    })
  })

  it('calls a 2xx slower than the slow threshold slow, not failed', async () => {
    // The server answers late (a busy GPU's health route); the test itself waits on the probe.
    const { url } = await httpServer((_req, res) =>
      setTimeout(() => res.end('ok'), SETTINGS.httpSlowMs + 100),
    )
    const evidence = await probes().http!(target({ http: { url } }), signal())
    expect(evidence).toMatchObject({ ok: true, slow: true })
    expect(evidence.latencyMs).toBeGreaterThan(SETTINGS.httpSlowMs)
  })

  it('names a refused port', async () => {
    const port = await refusingPort()
    const evidence = await probes().http!(
      target({ http: { url: `http://127.0.0.1:${port}/health` } }),
      signal(),
    )
    expect(evidence).toMatchObject({ ok: false, kind: 'refused', detail: 'connection refused' })
  })

  it('names a server that closes the connection without answering', async () => {
    const { port } = await tcpServer((socket) => socket.once('data', () => socket.destroy()))
    const evidence = await probes().http!(
      target({ http: { url: `http://127.0.0.1:${port}/health` } }),
      signal(),
    )
    expect(evidence).toMatchObject({ ok: false, kind: 'reset' })
  })

  it('times out on time against a server that accepts and never answers, and leaves no socket open', async () => {
    const { port, open } = await tcpServer()
    const started = performance.now()
    const evidence = await probes().http!(
      target({ http: { url: `http://127.0.0.1:${port}/health` } }),
      signal(),
    )
    const took = performance.now() - started
    expect(evidence).toMatchObject({ ok: false, kind: 'timeout' })
    expect(took).toBeGreaterThanOrEqual(SETTINGS.httpTimeoutMs - 5)
    expect(took).toBeLessThan(SETTINGS.httpTimeoutMs + 300)
    await expect.poll(() => open.size).toBe(0)
  })

  it('stops when the engine’s signal fires', async () => {
    const { port, open } = await tcpServer()
    const controller = new AbortController()
    const pending = probes().http!(
      target({ http: { url: `http://127.0.0.1:${port}/health` } }),
      controller.signal,
    )
    await expect.poll(() => open.size).toBe(1)
    controller.abort()
    const evidence = await pending
    expect(evidence).toMatchObject({ ok: false, kind: 'other', detail: 'check cancelled' })
    expect(evidence.latencyMs).toBeLessThan(SETTINGS.httpTimeoutMs)
    await expect.poll(() => open.size).toBe(0)
  })
})

describe('functional probe', () => {
  it('sends the target’s request, a JSON body for POST, and is ok on 2xx', async () => {
    const seen: { method?: string; type?: string; body: string }[] = []
    const { url } = await httpServer((req, res, body) => {
      seen.push({ method: req.method, type: req.headers['content-type'], body })
      res.writeHead(req.method === 'POST' ? 200 : 500).end('[]')
    })
    const p = probes()
    const post = await p.functional!(
      target({ functional: { method: 'POST', url: `${url}/v1/embeddings`, body: { input: 'ok' } } }),
      signal(),
    )
    expect(post).toMatchObject({ layer: 'functional', ok: true })
    expect(seen[0]).toEqual({ method: 'POST', type: 'application/json', body: '{"input":"ok"}' })
    const get = await p.functional!(
      target({ functional: { method: 'GET', url: `${url}/v1/models` } }),
      signal(),
    )
    expect(get).toMatchObject({ ok: false, kind: 'http_5xx' })
  })

  it('sends an origin’s extra headers to that origin only', async () => {
    const keys: (string | undefined)[] = []
    const a = await httpServer((req, res) =>
      res.end(String(keys.push(req.headers['api-key'] as string | undefined))),
    )
    const b = await httpServer((req, res) =>
      res.end(String(keys.push(req.headers['api-key'] as string | undefined))),
    )
    const p = probes({ headers: new Map([[a.url, { 'api-key': 'k1' }]]) })
    await p.functional!(target({ functional: { method: 'GET', url: `${a.url}/collections` } }), signal())
    await p.http!(target({ http: { url: `${a.url}/readyz` } }), signal())
    await p.functional!(target({ functional: { method: 'GET', url: `${b.url}/collections` } }), signal())
    expect(keys).toEqual(['k1', 'k1', undefined])
  })
})

describe('probeSettings', () => {
  it('takes the timeouts from config and sends Qdrant’s key to Qdrant’s origin only', () => {
    const config = loadMonitorConfig({
      SPARK2_HOST: 'spark-2.example',
      QDRANT_API_KEY: 'secret-key',
      MONITOR_HTTP_SLOW_MS: '700',
      MONITOR_SSH_TIMEOUT_MS: '2500',
    })
    const settings = probeSettings(config, buildTargets(config).targets)
    expect(settings).toMatchObject({ httpSlowMs: 700, sshTimeoutMs: 2500, tcpTimeoutMs: 1000 })
    expect([...(settings.headers ?? [])]).toEqual([
      ['http://spark-2.example:6333', { 'api-key': 'secret-key' }],
    ])
    const keyless = loadMonitorConfig({ SPARK2_HOST: 'spark-2.example' })
    expect(probeSettings(keyless, buildTargets(keyless).targets).headers?.size).toBe(0)
  })
})
