/**
 * Whether an answer to a fuzz case is acceptable: never a 5xx, never a hang, never a dropped
 * connection for a request the HTTP parser accepted, and every error in its path's documented
 * style (shared/errors.ts `errorStyleFor`). The one 5xx allowed is the documented 503 of a feature
 * this installation has switched off (the scrub-proxy without a cloud endpoint, `/api/search`
 * without Qdrant): in the path's style, with Retry-After.
 */
import { type ErrorStyle, errorStyleFor } from '../../../shared/errors.ts'
import type { FuzzCase } from './cases.ts'
import type { RawAnswer } from './raw-http.ts'

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v)

/** Does the body have the error shape of `style`? */
function hasErrorShape(style: ErrorStyle, answer: RawAnswer): boolean {
  const body = parse(answer.body)
  if (!isObject(body)) return false
  switch (style) {
    case 'openai':
      return isObject(body.error) && typeof body.error.message === 'string'
    case 'detail':
      return 'detail' in body
    case 'code':
      return typeof body.error === 'string'
    case 'problem':
      return (
        !!answer.headers['content-type']?.includes('application/problem+json') &&
        body.status === answer.status &&
        typeof body.title === 'string'
      )
  }
}

/** The HTTP parser's own refusal (Node answers it before any route runs, without a body). */
const parserRefusal = (a: RawAnswer) => a.dropped || ([400, 413, 431].includes(a.status) && a.body === '')

/** Why the answer is wrong, or null when it is fine. */
export function judge(fuzz: FuzzCase, answer: RawAnswer): string | null {
  const style = errorStyleFor(fuzz.path)
  const switchedOff = answer.status === 503 && !!answer.headers['retry-after'] && hasErrorShape(style, answer)
  if (answer.status >= 500 && !switchedOff) return `${answer.status} ${answer.body.slice(0, 300)}`
  if (fuzz.framing && parserRefusal(answer)) return null
  if (answer.dropped) return 'connection closed without an answer'
  if (answer.status < 400) return null
  return hasErrorShape(style, answer)
    ? null
    : `${answer.status} not in the ${style} style: ${answer.body.slice(0, 200)}`
}
