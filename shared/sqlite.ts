/**
 * SQLite for every service, on both runtimes: better-sqlite3 on Node (Node 20 has no node:sqlite)
 * and `node:sqlite`'s DatabaseSync on Deno (Deno loads Node-API addons only; better-sqlite3's is built on V8's API).
 * The driver is chosen at runtime and loaded with a dynamic import whose specifier is a variable,
 * so neither runtime resolves — or even type-checks — the other's module.
 *
 * Durability: WAL with `synchronous=FULL`. In WAL mode NORMAL only loses the last commits on a
 * power cut, but the design promises that anything acknowledged to a client is durable before the
 * response; FULL syncs the WAL on every commit, which costs one fsync per write — fine for the
 * small, human-paced writes (audit, lock, schedule) the services make.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { asStorageError, clearStorageFault } from './sqlite-faults.ts'

export type SqlValue = string | number | bigint | null | Uint8Array
/** Booleans are stored as 0/1 and `undefined` as NULL; neither driver binds them itself. */
export type SqlParam = SqlValue | boolean | undefined
export type SqlParams = readonly SqlParam[] | Readonly<Record<string, SqlParam>>

export interface RunResult {
  changes: number
  lastInsertRowid: number
}

export interface Database {
  readonly path: string
  readonly driver: 'better-sqlite3' | 'node:sqlite'
  exec(sql: string): void
  run(sql: string, params?: SqlParams): RunResult
  get<T>(sql: string, params?: SqlParams): T | undefined
  all<T>(sql: string, params?: SqlParams): T[]
  /** Runs `fn` in one transaction (nested calls become savepoints); `fn` must be synchronous. */
  transaction<T>(fn: () => T): T
  close(): void
}

export interface OpenOptions {
  /** Numbered by position: `migrations[0]` is version 1. Each runs once, in its own transaction. */
  migrations: readonly string[]
  /** How long a write waits for another connection's lock; default 5 s. */
  busyTimeoutMs?: number
  /**
   * Names these migrations when several parts of a service keep their own tables in one file,
   * each through its own connection: each scope counts its versions apart (`schema_version_<scope>`),
   * so one part's migrations never pass for the other's. Lower-case letters and `_`.
   */
  scope?: string
}

/** The part of both drivers we use; their statement objects share run/get/all. */
interface NativeStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint }
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}
interface NativeDatabase {
  exec(sql: string): void
  prepare(sql: string): NativeStatement
  close(): void
}

const isDeno = () => typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined'

async function openNative(path: string): Promise<{ db: NativeDatabase; driver: Database['driver'] }> {
  if (isDeno()) {
    const specifier = 'node:sqlite'
    const mod = (await import(specifier)) as { DatabaseSync: new (path: string) => NativeDatabase }
    return { db: new mod.DatabaseSync(path), driver: 'node:sqlite' }
  }
  const specifier = 'better-sqlite3'
  const mod = (await import(specifier)) as { default: new (path: string) => NativeDatabase }
  return { db: new mod.default(path), driver: 'better-sqlite3' }
}

/** The folder is created owner-only and the file 0600 before SQLite opens it: it may hold audit data. */
function prepareFile(path: string): void {
  if (path === ':memory:') return
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  // A file created earlier by hand or another umask is tightened too; SQLite gives -wal/-shm the same mode.
  chmodSync(path, 0o600)
}

const open = new Set<Database>()

/**
 * The connections this process has open to `path`. For fault tests: a connection's own
 * `PRAGMA query_only` or `max_page_count` makes a service's volume read-only or full where a
 * chmod would not (tests may run as root) and no small volume can be mounted.
 */
export function connectionsTo(path: string): Database[] {
  return [...open].filter((db) => db.path === path)
}

export async function openDatabase(path: string, options: OpenOptions): Promise<Database> {
  prepareFile(path)
  const { db: native, driver } = await openNative(path)
  try {
    // PRAGMA values cannot be bound as parameters; this one is our own config, forced to an integer.
    native.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`)
    native.exec('PRAGMA journal_mode = WAL')
    native.exec('PRAGMA synchronous = FULL')
    native.exec('PRAGMA foreign_keys = ON')
    const db = wrap(native, path, driver)
    migrate(db, options.migrations, versionTable(options.scope))
    open.add(db)
    return db
  } catch (err) {
    native.close()
    throw err
  }
}

function bindable(value: SqlParam): SqlValue {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

/** Positional parameters are spread; named ones (`:name` in SQL, bare keys) go as one object. */
function args(params: SqlParams | undefined): unknown[] {
  if (params === undefined) return []
  if (Array.isArray(params)) return params.map(bindable)
  const named: Record<string, SqlValue> = {}
  for (const [key, value] of Object.entries(params)) named[key] = bindable(value as SqlParam)
  return [named]
}

function wrap(native: NativeDatabase, path: string, driver: Database['driver']): Database {
  // Statements are compiled once per SQL text; the texts come from code, so the cache stays small.
  const statements = new Map<string, NativeStatement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = native.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  let depth = 0
  let closed = false
  // A full or read-only volume becomes a 507/503 `AppError` (shared/sqlite-faults.ts); a write that
  // succeeds again clears the fault /ready reports.
  const write = <T>(fn: () => T): T => {
    let out: T
    try {
      out = fn()
    } catch (err) {
      throw asStorageError(err, path)
    }
    if (depth === 0) clearStorageFault(path)
    return out
  }
  const rollBack = (savepoint: string) => {
    try {
      native.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`)
    } catch {
      // SQLite already rolled back by itself (disk full, I/O error): the first error is the one to report.
    }
  }
  const db: Database = {
    path,
    driver,
    exec: (sql) => write(() => native.exec(sql)),
    run(sql, params) {
      const result = write(() => prepare(sql).run(...args(params)))
      return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) }
    },
    get: <T>(sql: string, params?: SqlParams) =>
      (prepare(sql).get(...args(params)) ?? undefined) as T | undefined,
    all: <T>(sql: string, params?: SqlParams) => prepare(sql).all(...args(params)) as T[],
    transaction<T>(fn: () => T): T {
      const savepoint = `sp_${depth}`
      write(() => native.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`))
      depth++
      let out: T
      try {
        out = fn()
        // An async body would commit before its awaited writes ran: refuse it instead.
        if (out instanceof Promise) throw new TypeError('transaction() takes a synchronous function')
      } catch (err) {
        depth--
        rollBack(savepoint)
        throw err
      }
      depth--
      try {
        write(() => native.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`))
      } catch (err) {
        // A commit refused by a full volume leaves the transaction open: end it, and the depth stays right.
        rollBack(savepoint)
        throw err
      }
      return out
    },
    close() {
      if (closed) return
      closed = true
      statements.clear()
      clearStorageFault(path)
      open.delete(db)
      native.close()
    },
  }
  return db
}

function versionTable(scope: string | undefined): string {
  if (scope === undefined) return 'schema_version'
  // The name goes into SQL text (a table name cannot be bound), so it is checked, not quoted.
  if (!/^[a-z_]{1,40}$/.test(scope))
    throw new TypeError(`migration scope ${JSON.stringify(scope)}: use a-z and _`)
  return `schema_version_${scope}`
}

function migrate(db: Database, migrations: readonly string[], table: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
  const current = db.get<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${table}`)?.v ?? 0
  if (current > migrations.length)
    throw new Error(
      `${db.path}: schema version ${current} is newer than this build knows (${migrations.length}); refusing to open it`,
    )
  for (let version = current + 1; version <= migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version - 1]!)
      db.run(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`, [version, new Date().toISOString()])
    })
  }
}
