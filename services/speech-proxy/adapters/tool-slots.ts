/**
 * How many ffmpeg/ffprobe processes run at once. Each upload is probed and decoded as soon as it
 * arrives, before any lane; without a bound, 50 uploads at once start 50 decoders on a 2-core box
 * and every one of them finishes late (measured: 5–8 s per 4 s clip, refusals 30 s late). Here the
 * processes take turns — as many as there are cores — in a bounded queue: a caller that goes away
 * leaves it at once, and past its bound the answer is 503 with Retry-After, not an unbounded wait.
 */
import { availableParallelism } from 'node:os'
import { AppError } from '../../../shared/errors.ts'

export interface ToolSlots {
  /** Resolves with the release function once a process may start; rejects with `gone()` on abort. */
  acquire(signal: AbortSignal, gone: () => Error): Promise<() => void>
  /** Running and waiting, for tests and status. */
  load(): { running: number; waiting: number }
}

const RETRY_AFTER_S = 5

export function createToolSlots(max = availableParallelism(), maxWaiting = 256): ToolSlots {
  let running = 0
  const waiting: Array<() => void> = []
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  const once = () => {
    let done = false
    return () => {
      if (done) return
      done = true
      release()
    }
  }
  return {
    load: () => ({ running, waiting: waiting.length }),
    async acquire(signal, gone) {
      if (signal.aborted) throw gone()
      if (running < max) {
        running++
        return once()
      }
      if (waiting.length >= maxWaiting)
        throw new AppError(503, 'audio_busy', 'Too many recordings are being decoded; try again shortly.', {
          retryAfterS: RETRY_AFTER_S,
        })
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        }
        const onAbort = () => {
          const at = waiting.indexOf(grant)
          if (at >= 0) waiting.splice(at, 1)
          reject(gone())
        }
        waiting.push(grant)
        signal.addEventListener('abort', onAbort, { once: true })
      })
      // The slot came from `release`, which handed it over without decrementing.
      return once()
    },
  }
}
