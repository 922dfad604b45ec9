/**
 * Back-off after failed logins. Per address: after `failures` misses the address waits `baseMs`,
 * and each further miss doubles the wait up to `maxMs`; a success clears it. Globally: when
 * `globalFailures` misses (from any addresses) fall within one `baseMs` window, every address waits
 * `baseMs` — many addresses guessing slowly get no more tries than one. A locked attempt is refused
 * before the password is checked, so it costs no scrypt time either.
 */

export interface LockoutPolicy {
  failures: number
  baseMs: number
  maxMs: number
  globalFailures: number
}

export interface Lockout {
  /** Milliseconds this address must still wait (0: may try now). */
  waitMs(address: string): number
  /** Records a miss; returns the wait it starts (0 while under the threshold). */
  fail(address: string): number
  succeed(address: string): void
}

interface AddressState {
  misses: number
  lockedUntilMs: number
  lastMs: number
}

/** Bound on tracked addresses; the oldest are forgotten first. */
const MAX_ADDRESSES = 10_000

export function createLockout(policy: LockoutPolicy, now: () => number = Date.now): Lockout {
  const addresses = new Map<string, AddressState>()
  let recentMisses: number[] = []
  let globalUntilMs = 0

  const forgetStale = (at: number) => {
    for (const [addr, s] of addresses) {
      if (at - s.lastMs > policy.maxMs * 2 && s.lockedUntilMs <= at) addresses.delete(addr)
    }
    while (addresses.size >= MAX_ADDRESSES) addresses.delete(addresses.keys().next().value!)
  }

  return {
    waitMs(address) {
      const at = now()
      const own = addresses.get(address)?.lockedUntilMs ?? 0
      return Math.max(0, own - at, globalUntilMs - at)
    },
    fail(address) {
      const at = now()
      recentMisses = recentMisses.filter((t) => at - t < policy.baseMs)
      recentMisses.push(at)
      if (recentMisses.length >= policy.globalFailures) globalUntilMs = at + policy.baseMs
      let state = addresses.get(address)
      if (!state) {
        forgetStale(at)
        state = { misses: 0, lockedUntilMs: 0, lastMs: at }
        addresses.set(address, state)
      }
      state.misses++
      state.lastMs = at
      const over = state.misses - policy.failures
      if (over < 0) return Math.max(0, globalUntilMs - at)
      const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(over, 30))
      state.lockedUntilMs = at + wait
      return Math.max(wait, globalUntilMs - at)
    },
    succeed(address) {
      addresses.delete(address)
    },
  }
}
