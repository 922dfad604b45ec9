import { copyFile, mkdir, mkdtemp, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import type { CatalogEntry } from '../domain/catalog/types.ts'
import { createRecipeDir } from './recipe-dir.ts'

const SHIPPED = new URL('../../../recipes/', import.meta.url).pathname
const recipe = (name: string, model = 'org/test-model') =>
  `recipe_version: "1"\nname: ${name}\nmodel: ${model}\ncontainer: vllm-node\ncommand: vllm serve ${model} --port 8000\n`

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recipes-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const byKey = (entries: CatalogEntry[]) => Object.fromEntries(entries.map((e) => [e.key, e]))
const reasonsOf = (e: CatalogEntry | undefined) => (e && !e.valid ? e.reasons.join(' ') : '')

describe('createRecipeDir', () => {
  it('reads every .yaml and .yml, sorted by key, and nothing else', async () => {
    for (const f of ['qwen3-coder-30b.yaml', 'glm-4.5-air.yaml'])
      await copyFile(join(SHIPPED, f), join(dir, f))
    await writeFile(join(dir, 'alpha.yml'), recipe('Alpha'))
    await writeFile(join(dir, 'README.md'), '# not a recipe')
    await writeFile(join(dir, '.hidden.yaml'), recipe('Hidden'))
    const snap = await createRecipeDir({ dir, recheckMs: 0 }).snapshot()
    expect(snap.entries.map((e) => [e.key, e.valid])).toEqual([
      ['alpha', true],
      ['glm-4.5-air', true],
      ['qwen3-coder-30b', true],
    ])
    expect(snap).toMatchObject({ dir, notes: [] })
  })

  it('lists unreadable entries with the reason: symlink loop, broken link, directory', async () => {
    await symlink(join(dir, 'b.yaml'), join(dir, 'a.yaml'))
    await symlink(join(dir, 'a.yaml'), join(dir, 'b.yaml'))
    await symlink(join(dir, 'nowhere.txt'), join(dir, 'broken.yaml'))
    await mkdir(join(dir, 'folder.yaml'))
    const entries = byKey((await createRecipeDir({ dir, recheckMs: 0 }).snapshot()).entries)
    expect(reasonsOf(entries.a)).toContain('cannot read the file: a symbolic link loop (ELOOP)')
    expect(reasonsOf(entries.broken)).toContain('cannot read the file: it does not exist')
    expect(reasonsOf(entries.folder)).toBe('not a regular file')
  })

  it('does not read a file over the size limit', async () => {
    await writeFile(join(dir, 'huge.yaml'), `${recipe('Huge')}# ${'x'.repeat(4000)}\n`)
    await writeFile(join(dir, 'small.yaml'), recipe('Small'))
    const entries = byKey(
      (await createRecipeDir({ dir, recheckMs: 0, maxFileBytes: 2048 }).snapshot()).entries,
    )
    expect(reasonsOf(entries.huge)).toBe('the file is 5 KiB, larger than the limit of 2 KiB; it was not read')
    expect(entries.small?.valid).toBe(true)
  })

  it('reads at most maxFiles files and names the ones it left out', async () => {
    for (const k of ['a', 'b', 'c', 'd', 'e'])
      await writeFile(join(dir, `${k}.yaml`), recipe(k.toUpperCase()))
    const snap = await createRecipeDir({ dir, recheckMs: 0, maxFiles: 3 }).snapshot()
    expect(snap.entries.map((e) => e.key)).toEqual(['a', 'b', 'c'])
    expect(snap.notes).toEqual(['2 recipe file(s) beyond the limit of 3 were not read: d.yaml, e.yaml'])
  })

  it('reloads a changed file, keeps unchanged ones, drops deleted ones and picks up new ones', async () => {
    await writeFile(join(dir, 'one.yaml'), recipe('One'))
    await writeFile(join(dir, 'two.yaml'), recipe('Two'))
    const catalog = createRecipeDir({ dir, recheckMs: 0 })
    const first = byKey((await catalog.snapshot()).entries)

    await writeFile(join(dir, 'one.yaml'), recipe('One', 'org/../evil'))
    await writeFile(join(dir, 'three.yaml'), recipe('Three'))
    await unlink(join(dir, 'two.yaml'))
    const second = byKey((await catalog.snapshot()).entries)
    expect(Object.keys(second)).toEqual(['one', 'three'])
    expect(reasonsOf(second.one)).toContain('model:')

    const third = byKey((await catalog.snapshot()).entries)
    expect(third.three).toBe(second.three)
    expect(first.one).not.toBe(second.one)
  })

  it('notices an edit that keeps the size, by its modification time', async () => {
    await writeFile(join(dir, 'same.yaml'), recipe('Aaaa'))
    const catalog = createRecipeDir({ dir, recheckMs: 0 })
    expect((await catalog.snapshot()).entries[0]).toMatchObject({ name: 'Aaaa' })
    await writeFile(join(dir, 'same.yaml'), recipe('Bbbb'))
    const later = new Date(Date.now() + 5000)
    await utimes(join(dir, 'same.yaml'), later, later)
    expect((await catalog.snapshot()).entries[0]).toMatchObject({ name: 'Bbbb' })
  })

  it('reuses a snapshot for recheckMs and coalesces concurrent reads', async () => {
    await writeFile(join(dir, 'one.yaml'), recipe('One'))
    const catalog = createRecipeDir({ dir, recheckMs: 60_000 })
    const [a, b] = await Promise.all([catalog.snapshot(), catalog.snapshot()])
    expect(a).toBe(b)
    await writeFile(join(dir, 'two.yaml'), recipe('Two'))
    expect(await catalog.snapshot()).toBe(a)
  })

  it('gives x.yaml precedence over x.yml and says why the other is not used', async () => {
    await writeFile(join(dir, 'dup.yaml'), recipe('From yaml'))
    await writeFile(join(dir, 'dup.yml'), recipe('From yml'))
    const { entries } = await createRecipeDir({ dir, recheckMs: 0 }).snapshot()
    expect(entries.map((e) => [e.file, e.valid])).toEqual([
      ['dup.yaml', true],
      ['dup.yml', false],
    ])
    expect(reasonsOf(entries[1])).toBe('another file, dup.yaml, already defines the recipe `dup`')
  })

  it('answers 503 with Retry-After when the directory itself cannot be read', async () => {
    const err = await createRecipeDir({ dir: join(dir, 'missing'), recheckMs: 0 })
      .snapshot()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ status: 503, code: 'catalog_unavailable', retryAfterS: 30 })
    expect((err as AppError).message).toContain('ENOENT')
  })
})
