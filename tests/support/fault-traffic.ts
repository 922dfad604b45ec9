/**
 * Real traffic to fault servers, reported to the monitor the way a proxying service reports its
 * request outcomes: each request's outcome (target, send time, ok or failure kind, latency) goes
 * into a batch, and the batch is POSTed to `/api/monitor/outcomes` every `batchMs`. Used where a
 * test or the benchmark needs "a target with traffic" without the whole stack in front of it.
 */
import type { FailureKind, RequestOutcome } from '../../shared/contracts/connectivity-monitor.ts'
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
  /** How often outcomes are sent to the monitor (a real service batches too). */
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

export function failureKindOf(err: unknown): FailureKind {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } }
  const code = e.code ?? e.cause?.code
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return 'timeout'
  if (code === 'ECONNREFUSED') return 'refused'
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'reset'
  return 'other'
}

/** Starts sending; each target gets its own evenly spaced requests, staggered so they do not line up. */
export function startTraffic(options: TrafficOptions): Traffic {
  const batchMs = options.batchMs ?? 250
  const timeoutMs = options.timeoutMs ?? 2000
  const source = options.source ?? 'fault-traffic'
  let pending: RequestOutcome[] = []
  const counts = new Map<string, { ok: number; failed: number }>()
  const inFlight = new Set<Promise<void>>()
  let stopped = false

  const note = (outcome: RequestOutcome) => {
    pending.push(outcome)
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
      note({ target: target.id, at, ok: false, kind: failureKindOf(err), latency_ms: nowMs() - started })
    }
  }

  const flush = async () => {
    if (pending.length === 0) return
    const outcomes = pending
    pending = []
    await fetch(`${options.monitorUrl}/api/monitor/outcomes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source, outcomes }),
      signal: AbortSignal.timeout(2000),
    }).then(
      (res) => res.arrayBuffer(),
      () => undefined,
    )
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
  const batcher = setInterval(() => void flush(), batchMs)

  return {
    counts: (target) => counts.get(target) ?? { ok: 0, failed: 0 },
    async stop() {
      stopped = true
      for (const t of timers) clearTimeout(t)
      for (const t of timers) clearInterval(t)
      clearInterval(batcher)
      await Promise.all(inFlight)
      await flush()
    },
  }
}
