/**
 * The client every service uses to tell the connectivity monitor how its requests to upstreams went
 * (`POST /api/monitor/outcomes`, `OutcomeBatch`). It lives beside real traffic, so it must never
 * slow it down: `record` is a push into a fixed ring (the oldest outcome is dropped, and counted,
 * when it is full), batches go out from a timer with one POST in flight at most, and a monitor that
 * is away costs one short, failed POST per back-off step (1 s doubling to 30 s) — its batches are
 * dropped and counted, and the next batch that arrives says how many were lost (`dropped`).
 */
import { Agent, request } from 'undici'
import { sleep, unref } from '../abort.ts'
import { backoffDelay } from '../backoff.ts'
import { OUTCOMES_PATH, type OutcomeBatch, type RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { proveInternal } from '../internal-auth/prove.ts'
import type { Logger } from '../logger.ts'
import { Counter, type Registry } from '../metrics.ts'

/** Where request outcomes go; `reportOutcomes` and the adapters that time their own calls write here. */
export interface OutcomeSink {
  /** False for the no-op reporter: callers may skip the work of building an outcome. */
  readonly enabled: boolean
  /** Synchronous, O(1), never throws, never waits. */
  record(outcome: RequestOutcome): void
}

export interface OutcomeStats {
  /** Outcomes waiting to be sent. */
  buffered: number
  /** Outcomes the monitor accepted. */
  sent: number
  /** Outcomes lost: the buffer was full, or their batch failed. */
  dropped: number
  /** Batches that failed (the monitor refused, timed out or answered non-2xx). */
  failedBatches: number
}

export interface OutcomeReporter extends OutcomeSink {
  stats(): OutcomeStats
  /** Sends what is buffered once, within a short deadline, and releases the connection. */
  close(): Promise<void>
}

export interface OutcomeReporterOptions {
  /** The monitor's base URL (`CONNECTIVITY_MONITOR_URL`); unset means a reporter that does nothing. */
  url: string | null | undefined
  /** The reporting service's name. */
  source: string
  flushMs?: number
  maxBuffered?: number
  maxBatch?: number
  timeoutMs?: number
  /** Longest wait of `close()` for the last batch. */
  closeDeadlineMs?: number
  backoff?: { baseMs: number; maxMs: number; random?: () => number }
  logger?: Logger
  /** When given, `monitor_outcomes_sent_total` and `monitor_outcomes_dropped_total` are published there. */
  registry?: Registry
}

export const noOutcomeReporter = (): OutcomeReporter => ({
  enabled: false,
  record() {},
  stats: () => ({ buffered: 0, sent: 0, dropped: 0, failedBatches: 0 }),
  close: async () => {},
})

export function createOutcomeReporter(options: OutcomeReporterOptions): OutcomeReporter {
  if (!options.url) return noOutcomeReporter()
  const endpoint = `${options.url.replace(/\/+$/, '')}${OUTCOMES_PATH}`
  const flushMs = options.flushMs ?? 200
  const maxBatch = options.maxBatch ?? 500
  const timeoutMs = options.timeoutMs ?? 1000
  const backoff = options.backoff ?? { baseMs: 1000, maxMs: 30_000 }
  const ring = createRing(Math.max(1, options.maxBuffered ?? 2000))
  const counters = outcomeCounters(options.registry)
  // Its own small agent: a stuck monitor never takes a connection from the traffic being reported.
  const agent = new Agent({
    connections: 1,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
  })
  const proven = proveInternal(agent)
  const stats = { sent: 0, dropped: 0, failedBatches: 0 }
  /** Lost since the last batch the monitor accepted: the next batch says so. */
  let unreported = 0
  let failures = 0
  let resumeAt = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  let inFlight: Promise<void> | null = null
  let closed = false

  const lose = (n: number) => {
    unreported += n
    stats.dropped += n
    counters?.dropped.inc(n)
  }

  function schedule() {
    if (timer || inFlight || closed || ring.size() === 0) return
    const wait = Math.max(ring.size() >= maxBatch ? 0 : flushMs, resumeAt - performance.now())
    timer = setTimeout(flush, wait)
    unref(timer)
  }

  function flush() {
    timer = null
    if (inFlight || ring.size() === 0) return
    inFlight = sendBatch().finally(() => {
      inFlight = null
      schedule()
    })
  }

  async function sendBatch() {
    const outcomes = ring.take(maxBatch)
    const dropped = unreported
    const batch: OutcomeBatch = { source: options.source, outcomes, ...(dropped > 0 ? { dropped } : {}) }
    const problem = await post(batch)
    if (problem === null) {
      unreported -= dropped
      stats.sent += outcomes.length
      counters?.sent.inc(outcomes.length)
      if (failures > 0) options.logger?.info({ after: failures }, 'connectivity monitor reachable again')
      failures = 0
      resumeAt = 0
      return
    }
    lose(outcomes.length)
    stats.failedBatches++
    failures++
    resumeAt = performance.now() + backoffDelay(failures, backoff)
    if (failures === 1)
      options.logger?.warn(
        { reason: problem },
        'connectivity monitor unreachable; outcomes dropped meanwhile',
      )
  }

  /** Null when the monitor took the batch, else why not. */
  async function post(batch: OutcomeBatch): Promise<string | null> {
    try {
      const res = await request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        dispatcher: proven,
        signal: AbortSignal.timeout(timeoutMs),
      })
      await res.body.dump().catch(() => undefined)
      return res.statusCode >= 200 && res.statusCode < 300 ? null : `answered HTTP ${res.statusCode}`
    } catch (err) {
      return (err as Error).message || String(err)
    }
  }

  return {
    enabled: true,
    record(outcome) {
      if (closed) return
      if (ring.push(outcome)) lose(1)
      schedule()
    },
    stats: () => ({ buffered: ring.size(), ...stats }),
    async close() {
      if (closed) return
      closed = true
      if (timer) clearTimeout(timer)
      timer = null
      const last = async () => {
        await inFlight
        if (ring.size() > 0) await sendBatch()
      }
      await Promise.race([last(), sleep(options.closeDeadlineMs ?? 500)])
      await agent.destroy().catch(() => undefined)
    },
  }
}

/** A fixed ring of outcomes: pushing into a full one overwrites the oldest. */
function createRing(capacity: number) {
  const slots: Array<RequestOutcome | undefined> = new Array(capacity)
  let head = 0
  let size = 0
  return {
    size: () => size,
    /** True when the oldest outcome made room. */
    push(outcome: RequestOutcome): boolean {
      slots[(head + size) % capacity] = outcome
      if (size < capacity) {
        size++
        return false
      }
      head = (head + 1) % capacity
      return true
    },
    take(max: number): RequestOutcome[] {
      const n = Math.min(max, size)
      const out: RequestOutcome[] = new Array(n)
      for (let i = 0; i < n; i++) {
        const slot = (head + i) % capacity
        out[i] = slots[slot] as RequestOutcome
        slots[slot] = undefined
      }
      head = (head + n) % capacity
      size -= n
      return out
    },
  }
}

function outcomeCounters(registry: Registry | undefined) {
  if (!registry) return null
  return {
    sent: new Counter({
      name: 'monitor_outcomes_sent_total',
      help: 'Request outcomes delivered to the connectivity monitor',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'monitor_outcomes_dropped_total',
      help: 'Request outcomes lost (buffer full, or the connectivity monitor away)',
      registers: [registry],
    }),
  }
}
