/**
 * The earlier version's method, written small, as the monitor benchmark's baseline: every 5 s,
 * one `GET /health` to each target with a 3 s timeout; a failed poll calls the target down at
 * once, a successful one calls it up. It runs in the same run over the same outages, so its catch
 * rate is measured, not remembered.
 */
import type { Decision, DetectedSpan } from './monitor-plan.ts'

export interface Poller {
  spans(): DetectedSpan[]
  decisions(): Decision[]
  /** Polls sent so far. */
  polls(): number
  stop(): void
}

const POLL_EVERY_MS = 5000
const TIMEOUT_MS = 3000

const wall = () => performance.timeOrigin + performance.now()

export function startFixedPoller(targets: Array<{ id: string; url: string }>): Poller {
  const spans: DetectedSpan[] = []
  const decisions: Decision[] = []
  const open = new Map<string, DetectedSpan>()
  let polls = 0
  const poll = async (target: { id: string; url: string }) => {
    const sentAt = wall()
    polls++
    const ok = await fetch(`${target.url}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
      async (res) => {
        await res.arrayBuffer()
        return res.ok
      },
      () => false,
    )
    const current = open.get(target.id)
    if (!ok && !current) {
      // Dated from the poll that failed (as generous as it can be); decided when that poll came back.
      const span = { target: target.id, startedAt: sentAt, endedAt: null }
      open.set(target.id, span)
      spans.push(span)
      decisions.push({ target: target.id, at: wall() })
    } else if (ok && current) {
      current.endedAt = sentAt
      open.delete(target.id)
    }
  }
  const timer = setInterval(() => {
    for (const t of targets) void poll(t)
  }, POLL_EVERY_MS)
  return {
    spans: () => spans,
    decisions: () => decisions,
    polls: () => polls,
    stop: () => clearInterval(timer),
  }
}
