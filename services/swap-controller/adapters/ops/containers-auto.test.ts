import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../shared/logger.ts'
import { loadSwapControllerConfig } from '../../config.ts'
import type { AuditEntry, AuditInput } from '../../domain/coordination/ports.ts'
import { AutoRestartBook } from '../../domain/ops/auto-restart.ts'
import { buildServiceInventory } from '../../domain/ops/inventory.ts'
import type { ServiceContainersAdapter } from './containers.ts'
import { entriesFromAudit, startAutoRestartLoop } from './containers-auto.ts'

const NODES = [{ name: 'spark-2', host: 'spark-2.example', role: 'worker' as const }]
const { entries } = buildServiceInventory(
  loadSwapControllerConfig({ DISABLED_SERVICES: 'kokoro,embeddings,qdrant' }),
  NODES,
)
const TIMEOUT = { ok: false, status: null, ms: 400, at: '', error: 'no answer', wedgeLike: true }

function loop(busy: string[] = []) {
  let t = Date.parse('2026-12-06T10:00:00Z')
  const book = new AutoRestartBook({ enabled: true, max: 2, windowMs: 600_000, wedgeFailures: 2 }, () => t)
  const acts: string[] = []
  const audits: AuditInput[] = []
  const containers = {
    running: async (list: readonly { spec: { name: string } }[]) =>
      new Map(list.map((e) => [e.spec.name, true])),
    act: async (name: string) => {
      acts.push(name)
      return { health_after: { ...TIMEOUT } }
    },
  } as unknown as ServiceContainersAdapter
  const l = startAutoRestartLoop({
    entries,
    containers,
    book,
    probe: async () => TIMEOUT,
    swaps: { busyNodes: () => busy },
    audit: (e) => void audits.push(e),
    intervalMs: 3_600_000,
    logger: silentLogger(),
  })
  return { l, book, acts, audits, advance: (ms: number) => (t += ms) }
}

describe('the auto-restart loop', () => {
  it('restarts a wedged service after N checks, up to the limit, then audits the refusal once', async () => {
    const { l, book, acts, audits } = loop()
    for (let i = 0; i < 8; i++) await l.tick()
    l.stop()
    expect(acts).toEqual(['parakeet', 'parakeet'])
    expect(book.recent().map((e) => e.outcome)).toEqual(['rate_limited', 'failed', 'failed'])
    expect(audits).toEqual([
      expect.objectContaining({ action: 'ops.auto_restart', actor: 'auto-restart', outcome: 'refused' }),
    ])
    const row: AuditEntry = {
      id: 1,
      at: 'x',
      actor: 'auto-restart',
      action: 'ops.auto_restart',
      target: 'parakeet',
      dry_run: false,
      outcome: 'refused',
      duration_ms: null,
      detail: audits[0]?.detail ?? null,
      request_id: null,
    }
    expect(entriesFromAudit([row])).toEqual([
      { service: 'parakeet', at: 'x', outcome: 'rate_limited', detail: expect.stringMatching(/2 times/) },
    ])
  })

  it('never during a swap of its node', async () => {
    const { l, acts, book } = loop(['spark-2'])
    for (let i = 0; i < 4; i++) await l.tick()
    l.stop()
    expect(acts).toEqual([])
    expect(book.recent().map((e) => e.outcome)).toEqual(['refused_swap'])
  })
})
