/** vector-search's refusals and failures in words a person can act on. */
import type { Notice } from '../components/notice.tsx'
import { SearchSourceError } from './source.ts'

const CODE_WORDS: Record<string, string> = {
  tenant_required: 'This collection keeps tenants apart: fill in the tenant.',
  not_found: 'There is no such collection (any more).',
  conflict: 'A collection of that name exists already.',
}

export function searchNotice(err: unknown): Notice {
  if (err instanceof SearchSourceError) {
    const later = err.retryAfterS ? ` Try again in about ${err.retryAfterS} s.` : ''
    const known = err.code ? CODE_WORDS[err.code] : undefined
    if (err.status === 503)
      return { tone: 'warn', text: `Search is not available right now: ${err.message}${later}` }
    return { tone: err.status === 429 ? 'warn' : 'bad', text: `${known ?? err.message}${later}` }
  }
  const status = (err as { status?: number }).status
  if (status === 504) return { tone: 'bad', text: 'The search service took too long to answer.' }
  if (status === 503)
    return { tone: 'warn', text: `The search service cannot be reached: ${(err as Error).message}` }
  return { tone: 'bad', text: `The search service failed: ${(err as Error).message}` }
}
