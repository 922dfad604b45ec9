/** How the model controller's refusals read on the page. */
import type { Notice } from '../components/notice.tsx'
import { ModelsSourceError } from './source.ts'

/** A 4xx is the controller saying no (shown as it is); anything else is it not answering. */
export function refusal(err: unknown): Notice {
  if (!(err instanceof ModelsSourceError)) {
    return {
      tone: 'bad',
      text: 'The swap controller did not answer; reload in a moment to see whether anything changed.',
    }
  }
  const items = err.fields.map((f) => `${f.field}: ${f.message}`)
  const text =
    err.fields.length && err.message === items.join('; ') ? 'The controller refused it:' : err.message
  return { tone: err.status < 500 ? 'warn' : 'bad', text, items }
}
