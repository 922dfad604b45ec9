/**
 * SIGTERM and SIGINT for a serving process. The first starts the graceful shutdown; a repeat while
 * it runs changes nothing (a terminal's Ctrl-C reaches the whole process group and a supervisor
 * then sends its own SIGTERM: two signals are normal, and with a one-shot handler the second one
 * killed the process mid-drain); the third forces the exit, for an operator who means it.
 */
import type { Logger } from '../logger.ts'

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const

/** Signals counted before the one that forces the exit. */
const FORCE_AT = 3

export interface SignalHandlers {
  /** Starts the graceful shutdown (called once). */
  begin(signal: string): void
  /** Exits now (called once, on the third signal). */
  force(signal: string): void
}

/** The listener to register for every shutdown signal. */
export function shutdownSignalListener(logger: Logger, handlers: SignalHandlers): (signal: string) => void {
  let received = 0
  return (signal) => {
    received++
    if (received === 1) return handlers.begin(signal)
    if (received < FORCE_AT) {
      logger.info({ signal, received }, 'already shutting down; a third signal forces the exit')
      return
    }
    if (received === FORCE_AT) {
      logger.warn({ signal, received }, 'shutdown forced by a repeated signal; exiting now')
      handlers.force(signal)
    }
  }
}
