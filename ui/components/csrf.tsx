/**
 * The one way a form carries its CSRF token: `<CsrfField />` inside every mutating `<form>`, and
 * `<CsrfMeta />` in the page head for htmx (dashboard.js sends it as a header on every request).
 * The token is the current request's (shared/auth/csrf-scope.ts); without one nothing is rendered.
 */
import { CSRF_FIELD } from '../../shared/auth/csrf.ts'
import { currentCsrfToken } from '../../shared/auth/csrf-scope.ts'

export function CsrfField() {
  const token = currentCsrfToken()
  return token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null
}

export function CsrfMeta() {
  const token = currentCsrfToken()
  return token ? <meta name="csrf-token" content={token} /> : null
}
