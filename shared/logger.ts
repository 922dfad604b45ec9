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
  const options = {
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options)
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
