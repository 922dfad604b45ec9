/**
 * The opt-in API-key check (docs/SECURITY.md): route groups listed in `API_KEY_GROUPS` need a key with
 * that group's scope; every other group stays open, as the four existing apps expect. Errors are
 * AppErrors, so each path answers in its own body style (OpenAI envelope on /v1, `{"detail"}` on
 * earlier routes, …) with a `WWW-Authenticate` challenge.
 */
import { AppError } from '../errors.ts'
import { type CredentialHeaders, presentedKey } from './credentials.ts'
import type { Scope } from './keys.ts'
import type { KeyStore } from './store.ts'

export interface ApiKeyAuth {
  /** The groups that need a key. */
  readonly groups: ReadonlySet<Scope>
  /**
   * Who the request acts as: the key's name when a valid key came along (null otherwise). Throws
   * 401 when `group` needs a key and none (or an unknown one) was sent, 403 when the key lacks
   * the scope. A key sent to an open group is still identified, for the audit log.
   */
  check(group: Scope | null, h: CredentialHeaders): string | null
  /** Whether the request carries a valid key with `scope` (never throws). */
  hasScope(scope: Scope, h: CredentialHeaders): boolean
  /** Stops the key store's re-check timer (on shutdown). */
  close(): void
}

const REALM = 'spark-control'

export function createApiKeyAuth(options: {
  groups: Iterable<Scope>
  store: KeyStore
  /** Told of each request a valid key came with (the gateway counts usage in memory). */
  onUse?: (name: string) => void
}): ApiKeyAuth {
  const groups = new Set(options.groups)
  const { store } = options
  return {
    groups,
    check(group, h) {
      const key = presentedKey(h)
      const needed = group !== null && groups.has(group)
      if (key === null) {
        if (needed) throw unauthorized(group, 'An API key is required', null)
        return null
      }
      const who = store.lookup(key)
      if (who === null) {
        // A wrong key on an open route is ignored, as it was before keys existed.
        if (needed)
          throw unauthorized(group, 'The API key is not valid (unknown or revoked)', 'invalid_token')
        return null
      }
      if (needed && !who.scopes.has(group)) {
        throw new AppError(
          403,
          'insufficient_scope',
          `The API key "${who.name}" does not have the ${group} scope.`,
          {
            headers: {
              'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${group}"`,
            },
          },
        )
      }
      options.onUse?.(who.name)
      return who.name
    },
    hasScope(scope, h) {
      const key = presentedKey(h)
      return key !== null && (store.lookup(key)?.scopes.has(scope) ?? false)
    },
    close: () => store.close(),
  }
}

function unauthorized(group: Scope, why: string, error: string | null) {
  const message = `${why} for ${group} routes: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".`
  const challenge = `Bearer realm="${REALM}", scope="${group}"${error ? `, error="${error}"` : ''}`
  return new AppError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } })
}
