/** The redaction-gateway's refusals in words a person can act on. */
import type { Notice } from '../components/notice.tsx'
import { RedactionSourceError } from './source.ts'

/** Why the cluster's model could not look for names (`reason` of a 422 `ner_unavailable`). */
const NER_REASONS: Record<string, string> = {
  disabled: 'the model is turned off for redaction here',
  unreachable: 'the cluster could not be reached',
  no_model: 'no chat model is loaded',
  switching: 'a model switch is under way',
  wrong_model: 'the loaded model is not the one asked for',
  timeout: 'the model took too long',
  busy: 'the model is busy',
  failed: 'the model failed',
  malformed: 'the model answered in the wrong shape',
}

export function redactionNotice(err: unknown): Notice {
  if (err instanceof RedactionSourceError) {
    if (err.code === 'ner_unavailable') {
      const why = (err.reason && NER_REASONS[err.reason]) || err.message
      return {
        tone: 'warn',
        text: `The cluster’s model could not look for names (${why}), so nothing was hidden. Choose “Rules only” and try again.`,
      }
    }
    if (err.status === 404 || err.status === 410)
      return {
        tone: 'warn',
        text: 'The details of that scrub are gone (its map expired or is unknown). Hide the details again to get a new one.',
      }
    const tone = err.status === 503 || err.status === 429 ? 'warn' : 'bad'
    return { tone, text: err.message }
  }
  const status = (err as { status?: number }).status
  const text =
    status === 504
      ? 'The redaction service took too long to answer.'
      : `The redaction service could not be reached: ${(err as Error).message}`
  return { tone: 'bad', text }
}
