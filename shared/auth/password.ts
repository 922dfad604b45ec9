/**
 * The owner's dashboard password, stored only as an scrypt hash (node:crypto) with a random salt:
 * `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url). The parameters travel with the hash, so a later
 * change of cost still verifies older hashes. Verification runs off the event loop (async scrypt)
 * and compares in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number
  r: number
  p: number
}

/** About 90 ms of CPU per check (measured on the 2-core dev machine): slow for guessing, unnoticed at a login. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 }

const KEY_BYTES = 32
const SALT_BYTES = 16
const PREFIX = 'scrypt'
/** Refuse absurd costs read from a file: they would hold the CPU (or memory) for minutes. */
const MAX_N = 2 ** 20

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is exactly N=2^15, r=8, so leave room.
  const maxmem = 256 * cost.N * cost.r + 1024 * 1024
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, cost)
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

interface ParsedHash {
  cost: ScryptCost
  salt: Buffer
  key: Buffer
}

export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.trim().split('$')
  if (parts.length !== 6 || parts[0] !== PREFIX) return null
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  const valid = (n: number) => Number.isInteger(n) && n > 0
  if (![N, r, p].every(valid) || N > MAX_N || (N & (N - 1)) !== 0 || r > 32 || p > 16) return null
  const salt = Buffer.from(parts[4]!, 'base64url')
  const key = Buffer.from(parts[5]!, 'base64url')
  if (salt.length < 8 || key.length !== KEY_BYTES) return null
  return { cost: { N, r, p }, salt, key }
}

/** True when `password` matches the stored hash; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored)
  if (parsed === null) return false
  const key = await derive(password, parsed.salt, parsed.cost)
  return timingSafeEqual(key, parsed.key)
}
