/**
 * Why a switch cannot start right now, before anyone clicks: a switch is already running, or swaps
 * are reserved (the lock). The controller would refuse either way; saying so up front, with what to
 * do about it, beats a green button certain to fail.
 */
import { untilWords } from './format.ts'
import type { LockView, SwapStateView } from './source.ts'

export interface SwitchBlock {
  kind: 'running' | 'lock'
  text: string
}

export function lockWords(lock: LockView, now: Date): string {
  const who = lock.holder ?? 'someone'
  const note = lock.note ? ` (${lock.note})` : ''
  return `Swaps are reserved by ${who}${note} until ${untilWords(lock.expires_at, now)}.`
}

export function switchBlock(
  state: SwapStateView | null,
  lock: LockView | null,
  now: Date,
): SwitchBlock | null {
  const job = state?.job
  if (job && job.outcome === 'running') {
    return {
      kind: 'running',
      text: `A switch to ${job.recipe} is running. Wait for it to finish, or cancel it first.`,
    }
  }
  if (lock?.held) {
    return {
      kind: 'lock',
      text: `${lockWords(lock, now)} Switching is paused until then: release the reservation, or wait for it to end.`,
    }
  }
  return null
}

/**
 * A refusal from the controller, in an operator's words. A 423 (the lock) names who holds it and
 * until when, instead of the API's "this needs the lock's token".
 */
export function refusalWords(status: number, message: string, lock: LockView | null, now: Date): string {
  if (status === 423) {
    if (lock?.held)
      return `Not switched: ${lockWords(lock, now)} Release the reservation, or wait for it to end.`
    return 'Not switched: swaps were reserved by someone else at that moment. Try again.'
  }
  return message
}
