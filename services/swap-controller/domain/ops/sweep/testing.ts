/**
 * A backend stand-in with the emulators' capacity model, on the sweep's clock (fake timers in
 * tests): `capacity` requests served at once, the rest waiting in order, each taking `serviceMs`;
 * optionally refusing with 503 while more than `failAbove` are in flight. Test-only code.
 */
import type { SweepBackend, SweepCallResult, SweepClock } from './ports.ts'

export interface FakeBackendOptions {
  capacity: number
  serviceMs: number
  clock: SweepClock
  /** 503 at once for a request arriving while more than this many are in flight. */
  failAbove?: number
  /** How long `/health` takes per request in flight. */
  healthMsPerRequest?: number
}

export function fakeBackend(options: FakeBackendOptions): SweepBackend & { sent(): number } {
  let active = 0
  let inFlight = 0
  let sent = 0
  const waiting: Array<() => void> = []
  const acquire = async () => {
    if (active < options.capacity) active++
    else await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else active--
  }
  return {
    sent: () => sent,
    async send(signal): Promise<SweepCallResult> {
      sent++
      inFlight++
      try {
        if (options.failAbove !== undefined && inFlight > options.failAbove)
          return { ok: false, status: 503, error: 'HTTP 503' }
        await acquire()
        try {
          await options.clock.sleep(options.serviceMs, signal)
        } finally {
          release()
        }
        return { ok: true, status: 200 }
      } finally {
        inFlight--
      }
    },
    async health(signal) {
      await options.clock.sleep((options.healthMsPerRequest ?? 0) * inFlight, signal)
      return true
    },
  }
}
