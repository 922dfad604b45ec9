/**
 * Passive detection alone: with the monitor's probes switched off (`MONITOR_PROBING=false`) and
 * real traffic flowing through the gateway (`POST /v1/embeddings`, ~10 req/s), a 1.5 s outage of
 * the simulated embeddings server is caught from the outcomes the services report — vector-search
 * sees its calls to the embedder refused and says so, off its request path.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { sleep } from '../../shared/abort.ts'
import { OutagesAnswer, TargetsAnswer } from '../../shared/contracts/connectivity-monitor.ts'
import { useDemo } from '../support/demo.ts'
import { type EventWatch, nowMs, watchMonitorEvents } from '../support/fault-monitor.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'

const OUTAGE_MS = 1500
const TOLERANCE_MS = 1000

const fixture = useDemo({ name: 'monitor-passive', env: { MONITOR_PROBING: 'false' } })
let watch: EventWatch | undefined
afterAll(() => watch?.close())

/** Sends `POST /v1/embeddings` through the gateway at `ratePerS` until stopped; counts the answers. */
function embeddingsTraffic(ratePerS: number) {
  const statuses = new Map<number, number>()
  const inFlight = new Set<Promise<void>>()
  const timer = setInterval(() => {
    const p = fetch(fixture.url('/v1/embeddings'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'pension review', model: 'BAAI/bge-m3' }),
      signal: AbortSignal.timeout(5000),
    })
      .then(async (res) => {
        await res.arrayBuffer()
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      })
      .catch(() => undefined)
      .finally(() => inFlight.delete(p))
    inFlight.add(p)
  }, 1000 / ratePerS)
  return {
    statuses,
    async stop() {
      clearInterval(timer)
      await Promise.all(inFlight)
    },
  }
}

describe('connectivity monitor: passive outcomes only', () => {
  it('catches a 1.5 s embeddings outage from the traffic through the gateway, within ±1 s', async () => {
    const monitorUrl = fixture.demo().stack.url('connectivity-monitor')
    const prove = internalProver(fixture.demo().stack)
    const get = async (path: string) => (await provenFetch(prove)(`${monitorUrl}${path}`)).json()
    const embeddings = fixture.demo().sim.embeddings
    watch = await watchMonitorEvents(monitorUrl, prove)
    const traffic = embeddingsTraffic(10)
    try {
      // With no probes, only the reported outcomes can make the target known at all.
      await expect
        .poll(
          async () =>
            TargetsAnswer.parse(await get('/api/monitor/targets')).targets.find((t) => t.id === 'embeddings')
              ?.state,
          { timeout: 15_000 },
        )
        .toBe('up')
      const startedAt = nowMs()
      await embeddings.setMode('down')
      await sleep(OUTAGE_MS)
      await embeddings.setMode('ok')
      const endedAt = nowMs()

      const closed = await watch.next(
        (e) => e.type === 'outage' && e.outage.target === 'embeddings' && !e.outage.ongoing,
        15_000,
        'the closed outage of embeddings',
      )
      expect(closed.event.type).toBe('outage')
      const { outages } = OutagesAnswer.parse(await get('/api/monitor/outages?target=embeddings'))
      const mine = outages.filter((o) => o.target === 'embeddings')
      expect(mine).toHaveLength(1)
      expect(Math.abs(mine[0]!.duration_ms - (endedAt - startedAt))).toBeLessThanOrEqual(TOLERANCE_MS)
      // Every piece of evidence is passive: nothing was probed.
      expect(mine[0]!.evidence.length).toBeGreaterThan(0)
      expect(mine[0]!.evidence.every((e) => e.layer === 'passive')).toBe(true)
      // The traffic did meet the outage (503s from vector-search), and was answered around it.
      expect(traffic.statuses.get(503) ?? 0).toBeGreaterThan(0)
      expect(traffic.statuses.get(200) ?? 0).toBeGreaterThan(0)
    } finally {
      await traffic.stop()
      await embeddings.setMode('ok')
    }
  }, 90_000)
})
