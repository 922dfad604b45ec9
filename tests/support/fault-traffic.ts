/**
 * Real traffic to fault servers, reported to the monitor the way a proxying service reports its
 * request outcomes: through the shared kit's reporter (shared/outcomes/reporter.ts: a bounded
 * ring, timed batches to `POST /api/monitor/outcomes`) with its failure kinds. Used where a test or
 * the benchmark needs "a target with traffic" without the whole stack in front of it.
 */
import type { RequestOutcome } from '../../shared/contracts/connectivity-monitor.ts'
import { failureKind } from '../../shared/outcomes/failure-kind.ts'
import { createOutcomeReporter } from '../../shared/outcomes/reporter.ts'
import { nowMs } from './fault-monitor.ts'

export interface TrafficTarget {
  id: string
  /** The upstream's base URL; requests are `POST <url>/work`. */
  url: string
}

export interface TrafficOptions {
  monitorUrl: string
  targets: TrafficTarget[]
  /** Requests per second to each target. */
  ratePerS: number
  /** How often outcomes are sent to the monitor (default: the reporter's own). */
  batchMs?: number
  /** A request unanswered this long is a `timeout` outcome. */
  timeoutMs?: number
  source?: string
}

export interface Traffic {
  /** Outcomes sent so far, by target and ok. */
  counts(target: string): { ok: number; failed: number }
  stop(): Promise<void>
}

/** Starts sending; each target gets its own evenly spaced requests, staggered so they do not line up. */
export function startTraffic(options: TrafficOptions): Traffic {
  const timeoutMs = options.timeoutMs ?? 2000
  const reporter = createOutcomeReporter({
    url: options.monitorUrl,
    source: options.source ?? 'fault-traffic',
    flushMs: options.batchMs,
  })
  const counts = new Map<string, { ok: number; failed: number }>()
  const inFlight = new Set<Promise<void>>()
  let stopped = false

  const note = (outcome: RequestOutcome) => {
    reporter.record(outcome)
    const c = counts.get(outcome.target) ?? { ok: 0, failed: 0 }
    if (outcome.ok) c.ok++
    else c.failed++
    counts.set(outcome.target, c)
  }

  const send = async (target: TrafficTarget) => {
    const at = Date.now()
    const started = nowMs()
    try {
      const res = await fetch(`${target.url}/work`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(timeoutMs),
      })
      await res.arrayBuffer()
      const latency_ms = nowMs() - started
      note(
        res.ok
          ? { target: target.id, at, ok: true, latency_ms, status: res.status }
          : { target: target.id, at, ok: false, kind: 'bad_status', latency_ms, status: res.status },
      )
    } catch (err) {
      note({ target: target.id, at, ok: false, kind: failureKind(err), latency_ms: nowMs() - started })
    }
  }

  const period = 1000 / options.ratePerS
  const timers = options.targets.map((target, i) => {
    const start = () => {
      const interval = setInterval(() => {
        if (stopped) return
        const p = send(target).finally(() => inFlight.delete(p))
        inFlight.add(p)
      }, period)
      timers[i] = interval
    }
    return setTimeout(start, (period * i) / options.targets.length)
  })

  return {
    counts: (target) => counts.get(target) ?? { ok: 0, failed: 0 },
    async stop() {
      stopped = true
      for (const t of timers) clearTimeout(t)
      for (const t of timers) clearInterval(t)
      await Promise.all(inFlight)
      await reporter.close()
    },
  }
}
