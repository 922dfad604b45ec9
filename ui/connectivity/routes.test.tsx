/**
 * The connectivity page as the dashboard serves it, against a fake monitor: every state rendered,
 * grouped by node; outages on the timeline and in the table, grouped under their node's; uptime;
 * a monitor that does not answer said plainly; maintenance asked first and sent as the person.
 */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { fakeMonitor, NOW, sampleTargets } from '../fixtures/connectivity.ts'
import type { MonitorSource } from './source.ts'
import { MonitorSourceError } from './source.ts'

function dashboard(monitor?: MonitorSource, controlsOpen = true) {
  return buildDashboard({
    getStatus: async () => {
      throw new Error('not needed here')
    },
    simulated: true,
    controlsOpen,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    now: () => NOW,
    monitor,
  })
}

const html = async (monitor: MonitorSource | undefined, path = '/ui/connectivity') => {
  const res = await dashboard(monitor).request(path)
  expect(res.status).toBe(200)
  return res.text()
}

const row = (page: string, id: string) =>
  page.match(new RegExp(`<tr data-target="${id}"[\\s\\S]*?</tr>`))?.[0] ?? ''

const unreachable = (): Partial<MonitorSource> => {
  const refused = async () => {
    throw Object.assign(new Error('connection refused'), { status: 503 })
  }
  return { targets: refused, outages: refused, uptime: refused, maintenance: refused }
}

describe('GET /ui/connectivity: the state of every target', () => {
  it('groups the upstreams under the node they run on, then the services', async () => {
    const page = await html(fakeMonitor().source)
    expect(page).toContain('<a href="/ui/connectivity" aria-current="page">Connectivity</a>')
    const groups = [...page.matchAll(/<tbody data-group="([^"]+)"/g)].map((m) => m[1])
    expect(groups).toEqual(['node-spark-1', 'node-spark-2', 'elsewhere', 'services'])
    const spark2 = page.match(/<tbody data-group="node-spark-2">[\s\S]*?<\/tbody>/)?.[0] ?? ''
    const inSpark2 = [...spark2.matchAll(/<tr data-target="([^"]+)"/g)].map((m) => m[1])
    expect(inSpark2).toEqual(['spark-2', 'embeddings', 'kokoro', 'parakeet'])
    const services = page.match(/<tbody data-group="services">[\s\S]*?<\/tbody>/)?.[0] ?? ''
    expect(services).toContain('Spark Control&#39;s own services')
    expect(services).toContain('data-target="gateway"')
    // Simulated Sparks and upstreams say so; our own services are real processes.
    expect(row(page, 'vllm')).toContain('<span class="sim-tag">simulated</span>')
    expect(row(page, 'gateway')).not.toContain('sim-tag')
  })

  it('shows each state with its word, since when, why, the last readings and the probing mode', async () => {
    const m = fakeMonitor()
    m.state.targets = sampleTargets({
      embeddings: {
        state: 'down',
        since: '2030-01-02T11:57:00Z',
        reason: 'TCP refused twice',
        layers: { tcp: { ok: false, at: '2030-01-02T11:59:59Z', latency_ms: 0.3, kind: 'refused' } },
        probing: 'fast',
      },
      vllm: {
        state: 'busy',
        reason: 'health slow while requests succeed',
        layers: { http: { ok: true, at: '2030-01-02T11:59:59Z', latency_ms: 812, detail: 'slow' } },
        probing: 'quiet',
      },
      kokoro: {
        state: 'maintenance',
        maintenance: { reason: 'new power supply', until: '2030-01-02T13:00:00Z' },
      },
      qdrant: { state: 'degraded', reason: 'half of the searches fail' },
      parakeet: { state: 'unknown', reason: 'no reading yet', layers: {} },
    })
    const page = await html(m.source)
    const emb = row(page, 'embeddings')
    expect(emb).toContain('data-pill="down"')
    expect(emb).toContain('for 3 min')
    expect(emb).toContain('<time datetime="2030-01-02T11:57:00Z">11:57:00 UTC</time>')
    expect(emb).toContain('TCP refused twice')
    expect(emb).toContain('TCP refused after 0.3 ms')
    expect(emb).toContain('data-probing="fast"')
    expect(row(page, 'vllm')).toContain('data-pill="busy"')
    expect(row(page, 'vllm')).toContain('health 812 ms slow')
    expect(row(page, 'vllm')).toContain('traffic: 120 ok, 2 failed, last 3.0 s ago')
    expect(row(page, 'vllm')).toContain('probed less often')
    expect(row(page, 'kokoro')).toContain('data-pill="maintenance"')
    expect(row(page, 'kokoro')).toContain('new power supply until 13:00:00 UTC')
    expect(row(page, 'qdrant')).toContain('data-pill="degraded"')
    expect(row(page, 'parakeet')).toContain('data-pill="unknown"')
    expect(row(page, 'parakeet')).toContain('no reading yet')
    expect(page).toContain('data-summary="bad"')
    expect(page).toContain('Down: Embeddings (bge-m3).')
  })

  it("says 'switching' for vLLM while a model switch runs, and nothing is called down", async () => {
    const m = fakeMonitor()
    m.state.targets = sampleTargets({
      vllm: { state: 'maintenance', maintenance: { reason: 'swap: qwen3 (loading)', until: null } },
    })
    const page = await html(m.source)
    expect(row(page, 'vllm')).toContain('data-pill="switching"')
    expect(row(page, 'vllm')).toContain('Switching the chat model: qwen3 (loading)')
    expect(page).not.toContain('data-pill="down"')
    expect(page).toContain('data-summary="good"')
    expect(page).toContain('Nothing is down (vLLM switching).')
  })

  it('says so plainly when the monitor cannot be reached: no empty table, no 500', async () => {
    const page = await html(fakeMonitor(unreachable()).source)
    expect(page).toContain('data-monitor="unreachable"')
    expect(page).toContain('The connectivity monitor cannot be reached right now')
    expect(page).toContain('The outage log is not available right now.')
    expect(page).toContain('The uptime figures are not available right now.')
    expect(page).not.toContain('<table class="history conn-states"')
    // Nothing to plan maintenance for while the targets are unknown.
    expect(page).not.toContain('data-action="add-window"')
  })

  it('says the monitor is not connected when the dashboard was built without it', async () => {
    const page = await html(undefined)
    expect(page).toContain('The connectivity monitor is not connected to this dashboard')
  })
})

describe('GET /ui/connectivity: outages and uptime', () => {
  it('places each outage on its target’s bar, and 7 days on request', async () => {
    const m = fakeMonitor()
    const page = await html(m.source)
    expect(page).toContain('data-range="24h"')
    const kokoroBar = page.match(/<tr data-timeline="kokoro">[\s\S]*?<\/tr>/)?.[0] ?? ''
    // Six hours ago in a 24 h span: three quarters along.
    expect(kokoroBar).toContain('data-segment="o-kokoro" data-left="75"')
    expect(page.match(/<tr data-timeline="gateway">[\s\S]*?<\/tr>/)?.[0]).toContain(
      'aria-label="Gateway: no outage"',
    )
    expect(m.calls.find((c) => c.what === 'outages')?.input).toEqual({
      limit: 500,
      since: '2030-01-01T12:00:00.000Z',
    })
    const week = await html(m.source, '/ui/connectivity?range=7d')
    expect(week).toContain('data-range="7d"')
    expect(m.calls.filter((c) => c.what === 'outages').at(-1)?.input).toMatchObject({
      since: '2029-12-26T12:00:00.000Z',
    })
  })

  it('lists outages newest first, a node’s outage with those it grouped beneath it, an open one as ongoing', async () => {
    const page = await html(fakeMonitor().source)
    const order = [...page.matchAll(/<tr data-outage="([^"]+)"/g)].map((m) => m[1])
    expect(order).toEqual(['o-qdrant', 'o-emb', 'o-node', 'o-parakeet', 'o-kokoro'])
    const node = page.match(/<tbody data-outage-group="o-node">[\s\S]*?<\/tbody>/)?.[0] ?? ''
    expect(node.match(/class="outage-child"/g)).toHaveLength(2)
    const open = page.match(/<tr data-outage="o-qdrant"[\s\S]*?<\/tr>/)?.[0] ?? ''
    expect(open).toContain('data-severity="degraded"')
    expect(open).toContain('<strong>ongoing</strong>')
    expect(open).toContain('5 min so far')
    expect(page.match(/<tr data-outage="o-emb"[\s\S]*?<\/tr>/)?.[0]).toContain('4.2 s')
    expect(node).toContain('alert sent')
  })

  it('gives uptime per day, week and month to 0.001 %, with unknown time said apart', async () => {
    const page = await html(fakeMonitor().source)
    const emb = page.match(/<tr data-uptime="embeddings">[\s\S]*?<\/tr>/)?.[0] ?? ''
    expect(emb).toContain('99.995 %')
    expect(emb).toContain('1 outage, 4.2 s down')
    expect(emb).toContain('2 h unknown — the monitor was not running')
    expect(emb).toMatch(/data-period="month"[\s\S]*?no data/)
  })
})

describe('maintenance', () => {
  const confirmPath = '/ui/fragments/connectivity/maintenance/confirm'
  const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString()

  it('lists the windows; only an owner’s window can be ended, and that asks first', async () => {
    const page = await html(fakeMonitor().source)
    expect(page).toMatch(
      /<li data-window="w-1" data-window-source="owner">[\s\S]*?data-action="remove-window"/,
    )
    const swap = page.match(/<li data-window="w-swap"[\s\S]*?<\/li>/)?.[0] ?? ''
    expect(swap).toContain('until it is over')
    expect(swap).not.toContain('remove-window')
    const ask = await html(
      fakeMonitor().source,
      '/ui/fragments/connectivity/maintenance/remove/confirm?id=w-1',
    )
    expect(ask).toContain('data-confirm-remove="w-1"')
    expect(ask).toContain('End the maintenance of Kokoro (text to speech) now?')
    // Without JavaScript the page itself carries the question.
    expect(await html(fakeMonitor().source, '/ui/connectivity?remove=w-1')).toContain(
      'data-confirm-remove="w-1"',
    )
    const gone = await html(
      fakeMonitor().source,
      '/ui/fragments/connectivity/maintenance/remove/confirm?id=w-9',
    )
    expect(gone).toContain('There is no such maintenance window any more')
  })

  it('asks before planning a window, and refuses a past end or an unknown target in words', async () => {
    const src = fakeMonitor().source
    const q = form([
      ['targets', 'kokoro'],
      ['targets', 'parakeet'],
      ['until', '2030-01-02T14:30'],
      ['reason', 'moving the box'],
    ])
    const ask = await html(src, `${confirmPath}?${q}`)
    expect(ask).toContain('Plan maintenance for Kokoro (text to speech), Parakeet (speech to text)?')
    expect(ask).toContain('until 14:30:00 UTC (about 2 h 30 min)')
    expect(ask).toContain('<input type="hidden" name="until" value="2030-01-02T14:30:00.000Z"/>')
    expect(await html(src, `/ui/connectivity?${q}`)).toContain('data-confirm-window=""')
    const past = await html(
      src,
      `${confirmPath}?${form([
        ['targets', 'kokoro'],
        ['until', '2030-01-02T11:00'],
        ['reason', 'x'],
      ])}`,
    )
    expect(past).toContain('The end of the window is already past.')
    const stranger = await html(
      src,
      `${confirmPath}?${form([
        ['targets', 'nope'],
        ['until', '2030-01-02T14:00'],
        ['reason', 'x'],
      ])}`,
    )
    expect(stranger).toContain('The monitor does not watch these targets:')
    expect(stranger).toContain('<li>nope</li>')
    const none = await html(
      src,
      `${confirmPath}?${form([
        ['until', '2030-01-02T14:00'],
        ['reason', 'x'],
      ])}`,
    )
    expect(none).toContain('Pick at least one target')
  })

  it('plans the window as the person who confirmed it, and comes back to the page with the result', async () => {
    const m = fakeMonitor()
    const app = dashboard(m.source)
    const res = await app.request('/ui/actions/connectivity/maintenance', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form([
        ['targets', 'kokoro'],
        ['targets', 'parakeet'],
        ['until', '2030-01-02T14:30:00.000Z'],
        ['reason', 'moving the box'],
      ]),
    })
    expect(res.status).toBe(303)
    expect(m.calls.find((c) => c.what === 'add')).toEqual({
      what: 'add',
      input: {
        targets: ['kokoro', 'parakeet'],
        ends_at: '2030-01-02T14:30:00.000Z',
        reason: 'moving the box',
      },
      actor: 'dashboard',
    })
    const back = await (await app.request(res.headers.get('location')!)).text()
    expect(back).toContain('Planned maintenance until 14:30:00 UTC: moving the box')
  })

  it('ends a window, and says it in words when the monitor refuses or is away', async () => {
    const post = (app: ReturnType<typeof dashboard>, id: string) =>
      app.request('/ui/actions/connectivity/maintenance/remove', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form([['id', id]]),
      })
    const m = fakeMonitor()
    const app = dashboard(m.source)
    const done = await post(app, 'w-1')
    expect(m.calls.find((c) => c.what === 'remove')).toEqual({
      what: 'remove',
      input: 'w-1',
      actor: 'dashboard',
    })
    expect(await (await app.request(done.headers.get('location')!)).text()).toContain(
      'Ended the maintenance window',
    )
    const refusing = dashboard(
      fakeMonitor({
        removeMaintenance: async () => {
          throw new MonitorSourceError(503, 'the store is locked')
        },
      }).source,
    )
    const failed = await post(refusing, 'w-1')
    expect(await (await refusing.request(failed.headers.get('location')!)).text()).toContain(
      'The connectivity monitor could not do it: the store is locked',
    )
    const bad = await post(app, '../etc')
    expect(await (await app.request(bad.headers.get('location')!)).text()).toContain(
      'Pick a maintenance window',
    )
  })
})

describe('live parts', () => {
  it('answers the fallback poll with every live part as an out-of-band swap', async () => {
    const body = await html(fakeMonitor().source, '/ui/fragments/connectivity/live')
    for (const id of ['conn-monitor', 'conn-summary', 'conn-states', 'conn-timeline', 'conn-outages'])
      expect(body).toContain(`id="${id}"`)
    expect(body.match(/hx-swap-oob="true"/g)).toHaveLength(5)
  })
})
