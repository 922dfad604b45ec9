/**
 * SIGTERM under a burst of requests: every request is answered or cleanly refused (never a 5xx
 * other than 503, never a cut answer), the process exits 0 within the 10 s budget, and every
 * creation it acknowledged is there after a restart. (SIGTERM during a swap:
 * tests/system/shutdown.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { internalProver, provenFetch } from '../support/internal-proof.ts'
import { exitOf, startAlone, TEST_INTERNAL_SECRET } from '../support/lifecycle.ts'

const CONCURRENCY = 12
const BURST = 400

type Outcome = { name: string; status: number } | { name: string; failed: string }

describe('SIGTERM under load', () => {
  it('answers or cleanly refuses every request, exits 0 within 10 s, and loses nothing it acknowledged', async () => {
    const env = { VECTOR_STORE: 'embedded' }
    const search = await startAlone('vector-search', env)
    const call = provenFetch(internalProver({ dataDir: '', internalSecret: TEST_INTERNAL_SECRET }))
    const create = async (name: string): Promise<Outcome> => {
      try {
        const res = await call(`${search.url}/api/search/collections`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, dense: { size: 4 } }),
        })
        // The whole body is read: a cut answer fails here rather than counting as answered.
        await res.json()
        return { name, status: res.status }
      } catch (err) {
        return { name, failed: String((err as Error).cause ?? err) }
      }
    }

    const outcomes: Outcome[] = []
    let next = 0
    let signalled: Promise<{ code: number | null; ms: number }> | undefined
    const worker = async () => {
      while (next < BURST) {
        const outcome = await create(`c${next++}`)
        outcomes.push(outcome)
        if (!signalled && outcomes.length === BURST / 8) {
          signalled = exitOf(search.process)
          search.process.kill('SIGTERM')
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const { code, ms } = await signalled!
    expect(code).toBe(0)
    expect(ms).toBeLessThan(10_000)

    const answered = outcomes.filter((o): o is { name: string; status: number } => 'status' in o)
    const badStatus = answered.filter((o) => o.status !== 201 && o.status !== 503)
    expect(badStatus, 'answers other than 201 or 503').toEqual([])
    const acknowledged = answered.filter((o) => o.status === 201).map((o) => o.name)
    expect(acknowledged.length).toBeGreaterThanOrEqual(BURST / 8)
    // Some requests came after the listener closed: refused, not answered half-way.
    expect(outcomes.length - answered.length).toBeGreaterThan(0)

    const restarted = await startAlone('vector-search', env, search.dataDir)
    const res = await call(`${restarted.url}/api/search/collections`)
    const kept = new Set(
      ((await res.json()) as { collections: Array<{ name: string }> }).collections.map((c) => c.name),
    )
    expect(
      acknowledged.filter((name) => !kept.has(name)),
      'acknowledged but lost',
    ).toEqual([])
  }, 60_000)
})
