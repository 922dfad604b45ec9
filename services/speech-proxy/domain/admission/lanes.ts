/**
 * The admission vocabulary: which lane a request runs in, how urgent it is, what it asks for, and
 * what a lane reports. Each lane stands for one GPU model on Spark 2 (Parakeet's ASR, its Sortformer
 * diarizer, Kokoro), so each has its own concurrency limit and its own queue.
 */

export const LANES = ['asr', 'diarize', 'tts'] as const
export type Lane = (typeof LANES)[number]

/** Served strictly in this order; within one priority, clients take turns. */
export const PRIORITIES = ['interactive', 'standard', 'batch'] as const
export type Priority = (typeof PRIORITIES)[number]

export interface Admit {
  lane: Lane
  /** Who is asking (API key name or client id): fairness and quotas count per client. */
  client: string
  priority: Priority
  /** Budget from arrival, in ms: a request that would wait longer is refused (503 + Retry-After). */
  deadlineMs: number
  /** Audio seconds for ASR and diarization, 1 for a TTS request. */
  work: number
  /** Aborts when the client goes: a queued request leaves the queue, a running one is cancelled. */
  signal: AbortSignal
}

export interface Admitted<T> {
  value: T
  queueMs: number
  serviceMs: number
  /** Queue position on arrival (1 = next); 0 = ran at once. */
  position: number
}

export type RejectReason = 'quota' | 'deadline' | 'queue_full'

export interface LaneStatus {
  lane: Lane
  limit: number
  running: number
  queued: number
  queued_by_priority: Record<Priority, number>
  /** Measured service seconds per work unit (moving average); the starting estimate until measured. */
  ewma_s_per_work: number
  /** What a request arriving now at the back of the queue would wait, in seconds. */
  projected_wait_s: number
  served: number
  rejected: Record<RejectReason, number>
}

/**
 * Service seconds per work unit assumed before anything was measured: Parakeet runs far faster than
 * real time on a GB10, the diarizer somewhat slower, a Kokoro sentence takes about a second. Only
 * the first requests are judged by these; every finished request moves the average.
 */
export const STARTING_S_PER_WORK: Record<Lane, number> = { asr: 0.02, diarize: 0.05, tts: 1 }

/** Wraps a lane's running work so the upstream's health check sees our own load (adapters/in-flight.ts). */
export interface LoadTracker {
  track<T>(work: () => Promise<T>): Promise<T>
}
