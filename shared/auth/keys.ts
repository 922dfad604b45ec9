/**
 * API keys (docs/SECURITY.md#managing-keys): random secrets shown once when created, kept only as a SHA-256 digest.
 * A plain digest is enough because a key carries 256 random bits — there is nothing to guess, so a
 * slow password hash would only add latency to every request. Lookups compare digests in constant
 * time and visit every stored key, so timing says nothing about which key (if any) came close.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** The route groups a key can be allowed into; `admin` covers every cluster mutation. */
export const SCOPES = ['chat', 'audio', 'search', 'redaction', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

export const isScope = (v: string): v is Scope => (SCOPES as readonly string[]).includes(v)

/** Recognisable in logs and secret scanners; the rest is 32 random bytes, base64url. */
export const KEY_PREFIX = 'sc_'
const HASH_PREFIX = 'sha256:'
export const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url')
}

export function hashKey(key: string): string {
  return HASH_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The stored digest as bytes; null for a malformed one (it then matches nothing). */
export function digestOf(hash: string): Buffer | null {
  return HASH_PATTERN.test(hash) ? Buffer.from(hash.slice(HASH_PREFIX.length), 'hex') : null
}

/**
 * The index of the stored digest that `key` hashes to, or -1. Every entry is compared, with
 * `timingSafeEqual`, whether or not an earlier one matched.
 */
export function matchKey(key: string, digests: ReadonlyArray<Buffer | null>): number {
  const presented = createHash('sha256').update(key, 'utf8').digest()
  let found = -1
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i]
    if (d && d.length === presented.length && timingSafeEqual(d, presented) && found === -1) found = i
  }
  return found
}

/** What `list` shows of a key: enough to tell two apart, never enough to use one. */
export const hashHint = (hash: string) => hash.slice(0, HASH_PREFIX.length + 8)
