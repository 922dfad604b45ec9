/**
 * A real logger (the services' own pino options) whose output a test reads back: `lines` holds each
 * write as it came (one JSON line), `records()` those lines parsed.
 */
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../logger.ts'

export interface LogCapture {
  logger: Logger
  lines: string[]
  records(): Array<Record<string, unknown>>
}

export function captureLog(service = 'test'): LogCapture {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return {
    logger: createLogger({ service, destination }),
    lines,
    records: () =>
      lines.flatMap((chunk) =>
        chunk
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      ),
  }
}
