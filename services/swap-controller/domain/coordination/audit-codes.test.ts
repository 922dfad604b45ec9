/**
 * Every code the controller writes to the audit log is one the dashboard has words for: outcomes
 * are in the contract's AUDIT_OUTCOMES, lock refusals are written as sentences (never the raw
 * code), and a lock that runs out is audited.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AUDIT_OUTCOMES, LOCK_REFUSAL_REASONS } from '../../../../shared/contracts/swap-controller.ts'
import { openSwapStore, type SwapStore } from '../../adapters/store/store.ts'
import type { DownloadStatus } from '../models/downloads.ts'
import type { SwapOutcome } from '../swap/view.ts'
import { createCoordination } from './service.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
const stores: SwapStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function setup() {
  const store = await openSwapStore({ path: ':memory:' })
  stores.push(store)
  const clock = { now: T0 }
  const coordination = createCoordination({ store, clock: () => clock.now, mintToken: () => 'tok' })
  return { clock, coordination }
}

const SERVICE_DIR = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(path)
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : []
  })
}

/** Outcome literals handed to the audit: `outcome: 'x'`, `audit('x', …)`, `audit(req, 'x', …)`. */
const LITERAL = /(?:outcome: |\baudit\((?:req, )?\s*|auditOf\(ctx, [^,]+, [^,]+, )'([a-z_]+)'/g

describe('audit codes', () => {
  it('writes only outcomes the contract lists (and the dashboard words)', () => {
    const written = new Set<string>()
    // A swap's `rollback.outcome` is part of the job, not an audit row.
    for (const file of sources(SERVICE_DIR))
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (!line.includes('rollback')) for (const m of line.matchAll(LITERAL)) written.add(m[1]!)
    // Outcomes passed through from a finished swap or download, not written as literals.
    const swapEnds: Exclude<SwapOutcome, 'running'>[] = ['ready', 'failed', 'cancelled', 'rolled_back']
    const downloadEnds: Exclude<DownloadStatus, 'running' | 'done'>[] = ['failed', 'cancelled', 'interrupted']
    for (const o of [...swapEnds, ...downloadEnds]) written.add(o)
    // The scan itself finds the literals (it would pass vacuously otherwise).
    for (const o of ['ok', 'refused', 'started', 'expired']) expect(written.has(o), o).toBe(true)
    expect([...written].filter((o) => !(AUDIT_OUTCOMES as readonly string[]).includes(o))).toEqual([])
  })

  it.each(LOCK_REFUSAL_REASONS)('audits the lock refusal %s as a sentence, not its code', async (reason) => {
    const { coordination } = await setup()
    coordination.acquireLock({ holder: 'alice' }, { actor: 'api' })
    const attempt = {
      other_holder: () => coordination.acquireLock({ holder: 'bob' }, { actor: 'api' }),
      token_required: () => coordination.releaseLock({}, { actor: 'api' }),
      token_mismatch: () => coordination.releaseLock({ token: 'wrong' }, { actor: 'api' }),
    }[reason]
    expect(attempt).toThrow()
    const [entry] = coordination.history(1)
    expect(entry).toMatchObject({ outcome: 'refused' })
    expect(entry!.detail).toContain('The swap lock is held by alice')
    expect(entry!.detail).not.toContain(reason)
  })

  it('audits a lock that ran out, at the moment it ran out, once', async () => {
    const { coordination, clock } = await setup()
    coordination.acquireLock({ holder: 'alice', ttlSeconds: 60 }, { actor: 'api' })
    clock.now += 90_000
    expect(coordination.lockState()).toEqual({ held: false })
    expect(coordination.lockState()).toEqual({ held: false })
    const expired = coordination.history(10).filter((e) => e.action === 'lock.expire')
    expect(expired).toEqual([
      expect.objectContaining({
        actor: 'system',
        target: 'alice',
        outcome: 'expired',
        at: '2026-03-01T12:01:00.000000+00:00',
      }),
    ])
  })
})
