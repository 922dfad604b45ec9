/**
 * How long a lane takes: a moving average of service seconds per work unit (per audio second for
 * ASR and diarization, per request for TTS), and from it the wait a new request would face.
 */

/** Weight of the newest measurement: a few requests are enough to follow a model that slowed down. */
const ALPHA = 0.3

export interface ServiceEstimate {
  /** Seconds per work unit now. */
  readonly sPerWork: number
  /** Folds in one finished request. */
  observe(serviceS: number, work: number): void
}

export function createEstimate(startingSPerWork: number, alpha = ALPHA): ServiceEstimate {
  let sPerWork = startingSPerWork
  return {
    get sPerWork() {
      return sPerWork
    },
    observe(serviceS, work) {
      if (!(work > 0) || !Number.isFinite(serviceS) || serviceS < 0) return
      sPerWork = alpha * (serviceS / work) + (1 - alpha) * sPerWork
    },
  }
}

export interface WaitInputs {
  limit: number
  /** Work units of each running request and how long it has run, in seconds. */
  running: readonly { work: number; elapsedS: number }[]
  /** Work units queued ahead of the request. */
  workAhead: number
  sPerWork: number
}

/**
 * Seconds until the request would start: what the running requests have left plus the work queued
 * ahead, shared over the lane's slots. Zero when a slot is free and nobody is ahead.
 */
export function projectedWaitS({ limit, running, workAhead, sPerWork }: WaitInputs): number {
  if (running.length < limit && workAhead === 0) return 0
  const remaining = running.reduce((sum, r) => sum + Math.max(0, r.work * sPerWork - r.elapsedS), 0)
  return (remaining + workAhead * sPerWork) / Math.max(1, limit)
}

/** A Retry-After in whole seconds, never below 1 (a 0 invites an immediate retry storm). */
export const retryAfterS = (waitS: number) => Math.max(1, Math.ceil(waitS))
