/**
 * Fault suite, SQLite: each service's own database on a volume that turns read-only or full while
 * it runs. Tests may run as root, where a chmod does not stop writes, and no small volume can be
 * mounted here; so the service's own connection is made read-only (`PRAGMA query_only`) or given no
 * room to grow (`PRAGMA max_page_count` at its current size), which SQLite reports with the same
 * codes as a read-only or full filesystem. Each service, over its real store in a temporary file:
 * the write answers 503/507 in the path's error style (never a 500), `/ready` says why, nothing is
 * half-written (`PRAGMA integrity_check` of the file afterwards), and writes work again once the
 * volume does.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openMaintenanceStore } from '../../services/connectivity-monitor/adapters/maintenance-store.ts'
import { createMaintenance } from '../../services/connectivity-monitor/domain/maintenance/maintenance.ts'
import { monitorApp } from '../../services/connectivity-monitor/testing/app.ts'
import { redactionHarness } from '../../services/redaction-gateway/routes/scrub-testing.ts'
import { openSwapStore } from '../../services/swap-controller/adapters/store/store.ts'
import { createVllmClient } from '../../services/swap-controller/adapters/vllm-client.ts'
import { buildApp as buildSwapApp } from '../../services/swap-controller/app.ts'
import { loadSwapControllerConfig } from '../../services/swap-controller/config.ts'
import { createCoordination } from '../../services/swap-controller/domain/coordination/service.ts'
import { buildInventory } from '../../services/swap-controller/domain/inventory.ts'
import { FakeSshNodes } from '../../services/swap-controller/testing/fakes.ts'
import { openEmbeddedStore } from '../../services/vector-search/adapters/embedded-store.ts'
import { createVectorUpstreams } from '../../services/vector-search/adapters/upstreams.ts'
import { buildApp as buildVectorApp } from '../../services/vector-search/app.ts'
import { loadVectorConfig } from '../../services/vector-search/config.ts'
import { countingEmbedder } from '../../services/vector-search/testing/documents-doubles.ts'
import { openAuditStore } from '../../shared/audit/store.ts'
import { silentLogger } from '../../shared/logger.ts'
import { connectionsTo, openDatabase } from '../../shared/sqlite.ts'
import { storageFaults } from '../../shared/sqlite-faults.ts'

type Fault = 'read_only' | 'full'
interface Answer {
  status: number
  body: Record<string, unknown>
}
interface Subject {
  /** The service's database file. */
  path: string
  /** One write through the service's HTTP API; `n` makes each call's row new. */
  write(n: number): Promise<Answer>
  ready(): Promise<{ status: string; dependencies: Record<string, { state: string; detail?: string }> }>
  /** The error code in the path's style (the earlier `{"detail": …}` style has none). */
  code?(body: Record<string, unknown>): unknown
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'faults-sqlite-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** Makes the service's own connections to `path` see a read-only or full volume, or a sound one again. */
function volume(path: string, fault: Fault | 'ok') {
  const dbs = connectionsTo(path)
  expect(dbs.length, `no open connection to ${path}`).toBeGreaterThan(0)
  for (const db of dbs) {
    db.exec(`PRAGMA query_only = ${fault === 'read_only' ? 'ON' : 'OFF'}`)
    const pages = db.get<{ page_count: number }>('PRAGMA page_count')!.page_count
    db.exec(`PRAGMA max_page_count = ${fault === 'full' ? pages : 1_073_741_823}`)
  }
}

/** A fresh connection of its own checks the file. */
async function integrity(path: string): Promise<string> {
  const db = await openDatabase(path, { migrations: [], scope: 'fault_check' })
  try {
    return db.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check
  } finally {
    db.close()
  }
}

const json = async (res: Response): Promise<Answer> => ({
  status: res.status,
  body: (await res.json()) as Record<string, unknown>,
})
const postJson = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** Writes until one fails (a full volume refuses only the write that needs a new page). */
async function writeUntilRefused(s: Subject, from: number): Promise<{ answer: Answer; writes: number }> {
  for (let n = from; n < from + 400; n++) {
    const answer = await s.write(n)
    if (answer.status >= 300) return { answer, writes: n - from + 1 }
  }
  throw new Error('400 writes went through on a full volume')
}

function faultCases(name: string, subject: () => Promise<Subject>) {
  describe(name, () => {
    let s: Subject
    let n = 0
    beforeAll(async () => {
      s = await subject()
      expect((await s.write(n++)).status).toBeLessThan(300)
    })

    it.each([
      ['read_only', 503],
      ['full', 507],
    ] as const)(
      'a %s volume: %i in the path style, /ready says why, the file stays sound',
      async (fault, status) => {
        const entry = `storage:${basename(s.path)}`
        volume(s.path, fault)
        const { answer, writes } = await writeUntilRefused(s, n)
        n += writes
        expect(answer.status, JSON.stringify(answer.body)).toBe(status)
        const words = fault === 'full' ? /volume is full/ : /volume is read-only/
        expect(JSON.stringify(answer.body)).toMatch(words)
        if (s.code) expect(s.code(answer.body)).toBe(`storage_${fault}`)
        // /ready is cached for half a second: poll until the report is a fresh one.
        const ready = await vi.waitFor(async () => {
          const report = await s.ready()
          const storage = report.dependencies[entry]
          expect(storage, JSON.stringify(report)).toMatchObject({
            state: 'down',
            detail: expect.stringMatching(words),
          })
          return report
        })
        expect(ready.status).not.toBe('ready')

        volume(s.path, 'ok')
        expect(await integrity(s.path)).toBe('ok')
        expect((await s.write(n++)).status).toBeLessThan(300)
        await expect.poll(async () => (await s.ready()).dependencies[entry]).toBeUndefined()
      },
    )
  })
}

/** RFC 9457 bodies carry the code at the end of their `type` URN. */
const problemCode = (body: Record<string, unknown>) => String(body.type).split(':').pop()

const readyOf = async (app: { request(path: string): Response | Promise<Response> }) =>
  (await app.request('/ready')).json()

faultCases('redaction-gateway: the map store (POST /scrub)', async () => {
  const path = join(root, 'maps.db')
  const h = await redactionHarness({ env: { REDACTION_MAP_DB: path } })
  afterAll(() => h.close())
  const emails = (n: number) => Array.from({ length: 40 }, (_, i) => `writer${n}x${i}@example.com`).join(', ')
  return {
    path,
    write: (n) =>
      h.post('/scrub', {
        task_id: `t${n}`,
        items: [{ id: 'a', text: `Mail ${emails(n)}` }],
        ner: 'rules_only',
      }),
    ready: () => readyOf(h.app),
    code: (body) => body.error,
  }
})

faultCases('swap-controller: the lock and its history (POST/DELETE /api/swap/lock)', async () => {
  const path = join(root, 'swap.db')
  const store = await openSwapStore({ path })
  afterAll(() => store.close())
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const app = buildSwapApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    coordination: createCoordination({ store }),
  })
  return {
    path,
    async write(n) {
      const taken = await json(
        await app.request('/api/swap/lock', postJson({ holder: `job-${n}`, ttl_seconds: 60 })),
      )
      if (taken.status >= 300) return taken
      const token = String(taken.body.token)
      return json(
        await app.request('/api/swap/lock', { method: 'DELETE', headers: { 'x-swap-lock-token': token } }),
      )
    },
    ready: () => readyOf(app),
  }
})

faultCases('vector-search: the embedded store (POST /api/search/collections)', async () => {
  const path = join(root, 'vectors.db')
  const store = await openEmbeddedStore({ path })
  afterAll(() => store.close())
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded' })
  const app = buildVectorApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    store,
    embedder: countingEmbedder(8).embedder,
    shutdown: new AbortController().signal,
  })
  return {
    path,
    write: async (n) =>
      json(
        await app.request('/api/search/collections', postJson({ name: `notes-${n}`, dense: { size: 8 } })),
      ),
    ready: () => readyOf(app),
    code: problemCode,
  }
})

faultCases('connectivity-monitor: maintenance windows (POST /api/monitor/maintenance)', async () => {
  const path = join(root, 'monitor.db')
  const store = await openMaintenanceStore(path)
  afterAll(() => store.close())
  const { app } = monitorApp({ engine: { maintenance: createMaintenance({ store }) } })
  const ends = new Date(Date.now() + 3_600_000).toISOString()
  return {
    path,
    write: async (n) =>
      json(
        await app.request(
          '/api/monitor/maintenance',
          postJson({ targets: ['vllm'], ends_at: ends, reason: `planned work ${n} `.repeat(20) }),
        ),
      ),
    ready: () => readyOf(app),
    code: problemCode,
  }
})

describe('the shared audit store', () => {
  it.each(['read_only', 'full'] as const)(
    'a %s volume: the mutation is not failed by its audit entry, the fault is reported, the file stays sound',
    async (fault) => {
      const path = join(root, `audit-${fault}.db`)
      const warn = vi.fn()
      const store = await openAuditStore(path, { logger: { warn } })
      try {
        const entry = (n: number) => ({
          actor: 'owner',
          action: 'lock.acquire',
          target: `job-${n}`,
          outcome: 'ok',
          detail: 'x'.repeat(200),
        })
        store.record(entry(0))
        volume(path, fault)
        // A full volume refuses only the entry that needs a new page.
        for (let n = 1; n < 400 && warn.mock.calls.length === 0; n++)
          expect(() => store.record(entry(n))).not.toThrow()
        expect(warn.mock.calls[0]?.[1]).toBe('audit entry not written')
        expect(storageFaults().find((f) => f.path === path)).toMatchObject({ kind: fault })
        volume(path, 'ok')
        expect(await integrity(path)).toBe('ok')
        store.record(entry(1000))
        expect(storageFaults().find((f) => f.path === path)).toBeUndefined()
      } finally {
        store.close()
      }
    },
  )
})
