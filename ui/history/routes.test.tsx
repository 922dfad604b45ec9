import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import type { Chrome } from '../layout/layout.tsx'
import { historyDashboardRoutes } from './routes.tsx'
import type { AuditViewQuery, AuditViewSource } from './source.ts'

const chrome: Chrome = {
  simulated: false,
  controlsOpen: true,
  urls: { htmx: '/h.js', sse: '/s.js', css: '/c.css', script: '/a.js', icon: '/i.svg' },
}

function history(answer: Awaited<ReturnType<AuditViewSource['read']>> | Error) {
  const asked: AuditViewQuery[] = []
  const audit: AuditViewSource = {
    read: async (query) => {
      asked.push(query)
      if (answer instanceof Error) throw answer
      return answer
    },
  }
  return { app: historyDashboardRoutes({ audit, chrome, logger: silentLogger() }), asked }
}

const entry = {
  id: 7,
  at: '2026-03-01T10:00:00.000000+00:00',
  actor: 'indexer',
  action: 'collection.delete',
  target: 'notes',
  dry_run: false,
  outcome: 'ok',
  duration_ms: null,
  detail: null,
  request_id: null,
  service: 'vector-search' as const,
}

describe('History page (merged audit)', () => {
  it('passes the form’s filters on (local times read as UTC) and shows each entry with its service', async () => {
    const { app, asked } = history({ entries: [entry], unavailable: [] })
    const res = await app.request(
      '/ui/history?service=vector-search&actor=indexer&action=collection&outcome=ok&since=2026-03-01T09:00&until=',
    )
    expect(res.status).toBe(200)
    expect(asked).toEqual([
      {
        limit: '200',
        service: 'vector-search',
        actor: 'indexer',
        action: 'collection',
        outcome: 'ok',
        since: '2026-03-01T09:00:00Z',
      },
    ])
    const html = await res.text()
    expect(html).toContain('<form method="get" action="/ui/history"')
    expect(html).toMatch(/<tr[^>]*data-service="vector-search"[^>]*data-action="collection.delete"/)
    expect(html).toContain('indexer')
    expect(html).toContain('<option value="vector-search" selected')
  })

  it('names the services it could not read, and the filters it left out', async () => {
    const { app, asked } = history({
      entries: [],
      unavailable: [{ service: 'redaction-gateway', reason: 'not reachable' }],
    })
    const html = await (await app.request('/ui/history?action=Bad%20Action&service=nope')).text()
    expect(asked[0]).toEqual({ limit: '200' })
    expect(html).toContain('redaction-gateway (not reachable)')
    expect(html).toMatch(/left out: service, action|left out: action, service/)
  })

  it('says the history is unavailable instead of failing when the gateway cannot merge', async () => {
    const { app } = history(new Error('boom'))
    const res = await app.request('/ui/history')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('not available right now')
  })
})
