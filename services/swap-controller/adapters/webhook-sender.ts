/**
 * Delivers the swap webhook from the durable outbox: a small batch at a time (the bounded in-memory
 * queue), each POST with a timeout, failures retried with backoff and jitter until the policy gives
 * up. It never blocks a swap: the engine only writes to the outbox and calls `notify()`. The URL's
 * path and the secret are never logged (webhook URLs often carry a secret in the path).
 */
import type { Dispatcher } from 'undici'
import { sleep } from '../../../shared/abort.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { Secret } from '../../../shared/secret.ts'
import { type PostVerdict, postOnce } from '../../../shared/webhook.ts'
import type { OutboxItem, WebhookOutbox } from '../domain/coordination/ports.ts'
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs, signBody } from '../domain/coordination/webhook.ts'

/** Where deliveries go now; read at each send, so a change on the Settings page applies to the next one. */
export interface WebhookTarget {
  /** Unset: nothing is sent, and pending deliveries wait in the outbox until an address is set. */
  url?: string
  secret?: Secret
  timeoutMs?: number
}

export interface WebhookSenderOptions {
  /** A fixed receiver; `target` instead follows the settings. */
  url?: string
  secret?: Secret
  target?: () => WebhookTarget
  outbox: WebhookOutbox
  logger: Logger
  timeoutMs?: number
  policy?: RetryPolicy
  /** Items taken from the outbox per round; bounds what is held in memory. */
  batchSize?: number
  clock?: () => number
  random?: () => number
  dispatcher?: Dispatcher
}

export interface WebhookSender {
  /** Whether an address is set now (no address: nothing is queued for sending). */
  enabled(): boolean
  /** Picks up deliveries left pending by an earlier run. */
  start(): void
  /** Something was enqueued: send it now instead of at the next timer. */
  notify(): void
  /** Resolves when the current round (if any) has finished; for tests and shutdown. */
  idle(): Promise<void>
  close(): Promise<void>
}

const MAX_TIMER_MS = 2 ** 31 - 1

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const { outbox, logger } = options
  const clock = options.clock ?? Date.now
  const policy = options.policy ?? DEFAULT_RETRY
  const batchSize = options.batchSize ?? 20
  const target = (): WebhookTarget =>
    options.target?.() ?? { url: options.url, secret: options.secret, timeoutMs: options.timeoutMs }
  const log = logger.child({ component: 'webhook' })
  const stop = new AbortController()
  let running: Promise<void> | null = null
  let pendingNotify = false
  let timer: ReturnType<typeof setTimeout> | undefined

  async function post(item: OutboxItem, to: WebhookTarget & { url: string }): Promise<PostVerdict> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'spark-control-swap-webhook',
      'x-spark-event': item.event,
      'x-spark-delivery': String(item.id),
    }
    if (to.secret) headers['x-spark-signature'] = signBody(item.body, to.secret.reveal())
    return postOnce(to.url, {
      body: item.body,
      headers,
      timeoutMs: to.timeoutMs ?? 5000,
      signal: stop.signal,
      dispatcher: options.dispatcher,
    })
  }

  async function deliver(item: OutboxItem, to: WebhookTarget & { url: string }): Promise<void> {
    const attempts = item.attempts + 1
    const verdict = await post(item, to)
    // Shutting down aborted the POST: the try does not count, the row stays pending for the next run.
    if (stop.signal.aborted) return
    const fields = { delivery: item.id, event: item.event, attempts, receiver: new URL(to.url).origin }
    if (verdict.ok) {
      outbox.markDelivered(item.id, clock(), attempts)
      log.info({ ...fields, status: verdict.status }, 'webhook delivered')
      return
    }
    const delay = verdict.retry ? retryDelayMs(attempts, policy, options.random) : null
    if (delay === null) {
      outbox.markFailed(item.id, attempts, verdict.why)
      log.warn({ ...fields, why: verdict.why }, 'webhook delivery failed for good')
      return
    }
    outbox.markRetry(item.id, attempts, clock() + delay, verdict.why)
    log.warn({ ...fields, why: verdict.why, retry_in_ms: delay }, 'webhook delivery failed; will retry')
  }

  async function round(): Promise<void> {
    while (!stop.signal.aborted) {
      const batch = outbox.due(clock(), batchSize)
      if (batch.length === 0) return
      for (const item of batch) {
        // The address was removed: what is left waits in the outbox for the next one.
        const to = target()
        if (stop.signal.aborted || !to.url) return
        await deliver(item, { ...to, url: to.url })
      }
    }
  }

  function armTimer() {
    clearTimeout(timer)
    // Without an address nothing is due: `notify()` starts again once one is set.
    if (stop.signal.aborted || !target().url) return
    const next = outbox.nextDueAtMs()
    if (next === null) return
    timer = setTimeout(notify, Math.min(MAX_TIMER_MS, Math.max(0, next - clock())))
    // A pending retry must not keep a finished process (or a test) alive.
    timer.unref?.()
  }

  function notify() {
    if (stop.signal.aborted) return
    if (running) {
      pendingNotify = true
      return
    }
    // The round starts on a later turn of the event loop: the caller (a swap finishing) never
    // runs any of the delivery work, not even its first synchronous part.
    running = sleep(0)
      .then(round)
      .catch((err: unknown) => log.error({ err }, 'webhook round failed'))
      .finally(() => {
        running = null
        if (pendingNotify) {
          pendingNotify = false
          notify()
          return
        }
        try {
          armTimer()
        } catch (err) {
          log.error({ err }, 'webhook timer failed')
        }
      })
  }

  return {
    enabled: () => !!target().url,
    start: notify,
    notify,
    async idle() {
      while (running) await running
    },
    async close() {
      stop.abort()
      clearTimeout(timer)
      while (running) await running
    },
  }
}
