/**
 * The map store's cryptography. Two sub-keys are derived from the configured map key with HKDF, so
 * the key that encrypts values is never the one that hashes them. A value is sealed with AES-256-GCM
 * under a random 96-bit IV and the map handle plus token as additional data: a ciphertext copied to
 * another map or another token fails authentication instead of answering with someone else's value.
 * Equal values are found by an HMAC-SHA256 of (handle, type, normalised value), so a lookup never
 * decrypts the map, and the same value in two maps gives two unrelated hashes.
 *
 * A surface form (the text a placeholder replaced when it differs from the token's value, see
 * map-store-surfaces.ts) is found by an HMAC, under a third sub-key, of (handle, token, the scrubbed
 * text on each side, which of the occurrences with those sides it is), and sealed with that HMAC in its additional data: a surface moved to another
 * map, token or context fails authentication.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto'

export const IV_BYTES = 12
const TAG_BYTES = 16

export interface SealedValue {
  ciphertext: Buffer
  iv: Buffer
  tag: Buffer
}

export interface MapCipher {
  seal(handle: string, token: string, value: string): SealedValue
  /** Throws when the sealed value was altered or belongs to another handle or token. */
  open(handle: string, token: string, sealed: SealedValue): string
  dedupHash(handle: string, type: string, normalised: string): Buffer
  contextHash(handle: string, token: string, before: string, after: string, nth: number): Buffer
  sealSurface(handle: string, context: Buffer, surface: string): SealedValue
  openSurface(handle: string, context: Buffer, sealed: SealedValue): string
}

const subKey = (key: Buffer, purpose: string) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `spark-control redaction map ${purpose}`, 32))

/** Length-prefixed parts, so ("a", "bc") and ("ab", "c") never bind to the same bytes. */
function framed(...parts: string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32BE(bytes.length)
      return [length, bytes]
    }),
  )
}

/** `framed` as one string (UTF-16 lengths): cheaper where it runs once per placeholder. */
const framedText = (...parts: string[]) => parts.map((part) => `${part.length}:${part}`).join('')

export function createMapCipher(mapKey: Buffer): MapCipher {
  if (mapKey.length !== 32) throw new RangeError('the map key must be 32 bytes')
  const valueKey = subKey(mapKey, 'value encryption')
  const hashKey = subKey(mapKey, 'value dedup hash')
  // A key object: a rehydration hashes one context per placeholder, and this saves a key copy each.
  const contextKey = createSecretKey(subKey(mapKey, 'surface context hash'))
  const seal = (aad: Buffer, text: string): SealedValue => {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', valueKey, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(aad)
    const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
    return { ciphertext, iv, tag: cipher.getAuthTag() }
  }
  const open = (aad: Buffer, { ciphertext, iv, tag }: SealedValue): string => {
    const decipher = createDecipheriv('aes-256-gcm', valueKey, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  }
  // A surface's additional data starts with a label no (handle, token) pair frames to.
  const surfaceAad = (handle: string, context: Buffer) => framed('surface', handle, context.toString('hex'))
  return {
    seal: (handle, token, value) => seal(framed(handle, token), value),
    open: (handle, token, sealed) => open(framed(handle, token), sealed),
    dedupHash: (handle, type, normalised) =>
      createHmac('sha256', hashKey)
        .update(framed(handle, type, normalised))
        .digest(),
    contextHash: (handle, token, before, after, nth) =>
      createHmac('sha256', contextKey)
        .update(framedText(handle, token, before, after, String(nth)))
        .digest(),
    sealSurface: (handle, context, surface) => seal(surfaceAad(handle, context), surface),
    openSurface: (handle, context, sealed) => open(surfaceAad(handle, context), sealed),
  }
}

/** Equal values share a token: NFC-normalised, whitespace collapsed. Case is kept (base58 is case-sensitive). */
export function normaliseValue(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim()
}
