/**
 * A fixed-rate loop that never overlaps itself: a tick still running when the next is due is
 * skipped and counted, so a slow peer costs one outstanding call, not a growing pile. `stop()`
 * aborts the running tick's signal and waits for it to finish.
 */
export interface PollLoop {
  start(): void
  stop(): Promise<void>
  runNow(): Promise<void>
  readonly runs: number
  readonly skipped: number
}

export function createPollLoop(intervalMs: number, tick: (signal: AbortSignal) => Promise<void>): PollLoop {
  let timer: ReturnType<typeof setInterval> | null = null
  let running: Promise<void> | null = null
  let abort = new AbortController()
  let runs = 0
  let skipped = 0
  const fire = (fromTimer: boolean): Promise<void> => {
    if (running) {
      if (fromTimer) skipped++
      return running
    }
    runs++
    running = tick(abort.signal)
      .catch(() => undefined)
      .finally(() => (running = null))
    return running
  }
  return {
    start() {
      if (timer) return
      abort = new AbortController()
      void fire(false)
      timer = setInterval(() => void fire(true), intervalMs)
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      abort.abort()
      await running
    },
    runNow: () => fire(false),
    get runs() {
      return runs
    },
    get skipped() {
      return skipped
    },
  }
}
