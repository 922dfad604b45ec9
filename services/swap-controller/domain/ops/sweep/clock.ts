import { sleep } from '../../../../../shared/abort.ts'
import type { SweepClock } from './ports.ts'

/** The real clock (fake timers in tests replace what it calls). */
export const systemClock: SweepClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, { signal }),
}
