/**
 * The swap-lock token: 32 random bytes, shown to the holder once. Only its SHA-256 is kept, so a
 * copy of the database cannot be used to swap or release; comparisons are constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const LOCK_TOKEN_HEADER = 'x-swap-lock-token'
/** Longer values are refused before hashing: a token is 43 characters. */
export const MAX_TOKEN_LENGTH = 256

export const mintToken = (): string => randomBytes(32).toString('base64url')

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

export function tokenMatches(presented: string | undefined | null, storedHash: string): boolean {
  if (!presented || presented.length > MAX_TOKEN_LENGTH) return false
  const a = Buffer.from(hashToken(presented), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

export interface TokenSources {
  header?: string | null
  body?: unknown
  query?: string | null
}

/**
 * Where a client may put the token: the `X-Swap-Lock-Token` header (preferred: it stays out of
 * URLs and access logs), a JSON body `{"token": ...}`, or `?token=`. The first non-blank wins.
 */
export function presentedToken({ header, body, query }: TokenSources): string | undefined {
  const fromBody =
    body && typeof body === 'object' && typeof (body as { token?: unknown }).token === 'string'
      ? (body as { token: string }).token
      : undefined
  for (const candidate of [header, fromBody, query])
    if (candidate && candidate.trim() !== '') return candidate.trim()
  return undefined
}
