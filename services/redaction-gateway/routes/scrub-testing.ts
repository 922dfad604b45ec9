/** A redaction app over a real (temporary) map store with a settable clock, for the route tests. */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditStore } from '../../../shared/audit/store.ts'
import { type Logger, silentLogger } from '../../../shared/logger.ts'
import { type MapStore, openMapStore } from '../adapters/map-store.ts'
import { buildApp, type LocalLlm } from '../app.ts'
import { loadRedactionConfig } from '../config.ts'
import type { CloudChat } from '../domain/proxy/ports.ts'
import type { Detectors } from '../domain/scrub/ports.ts'

// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field, error bodies included
type Loose = Record<string, any>

export interface RedactionHarness {
  app: ReturnType<typeof buildApp>
  store: MapStore
  clock: { now: number }
  post(path: '/scrub' | '/rehydrate', body: unknown): Promise<{ status: number; body: Loose }>
  close(): Promise<void>
}

export async function redactionHarness(
  options: {
    env?: Record<string, string>
    detectors?: Detectors
    logger?: Logger
    localLlm?: LocalLlm
    cloud?: CloudChat
    audit?: AuditStore
  } = {},
): Promise<RedactionHarness> {
  const root = await mkdtemp(join(tmpdir(), 'redaction-routes-'))
  const config = loadRedactionConfig({
    REDACTION_INSECURE_DEV_KEY: '1',
    REDACTION_MAP_DB: join(root, 'maps.db'),
    ...options.env,
  })
  const clock = { now: Date.now() }
  const store = await openMapStore({
    path: config.REDACTION_MAP_DB,
    key: Buffer.alloc(32, 7),
    ttlS: config.REDACTION_MAP_TTL_S,
    now: () => clock.now,
    sweepEveryMs: 0,
  })
  const app = buildApp({
    config,
    logger: options.logger ?? silentLogger(),
    store,
    detectors: options.detectors,
    localLlm: options.localLlm,
    cloud: options.cloud,
    deleteMap: (handle) => store.delete(handle),
    audit: options.audit,
  })
  return {
    app,
    store,
    clock,
    async post(path, body) {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' } }
      const res = await app.request(path, {
        ...init,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      })
      return { status: res.status, body: await res.json() }
    },
    async close() {
      store.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}
