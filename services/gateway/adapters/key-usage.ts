/**
 * When each API key was last used and how many requests it made. Counted in memory where the
 * gateway accepts a key (shared/auth/guard.ts `onUse`), never written per request: a timer writes
 * the counts, when they changed, to a small file beside the key file (whole, by rename), so they
 * survive a restart. A crash loses at most one flush period of counts.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { z } from '@hono/zod-openapi'
import { unref } from '../../../shared/abort.ts'

export interface KeyUsageEntry {
  last_used_at: string
  request_count: number
}

export interface KeyUsage {
  /** One accepted request with the key `name`. */
  note(name: string): void
  get(name: string): KeyUsageEntry | undefined
  /** A revoked key's counts go with it (a new key of the same name starts at zero). */
  forget(name: string): void
  /** Writes the counts now if they changed since the last write. */
  flush(): Promise<void>
  /** A last flush, and the timer stops. */
  close(): Promise<void>
}

export interface KeyUsageOptions {
  path: string
  flushMs?: number
  /** More names than any key file holds; past it new names are not counted (the file stays small). */
  maxKeys?: number
  now?: () => Date
  onError?: (err: Error) => void
}

const fileSchema = z.record(
  z.string(),
  z.object({ last_used_at: z.string(), request_count: z.number().int().min(0) }),
)

/** `api-keys.json` → `api-keys.usage.json`, in the same folder. */
export function usageFilePath(keyFilePath: string): string {
  return `${keyFilePath.replace(/\.json$/i, '')}.usage.json`
}

/** What the file holds; a missing or unreadable file is no usage yet (counts are not worth a failed start). */
async function readUsage(path: string, onError?: (err: Error) => void): Promise<Map<string, KeyUsageEntry>> {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    if (parsed.success) return new Map(Object.entries(parsed.data))
    onError?.(new Error(`${path}: not a usage file; starting the counts afresh`))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError?.(err as Error)
  }
  return new Map()
}

export async function openKeyUsage(options: KeyUsageOptions): Promise<KeyUsage> {
  const { path } = options
  const now = options.now ?? (() => new Date())
  const maxKeys = options.maxKeys ?? 1000
  const entries = await readUsage(path, options.onError)
  let dirty = false
  let writing: Promise<void> = Promise.resolve()

  async function write() {
    if (!dirty) return
    dirty = false
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(tmp, `${JSON.stringify(Object.fromEntries(entries))}\n`, { mode: 0o600 })
      await rename(tmp, path)
    } catch (err) {
      dirty = true
      options.onError?.(err as Error)
    }
  }
  const flush = () => {
    writing = writing.then(write)
    return writing
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? 5000)
  unref(timer)

  return {
    note(name) {
      const entry = entries.get(name)
      if (entry === undefined && entries.size >= maxKeys) return
      entries.set(name, { last_used_at: now().toISOString(), request_count: (entry?.request_count ?? 0) + 1 })
      dirty = true
    },
    get: (name) => entries.get(name),
    forget(name) {
      if (entries.delete(name)) dirty = true
    },
    flush,
    async close() {
      clearInterval(timer)
      await flush()
    },
  }
}
