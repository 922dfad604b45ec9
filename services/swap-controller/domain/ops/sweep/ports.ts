/**
 * What a concurrency sweep needs from the outside: one request to the backend with the target's
 * fixed input, one health check, a clock, and somewhere to keep results. The HTTP adapter
 * (adapters/ops/sweep-http.ts) and the SQLite store (adapters/ops/sweep-store.ts) implement them;
 * tests use stand-ins on fake timers.
 */
import type { SweepResult } from '../../../../../shared/contracts/swap-controller.ts'

/** How one request went: `status` is the HTTP status, or null when none came (refused, timed out). */
export interface SweepCallResult {
  ok: boolean
  status: number | null
  /** Why it failed, in a few words (never a body's audio or text). */
  error?: string
}

export interface SweepBackend {
  /** Sends the fixed input once; resolves when the whole answer has been read (the GPU's work is done). */
  send(signal: AbortSignal): Promise<SweepCallResult>
  /** One GET of the backend's health route; true when it answered 2xx. */
  health(signal: AbortSignal): Promise<boolean>
}

export interface SweepClock {
  /** Milliseconds, monotonic enough for durations. */
  now(): number
  /** Resolves after `ms`, or rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Saved sweeps, newest first; the store keeps a bounded number. */
export interface SweepStore {
  save(result: SweepResult): void
  list(limit: number): SweepResult[]
  get(id: string): SweepResult | null
}
