/**
 * Names of models on the Sparks. Weights live in the Hugging Face cache as
 * `<cache>/hub/models--<org>--<name>/snapshots/<revision>/…`; that directory name is the only thing
 * a delete removes, so it is built here from a validated repo id and nothing else. Names read back
 * from a node (directory listings, revisions, file names) are untrusted too and are checked before
 * they are used in a path.
 */
import { absolutePathProblem, assertModelId, assertSafeName } from '../../../../shared/ssh/quote.ts'
import { modelIdProblem } from '../catalog/schema.ts'

const CACHE_PREFIX = 'models--'
/** A revision directory (a 40-hex commit in practice) or a file name inside a snapshot. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+=@,-]{0,199}$/

/** `org/name` → `models--org--name`. Throws a 422 for anything that is not a model id. */
export function cacheDirName(repo: string): string {
  assertModelId(repo, 'repo')
  return `${CACHE_PREFIX}${repo.replace('/', '--')}`
}

/** `models--org--name` → `org/name`, or null for anything else (datasets, stray files, hostile names). */
export function repoFromCacheDir(name: string): string | null {
  if (!name.startsWith(CACHE_PREFIX)) return null
  const parts = name.slice(CACHE_PREFIX.length).split('--')
  // Model ids never contain `--` (assertModelId refuses it), so the split is unambiguous.
  if (parts.length !== 2) return null
  const repo = `${parts[0]}/${parts[1]}`
  return modelIdProblem(repo) === null ? repo : null
}

export const isPathSegment = (s: string) => SEGMENT.test(s) && !s.includes('..')

/** The key an on-disk or custom model without a recipe is addressed by: `org--name`. */
export function keyForRepo(repo: string): string {
  return assertSafeName(repo.replace('/', '--'), 'key')
}

/** `~/…` is resolved per SSH user by the caller; here the cache dir must already be absolute. */
export function hubDir(cacheDir: string): string {
  const hub = `${cacheDir.replace(/\/+$/, '')}/hub`
  const problem = absolutePathProblem(hub)
  if (problem) throw new TypeError(`model cache directory ${hub}: ${problem}`)
  return hub
}

/** The one directory a delete removes on a node. */
export function modelDirPath(hub: string, repo: string): string {
  const path = `${hub}/${cacheDirName(repo)}`
  const problem = absolutePathProblem(path)
  if (problem) throw new TypeError(`model directory ${path}: ${problem}`)
  return path
}

export const sameRepo = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase()
