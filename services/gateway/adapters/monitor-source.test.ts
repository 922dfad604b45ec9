/**
 * The dashboard's monitor source against a fake monitor on loopback: reads checked against the
 * contract (a mismatch is a 502 naming the field), changes sent as the person, refusals in the
 * monitor's words, a monitor that is away or silent failing within the deadline, and the event
 * stream parsed message by message (keep-alives and unknown kinds skipped).
 */
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { MonitorSourceError } from '../../../ui/connectivity/source.ts'
import {
  NOW,
  SAMPLE_OUTAGES,
  SAMPLE_UPTIME,
  SAMPLE_WINDOWS,
  sampleTargets,
} from '../../../ui/fixtures/connectivity.ts'
import { createMonitorSource } from './monitor-source.ts'

const fakes: FakeUpstream[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function sourceOf(app: Hono, timeoutMs = 2000) {
  const fake = await startFake(app)
  fakes.push(fake)
  return createMonitorSource({ baseUrl: fake.url, timeoutMs })
}

describe('the dashboard’s monitor source', () => {
  it('reads targets, outages, uptime and windows as the contract types them', async () => {
    const asked: string[] = []
    const app = new Hono()
    app.get('/api/monitor/targets', (c) => c.json(sampleTargets()))
    app.get('/api/monitor/outages', (c) => {
      asked.push(c.req.url.split('?')[1] ?? '')
      return c.json({ outages: SAMPLE_OUTAGES })
    })
    app.get('/api/monitor/uptime', (c) => c.json(SAMPLE_UPTIME))
    app.get('/api/monitor/maintenance', (c) => c.json({ windows: SAMPLE_WINDOWS }))
    const source = await sourceOf(app)
    expect((await source.targets()).targets.map((t) => t.id)).toContain('embeddings')
    expect(await source.outages({ limit: 500, since: '2030-01-01T12:00:00.000Z' })).toEqual(SAMPLE_OUTAGES)
    expect(asked).toEqual(['limit=500&since=2030-01-01T12%3A00%3A00.000Z'])
    expect(await source.uptime()).toEqual(SAMPLE_UPTIME)
    expect(await source.maintenance()).toEqual(SAMPLE_WINDOWS)
  })

  it('calls an answer that does not match the contract a 502 naming the field', async () => {
    const app = new Hono()
    const broken = sampleTargets()
    app.get('/api/monitor/targets', (c) =>
      c.json({ ...broken, targets: [{ ...broken.targets[0], state: 'sleeping' }] }),
    )
    const source = await sourceOf(app)
    await expect(source.targets()).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('targets.0.state'),
    })
  })

  it('opens and ends windows as the person, and says a refusal in the monitor’s words', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.post('/api/monitor/maintenance', async (c) => {
      const body = await c.req.json()
      seen.push({ body, actor: c.req.header('x-spark-actor') })
      if (body.reason === 'bad')
        return c.json({ title: 'Unprocessable', detail: 'ends_at: in the past', status: 422 }, 422)
      return c.json({ id: 'w-7', starts_at: NOW.toISOString(), source: 'owner', ...body }, 201)
    })
    app.delete('/api/monitor/maintenance/w-7', (c) => {
      seen.push({ deleted: 'w-7', actor: c.req.header('x-spark-actor') })
      return c.body(null, 204)
    })
    app.delete('/api/monitor/maintenance/w-8', (c) => c.json({ detail: 'no such window', status: 404 }, 404))
    const source = await sourceOf(app)
    const window = { targets: ['kokoro'], ends_at: '2030-01-02T13:00:00.000Z', reason: 'new PSU' }
    expect(await source.addMaintenance(window, 'dashboard:ops')).toMatchObject({
      id: 'w-7',
      targets: ['kokoro'],
    })
    const refused = source.addMaintenance({ ...window, reason: 'bad' }, 'dashboard')
    await expect(refused).rejects.toBeInstanceOf(MonitorSourceError)
    await expect(refused).rejects.toMatchObject({ status: 422, message: 'ends_at: in the past' })
    expect(await source.removeMaintenance('w-7', 'dashboard:ops')).toBe(true)
    expect(await source.removeMaintenance('w-8', 'dashboard')).toBe(false)
    expect(seen).toEqual([
      { body: window, actor: 'dashboard:ops' },
      { body: { ...window, reason: 'bad' }, actor: 'dashboard' },
      { deleted: 'w-7', actor: 'dashboard:ops' },
    ])
  })

  it('fails within its deadline when the monitor is away or never answers', async () => {
    const gone = await startFake(new Hono())
    await gone.close()
    const away = createMonitorSource({ baseUrl: gone.url, timeoutMs: 500 })
    await expect(away.targets()).rejects.toMatchObject({ status: 503 })
    const app = new Hono()
    app.get('/api/monitor/targets', () => new Promise<Response>(() => undefined))
    const silent = await sourceOf(app, 300)
    await expect(silent.targets()).rejects.toMatchObject({ status: 504 })
  })

  it('streams the events, skipping keep-alives and kinds it does not know, until the caller stops', async () => {
    const app = new Hono()
    const state = {
      type: 'state',
      target: 'embeddings',
      from: 'up',
      to: 'down',
      at: NOW.toISOString(),
      reason: 'refused',
    }
    app.get('/api/monitor/events', (c) =>
      streamSSE(c, async (s) => {
        await s.write(': keep-alive\n\n')
        await s.writeSSE({ event: 'state', data: JSON.stringify(state) })
        await s.writeSSE({ event: 'future', data: JSON.stringify({ type: 'future', x: 1 }) })
        await s.writeSSE({
          event: 'outage',
          data: JSON.stringify({ type: 'outage', outage: SAMPLE_OUTAGES[0] }),
        })
        await new Promise<void>((resolve) => s.onAbort(resolve))
      }),
    )
    const source = await sourceOf(app)
    const stop = new AbortController()
    let opened = 0
    const got: string[] = []
    for await (const e of source.events(stop.signal, () => opened++)) {
      got.push(e.type === 'state' ? `state:${e.target}:${e.to}` : e.type)
      if (got.length === 2) stop.abort()
    }
    expect(opened).toBe(1)
    expect(got).toEqual(['state:embeddings:down', 'outage'])
  })

  it('ends the stream with an error when the monitor refuses it', async () => {
    const app = new Hono()
    app.get('/api/monitor/events', (c) => c.json({ detail: 'not built yet', status: 501 }, 501))
    const source = await sourceOf(app)
    const iterate = async () => {
      for await (const _ of source.events(new AbortController().signal)) break
    }
    await expect(iterate()).rejects.toMatchObject({ status: 501, message: 'not built yet' })
  })
})
