import { type Logger, pino } from 'pino'

export type { Logger }

/** Paths pino blanks out wherever they appear: secrets never reach a log line. */
const REDACT = [
  'authorization',
  'cookie',
  'password',
  'token',
  'secret',
  'apiKey',
  'api_key',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
]

export interface LoggerOptions {
  service: string
  level?: string
  /** Where to write; stdout by default. Tests pass a stream to read lines back. */
  destination?: NodeJS.WritableStream
}

export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  ignoreBrokenStdio()
  const options = {
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  }
  return pino(options, (destination as pino.DestinationStream | undefined) ?? stdoutDestination())
}

/**
 * Standard output, written synchronously. pino's default (asynchronous) destination flushes what it
 * holds when the process exits, and that flush retries a failed write forever: with the log pipe
 * broken (the parent died) a service never exited after SIGTERM. A synchronous write fails at once
 * instead, and pino then stops writing to a destination that answered EPIPE.
 */
function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ fd: 1, sync: true })
}

let stdioGuarded = false

/**
 * `console` and Node's own warnings write through process.stdout/stderr; on a broken pipe they emit
 * EPIPE, which would crash the process mid-shutdown. Nothing is left to tell: those writes are dropped.
 */
function ignoreBrokenStdio() {
  if (stdioGuarded) return
  stdioGuarded = true
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err
    })
  }
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
