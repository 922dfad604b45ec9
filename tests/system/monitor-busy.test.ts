/**
 * A busy upstream is not a down one: the earlier version raised false alarms whenever a busy GPU
 * made `/health` slow. Here an upstream's `/health` takes 15 s for 30 s while its real requests
 * keep succeeding, reported to the monitor as a proxying service reports them; the monitor, watched
 * over its SSE stream the whole time, never calls it down and calls it busy.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sleep } from '../../shared/abort.ts'
import {
  type EventWatch,
  extraTargets,
  type RunningMonitor,
  servicesAt,
  startMonitor,
  watchMonitorEvents,
} from '../support/fault-monitor.ts'
import { type FaultServer, startFaultServer } from '../support/fault-servers.ts'
import { startTraffic, type Traffic } from '../support/fault-traffic.ts'

const BUSY_FOR_MS = 30_000
const HEALTH_DELAY_MS = 15_000

let monitor: RunningMonitor
let watch: EventWatch
let services: FaultServer
let upstream: FaultServer
let traffic: Traffic | undefined

beforeAll(async () => {
  services = await startFaultServer()
  upstream = await startFaultServer()
  monitor = await startMonitor({
    extra: extraTargets([{ id: 'gpu-box', url: upstream.url }]),
    env: servicesAt(services.url),
  })
  watch = await watchMonitorEvents(monitor.url, monitor.prove)
  await vi.waitFor(async () => expect((await monitor.target('gpu-box'))?.state).toBe('up'), {
    timeout: 15_000,
    interval: 200,
  })
}, 60_000)

afterAll(async () => {
  await traffic?.stop()
  watch?.close()
  await monitor?.stop()
  await Promise.all([services?.close(), upstream?.close()])
})

describe('connectivity monitor: a busy upstream', () => {
  it('is never called down while /health takes 15 s and real requests succeed, and is called busy', async () => {
    traffic = startTraffic({
      monitorUrl: monitor.url,
      targets: [{ id: 'gpu-box', url: upstream.url }],
      ratePerS: 5,
    })
    await upstream.setMode('busy', { healthDelayMs: HEALTH_DELAY_MS })
    const busy = watch.next(
      (e) => e.type === 'state' && e.target === 'gpu-box' && e.to === 'busy',
      BUSY_FOR_MS,
      'gpu-box called busy',
    )
    // The injection itself: the upstream stays busy this long, whatever the monitor says.
    await sleep(BUSY_FOR_MS)
    await upstream.setMode('ok')
    await traffic.stop()
    traffic = undefined

    await expect(busy).resolves.toBeDefined()
    const states = watch.events.flatMap((r) =>
      r.event.type === 'state' && r.event.target === 'gpu-box' ? [r.event.to] : [],
    )
    expect(states, monitor.output()).not.toContain('down')
    expect(await monitor.outages('gpu-box')).toEqual([])
    // The requests really went through the whole time: the monitor had real evidence, not silence.
    expect(upstream.answered('POST')).toBeGreaterThan((BUSY_FOR_MS / 1000) * 4)
  }, 90_000)
})
