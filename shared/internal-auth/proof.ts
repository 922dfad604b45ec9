/**
 * The proof a request carries that it comes from inside the installation:
 * `X-Spark-Internal: v1.<unix ms>.<nonce>.<mac>`, the mac an HMAC-SHA256 under the internal secret of
 * the time, the nonce, the method and the path with its query. The secret itself never travels, so
 * a captured request does not give it away; a captured proof is good for that one method and path,
 * once (the nonce), within `PROOF_WINDOW_MS` of its time. Bodies are not signed: a proof binds who
 * sent the request, not what it carries (docs/SECURITY.md).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const PROOF_HEADER = 'x-spark-internal'
/** How far a proof's time may be from the receiver's clock, either way (one host, one clock). */
export const PROOF_WINDOW_MS = 30_000

export type ProofVerdict = 'ok' | 'missing' | 'malformed' | 'wrong' | 'expired' | 'replayed'

/** The path and query as both sides read them: a URL parser's form of what went on the wire. */
function canonicalPath(pathAndQuery: string): string {
  const url = new URL(`http://internal${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`)
  return `${url.pathname}${url.search}`
}

function mac(secret: Uint8Array, time: string, nonce: string, method: string, path: string): Buffer {
  return createHmac('sha256', secret)
    .update(`v1\n${time}\n${nonce}\n${method.toUpperCase()}\n${canonicalPath(path)}`)
    .digest()
}

export function signProof(secret: Uint8Array, method: string, path: string, now = Date.now()): string {
  const time = String(Math.trunc(now))
  const nonce = randomBytes(12).toString('base64url')
  return `v1.${time}.${nonce}.${mac(secret, time, nonce, method, path).toString('base64url')}`
}

const PROOF_PATTERN = /^v1\.(\d{1,15})\.([\w-]{16})\.([\w-]{43})$/

/** Checks proofs for one receiver; remembers the nonces it accepted until they expire. */
export interface ProofChecker {
  check(header: string | undefined, method: string, path: string, now?: number): ProofVerdict
}

export function createProofChecker(secret: Uint8Array): ProofChecker {
  const seen = createNonceMemory()
  return {
    check(header, method, path, now = Date.now()) {
      if (header === undefined || header === '') return 'missing'
      const parts = PROOF_PATTERN.exec(header.trim())
      if (!parts) return 'malformed'
      const [, time, nonce, sent] = parts as unknown as [string, string, string, string]
      const expected = mac(secret, time, nonce, method, path)
      const given = Buffer.from(sent, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong'
      if (Math.abs(now - Number(time)) > PROOF_WINDOW_MS) return 'expired'
      return seen.remember(nonce, Number(time) + PROOF_WINDOW_MS, now) ? 'ok' : 'replayed'
    },
  }
}

/**
 * The nonces of accepted proofs until their proofs expire. Proofs arrive nearly in time order, so
 * the oldest are at the head of the insertion-ordered map and pruning stops at the first live one.
 */
function createNonceMemory() {
  const expiries = new Map<string, number>()
  return {
    remember(nonce: string, expiresAt: number, now: number): boolean {
      for (const [old, at] of expiries) {
        if (at >= now) break
        expiries.delete(old)
      }
      if (expiries.has(nonce)) return false
      expiries.set(nonce, expiresAt)
      return true
    },
  }
}
