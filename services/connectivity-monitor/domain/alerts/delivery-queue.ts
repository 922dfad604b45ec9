/**
 * One channel's outgoing alerts: a bounded queue (overflow drops the oldest, and says so), sent one
 * at a time, each try bounded by the sender's timeout, network failures, 5xx and 429 retried a
 * couple of times with backoff (shared/backoff.ts). Pushing never waits and never throws, so a
 * receiver that hangs or refuses costs the engine nothing; each channel has its own queue, so a
 * dead webhook does not hold back ntfy.
 */
import { sleep } from '../../../../shared/abort.ts'
import { backoffDelay } from '../../../../shared/backoff.ts'
import type { Logger } from '../../../../shared/logger.ts'
import type { AlertSender, MonitorAlert } from './ports.ts'

export interface QueuedAlert {
  alert: MonitorAlert
  /** Stable across retries and channels: receivers dedupe on it (`X-Spark-Delivery`). */
  delivery: string
  /** The history's outages this alert tells of (a node's lists its grouped targets' too). */
  outageIds: string[]
}

export interface DeliveryPolicy {
  /** Alerts waiting at most; the oldest is dropped beyond it. */
  capacity: number
  /** Tries in all, the first included. */
  maxAttempts: number
  baseMs: number
  maxMs: number
}

/** Three tries within about ten seconds: enough for a receiver's blip, short enough to keep the queue moving. */
export const DEFAULT_DELIVERY: DeliveryPolicy = { capacity: 100, maxAttempts: 3, baseMs: 1000, maxMs: 8000 }

export interface DeliveryQueue {
  push(item: QueuedAlert): void
  /** Resolves when nothing is queued or being sent; for tests and shutdown. */
  idle(): Promise<void>
  close(): Promise<void>
}

export function createDeliveryQueue(options: {
  sender: AlertSender
  logger: Logger
  policy?: DeliveryPolicy
  onDelivered?: (item: QueuedAlert) => void
}): DeliveryQueue {
  const { sender } = options
  const policy = options.policy ?? DEFAULT_DELIVERY
  const log = options.logger.child({ component: 'alerts', channel: sender.name, receiver: sender.receiver })
  const waiting: QueuedAlert[] = []
  const stop = new AbortController()
  let running: Promise<void> | null = null

  async function sendOnce(item: QueuedAlert) {
    try {
      return await sender.send(item.alert, item.delivery, stop.signal)
    } catch (err) {
      return { ok: false as const, retry: true, why: (err as Error).name || 'send failed' }
    }
  }

  async function deliver(item: QueuedAlert): Promise<void> {
    const fields = { delivery: item.delivery, event: item.alert.event, target: item.alert.target }
    for (let attempt = 1; ; attempt++) {
      const verdict = await sendOnce(item)
      if (stop.signal.aborted) return
      if (verdict.ok) {
        log.info({ ...fields, attempts: attempt }, 'alert delivered')
        options.onDelivered?.(item)
        return
      }
      if (!verdict.retry || attempt >= policy.maxAttempts) {
        log.warn({ ...fields, attempts: attempt, why: verdict.why }, 'alert delivery failed for good')
        return
      }
      const delay = backoffDelay(attempt, policy)
      log.warn(
        { ...fields, attempts: attempt, why: verdict.why, retry_in_ms: delay },
        'alert delivery failed; will retry',
      )
      const waited = await sleep(delay, { signal: stop.signal }).then(
        () => true,
        () => false,
      )
      if (!waited) return
    }
  }

  async function drain(): Promise<void> {
    for (let item = waiting.shift(); item && !stop.signal.aborted; item = waiting.shift()) await deliver(item)
  }

  function start() {
    // The first send starts on a later turn of the event loop: the caller (the engine's tick) never runs any of it.
    running = sleep(0)
      .then(drain)
      .catch((err: unknown) => log.error({ err }, 'alert delivery loop failed'))
      .finally(() => {
        running = null
        if (waiting.length > 0 && !stop.signal.aborted) start()
      })
  }

  return {
    push(item) {
      if (stop.signal.aborted) return
      if (waiting.length >= policy.capacity) {
        const dropped = waiting.shift()!
        log.warn(
          { delivery: dropped.delivery, event: dropped.alert.event, target: dropped.alert.target },
          'alert queue full; dropped the oldest alert',
        )
      }
      waiting.push(item)
      if (!running) start()
    },
    async idle() {
      while (running) await running
    },
    async close() {
      stop.abort()
      waiting.length = 0
      while (running) await running
    },
  }
}
