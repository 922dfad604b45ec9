import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InternalSecretError, loadInternalSecret, SECRET_FILE } from './secret.ts'

describe('the internal secret', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'internal-secret-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('is made on first start into DATA_DIR (made too), readable by its owner only, and kept', async () => {
    const first = await loadInternalSecret({ DATA_DIR: join(dir, 'new') })
    expect((await stat(join(dir, 'new', SECRET_FILE))).mode & 0o777).toBe(0o600)
    expect((await loadInternalSecret({ DATA_DIR: join(dir, 'new') })).equals(first)).toBe(true)
  })

  it('is kept in DATA_DIR', async () => {
    const first = await loadInternalSecret({ DATA_DIR: dir })
    expect(first.toString()).toMatch(/^[0-9a-f]{64}$/)
    expect((await stat(join(dir, SECRET_FILE))).mode & 0o777).toBe(0o600)
    expect((await loadInternalSecret({ DATA_DIR: dir })).equals(first)).toBe(true)
  })

  // Six services starting at once on one volume; the demo's system tests race six processes.
  it('is one value when six starts race for it', async () => {
    const values = await Promise.all(Array.from({ length: 6 }, () => loadInternalSecret({ DATA_DIR: dir })))
    expect(new Set(values.map(String)).size).toBe(1)
    expect(String(values[0])).toBe((await readFile(join(dir, SECRET_FILE), 'utf8')).trim())
    expect(await readdir(dir)).toEqual([SECRET_FILE])
  })

  it('comes from INTERNAL_SECRET when set (then no file is made), which must be long enough', async () => {
    const given = 'x'.repeat(40)
    expect(String(await loadInternalSecret({ INTERNAL_SECRET: given, DATA_DIR: dir }))).toBe(given)
    expect(await readdir(dir)).toEqual([])
    await expect(loadInternalSecret({ INTERNAL_SECRET: 'short', DATA_DIR: dir })).rejects.toThrow(
      InternalSecretError,
    )
  })

  it('refuses a file that is not a secret, and a directory it cannot write', async () => {
    await writeFile(join(dir, SECRET_FILE), 'oops\n')
    await expect(loadInternalSecret({ DATA_DIR: dir })).rejects.toThrow(/not an internal secret/)
    await writeFile(join(dir, 'a-file'), '')
    await expect(loadInternalSecret({ DATA_DIR: join(dir, 'a-file', 'dir') })).rejects.toThrow(
      /cannot (read|create) the internal secret/,
    )
  })
})
