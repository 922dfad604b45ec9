/** The monitor's refusals and failures in words a person can act on. */
import type { Notice } from '../components/notice.tsx'
import { MonitorSourceError } from './source.ts'

export function monitorNotice(err: unknown): Notice {
  if (err instanceof MonitorSourceError) {
    if (err.status === 404) return { tone: 'warn', text: 'There is no such maintenance window any more.' }
    if (err.status >= 500)
      return { tone: 'warn', text: `The connectivity monitor could not do it: ${err.message}` }
    return { tone: 'bad', text: err.message }
  }
  const status = (err as { status?: number }).status
  if (status === 504) return { tone: 'bad', text: 'The connectivity monitor took too long to answer.' }
  return { tone: 'warn', text: `The connectivity monitor cannot be reached: ${(err as Error).message}` }
}
