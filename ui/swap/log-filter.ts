/**
 * vLLM's access log is mostly our own polling (`GET /health`, `/metrics`, `/v1/models` every few
 * seconds), which buries what the model itself says. Those lines are hidden unless asked for.
 */
import type { LogLine } from './source.ts'

/** An access-log line for a health, metrics or model-list poll that went through (2xx/3xx). */
const HEALTH_POLL =
  /"(?:GET|HEAD) \/(?:health|healthz|ready|ping|metrics|version|v1\/models)\/?(?:\?[^" ]*)? HTTP\/[\d.]+" [23]\d\d\b/

export const isHealthPoll = (line: string) => HEALTH_POLL.test(line)

/** The query parameter that shows them again; a link, so it works without JavaScript. */
export const HEALTH_PARAM = 'health'

export function withoutHealthPolls(lines: LogLine[], show: boolean): { lines: LogLine[]; hidden: number } {
  if (show) return { lines, hidden: 0 }
  const kept = lines.filter((l) => !isHealthPoll(l.line))
  return { lines: kept, hidden: lines.length - kept.length }
}
