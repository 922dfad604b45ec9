import { describe, expect, it } from 'vitest'
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import { silentLogger } from '../shared/logger.ts'
import { createReadiness } from '../shared/readiness.ts'
import { createService } from '../shared/service.ts'
import { SERVICE_NAMES, UPSTREAM_NAMES } from '../shared/topology.ts'
import { buildDashboard, type DashboardDeps } from './app.tsx'
import { STATUS_ERROR_TEXT } from './components/status-summary.tsx'
import { SAMPLE_MODEL, sampleStatus } from './fixtures/sample-status.ts'
import { NAV_ITEMS } from './layout/nav.tsx'

const NOW = new Date('2030-01-01T12:00:10Z')

function makeDashboard(status: () => Promise<ClusterStatus>, extra: Partial<DashboardDeps> = {}) {
  return buildDashboard({
    getStatus: status,
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    now: () => NOW,
    ...extra,
  })
}

const fixed = (s: ClusterStatus) => () => Promise.resolve(s)
const sample = () => sampleStatus(new Date('2030-01-01T12:00:08Z'))
const getHtml = async (app: ReturnType<typeof makeDashboard>, path: string) => {
  const res = await app.request(path)
  return { res, html: await res.text() }
}

describe('overview page', () => {
  it('renders the loaded model, the summary, every card and both banners', async () => {
    const { res, html } = await getHtml(makeDashboard(fixed(sample())), '/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(html).toContain('name="viewport"')
    expect(html).toContain(`Chat model: <strong>${SAMPLE_MODEL}</strong>`)
    expect(html).toContain('Everything is working')
    expect(html).toContain('All good')
    for (const name of SERVICE_NAMES) expect(html).toContain(`data-card="service:${name}"`)
    for (const name of UPSTREAM_NAMES) expect(html).toContain(`data-card="upstream:${name}"`)
    expect(html).toContain('data-card="node:spark-1"')
    expect(html).toContain('data-card="node:spark-2"')
    expect(html).toContain('Checked <time datetime="2030-01-01T12:00:08.000Z"')
    expect(html).toContain('Simulated cluster — no real Sparks are connected.')
    expect(html).toContain('Control is open to anyone on your network.')
    expect(html).toMatch(/aria-live="polite"/)
    expect(html).toContain('hx-ext="sse" sse-connect="/ui/events/status"')
    expect(html).toContain('sse-swap="overview" hx-swap="none"')
  })

  it('names each state in words, not only colour', async () => {
    let s = sample()
    s = { ...s, overall: 'degraded', summary: 'Speech is busy: 3 requests waiting' }
    s.upstreams[1] = { ...s.upstreams[1]!, state: 'busy', detail: '3 requests waiting' }
    s.upstreams[2] = { ...s.upstreams[2]!, disabled: true }
    s.upstreams[4] = { ...s.upstreams[4]!, state: 'not_configured', detail: 'No Qdrant address set.' }
    s.services[2] = { ...s.services[2]!, state: 'degraded', detail: 'Kokoro is down' }
    s.nodes[1] = { ...s.nodes[1]!, reachable: false, state: 'unknown', detail: 'Not reachable since 14:02' }
    const { html } = await getHtml(makeDashboard(fixed(s)), '/')
    expect(html).toContain('Needs attention')
    expect(html).toMatch(/data-card="upstream:parakeet" data-state="busy">[\s\S]*?Busy/)
    expect(html).toMatch(/data-card="upstream:kokoro" data-state="disabled">[\s\S]*?Disabled/)
    expect(html).toMatch(/data-card="upstream:qdrant" data-state="not_configured">[\s\S]*?Not configured/)
    expect(html).toMatch(/data-card="service:speech-proxy" data-state="degraded">[\s\S]*?Degraded/)
    expect(html).toMatch(
      /data-card="node:spark-2" data-state="down">[\s\S]*?Down[\s\S]*?Not reachable since 14:02/,
    )
    expect(html).toContain('Speech to text (Parakeet) is busy</strong>: 3 requests waiting')
  })

  it('says plainly when no chat model is loaded, and drops the banner for a real cluster', async () => {
    const app = makeDashboard(fixed({ ...sample(), loaded_model: null, simulated: false }), {
      simulated: false,
      controlsOpen: false,
    })
    const { html } = await getHtml(app, '/')
    expect(html).toContain('No chat model loaded')
    expect(html).not.toContain('Simulated cluster')
    expect(html).not.toContain('Control is open to anyone')
  })

  it('shows the friendly retry notice, never the error, when getStatus throws', async () => {
    const app = makeDashboard(() => Promise.reject(new Error('ECONNREFUSED at secret/internal/path.ts:12')))
    const page = await getHtml(app, '/')
    expect(page.res.status).toBe(200)
    expect(page.html).toContain(STATUS_ERROR_TEXT.replace("'", '&#39;'))
    expect(page.html).not.toContain('ECONNREFUSED')
    expect(page.html).not.toContain('.ts:12')
    const fragment = await getHtml(app, '/ui/fragments/status')
    expect(fragment.html).toContain('Cannot reach the gateway&#39;s status — retrying')
    expect(fragment.html).not.toContain('ECONNREFUSED')
  })

  it('gives up on a getStatus that never answers instead of hanging the page', async () => {
    const app = makeDashboard(() => new Promise<ClusterStatus>(() => {}), { statusTimeoutMs: 50 })
    const { html } = await getHtml(app, '/')
    expect(html).toContain('Cannot reach the gateway&#39;s status — retrying')
  })

  it('treats a status of the wrong shape as unreachable rather than failing', async () => {
    const broken = { summary: 'half a status', overall: 'ok' } as unknown as ClusterStatus
    const { res, html } = await getHtml(makeDashboard(fixed(broken)), '/')
    expect(res.status).toBe(200)
    expect(html).toContain('Cannot reach the gateway&#39;s status — retrying')
  })

  it('escapes hostile strings from upstream details', async () => {
    const evil = '<script>alert(1)</script>'
    const s = sample()
    s.summary = evil
    s.loaded_model = `"><img src=x onerror=alert(1)>`
    s.services[0] = { ...s.services[0]!, detail: evil }
    s.nodes[0] = { ...s.nodes[0]!, name: evil, host: evil, detail: evil }
    s.upstreams[0] = { ...s.upstreams[0]!, model: evil, detail: evil }
    const app = makeDashboard(fixed(s))
    for (const path of ['/', '/ui/fragments/status']) {
      const { html } = await getHtml(app, path)
      expect(html).not.toContain('<script>alert')
      expect(html).not.toContain('<img src=x')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})

describe('layout and placeholder pages', () => {
  it('links every page from the navigation and renders each inside the layout', async () => {
    const app = makeDashboard(fixed(sample()))
    const { html } = await getHtml(app, '/')
    expect(NAV_ITEMS.map((i) => i.href)).toEqual([
      '/',
      '/ui/swap',
      '/ui/models',
      '/ui/logs',
      '/ui/speech',
      '/ui/search',
      '/ui/redaction',
      '/ui/connectivity',
      '/ui/ops',
      '/ui/history',
      '/ui/settings',
    ])
    for (const item of NAV_ITEMS) expect(html).toContain(`href="${item.href}"`)
    expect(html).toContain('<a href="/" aria-current="page">Overview</a>')
    for (const item of NAV_ITEMS.slice(1)) {
      const page = await getHtml(app, item.href)
      expect(page.res.status, item.href).toBe(200)
      expect(page.html).toContain(`<a href="${item.href}" aria-current="page">${item.label}</a>`)
      expect(page.html).toContain('<nav class="nav" aria-label="Main">')
      expect(page.html).toContain('This page is not ready yet.')
      expect(page.html).toContain('Back to the overview')
      expect(page.html).toContain('Simulated cluster — no real Sparks are connected.')
    }
  })

  it('answers an unknown dashboard address with a 404 page in the layout', async () => {
    const { res, html } = await getHtml(makeDashboard(fixed(sample())), '/ui/no-such-page')
    expect(res.status).toBe(404)
    expect(html).toContain('Page not found')
    expect(html).toContain('<nav class="nav" aria-label="Main">')
  })
})

describe('static files', () => {
  it('serves htmx, the SSE extension, the script and the CSS that the page links', async () => {
    const app = makeDashboard(fixed(sample()))
    const { html } = await getHtml(app, '/')
    const urls = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]!)
    expect(urls.map((u) => u.split('?')[0]).sort()).toEqual([
      '/static/dashboard.js',
      '/static/favicon.svg',
      '/static/htmx-ext-sse.min.js',
      '/static/htmx.min.js',
      '/static/style.css',
    ])
    for (const url of urls) {
      const res = await app.request(url)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('cache-control'), url).toContain('immutable')
    }
    const htmx = await app.request('/static/htmx.min.js')
    expect(htmx.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await htmx.text()).toContain('htmx')
    const sse = await app.request('/static/htmx-ext-sse.min.js')
    expect(sse.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await sse.text()).toContain('defineExtension("sse"')
    const css = await app.request('/static/style.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it('revalidates with the ETag and answers HEAD without a body', async () => {
    const app = makeDashboard(fixed(sample()))
    const first = await app.request('/static/htmx.min.js')
    expect(first.headers.get('cache-control')).toContain('must-revalidate')
    const etag = first.headers.get('etag')!
    const again = await app.request('/static/htmx.min.js', { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    const head = await app.request('/static/style.css', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('inside the gateway service app', () => {
  it('keeps the standard endpoints and turns the stream cap into a 503 with Retry-After', async () => {
    const service = createService({
      name: 'gateway',
      logger: silentLogger(),
      readiness: createReadiness({ service: 'gateway', checks: [] }),
    })
    const shutdown = new AbortController()
    service.route('/', makeDashboard(fixed(sample()), { maxStreams: 1, shutdown: shutdown.signal }))
    expect((await service.request('/health')).status).toBe(200)
    expect((await service.request('/')).status).toBe(200)
    const open = await service.request('/ui/events/status')
    expect(open.headers.get('content-type')).toBe('text/event-stream')
    const refused = await service.request('/ui/events/status')
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('10')
    shutdown.abort()
    await open.body?.cancel()
  })
})
