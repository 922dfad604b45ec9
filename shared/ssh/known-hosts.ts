/**
 * Host key checking, OpenSSH `StrictHostKeyChecking=accept-new` style.
 *
 * The choice, and why: the Sparks are set up by a non-technical owner through a StartOS action
 * that asks for an IP and a user, nothing more — demanding a pre-filled known_hosts would make the
 * product unusable on day one. So:
 * - a host with an entry in the known_hosts file (`SSH_KNOWN_HOSTS`) must present one of those keys;
 *   a different key is refused (that is the man-in-the-middle case pinning exists for);
 * - a host with no entry is accepted on first use, its key appended to the file (OpenSSH format, so
 *   `ssh -o UserKnownHostsFile=` reads it too) and its SHA256 fingerprint logged, so an operator can
 *   compare it with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the Spark;
 * - `strict: true` refuses unknown hosts instead, naming the fingerprint to add;
 * - with no file configured the first key is pinned in memory for the life of the process (and
 *   the log says that a restart forgets it).
 * Hashed entries (`|1|salt|hash`), host patterns with `*`/`?`/`!` and `@revoked` are understood;
 * `@cert-authority` lines are ignored (no certificate support).
 */
import { Buffer } from 'node:buffer'
import { createHash, createHmac } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from '../logger.ts'

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null
  patterns: string[] | null
  hashed: { salt: Buffer; hash: Buffer } | null
  keyType: string
  key: Buffer
}

export type HostKeyVerdict =
  | { ok: true; recorded: boolean; fingerprint: string }
  | { ok: false; kind: 'host_key_mismatch' | 'host_key_unknown'; fingerprint: string; message: string }

/** `SHA256:<base64>` exactly as `ssh-keygen -l` prints it. */
export const fingerprint = (key: Buffer) =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`

/** The algorithm name at the start of an SSH public key blob. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown'
  const len = key.readUInt32BE(0)
  return len > 0 && len < 64 && key.length >= 4 + len ? key.toString('latin1', 4, 4 + len) : 'unknown'
}

/** How OpenSSH names a host in known_hosts: bare for port 22, `[host]:port` otherwise. */
export const knownHostName = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`)

export const formatKnownHostLine = (host: string, port: number, key: Buffer) =>
  `${knownHostName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/)
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue
    let marker: KnownHostEntry['marker'] = null
    if (fields[0].startsWith('@')) {
      const m = fields.shift()
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else continue
    }
    const [hosts, keyType, keyB64] = fields
    if (!hosts || !keyType || !keyB64) continue
    const hashed = parseHashed(hosts)
    entries.push({
      marker,
      hashed,
      patterns: hashed ? null : hosts.split(','),
      keyType,
      key: Buffer.from(keyB64, 'base64'),
    })
  }
  return entries
}

function parseHashed(hosts: string): KnownHostEntry['hashed'] {
  const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(hosts)
  return m ? { salt: Buffer.from(m[1]!, 'base64'), hash: Buffer.from(m[2]!, 'base64') } : null
}

function wildcardMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 'i').test(name)
}

export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port)
  if (entry.hashed)
    return createHmac('sha1', entry.hashed.salt).update(name).digest().equals(entry.hashed.hash)
  let matched = false
  for (const p of entry.patterns ?? []) {
    if (p.startsWith('!')) {
      if (wildcardMatch(p.slice(1), name)) return false
    } else if (wildcardMatch(p, name)) matched = true
  }
  return matched
}

/** Every algorithm ssh2 can verify a host key with; known types are moved to the front per host. */
const ALL_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]
const algorithmsFor = (keyType: string) =>
  keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType]

export interface HostKeyStoreOptions {
  /** known_hosts file; unset pins first-seen keys in memory only. */
  path?: string
  /** Refuse hosts without an entry instead of recording them. */
  strict?: boolean
  logger: Logger
}

export interface HostKeyStore {
  verify(node: string, host: string, port: number, key: Buffer): Promise<HostKeyVerdict>
  /** Host key algorithms to offer, the ones already known for this host first (as OpenSSH does). */
  preferredAlgorithms(host: string, port: number): Promise<string[]>
}

export function createHostKeyStore({ path, strict = false, logger }: HostKeyStoreOptions): HostKeyStore {
  const memory: KnownHostEntry[] = []
  let writes: Promise<unknown> = Promise.resolve()

  async function entries(): Promise<KnownHostEntry[]> {
    if (!path) return memory
    try {
      return parseKnownHosts(await readFile(path, 'utf8'))
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return []
      throw err
    }
  }

  async function record(host: string, port: number, key: Buffer) {
    if (!path) {
      memory.push({
        marker: null,
        hashed: null,
        patterns: [knownHostName(host, port)],
        keyType: keyTypeOf(key),
        key,
      })
      return
    }
    const file = path
    // Serialised so two nodes met at once never interleave their lines.
    writes = writes.then(async () => {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      const current = await readFile(file, 'utf8').catch(() => '')
      const sep = current.length > 0 && !current.endsWith('\n') ? '\n' : ''
      await appendFile(file, `${sep}${formatKnownHostLine(host, port, key)}\n`, { mode: 0o600 })
    })
    await writes
  }

  return {
    async preferredAlgorithms(host, port) {
      const known = (await entries()).filter((e) => e.marker === null && entryMatches(e, host, port))
      const first = [...new Set(known.flatMap((e) => algorithmsFor(e.keyType)))].filter((a) =>
        ALL_HOST_KEY_ALGORITHMS.includes(a),
      )
      return [...first, ...ALL_HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))]
    },

    async verify(node, host, port, key) {
      const fp = fingerprint(key)
      const all = (await entries()).filter((e) => entryMatches(e, host, port))
      if (all.some((e) => e.marker === 'revoked' && e.key.equals(key)))
        return {
          ok: false,
          kind: 'host_key_mismatch',
          fingerprint: fp,
          message: `host key ${fp} is marked @revoked`,
        }
      const pinned = all.filter((e) => e.marker === null)
      if (pinned.some((e) => e.key.equals(key))) return { ok: true, recorded: false, fingerprint: fp }
      if (pinned.length > 0) {
        logger.error({ node, host, port, fingerprint: fp }, 'SSH host key CHANGED — refusing to connect')
        return {
          ok: false,
          kind: 'host_key_mismatch',
          fingerprint: fp,
          message: `host key changed (now ${fp}); if the Spark was reinstalled, remove its line from the known_hosts file`,
        }
      }
      if (strict)
        return {
          ok: false,
          kind: 'host_key_unknown',
          fingerprint: fp,
          message: `unknown host key ${fp}; add it to the known_hosts file (strict host key checking is on)`,
        }
      await record(host, port, key)
      logger.warn(
        { node, host, port, fingerprint: fp, known_hosts: path ?? null },
        path
          ? 'SSH host key accepted on first use and recorded'
          : 'SSH host key accepted on first use (pinned in memory only; set SSH_KNOWN_HOSTS to keep it)',
      )
      return { ok: true, recorded: true, fingerprint: fp }
    },
  }
}
