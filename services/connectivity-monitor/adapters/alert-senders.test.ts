import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MonitorAlert } from '../../../shared/contracts/connectivity-monitor.ts'
import { Secret } from '../../../shared/secret.ts'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import { verifySignature } from '../../../shared/webhook.ts'
import { createAlerter } from '../domain/alerts/alerter.ts'
import { createMaintenance } from '../domain/maintenance/maintenance.ts'
import type { Outage, Target, TargetState } from '../domain/ports.ts'
import { alertSenders, headerText } from './alert-senders.ts'
import { openMaintenanceStore } from './maintenance-store.ts'

interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on 127.0.0.1:0: records every POST and answers it with the next scripted status (then 200). */
async function startReceiver(script: Array<number | 'hang'> = []) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body })
      const status = script.shift() ?? 200
      if (status !== 'hang') res.writeHead(status).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = () => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  cleanups.push(close)
  return { origin, received, close, hook: (r: Received) => r.path.startsWith('/hooks') }
}

const SECRET = 'alert-hook-secret'
const TOKEN = 'tk_ntfytokenvalue'
const T0 = Date.parse('2026-12-06T12:00:00Z')
const s = (seconds: number) => T0 + seconds * 1000
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const target = (id: string, kind: Target['kind'], host: string | null): Target => ({
  id,
  kind,
  title: id === 'vllm' ? 'vLLM' : id,
  host,
  legacySubject: null,
  origins: [],
  disabled: false,
})
const vllm = target('vllm', 'upstream', 'spark-1')
const spark1 = target('spark-1', 'node', null)

async function setup(origin: string, options: { timeoutMs?: number; capacity?: number } = {}) {
  const { lines, logger } = captureLog('connectivity-monitor')
  const store = await openMaintenanceStore(':memory:')
  const maintenance = createMaintenance({ store })
  const marked: string[] = []
  const alerter = createAlerter({
    config: { ALERT_DEBOUNCE_S: 10, ALERT_REMIND_MIN: 0, SIMULATED_CLUSTER: false },
    senders: alertSenders({
      ALERT_WEBHOOK_URL: `${origin}/hooks/s3cr3t-path`,
      ALERT_WEBHOOK_SECRET: new Secret(SECRET),
      ALERT_NTFY_URL: `${origin}/spark-alerts-topic`,
      ALERT_NTFY_TOKEN: new Secret(TOKEN),
      ALERT_TIMEOUT_MS: options.timeoutMs ?? 2000,
    }),
    clock: { now: () => T0 },
    logger,
    maintenance,
    markAlerted: (id) => marked.push(id),
    delivery: { capacity: options.capacity ?? 100, maxAttempts: 3, baseMs: 10, maxMs: 20 },
  })
  cleanups.push(
    () => alerter.close(),
    () => store.close(),
  )
  let n = 0
  const change = (t: Target, from: TargetState, to: TargetState, at: number) => {
    const out = to === 'down' || to === 'degraded'
    alerter.onChange(
      { target: t.id, from, to, at, decidedAt: at, reason: `${t.id} ${to}`, evidence: [] },
      t,
      out ? { opened: { id: `out_${t.id}_${++n}` } as Outage } : {},
    )
  }
  return { alerter, maintenance, marked, lines, change }
}

describe('alerts over real HTTP', () => {
  it('sends nothing for a blip shorter than the debounce', async () => {
    const receiver = await startReceiver()
    const { alerter, change } = await setup(receiver.origin)
    change(vllm, 'up', 'down', s(0))
    alerter.tick(s(9))
    change(vllm, 'down', 'up', s(9.5))
    alerter.tick(s(60))
    await alerter.idle()
    expect(receiver.received).toEqual([])
  })

  it('posts the outage and its resolve to the webhook (signed) and to ntfy, and never logs a secret', async () => {
    const receiver = await startReceiver()
    const { alerter, change, marked, lines } = await setup(receiver.origin)
    change(vllm, 'up', 'down', s(0))
    alerter.tick(s(10))
    await alerter.idle()
    change(vllm, 'down', 'up', s(75))
    alerter.tick(s(76))
    await alerter.idle()

    const hooks = receiver.received.filter(receiver.hook)
    expect(hooks.map((r) => JSON.parse(r.body).event)).toEqual(['outage', 'resolved'])
    for (const r of hooks) {
      expect(MonitorAlert.parse(JSON.parse(r.body))).toEqual(JSON.parse(r.body))
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['x-spark-event']).toBe(JSON.parse(r.body).event)
      expect(r.headers['x-spark-delivery']).toMatch(/^alr_/)
      expect(verifySignature(r.body, SECRET, r.headers['x-spark-signature'] as string)).toBe(true)
    }
    expect(JSON.parse(hooks[1]!.body)).toMatchObject({
      state: 'up',
      duration_s: 75,
      ended_at: '2026-12-06T12:01:15.000Z',
    })

    const ntfy = receiver.received.filter((r) => r.path === '/spark-alerts-topic')
    expect(ntfy.map((r) => [r.headers.title, r.headers.priority, r.headers.tags])).toEqual([
      ['vLLM is down', 'high', 'rotating_light'],
      ['vLLM is back', 'default', 'white_check_mark'],
    ])
    expect(ntfy[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(ntfy[0]!.body).toBe('Down since 2026-12-06 12:00:00 UTC (10 s so far).\nvllm down')
    expect(ntfy[1]!.body).toContain('Down for 1 min 15 s')
    expect(marked).toEqual(['out_vllm_1'])

    const log = lines.join('')
    expect(log).toContain('alert delivered')
    for (const secret of [SECRET, TOKEN, 's3cr3t-path', 'spark-alerts-topic'])
      expect(log).not.toContain(secret)
  })

  it('holds the alert back under a maintenance window', async () => {
    const receiver = await startReceiver()
    const { alerter, change, maintenance } = await setup(receiver.origin)
    maintenance.add({ targets: ['spark-1'], ends_at: new Date(s(600)).toISOString(), reason: 'reboot' }, s(0))
    change(vllm, 'up', 'down', s(0))
    alerter.tick(s(30))
    alerter.tick(s(300))
    await alerter.idle()
    expect(receiver.received).toEqual([])
  })

  it("sends the node's alert, listing the targets on it, instead of theirs", async () => {
    const receiver = await startReceiver()
    const { alerter, change } = await setup(receiver.origin)
    change(vllm, 'up', 'down', s(0))
    change(spark1, 'up', 'down', s(1))
    alerter.tick(s(11))
    await alerter.idle()
    const hooks = receiver.received.filter(receiver.hook).map((r) => JSON.parse(r.body))
    expect(hooks).toHaveLength(1)
    expect(hooks[0]).toMatchObject({ target: 'spark-1', kind: 'node', grouped: ['vllm'] })
    const ntfy = receiver.received.find((r) => !receiver.hook(r))!
    expect(ntfy.body).toContain('Also out on this node: vllm.')
  })

  it('retries a 429 and a 503 with the same delivery id', async () => {
    const receiver = await startReceiver([429, 503])
    const { alerter, change } = await setup(receiver.origin)
    change(vllm, 'up', 'down', s(0))
    alerter.tick(s(10))
    await alerter.idle()
    const deliveries = receiver.received.map((r) => r.headers['x-spark-delivery'] ?? 'ntfy')
    expect(receiver.received.length).toBe(4)
    expect(new Set(deliveries.filter((d) => d !== 'ntfy')).size).toBe(1)
  })

  it('never blocks the engine on a receiver that hangs: bounded queue, timeout, prompt close', async () => {
    const receiver = await startReceiver(Array(400).fill('hang'))
    const { alerter, change, lines } = await setup(receiver.origin, { timeoutMs: 150, capacity: 5 })
    const started = performance.now()
    for (let i = 0; i < 50; i++) change(target(`t${i}`, 'service', null), 'up', 'down', s(0))
    alerter.tick(s(10))
    expect(performance.now() - started).toBeLessThan(100)
    // Each channel sends one alert at a time; the first try of the first one times out into a retry.
    await expect.poll(() => receiver.received.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4)
    expect(lines.join('')).toContain('alert queue full; dropped the oldest alert')
    expect(lines.join('')).toContain('will retry')
    const closing = performance.now()
    await alerter.close()
    expect(performance.now() - closing).toBeLessThan(1000)
  })

  it('gives up on a receiver that refuses connections, and sends the next alert anyway', async () => {
    const gone = await startReceiver()
    await gone.close()
    const { alerter, change, lines } = await setup(gone.origin)
    change(vllm, 'up', 'down', s(0))
    alerter.tick(s(10))
    await alerter.idle()
    expect(lines.join('')).toContain('alert delivery failed for good')
    expect(lines.join('')).toContain('ECONNREFUSED')
  })
})

describe('ntfy header text', () => {
  it('passes ASCII as is and sends anything else as an RFC 2047 encoded word', () => {
    expect(headerText('vLLM is down')).toBe('vLLM is down')
    expect(headerText('Küche is down')).toBe(`=?UTF-8?B?${Buffer.from('Küche is down').toString('base64')}?=`)
    expect(headerText('a\r\nInjected: yes')).toBe('a Injected: yes')
  })
})
