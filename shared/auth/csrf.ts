/**
 * Per-form CSRF tokens for the dashboard, on top of the same-origin guard. A token is an HMAC of
 * what the browser holds — its session id when the owner is logged in, else the anonymous
 * `sc_csrf` cookie — under a key that lives only in this process. Another site can neither read a
 * page's token nor compute one, and a token stolen from one session is worthless in another.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The hidden form field every mutating form carries. */
export const CSRF_FIELD = '_csrf'
/** The header htmx sends (dashboard.js copies it from the page's `<meta name="csrf-token">`). */
export const CSRF_HEADER = 'x-csrf-token'
/** The anonymous cookie a token is bound to while nobody is logged in. */
export const CSRF_COOKIE = 'sc_csrf'

export interface CsrfTokens {
  tokenFor(binding: string): string
  /** Constant-time; false for a missing, malformed or foreign token. */
  check(binding: string, token: string | null): boolean
}

export const newCsrfBinding = () => randomBytes(32).toString('base64url')

export function createCsrfTokens(key: Buffer = randomBytes(32)): CsrfTokens {
  const tokenFor = (binding: string) =>
    createHmac('sha256', key).update(`csrf:${binding}`).digest('base64url')
  return {
    tokenFor,
    check(binding, token) {
      if (!token || token.length > 100) return false
      const expected = Buffer.from(tokenFor(binding))
      const given = Buffer.from(token)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
