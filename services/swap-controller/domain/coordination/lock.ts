/**
 * The swap reservation lock of the earlier API (since its v0.25), as pure decisions over
 * the stored lock and an injected "now": whoever holds it (and only with its token) may swap,
 * extend or release; a person may force-release it. An expired lock is simply not held.
 */
import type { LOCK_REFUSAL_REASONS } from '../../../../shared/contracts/swap-controller.ts'
import { isoUtc } from './time.ts'
import { hashToken, tokenMatches } from './token.ts'

export const LOCK_TTL_S = { default: 900, min: 1, max: 86_400 } as const

export interface LockRecord {
  holder: string
  note: string | null
  acquiredAtMs: number
  expiresAtMs: number
  /** SHA-256 hex of the token; the token itself is never kept. */
  tokenHash: string
}

export type LockView =
  | { held: false }
  | {
      held: true
      holder: string
      acquired_at: string
      expires_at: string
      seconds_remaining: number
      note: string | null
    }

export interface AcquireRequest {
  holder: string
  ttlSeconds?: number | null
  /** `undefined` keeps the note on extend; `null` clears it. */
  note?: string | null
  token?: string
}

export type RefusalReason = (typeof LOCK_REFUSAL_REASONS)[number]

export type AcquireDecision =
  | { kind: 'acquired'; lock: LockRecord; token: string }
  | { kind: 'extended'; lock: LockRecord; token: string }
  | { kind: 'refused'; reason: RefusalReason; current: LockRecord }

export type ReleaseDecision =
  | { kind: 'released'; previous: LockRecord; forced: boolean }
  | { kind: 'not_held' }
  | { kind: 'refused'; reason: Exclude<RefusalReason, 'other_holder'>; current: LockRecord }

export type SwapPermission =
  | { ok: true; lock: LockRecord | null }
  | { ok: false; status: 423; reason: Exclude<RefusalReason, 'other_holder'>; current: LockRecord }

/** Missing or non-finite → 900 s; anything else clamped to [1, 86400] as the earlier version did. */
export function clampTtl(ttl: number | null | undefined): number {
  if (ttl === null || ttl === undefined || !Number.isFinite(ttl)) return LOCK_TTL_S.default
  return Math.min(LOCK_TTL_S.max, Math.max(LOCK_TTL_S.min, ttl))
}

export const liveLock = (lock: LockRecord | null, nowMs: number): LockRecord | null =>
  lock && lock.expiresAtMs > nowMs ? lock : null

/** Whole seconds, rounded up: a held lock never shows 0 left, an expired one always does. */
export const secondsRemaining = (lock: LockRecord, nowMs: number): number =>
  Math.max(0, Math.ceil((lock.expiresAtMs - nowMs) / 1000))

export function lockView(lock: LockRecord | null, nowMs: number): LockView {
  const live = liveLock(lock, nowMs)
  if (!live) return { held: false }
  return {
    held: true,
    holder: live.holder,
    acquired_at: isoUtc(live.acquiredAtMs),
    expires_at: isoUtc(live.expiresAtMs),
    seconds_remaining: secondsRemaining(live, nowMs),
    note: live.note,
  }
}

const tokenProblem = (
  token: string | undefined,
  lock: LockRecord,
): Exclude<RefusalReason, 'other_holder'> | null =>
  !token ? 'token_required' : tokenMatches(token, lock.tokenHash) ? null : 'token_mismatch'

/**
 * Acquire when free (or expired), extend when the same holder shows the token. Extending restarts
 * the TTL from now and keeps `acquired_at` and the token.
 */
export function decideAcquire(
  stored: LockRecord | null,
  request: AcquireRequest,
  nowMs: number,
  mint: () => string,
): AcquireDecision {
  const ttlMs = clampTtl(request.ttlSeconds) * 1000
  const current = liveLock(stored, nowMs)
  if (!current) {
    const token = mint()
    const lock = {
      holder: request.holder,
      note: request.note ?? null,
      acquiredAtMs: nowMs,
      expiresAtMs: nowMs + ttlMs,
      tokenHash: hashToken(token),
    }
    return { kind: 'acquired', lock, token }
  }
  if (current.holder !== request.holder) return { kind: 'refused', reason: 'other_holder', current }
  const problem = tokenProblem(request.token, current)
  if (problem) return { kind: 'refused', reason: problem, current }
  const note = request.note === undefined ? current.note : request.note
  return { kind: 'extended', lock: { ...current, note, expiresAtMs: nowMs + ttlMs }, token: request.token! }
}

/** Release needs the token; `force` (a person, from the dashboard) does not. Releasing a free lock is fine. */
export function decideRelease(
  stored: LockRecord | null,
  request: { token?: string; force?: boolean },
  nowMs: number,
): ReleaseDecision {
  const current = liveLock(stored, nowMs)
  if (!current) return { kind: 'not_held' }
  if (request.force) return { kind: 'released', previous: current, forced: true }
  const problem = tokenProblem(request.token, current)
  if (problem) return { kind: 'refused', reason: problem, current }
  return { kind: 'released', previous: current, forced: false }
}

/** A real swap while the lock is held needs the holder's token — the dashboard's swap too. */
export function checkSwapAllowed(
  stored: LockRecord | null,
  token: string | undefined,
  nowMs: number,
): SwapPermission {
  const current = liveLock(stored, nowMs)
  if (!current) return { ok: true, lock: null }
  const problem = tokenProblem(token, current)
  if (problem) return { ok: false, status: 423, reason: problem, current }
  return { ok: true, lock: current }
}
