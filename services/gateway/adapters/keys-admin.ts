/**
 * Key management for `/api/keys` and the dashboard's API keys page, on the key file itself (the
 * same file `tools/api-keys.ts` edits; the gateway's key check follows it within its re-read
 * period). Changes go one at a time (read, change, write whole), are audited as `keys.create` /
 * `keys.revoke` with the key's name — never the key — and are logged the same way.
 */

import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { AuditRecorder } from '../../../shared/audit/recorder.ts'
import type { ApiKeyAuth } from '../../../shared/auth/guard.ts'
import { generateKey, hashKey, type Scope } from '../../../shared/auth/keys.ts'
import { type ApiKeyRecord, KeyFileError, readKeyFile, writeKeyFile } from '../../../shared/auth/store.ts'
import type { KeyCreated, KeyView } from '../../../shared/contracts/keys.ts'
import { AppError, conflict, notFound } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { KeyUsage } from './key-usage.ts'

export interface KeysAdmin {
  list(): Promise<KeyView[]>
  /** 409 when the name is taken. */
  create(name: string, scopes: Scope[], actor: string): Promise<KeyCreated>
  /** 404 for an unknown name. */
  revoke(name: string, actor: string): Promise<void>
}

export interface KeysAdminOptions {
  path: string
  usage: KeyUsage
  audit: AuditRecorder
  logger: Logger
  now?: () => Date
}

/** A key file that cannot be read is the owner's to fix: 409 saying so, never a 500. */
async function readRecords(path: string): Promise<ApiKeyRecord[]> {
  try {
    return await readKeyFile(path)
  } catch (err) {
    if (err instanceof KeyFileError) throw conflict(`${err.message}. Fix or remove it; nothing was changed.`)
    throw err
  }
}

/** The first key may come before the data folder exists (keys off, a fresh installation). */
async function writeRecords(path: string, records: ApiKeyRecord[]): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeKeyFile(path, records)
  } catch (err) {
    throw new AppError(
      503,
      'key_file_unwritable',
      `The key file ${path} cannot be written: ${(err as Error).message}.`,
    )
  }
}

export function createKeysAdmin(options: KeysAdminOptions): KeysAdmin {
  const { path, usage, audit, logger } = options
  const now = options.now ?? (() => new Date())
  let queue: Promise<unknown> = Promise.resolve()
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work)
    queue = next.catch(() => undefined)
    return next
  }

  const viewOf = (r: ApiKeyRecord): KeyView => {
    const used = usage.get(r.name)
    return {
      name: r.name,
      scopes: r.scopes,
      created_at: r.created_at,
      last_used_at: used?.last_used_at ?? null,
      request_count: used?.request_count ?? 0,
    }
  }

  return {
    list: async () => (await readRecords(path)).map(viewOf),

    create: (name, scopes, actor) =>
      oneAtATime(async () => {
        const records = await readRecords(path)
        if (records.some((r) => r.name === name)) {
          audit.record({
            actor,
            action: 'keys.create',
            target: name,
            outcome: 'refused',
            detail: 'name taken',
          })
          throw conflict(`A key named "${name}" exists; revoke it first or choose another name.`)
        }
        const key = generateKey()
        const record: ApiKeyRecord = {
          name,
          hash: hashKey(key),
          scopes: [...new Set(scopes)],
          created_at: now().toISOString(),
        }
        await writeRecords(path, [...records, record])
        usage.forget(name)
        audit.record({
          actor,
          action: 'keys.create',
          target: name,
          outcome: 'ok',
          detail: `scopes ${record.scopes.join(', ')}`,
        })
        logger.info({ actor, keyName: name, scopes: record.scopes }, 'API key created')
        return { key, record: viewOf(record) }
      }),

    revoke: (name, actor) =>
      oneAtATime(async () => {
        const records = await readRecords(path)
        const kept = records.filter((r) => r.name !== name)
        if (kept.length === records.length) {
          audit.record({
            actor,
            action: 'keys.revoke',
            target: name,
            outcome: 'refused',
            detail: 'no such key',
          })
          throw notFound(`No API key named "${name}".`)
        }
        await writeRecords(path, kept)
        usage.forget(name)
        audit.record({ actor, action: 'keys.revoke', target: name, outcome: 'ok' })
        logger.info({ actor, keyName: name }, 'API key revoked')
      }),
  }
}

/**
 * Who may see and change keys on the dashboard: anyone who reaches it while `admin` needs no key
 * (as every other control), else the owner's session or a browser unlocked with an admin key.
 */
export function mayManageKeys(auth: ApiKeyAuth | undefined) {
  return (request: Request, owner: boolean): boolean => {
    if (!auth?.groups.has('admin') || owner) return true
    const h = request.headers
    return auth.hasScope('admin', {
      authorization: h.get('authorization'),
      apiKey: h.get('x-api-key'),
      cookie: h.get('cookie'),
    })
  }
}
