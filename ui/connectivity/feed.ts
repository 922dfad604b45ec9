/**
 * The connectivity page's live feed: an SSE stream of htmx-ready HTML. It listens to the monitor's
 * own event stream and, when a target changes state or an outage opens or closes, reads the page's
 * live parts again and sends those that changed (out-of-band swaps, one event). Between changes it
 * reads every `intervalMs`, so "for 3 min" and an ongoing outage's length keep moving. When the
 * monitor's stream breaks the feed keeps going on its interval (the page then says the monitor
 * cannot be reached) and listens again after a backoff. Nothing outlives the stream.
 */
import type { Context } from 'hono'
import type { SSEStreamingApi } from 'hono/streaming'
import { sleep } from '../../shared/abort.ts'
import { backoffDelay } from '../../shared/backoff.ts'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { streamUntilGone } from '../stream-until-gone.ts'
import { pause, Wake } from '../wake.ts'
import type { LivePart } from './live.tsx'
import { CONNECTIVITY_EVENT } from './paths.ts'
import type { MonitorSource } from './source.ts'

export interface FeedDeps {
  monitor: MonitorSource
  /** Reads the monitor and renders every live part. */
  parts: (signal: AbortSignal) => Promise<LivePart[]>
  logger: Logger
  shutdown: AbortSignal
  intervalMs: number
  /** Called once when the stream has ended, whatever ended it. */
  onEnd?: () => void
}

/** A node going down changes its upstreams in the same moment: one read after the burst, not one each. */
const SETTLE_MS = 150
const RECONNECT_MS = 3000
const LISTEN_BACKOFF = { baseMs: 500, maxMs: 15_000 }

export function streamConnectivity(c: Context<AppEnv>, deps: FeedDeps): Response {
  const log = c.var.log ?? deps.logger
  return streamUntilGone(
    c,
    deps.shutdown,
    async (stream, gone) => {
      // The listener stops with the feed, however the feed ends (a failed write too).
      const done = new AbortController()
      const signal = AbortSignal.any([gone, done.signal])
      const wake = new Wake()
      const listening = listen(deps.monitor, signal, wake, log)
      try {
        await feed(stream, signal, deps, wake)
      } finally {
        done.abort()
        await listening
      }
    },
    deps.onEnd,
  )
}

/**
 * Wakes the feed on every change the monitor announces (reports are traffic, not changes), and
 * when its stream opens again after a break: the page then stops saying the monitor is away.
 */
async function listen(monitor: MonitorSource, signal: AbortSignal, wake: Wake, log: Logger) {
  let failures = 0
  const opened = () => {
    if (failures > 0) wake.notify()
    failures = 0
  }
  while (!signal.aborted) {
    try {
      for await (const event of monitor.events(signal, opened)) {
        if (event.type !== 'report') wake.notify()
      }
    } catch (err) {
      if (signal.aborted) break
      // Said once per outage of the stream, not once per retry.
      if (failures === 0)
        log.warn({ reason: (err as Error).message }, 'dashboard: monitor events unavailable')
    }
    failures++
    wake.notify()
    await sleep(backoffDelay(failures, LISTEN_BACKOFF), { signal }).catch(() => undefined)
  }
}

async function feed(stream: SSEStreamingApi, signal: AbortSignal, deps: FeedDeps, wake: Wake) {
  const sent = new Map<string, string>()
  let first = true
  while (!signal.aborted) {
    const seen = wake.generation
    const parts = await deps.parts(signal)
    if (signal.aborted) break
    const due = parts.filter((p) => sent.get(p.id) !== p.html)
    for (const p of due) sent.set(p.id, p.html)
    if (due.length || first) {
      const data = due.map((p) => p.html).join('\n')
      await stream.writeSSE({ event: CONNECTIVITY_EVENT, data, retry: first ? RECONNECT_MS : undefined })
    }
    first = false
    await pause(deps.intervalMs, signal, wake, seen)
    if (wake.generation !== seen) await pause(SETTLE_MS, signal)
  }
}
