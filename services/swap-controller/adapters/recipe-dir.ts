/**
 * The recipe directory (`RECIPES_DIR`): every `*.yaml` / `*.yml` in it, parsed into catalog
 * entries. Bounded — at most `maxFiles` files, each at most `maxFileBytes` — because the folder is
 * operator-editable and one stray multi-gigabyte file must not take the service down. A file that
 * cannot be read becomes an invalid entry with the reason. Parsed files are cached by mtime, ctime
 * and size, so an edit shows up on the next look (at most `recheckMs` later) without re-parsing the rest.
 */
import type { Stats } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, conflict } from '../../../shared/errors.ts'
import { invalidRecipe, parseRecipe } from '../domain/catalog/recipe.ts'
import type { CatalogEntry, CatalogSnapshot, RecipeCatalog } from '../domain/catalog/types.ts'

export interface RecipeDirOptions {
  dir: string
  maxFiles?: number
  maxFileBytes?: number
  /** How long a snapshot is reused before the directory is looked at again; tests pass 0. */
  recheckMs?: number
  nodeMemoryBytes?: number
}

interface CachedFile {
  mtimeMs: number
  /** chmod changes ctime only, and can turn an unreadable file readable. */
  ctimeMs: number
  size: number
  entry: CatalogEntry
}

const RECIPE_FILE = /\.ya?ml$/i
const NOTED_NAMES = 10

const FS_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'it does not exist (a broken symbolic link, or it was just removed)',
  ELOOP: 'a symbolic link loop',
  EISDIR: 'it is a directory',
  EIO: 'an input/output error',
}

const fsReason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code
  return `cannot read the file: ${(code && FS_WORDS[code]) ?? (err as Error).message} (${code ?? 'error'})`
}

const MIB = 1024 * 1024
const size = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`

/**
 * One recipe file's text, byte for byte as on disk (pre-flight compares the head's copy with it).
 * A file gone or grown past the limit since the catalog read it refuses the swap (409).
 */
export async function readRecipeText(dir: string, file: string, maxFileBytes = 256 * 1024): Promise<string> {
  const bytes = await readFile(join(dir, file)).catch((err: unknown) => {
    throw conflict(`The recipe file ${file} ${fsReason(err)}.`)
  })
  if (bytes.length > maxFileBytes) throw conflict(`The recipe file ${file} grew past ${size(maxFileBytes)}.`)
  return bytes.toString('utf8')
}

export function createRecipeDir(options: RecipeDirOptions): RecipeCatalog {
  const { dir, maxFiles = 200, maxFileBytes = 256 * 1024, recheckMs = 1000, nodeMemoryBytes } = options
  let cache = new Map<string, CachedFile>()
  let last: { at: number; snapshot: CatalogSnapshot } | null = null
  let inFlight: Promise<CatalogSnapshot> | null = null

  async function readOne(file: string): Promise<CachedFile> {
    let info: Stats
    try {
      info = await stat(join(dir, file))
    } catch (err) {
      return { mtimeMs: -1, ctimeMs: -1, size: -1, entry: invalidRecipe(file, [fsReason(err)]) }
    }
    const seen = cache.get(file)
    if (seen && seen.mtimeMs === info.mtimeMs && seen.ctimeMs === info.ctimeMs && seen.size === info.size)
      return seen
    const stamp = { mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, size: info.size }
    if (!info.isFile()) return { ...stamp, entry: invalidRecipe(file, ['not a regular file']) }
    const tooBig = `the file is ${size(info.size)}, larger than the limit of ${size(maxFileBytes)}; it was not read`
    if (info.size > maxFileBytes) return { ...stamp, entry: invalidRecipe(file, [tooBig]) }
    try {
      const bytes = await readFile(join(dir, file))
      // It may have grown between stat and read.
      if (bytes.length > maxFileBytes) return { ...stamp, entry: invalidRecipe(file, [tooBig]) }
      return { ...stamp, entry: parseRecipe(bytes.toString('utf8'), { file, nodeMemoryBytes }) }
    } catch (err) {
      return { ...stamp, entry: invalidRecipe(file, [fsReason(err)]) }
    }
  }

  async function listFiles(): Promise<string[]> {
    try {
      const names = await readdir(dir)
      return names.filter((n) => RECIPE_FILE.test(n) && !n.startsWith('.')).sort()
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error'
      const message = `The recipe directory ${dir} cannot be read (${code}); check RECIPES_DIR.`
      throw new AppError(503, 'catalog_unavailable', message, { retryAfterS: 30 })
    }
  }

  async function refresh(): Promise<CatalogSnapshot> {
    const files = await listFiles()
    const notes: string[] = []
    const kept = files.slice(0, maxFiles)
    if (files.length > maxFiles) {
      const skipped = files.slice(maxFiles)
      const named = skipped.slice(0, NOTED_NAMES).join(', ') + (skipped.length > NOTED_NAMES ? ', …' : '')
      notes.push(`${skipped.length} recipe file(s) beyond the limit of ${maxFiles} were not read: ${named}`)
    }
    const read = await Promise.all(kept.map(async (file) => [file, await readOne(file)] as const))
    cache = new Map(read.filter(([, c]) => c.mtimeMs >= 0))
    const entries = markDuplicates(read.map(([, c]) => c.entry)).sort(
      (a, b) => a.key.localeCompare(b.key) || a.file.localeCompare(b.file),
    )
    return { dir, entries, notes, readAt: new Date().toISOString() }
  }

  return {
    async snapshot() {
      if (last && Date.now() - last.at < recheckMs) return last.snapshot
      inFlight ??= refresh()
        .then((snapshot) => {
          last = { at: Date.now(), snapshot }
          return snapshot
        })
        .finally(() => {
          inFlight = null
        })
      return inFlight
    },
  }
}

/** `x.yaml` and `x.yml` would both be recipe `x`: the first (by name) wins, the other says why. */
function markDuplicates(entries: CatalogEntry[]): CatalogEntry[] {
  const owner = new Map<string, string>()
  return entries.map((e) => {
    const first = owner.get(e.key)
    if (first === undefined) {
      owner.set(e.key, e.file)
      return e
    }
    const reason = `another file, ${first}, already defines the recipe \`${e.key}\``
    return e.valid ? invalidRecipe(e.file, [reason], e.name) : { ...e, reasons: [reason, ...e.reasons] }
  })
}
