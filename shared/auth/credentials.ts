/**
 * Where a client may put its key: `Authorization: Bearer <key>` (what OpenAI SDKs send),
 * `X-API-Key: <key>`, or the `sc_key` cookie (set by the dashboard's unlock form). The first one
 * present wins, in that order.
 */
export const KEY_COOKIE = 'sc_key'

/** Who acts, for the audit log: the gateway sets it to the key's name for the services behind it. */
export const ACTOR_HEADER = 'x-spark-actor'
/**
 * Set by the gateway on chat requests while the admin group needs a key: `yes` when the request's
 * key may also load a model (admin scope), `no` otherwise. The swap-controller's on-demand swap
 * obeys it, so an open chat route cannot be used to swap models. Clients cannot send it.
 */
export const MAY_SWAP_HEADER = 'x-spark-may-swap'

export interface CredentialHeaders {
  authorization: string | null
  apiKey: string | null
  cookie: string | null
}

/** Longer than any key we issue; anything bigger is refused unread. */
const MAX_KEY_CHARS = 256

export function presentedKey(h: CredentialHeaders): string | null {
  const bearer = h.authorization === null ? null : bearerToken(h.authorization)
  const key = bearer ?? nonEmpty(h.apiKey) ?? (h.cookie === null ? null : cookieValue(h.cookie, KEY_COOKIE))
  if (key === null) return null
  // An oversized value is still "a key was sent" (so: not valid), but is never hashed.
  return key.length <= MAX_KEY_CHARS ? key : ''
}

function bearerToken(header: string): string | null {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  return m ? m[1]! : null
}

const nonEmpty = (v: string | null) => {
  const t = v?.trim()
  return t ? t : null
}

/** One cookie's value from a `Cookie` header (`a=1; sc_key=…`); percent-decoding is not needed for our keys. */
export function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) return nonEmpty(part.slice(eq + 1).replace(/^\s*"?|"?\s*$/g, ''))
  }
  return null
}
