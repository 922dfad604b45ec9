import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { openAuditStore } from '../../../shared/audit/store.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import type { BackendName } from '../domain/route-table.ts'
import { createAuditSource } from './audit-source.ts'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

const entry = (id: number, at: string, action: string) => ({
  id,
  at,
  actor: 'api',
  action,
  target: null,
  dry_run: false,
  outcome: 'ok',
  duration_ms: null,
  detail: null,
  request_id: null,
})

/** One fake backend answering every `/api/<service>/audit` with its own entries; `asked` keeps the queries. */
async function fakeBackends(byService: Partial<Record<BackendName, unknown[] | 'hang' | 500>>) {
  const asked: string[] = []
  const server = createServer((req, res) => {
    asked.push(req.url ?? '')
    const service = /^\/api\/([a-z-]+)\/audit/.exec(req.url ?? '')?.[1] as BackendName
    const answer = byService[service]
    if (answer === 'hang') return
    if (answer === 500 || answer === undefined) {
      res.writeHead(500).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ entries: answer }))
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const urls = Object.fromEntries(BACKEND_SERVICES.map((s) => [s, base])) as Record<BackendName, string>
  return { urls, asked }
}

describe('the merged audit view', () => {
  it('merges newest first with each service named; a down, slow or disabled service is listed, never thrown', async () => {
    const { urls, asked } = await fakeBackends({
      'swap-controller': [entry(9, '2026-03-01T10:00:03.000000+00:00', 'swap.start')],
      'vector-search': [
        entry(4, '2026-03-01T10:00:04.000000+00:00', 'collection.delete'),
        entry(3, '2026-03-01T10:00:01.000000+00:00', 'collection.create'),
      ],
      'redaction-gateway': 500,
      'connectivity-monitor': 'hang',
    })
    const own = await openAuditStore(':memory:', { logger: silentLogger() })
    own.record({
      actor: 'owner',
      action: 'settings.update',
      target: 'A',
      outcome: 'ok',
      atMs: Date.parse('2026-03-01T10:00:02Z'),
    })
    const source = createAuditSource({ urls, own, disabled: ['speech-proxy'], timeoutMs: 300 })
    const view = await source.read({ limit: '3' })
    expect(view.entries.map((e) => `${e.service} ${e.action}`)).toEqual([
      'vector-search collection.delete',
      'swap-controller swap.start',
      'gateway settings.update',
    ])
    expect(view.unavailable).toEqual(
      expect.arrayContaining([
        { service: 'redaction-gateway', reason: 'answered HTTP 500' },
        { service: 'connectivity-monitor', reason: 'no answer within 300 ms' },
        { service: 'speech-proxy', reason: 'disabled' },
      ]),
    )
    expect(view.unavailable).toHaveLength(3)
    expect(asked.every((url) => url.includes('limit=3'))).toBe(true)
    own.close()
  })

  it('asks only the service named, with the filters passed on', async () => {
    const { urls, asked } = await fakeBackends({ 'vector-search': [] })
    const source = createAuditSource({ urls, disabled: [], timeoutMs: 300 })
    const view = await source.read({ service: 'vector-search', action: 'collection', actor: 'bob' })
    expect(view).toEqual({ entries: [], unavailable: [] })
    expect(asked).toEqual(['/api/vector-search/audit?action=collection&actor=bob'])
  })
})
