/**
 * The key file: a JSON list of `{name, hash, scopes, created_at}` (never a key itself), written by
 * `tools/api-keys.ts` and read by the gateway. The gateway re-reads it when its modification time
 * changes (checked every `recheckMs` in the background), so `revoke` takes effect within seconds, no restart.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from '@hono/zod-openapi'
import { unref } from '../abort.ts'
import { safeName } from '../names.ts'
import { digestOf, HASH_PATTERN, matchKey, SCOPES, type Scope } from './keys.ts'

/** API key names are safe names (they name the actor in the audit), shorter: at most 64. */
export const KEY_NAME_MAX = 64

const recordSchema = z.object({
  name: safeName('a key name', { max: KEY_NAME_MAX }),
  hash: z.string().regex(HASH_PATTERN, 'expected sha256:<64 hex digits>'),
  scopes: z.array(z.enum(SCOPES)).min(1),
  created_at: z.string(),
})
export type ApiKeyRecord = z.infer<typeof recordSchema>

const fileSchema = z.array(recordSchema).superRefine((list, ctx) => {
  const seen = new Set<string>()
  for (const [i, r] of list.entries()) {
    if (seen.has(r.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name ${r.name}` })
    seen.add(r.name)
  }
})

export class KeyFileError extends Error {
  constructor(path: string, why: string) {
    super(`API key file ${path}: ${why}`)
    this.name = 'KeyFileError'
  }
}

/** The file's records; a missing file is an empty list (no key created yet). */
export async function readKeyFile(path: string): Promise<ApiKeyRecord[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new KeyFileError(path, (err as Error).message)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new KeyFileError(path, 'not valid JSON')
  }
  const parsed = fileSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]!
    throw new KeyFileError(path, `${first.path.join('.') || '(root)'}: ${first.message}`)
  }
  return parsed.data
}

/** Written whole to a temporary file and renamed, owner-only: a reader never sees half a file. */
export async function writeKeyFile(path: string, records: ApiKeyRecord[]): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 })
  await rename(tmp, path)
}

/** `API_KEYS_FILE`, else `api-keys.json` in the data directory — one rule for the gateway and the CLI. */
export function keysFilePath(config: { API_KEYS_FILE?: string; DATA_DIR: string }): string {
  return config.API_KEYS_FILE ?? join(config.DATA_DIR, 'api-keys.json')
}

export interface KeyIdentity {
  name: string
  scopes: ReadonlySet<Scope>
}

export interface KeyStore {
  /** The key's identity, or null for an unknown (or revoked) key. */
  lookup(key: string): KeyIdentity | null
  readonly size: number
  /** Stops the file store's re-check timer; nothing for a memory store. */
  close(): void
}

interface Snapshot {
  identities: KeyIdentity[]
  digests: Array<Buffer | null>
}

const snapshotOf = (records: ApiKeyRecord[]): Snapshot => ({
  identities: records.map((r) => ({ name: r.name, scopes: new Set(r.scopes) })),
  digests: records.map((r) => digestOf(r.hash)),
})

/** A store over fixed records (tests, and the file store's current view). */
export function memoryKeyStore(records: ApiKeyRecord[]): KeyStore {
  const snap = snapshotOf(records)
  return {
    lookup: (key) => snap.identities[matchKey(key, snap.digests)] ?? null,
    size: records.length,
    close() {},
  }
}

export interface FileKeyStoreOptions {
  path: string
  recheckMs?: number
  /** Told when a changed file cannot be read; the last good keys stay in force. */
  onReloadError?: (err: Error) => void
  now?: () => number
}

/**
 * Loads the file now (throwing on a bad file: better not to start than to guess), then follows
 * its changes. A reload that fails keeps the previous keys: a half-edited file must not open or
 * close every route at once.
 */
export async function openFileKeyStore(options: FileKeyStoreOptions): Promise<KeyStore> {
  const now = options.now ?? Date.now
  const recheckMs = options.recheckMs ?? 2000
  let snap = snapshotOf(await readKeyFile(options.path))
  let size = snap.identities.length
  let version = await versionOf(options.path)
  let checkedAt = now()
  let checking = false

  async function recheck() {
    if (checking) return
    checking = true
    try {
      const m = await versionOf(options.path)
      if (m === version) return
      const records = await readKeyFile(options.path)
      snap = snapshotOf(records)
      size = records.length
      version = m
    } catch (err) {
      options.onReloadError?.(err as Error)
    } finally {
      checking = false
      checkedAt = now()
    }
  }

  // Re-checked on a timer, not on demand: a re-check started by a lookup would come too late for
  // that lookup, so the first request after a quiet spell would be judged by keys of any age.
  const timer = recheckMs > 0 ? setInterval(() => void recheck(), recheckMs) : undefined
  if (timer !== undefined) unref(timer)

  return {
    lookup(key) {
      if (!checking && now() - checkedAt >= recheckMs) void recheck()
      return snap.identities[matchKey(key, snap.digests)] ?? null
    },
    get size() {
      return size
    },
    close() {
      clearInterval(timer)
    },
  }
}

/** Modification time, size and inode: a rename-over in the same millisecond still counts as a change. */
async function versionOf(path: string): Promise<string> {
  return stat(path).then(
    (s) => `${s.mtimeMs}:${s.size}:${s.ino}`,
    () => 'missing',
  )
}
