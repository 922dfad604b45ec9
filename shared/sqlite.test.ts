import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from './sqlite.ts'

const MIGRATIONS = [
  'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, flag INTEGER)',
  'ALTER TABLE notes ADD COLUMN author TEXT',
]

let dir: string
const open: Database[] = []

function freshDir() {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-kit-'))
  return dir
}

async function openAt(path: string, migrations = MIGRATIONS) {
  const db = await openDatabase(path, { migrations })
  open.push(db)
  return db
}

afterEach(() => {
  for (const db of open.splice(0)) db.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('openDatabase on Node (better-sqlite3)', () => {
  it('creates the folder 0700 and the file 0600, in WAL with synchronous=FULL', async () => {
    const path = join(freshDir(), 'nested', 'svc.db')
    const db = await openAt(path)
    expect(db.driver).toBe('better-sqlite3')
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(db.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode).toBe('wal')
    expect(db.get<{ synchronous: number }>('PRAGMA synchronous')?.synchronous).toBe(2)
    expect(db.get<{ timeout: number }>('PRAGMA busy_timeout')?.timeout).toBe(5000)
  })

  it('tightens an existing file that others could read', async () => {
    const path = join(freshDir(), 'loose.db')
    writeFileSync(path, '', { mode: 0o644 })
    await openAt(path)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('runs, gets and lists with positional and named parameters, booleans as 0/1', async () => {
    const db = await openAt(join(freshDir(), 'a.db'))
    const first = db.run('INSERT INTO notes (body, flag, author) VALUES (?, ?, ?)', [
      'hello',
      true,
      undefined,
    ])
    expect(first).toEqual({ changes: 1, lastInsertRowid: 1 })
    db.run('INSERT INTO notes (body, flag) VALUES (:body, :flag)', { body: 'second', flag: false })
    expect(db.get('SELECT body, flag, author FROM notes WHERE id = ?', [1])).toEqual({
      body: 'hello',
      flag: 1,
      author: null,
    })
    expect(db.all<{ body: string }>('SELECT body FROM notes ORDER BY id').map((r) => r.body)).toEqual([
      'hello',
      'second',
    ])
    expect(db.get('SELECT * FROM notes WHERE id = ?', [99])).toBeUndefined()
  })

  it('applies each migration once and remembers the version across reopenings', async () => {
    const path = join(freshDir(), 'm.db')
    const db = await openAt(path, MIGRATIONS.slice(0, 1))
    db.run('INSERT INTO notes (body) VALUES (?)', ['kept'])
    db.close()
    const again = await openAt(path)
    expect(again.all('SELECT version FROM schema_version ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
    ])
    again.run('UPDATE notes SET author = ?', ['me'])
    again.close()
    const third = await openAt(path)
    expect(third.get('SELECT body, author FROM notes')).toEqual({ body: 'kept', author: 'me' })
  })

  it('refuses a database written by a newer build', async () => {
    const path = join(freshDir(), 'newer.db')
    ;(await openAt(path)).close()
    await expect(openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) })).rejects.toThrow(
      /newer than this build/,
    )
  })

  it('keeps the versions of each migration scope apart, so two parts can share one file', async () => {
    const path = join(freshDir(), 'scoped.db')
    ;(await openAt(path)).close()
    const other = await openDatabase(path, {
      migrations: ['CREATE TABLE windows (id TEXT PRIMARY KEY)'],
      scope: 'maintenance',
    })
    open.push(other)
    other.run('INSERT INTO windows (id) VALUES (?)', ['w1'])
    const first = await openAt(path)
    expect(first.all('SELECT version FROM schema_version ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
    ])
    expect(first.get('SELECT id FROM windows')).toEqual({ id: 'w1' })
    await expect(openDatabase(path, { migrations: [], scope: 'Bad-Name' })).rejects.toThrow(/scope/)
  })

  it('rolls a failed migration back entirely', async () => {
    const path = join(freshDir(), 'bad.db')
    const broken = ['CREATE TABLE a (x); CREATE TABLE b (y); THIS IS NOT SQL']
    await expect(openDatabase(path, { migrations: broken })).rejects.toThrow()
    const db = await openAt(path, [])
    expect(db.all("SELECT name FROM sqlite_master WHERE name IN ('a', 'b')")).toEqual([])
  })

  it('commits transactions, rolls back on throw, and nests as savepoints', async () => {
    const db = await openAt(join(freshDir(), 't.db'))
    db.transaction(() => db.run('INSERT INTO notes (body) VALUES (?)', ['one']))
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO notes (body) VALUES (?)', ['two'])
        throw new Error('boom')
      }),
    ).toThrow('boom')
    db.transaction(() => {
      db.run('INSERT INTO notes (body) VALUES (?)', ['outer'])
      expect(() =>
        db.transaction(() => {
          db.run('INSERT INTO notes (body) VALUES (?)', ['inner'])
          throw new Error('inner fails')
        }),
      ).toThrow('inner fails')
    })
    expect(db.all<{ body: string }>('SELECT body FROM notes ORDER BY id').map((r) => r.body)).toEqual([
      'one',
      'outer',
    ])
  })

  it('refuses an async transaction body and leaves nothing behind', async () => {
    const db = await openAt(join(freshDir(), 'async.db'))
    expect(() =>
      db.transaction((async () => db.run('INSERT INTO notes (body) VALUES (?)', ['x'])) as () => unknown),
    ).toThrow(/synchronous/)
    expect(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM notes')?.n).toBe(0)
  })

  it('opens :memory: without touching the disk, and close() twice is harmless', async () => {
    const db = await openDatabase(':memory:', { migrations: MIGRATIONS })
    db.run('INSERT INTO notes (body) VALUES (?)', ['m'])
    expect(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM notes')?.n).toBe(1)
    db.close()
    db.close()
    expect(existsSync(':memory:')).toBe(false)
  })
})

const DENO = join(process.cwd(), 'node_modules', '.bin', 'deno')

describe('openDatabase on Deno (node:sqlite)', () => {
  it('opens, migrates, writes and reads through the same module', async () => {
    const base = freshDir()
    const script = join(base, 'check.ts')
    const kit = pathToFileURL(join(process.cwd(), 'shared', 'sqlite.ts')).href
    writeFileSync(
      script,
      [
        `import { openDatabase } from '${kit}'`,
        `const path = Deno.args[0]`,
        `const db = await openDatabase(path, { migrations: ${JSON.stringify(MIGRATIONS)} })`,
        `db.transaction(() => db.run('INSERT INTO notes (body, flag) VALUES (:body, :flag)', { body: 'from deno', flag: true }))`,
        `const row = db.get('SELECT body, flag FROM notes WHERE id = ?', [1])`,
        `const mode = db.get('PRAGMA journal_mode')`,
        `const sync = db.get('PRAGMA synchronous')`,
        `console.log(JSON.stringify({ driver: db.driver, row: { ...row }, mode: mode.journal_mode, sync: sync.synchronous }))`,
        `db.close()`,
      ].join('\n'),
    )
    const path = join(base, 'deno', 'svc.db')
    const out = await runDeno(['run', '--allow-read', '--allow-write', '--allow-env', script, path])
    expect(JSON.parse(out)).toEqual({
      driver: 'node:sqlite',
      row: { body: 'from deno', flag: 1 },
      mode: 'wal',
      sync: 2,
    })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    // The file Deno wrote is an ordinary SQLite database: Node reads it back.
    const db = await openAt(path)
    expect(db.get('SELECT body FROM notes')).toEqual({ body: 'from deno' })
  }, 60_000)
})

function runDeno(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DENO, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`deno exited ${code}:\n${stderr}`)),
    )
  })
}
