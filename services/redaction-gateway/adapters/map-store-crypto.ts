/**
 * The map store's cryptography. Two sub-keys are derived from the configured map key with HKDF, so
 * the key that encrypts values is never the one that hashes them. A value is sealed with AES-256-GCM
 * under a random 96-bit IV and the map handle plus token as additional data: a ciphertext copied to
 * another map or another token fails authentication instead of answering with someone else's value.
 * Equal values are found by an HMAC-SHA256 of (handle, type, normalised value), so a lookup never
 * decrypts the map, and the same value in two maps gives two unrelated hashes.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

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

export function createMapCipher(mapKey: Buffer): MapCipher {
  if (mapKey.length !== 32) throw new RangeError('the map key must be 32 bytes')
  const valueKey = subKey(mapKey, 'value encryption')
  const hashKey = subKey(mapKey, 'value dedup hash')
  return {
    seal(handle, token, value) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', valueKey, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(framed(handle, token))
      const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
      return { ciphertext, iv, tag: cipher.getAuthTag() }
    },
    open(handle, token, { ciphertext, iv, tag }) {
      const decipher = createDecipheriv('aes-256-gcm', valueKey, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(framed(handle, token))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
    },
    dedupHash: (handle, type, normalised) =>
      createHmac('sha256', hashKey)
        .update(framed(handle, type, normalised))
        .digest(),
  }
}

/** Equal values share a token: NFC-normalised, whitespace collapsed. Case is kept (base58 is case-sensitive). */
export function normaliseValue(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim()
}
