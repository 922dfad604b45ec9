/**
 * Reading a node's Hugging Face cache with one `find`: every regular file exactly four levels
 * below `hub/` (`models--org--name/snapshots/<rev>/<file>`), with `-L` so the sizes are those of
 * the blobs the snapshot links point at. Blobs still downloading (`blobs/*.incomplete`) sit three
 * levels down and are not listed, so a half-downloaded model does not show up as on disk.
 */

import type { SnapshotFile } from './hf-config.ts'
import { isPathSegment, repoFromCacheDir } from './ids.ts'

/** GNU find interprets `\t` and `\n` in -printf itself; the argument carries them literally. */
export function scanArgv(hub: string): string[] {
  return ['find', '-L', hub, '-mindepth', '4', '-maxdepth', '4', '-type', 'f', '-printf', '%s\\t%P\\n']
}

export interface DiskModel {
  repo: string
  /** `models--org--name`. */
  dir: string
  revision: string
  files: SnapshotFile[]
  totalBytes: number
}

export interface ScanLimits {
  maxLines: number
  maxModels: number
}

const DEFAULT_LIMITS: ScanLimits = { maxLines: 50_000, maxModels: 200 }

/**
 * `find` output → one entry per model. A model with several snapshots is read at the one holding
 * a config.json and the most bytes (normally the newest download of `main`). Lines that do not
 * have the expected shape are skipped: the listing comes from a remote disk.
 */
export function parseScan(
  output: string,
  limits: ScanLimits = DEFAULT_LIMITS,
): { models: DiskModel[]; skipped: number } {
  const byDir = new Map<string, Map<string, SnapshotFile[]>>()
  let skipped = 0
  const lines = output.split('\n')
  for (const line of lines.slice(0, limits.maxLines)) {
    if (line === '') continue
    const m = /^(\d{1,16})\t([^\t]+)$/.exec(line)
    const parts = m?.[2]?.split('/') ?? []
    const [dir, snapshots, revision, name] = parts
    if (
      !m ||
      parts.length !== 4 ||
      snapshots !== 'snapshots' ||
      !repoFromCacheDir(dir!) ||
      !isPathSegment(revision!) ||
      !isPathSegment(name!)
    ) {
      skipped++
      continue
    }
    const revs = byDir.get(dir!) ?? new Map<string, SnapshotFile[]>()
    if (!byDir.has(dir!)) {
      if (byDir.size >= limits.maxModels) {
        skipped++
        continue
      }
      byDir.set(dir!, revs)
    }
    const files = revs.get(revision!) ?? []
    files.push({ name: name!, size: Number(m[1]) })
    revs.set(revision!, files)
  }
  skipped += Math.max(0, lines.length - limits.maxLines)
  const models: DiskModel[] = []
  for (const [dir, revs] of byDir) {
    const ranked = [...revs.entries()]
      .map(([revision, files]) => ({ revision, files, total: files.reduce((s, f) => s + f.size, 0) }))
      .sort(
        (a, b) =>
          Number(hasConfig(b.files)) - Number(hasConfig(a.files)) ||
          b.total - a.total ||
          a.revision.localeCompare(b.revision),
      )
    const best = ranked[0]!
    const files = [...best.files].sort((a, b) => a.name.localeCompare(b.name))
    models.push({
      repo: repoFromCacheDir(dir) as string,
      dir,
      revision: best.revision,
      files,
      totalBytes: best.total,
    })
  }
  models.sort((a, b) => a.repo.localeCompare(b.repo))
  return { models, skipped }
}

const hasConfig = (files: SnapshotFile[]) => files.some((f) => f.name === 'config.json')

export function configArgv(hub: string, model: Pick<DiskModel, 'dir' | 'revision'>): string[] {
  if (!repoFromCacheDir(model.dir) || !isPathSegment(model.revision)) throw new TypeError('not a cache entry')
  return ['cat', `${hub}/${model.dir}/snapshots/${model.revision}/config.json`]
}
