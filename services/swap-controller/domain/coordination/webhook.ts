/**
 * The swap webhook of the earlier API: after every swap one small JSON event, `swap_complete` or
 * `swap_failed`, signed with `X-Spark-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`
 * when a secret is set. The earlier body fields were never documented; the shape below is our choice,
 * recorded in docs/COMPATIBILITY.md. Delivery is at-least-once, so receivers dedupe on `swap_id`.
 */
import { backoffDelay } from '../../../../shared/backoff.ts'

// Signing and the retryable statuses are the project's one webhook scheme (shared/webhook.ts).
export { isRetryableStatus, signBody, verifySignature } from '../../../../shared/webhook.ts'

import { isoUtc } from './time.ts'

export const WEBHOOK_EVENTS = ['swap_complete', 'swap_failed'] as const
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number]

export interface WebhookEvent {
  event: WebhookEventName
  swap_id: string
  /** Recipe key that was loaded (or attempted). */
  recipe: string
  /** Served model id the swap aimed for; null when unknown. */
  model: string | null
  /** Model served before the swap; null when nothing was loaded. */
  from_model: string | null
  started_at: string
  finished_at: string
  /** Seconds, float (millisecond precision). */
  duration_s: number
  /**
   * What vLLM serves now that the swap is over: `model`, `from_model` (rolled back, or the swap
   * ended before stopping it), or null (nothing: the old model was stopped and the new one is not up).
   */
  serving_model: string | null
  /**
   * Additive: `model` (serving_model serves), `none` (nothing serves), or `unknown` (the old model's
   * teardown was not verified, so it may still run); serving_model stays null for the last two.
   */
  serving_state: 'model' | 'none' | 'unknown'
  /** Additive, with `unknown`: why it is not known. */
  serving_note?: string
  /** Only on `swap_failed`: what went wrong, short (`cancelled: …` for a cancelled swap). */
  error?: string
}

export interface SwapOutcome {
  swapId: string
  recipe: string
  model: string | null
  fromModel: string | null
  startedAtMs: number
  finishedAtMs: number
  servingModel: string | null
  /** The old model was being stopped and its teardown was never verified. */
  teardownUnverified?: boolean
  /** Set when the swap failed; absent or null for success. */
  error?: string | null
}

/** Long errors (log tails) belong in the swap record, not in a notification. */
export const MAX_EVENT_ERROR_CHARS = 1000

export function swapEvent(outcome: SwapOutcome): WebhookEvent {
  const failed = outcome.error !== undefined && outcome.error !== null
  const event: WebhookEvent = {
    event: failed ? 'swap_failed' : 'swap_complete',
    swap_id: outcome.swapId,
    recipe: outcome.recipe,
    model: outcome.model,
    from_model: outcome.fromModel,
    started_at: isoUtc(outcome.startedAtMs),
    finished_at: isoUtc(outcome.finishedAtMs),
    duration_s: Math.max(0, Math.round(outcome.finishedAtMs - outcome.startedAtMs)) / 1000,
    serving_model: outcome.servingModel,
    serving_state: servingState(outcome),
  }
  if (event.serving_state === 'unknown')
    event.serving_note = `The previous model's teardown was not verified (${(outcome.error ?? 'no answer').slice(0, 200)}); it may still be running.`
  if (failed) event.error = outcome.error!.slice(0, MAX_EVENT_ERROR_CHARS)
  return event
}

function servingState(outcome: SwapOutcome): WebhookEvent['serving_state'] {
  if (outcome.servingModel !== null) return 'model'
  return outcome.teardownUnverified ? 'unknown' : 'none'
}

/** The exact bytes that are signed, stored in the outbox and sent. */
export const encodeEvent = (event: WebhookEvent): string => JSON.stringify(event)

export interface RetryPolicy {
  /** Delay after the first failure; doubles after each further one. */
  baseMs: number
  maxMs: number
  /** Deliveries tried in all, the first included; then the event is marked failed. */
  maxAttempts: number
}

/** 8 tries spread over two to four minutes: long enough to ride out a receiver restart. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2000, maxMs: 120_000, maxAttempts: 8 }

/** Delay before the next try after `failures` failed attempts (shared/backoff.ts), or null to give up. */
export function retryDelayMs(
  failures: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  random = Math.random,
): number | null {
  if (failures < 1 || failures >= policy.maxAttempts) return null
  return backoffDelay(failures, { baseMs: policy.baseMs, maxMs: policy.maxMs, random })
}
