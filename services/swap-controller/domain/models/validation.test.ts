/**
 * Validation of everything model management takes from a request or reads from a node: repo ids,
 * local paths, keys, cache directory names, revisions. Hostile values are refused before any
 * command is built, and whatever is built is a single quoted argv element.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { buildCommand } from '../../../../shared/ssh/quote.ts'
import { downloadArgv } from '../../adapters/model-disk.ts'
import { customModelInput, ignoredFields, toCustomModel } from './custom.ts'
import { configArgv, parseScan } from './disk-scan.ts'
import { cacheDirName, hubDir, keyForRepo, modelDirPath, repoFromCacheDir } from './ids.ts'

const HOSTILE = [
  'org/name;reboot',
  'org/$(id)',
  'org/`id`',
  'org/na\nme',
  '../etc/passwd',
  'org/..',
  'org/../x',
  '-rf/x',
  'org/name --cache-dir /',
  "org/it's",
  'org--x/name',
  'org/name/extra',
  '',
  'org',
  `org/${'a'.repeat(200)}`,
]

describe('repo ids and cache directories', () => {
  it('maps org/name to models--org--name and back', () => {
    expect(cacheDirName('Qwen/Qwen3-4B-Instruct-2507')).toBe('models--Qwen--Qwen3-4B-Instruct-2507')
    expect(repoFromCacheDir('models--Qwen--Qwen3-4B-Instruct-2507')).toBe('Qwen/Qwen3-4B-Instruct-2507')
    expect(keyForRepo('openai/gpt-oss-120b')).toBe('openai--gpt-oss-120b')
    expect(modelDirPath('/home/u/.cache/huggingface/hub', 'openai/gpt-oss-120b')).toBe(
      '/home/u/.cache/huggingface/hub/models--openai--gpt-oss-120b',
    )
  })

  it.each(HOSTILE)('refuses %j before any path or command is built', (repo) => {
    expect(() => cacheDirName(repo)).toThrow(AppError)
    expect(() => modelDirPath('/home/u/.cache/huggingface/hub', repo)).toThrow(AppError)
    expect(() => downloadArgv('hf', repo, '/home/u/.cache/huggingface/hub')).toThrow(AppError)
    expect(customModelInput.safeParse({ repo }).success).toBe(false)
  })

  it('ignores cache entries that are not model directories or carry hostile names', () => {
    for (const name of [
      'datasets--org--x',
      'models--a--b--c',
      'models--a',
      'models--a--$(id)',
      'models--..--x',
      '.locks',
      'version.txt',
    ])
      expect(repoFromCacheDir(name), name).toBeNull()
  })

  it('refuses a cache directory that is not absolute or walks up', () => {
    expect(hubDir('/home/u/.cache/huggingface/')).toBe('/home/u/.cache/huggingface/hub')
    for (const bad of ['relative/dir', '/home/u/../../etc', '/home/u/$(id)', '/home/u/a b'])
      expect(() => hubDir(bad), bad).toThrow()
  })

  it('quotes every command element whole, even the literal -printf format', () => {
    const argv = downloadArgv('uvx', 'org/name', '/home/u/.cache/huggingface/hub')
    expect(argv).toEqual([
      'uvx',
      'hf',
      'download',
      'org/name',
      '--cache-dir',
      '/home/u/.cache/huggingface/hub',
    ])
    expect(buildCommand(argv)).toBe(
      "'uvx' 'hf' 'download' 'org/name' '--cache-dir' '/home/u/.cache/huggingface/hub'",
    )
    expect(() => configArgv('/h/hub', { dir: 'models--a--b', revision: '../../etc' })).toThrow()
    expect(() => configArgv('/h/hub', { dir: 'models--a--b;x', revision: 'abc' })).toThrow()
  })
})

describe('disk listing from a node (untrusted)', () => {
  it('keeps well-formed snapshot files and skips everything else', () => {
    const out = [
      '1024\tmodels--org--good/snapshots/abc123/config.json',
      '4900000000\tmodels--org--good/snapshots/abc123/model-00001-of-00002.safetensors',
      '100\tmodels--org--good/snapshots/old/config.json',
      '5\tmodels--org--evil/snapshots/..%2f/config.json',
      '5\tmodels--org--evil/snapshots/rev/$(id)',
      '5\tmodels--a--b--c/snapshots/rev/config.json',
      '5\tdatasets--org--x/snapshots/rev/data.parquet',
      'garbage line',
      '12\tmodels--org--nested/snapshots/rev/sub/x',
    ].join('\n')
    const { models, skipped } = parseScan(out)
    expect(models).toHaveLength(1)
    expect(models[0]).toMatchObject({ repo: 'org/good', revision: 'abc123', totalBytes: 4_900_001_024 })
    expect(skipped).toBe(6)
  })

  it('is bounded in lines and models', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `1\tmodels--org--m${i}/snapshots/r/config.json`).join(
      '\n',
    )
    const { models, skipped } = parseScan(lines, { maxLines: 20, maxModels: 5 })
    expect(models).toHaveLength(5)
    expect(skipped).toBeGreaterThanOrEqual(25)
  })
})

describe('custom model cards (POST /api/models)', () => {
  const parse = (v: unknown) => customModelInput.safeParse(v)

  it('takes exactly one of repo and local_path', () => {
    expect(parse({ repo: 'org/name' }).success).toBe(true)
    expect(parse({ local_path: '/data/models/my-ft' }).success).toBe(true)
    expect(parse({}).success).toBe(false)
    expect(parse({ repo: 'org/name', local_path: '/data/x' }).success).toBe(false)
  })

  it.each([
    'relative/path',
    '/data/../etc',
    '/data/./x',
    '/data/$(id)',
    '/data/`id`',
    '/data/a;b',
    '/data/a\nb',
    '/data//x',
    '/data/a b',
    '/',
    '/etc',
    '/root/models',
    '/proc/1',
  ])('refuses the local path %j', (local_path) => {
    const r = parse({ local_path })
    expect(r.success).toBe(false)
  })

  it('lets unknown fields through (named by ignoredFields), and refuses hostile names and keys', () => {
    const loose = { repo: 'org/name', extra_args: '--trust-remote-code', ['x'.repeat(100)]: 1 }
    expect(parse(loose).success).toBe(true)
    expect(ignoredFields(loose)).toEqual(['extra_args', 'x'.repeat(64)])
    expect(toCustomModel(parse(loose).data!, '2026-01-01T00:00:00.000Z', 'api')).not.toHaveProperty(
      'extra_args',
    )
    expect(parse({ repo: 'org/x;reboot', extra_args: '--trust-remote-code' }).success).toBe(false)
    expect(parse({ repo: 'org/name', name: 'x"; rm -rf /' }).success).toBe(false)
    expect(parse({ repo: 'org/name', key: '-rf' }).success).toBe(false)
    expect(parse({ repo: 'org/name', key: '../x' }).success).toBe(false)
    expect(parse({ repo: 'org/name', served_model_name: 'a$(id)' }).success).toBe(false)
    expect(parse({ repo: 'org/name', notes: 'line\u0000break' }).success).toBe(false)
  })

  it('derives the key, name and served name', () => {
    const card = toCustomModel({ repo: 'Qwen/Qwen3-4B-Instruct-2507' }, '2026-01-01T00:00:00.000Z', 'api')
    expect(card).toMatchObject({
      key: 'Qwen--Qwen3-4B-Instruct-2507',
      name: 'Qwen3-4B-Instruct-2507',
      served_model_name: 'Qwen/Qwen3-4B-Instruct-2507',
      local_path: null,
    })
    const local = toCustomModel({ local_path: '/data/models/my+ft' }, '2026-01-01T00:00:00.000Z', 'api')
    expect(local).toMatchObject({ key: 'my-ft', repo: null, served_model_name: '/data/models/my+ft' })
  })
})
