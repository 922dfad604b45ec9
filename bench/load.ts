/**
 * The load generator, run as its own process (forked by run.ts) so its work never shares an event
 * loop with the proxy it measures. It takes jobs over IPC and answers with raw samples:
 * - `rate`: open loop — requests start at a constant arrival rate whatever the answers do, the
 *   way independent clients arrive; latency runs from the moment a request is handed to the
 *   socket pool to the end of its answer, and the schedule lag (how late each start was) is
 *   reported so a reader can tell whether the rate was actually held;
 * - `closed`: a fixed number of requests always in flight, for maximum throughput;
 * - `sse`: concurrent event streams; each event's delay is its receive time minus the send time
 *   the upstream wrote into it (both CLOCK_MONOTONIC via `process.hrtime.bigint()`).
 * Requests go through undici's `dispatch` with a minimal handler, so the generator's own cost per
 * request is small and the same for every path. Every loop is bounded by count or deadline.
 */
import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { type Dispatcher, Pool } from 'undici'
import { sleep } from '../shared/abort.ts'

export interface Target {
  origin: string
  /** Path and query. */
  path: string
  method: 'GET' | 'POST'
  body?: string
}

export type Job =
  | { kind: 'rate'; target: Target; rate: number; durationMs: number }
  | { kind: 'closed'; target: Target; concurrency: number; durationMs: number }
  | { kind: 'sse'; target: Target; streams: number; timeoutMs: number }

export interface Samples {
  ok: number
  errors: number
  firstError: string | null
  elapsedMs: number
  /** Per request (rate, closed) or per event (sse), in microseconds. */
  latencyUs: number[]
  /** `rate` only: how late each request started against its schedule, in microseconds. */
  lagUs: number[]
}

const pools = new Map<string, Pool>()
function poolFor(origin: string): Pool {
  let pool = pools.get(origin)
  if (!pool) {
    pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 })
    pools.set(origin, pool)
  }
  return pool
}

/** Waiting for answers still in flight after a run is bounded too. */
const DRAIN_LIMIT_MS = 10_000
const HEADERS = ['content-type', 'application/json']

/** One request; `onEvent` sees each body chunk with its receive time (SSE). */
function hit(target: Target, onChunk?: (chunk: Buffer, at: bigint) => void, signal?: AbortSignal) {
  return new Promise<number>((resolve, reject) => {
    let status = 0
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        signal?.addEventListener('abort', () => controller.abort(new Error('timed out')), { once: true })
      },
      onResponseStart(_c, code) {
        status = code
      },
      onResponseData(_c, chunk) {
        onChunk?.(chunk, process.hrtime.bigint())
      },
      onResponseEnd() {
        resolve(status)
      },
      onResponseError(_c, err) {
        reject(err)
      },
    }
    poolFor(target.origin).dispatch(
      {
        path: target.path,
        method: target.method,
        headers: target.body ? HEADERS : undefined,
        body: target.body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      },
      handler,
    )
  })
}

function emptySamples(): Samples {
  return { ok: 0, errors: 0, firstError: null, elapsedMs: 0, latencyUs: [], lagUs: [] }
}

function fail(s: Samples, err: unknown) {
  s.errors++
  s.firstError ??= err instanceof Error ? err.message : String(err)
}

async function openLoop(target: Target, rate: number, durationMs: number): Promise<Samples> {
  const s = emptySamples()
  const total = Math.max(1, Math.round((rate * durationMs) / 1000))
  const intervalMs = 1000 / rate
  const inflight = new Set<Promise<void>>()
  const start = performance.now() + 5
  let issued = 0
  const fire = (due: number) => {
    const sent = performance.now()
    s.lagUs.push((sent - due) * 1000)
    const p = hit(target)
      .then(
        (status) => {
          if (status === 200) {
            s.ok++
            s.latencyUs.push((performance.now() - sent) * 1000)
          } else fail(s, new Error(`HTTP ${status}`))
        },
        (err) => fail(s, err),
      )
      .finally(() => inflight.delete(p))
    inflight.add(p)
  }
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now()
      while (issued < total && start + issued * intervalMs <= now) fire(start + issued++ * intervalMs)
      if (issued >= total) return done()
      // Timers fire at 1 ms granularity at best; lateness shows up in the lag figure.
      setTimeout(tick, Math.max(0, start + issued * intervalMs - performance.now() - 0.5))
    }
    tick()
  })
  await drain(inflight, s)
  s.elapsedMs = performance.now() - start
  return s
}

async function closedLoop(target: Target, concurrency: number, durationMs: number): Promise<Samples> {
  const s = emptySamples()
  const start = performance.now()
  const end = start + durationMs
  const worker = async () => {
    while (performance.now() < end) {
      const sent = performance.now()
      try {
        const status = await hit(target)
        if (status === 200) {
          s.ok++
          s.latencyUs.push((performance.now() - sent) * 1000)
        } else fail(s, new Error(`HTTP ${status}`))
      } catch (err) {
        fail(s, err)
        // A refused connection fails at once; do not spin on it.
        await sleep(10)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  s.elapsedMs = performance.now() - start
  return s
}

async function eventStreams(target: Target, streams: number, timeoutMs: number): Promise<Samples> {
  const s = emptySamples()
  const start = performance.now()
  const stop = AbortSignal.timeout(timeoutMs)
  setMaxListeners(streams + 1, stop)
  const one = async () => {
    let pending = ''
    const onChunk = (chunk: Buffer, at: bigint) => {
      pending += chunk.toString('utf8')
      let end = pending.indexOf('\n\n')
      while (end !== -1) {
        const sent = /"t":"(\d+)"/.exec(pending.slice(0, end))
        if (sent) s.latencyUs.push(Number(at - BigInt(sent[1]!)) / 1000)
        pending = pending.slice(end + 2)
        end = pending.indexOf('\n\n')
      }
    }
    try {
      const status = await hit(target, onChunk, stop)
      if (status === 200) s.ok++
      else fail(s, new Error(`HTTP ${status}`))
    } catch (err) {
      fail(s, err)
    }
  }
  await Promise.all(Array.from({ length: streams }, one))
  s.elapsedMs = performance.now() - start
  return s
}

async function drain(inflight: Set<Promise<void>>, s: Samples) {
  const late = new Promise<'late'>((r) => setTimeout(() => r('late'), DRAIN_LIMIT_MS).unref())
  if ((await Promise.race([Promise.all(inflight), late])) === 'late') {
    for (const _ of inflight) fail(s, new Error(`no answer within ${DRAIN_LIMIT_MS} ms after the run`))
  }
}

function run(job: Job): Promise<Samples> {
  switch (job.kind) {
    case 'rate':
      return openLoop(job.target, job.rate, job.durationMs)
    case 'closed':
      return closedLoop(job.target, job.concurrency, job.durationMs)
    case 'sse':
      return eventStreams(job.target, job.streams, job.timeoutMs)
  }
}

process.on('message', (msg: { id: number; job: Job }) => {
  run(msg.job).then(
    (result) => process.send?.({ id: msg.id, result }),
    (err: Error) => process.send?.({ id: msg.id, error: err.message }),
  )
})
process.on('disconnect', () => {
  for (const pool of pools.values()) void pool.destroy()
  process.exit(0)
})
process.send?.({ type: 'ready' })
