/**
 * Where the redaction maps will live. The earlier version crashed at start when the database's
 * directory was missing; here it is created (owner-only, mode 0700: the maps hold the real values
 * behind placeholders) and its state is reported through readiness instead.
 */
import { constants } from 'node:fs'
import { access, mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { DependencyCheck, DependencyReport } from '../../../shared/readiness.ts'
import { describeFsProblem } from '../domain/fs-problem.ts'
import { MapFileExposedError } from './map-store-files.ts'

export { type MapStore, openMapStore } from './map-store-sqlite.ts'

export const MAP_STORE_DIR_MODE = 0o700

/** Creates the database's directory if needed and checks that the database can be written. */
export async function prepareMapStore(dbPath: string): Promise<DependencyReport> {
  const file = resolve(dbPath)
  const dir = dirname(file)
  const info = { kind: 'sqlite', path: file }
  let created: string | undefined
  try {
    created = await mkdir(dir, { recursive: true, mode: MAP_STORE_DIR_MODE })
    if (!(await stat(dir)).isDirectory()) return { state: 'down', detail: `${dir}: not a directory`, info }
    await access(dir, constants.W_OK)
  } catch (err) {
    return { state: 'down', detail: describeFsProblem(err, dir), info }
  }
  const fileProblem = await databaseFileProblem(file)
  if (fileProblem) return { state: 'down', detail: fileProblem, info }
  return { state: 'up', ...(created ? { detail: `created ${dir}` } : {}), info }
}

/** A database file that exists must be an owner-only, writable regular file; a missing one is created later. */
async function databaseFileProblem(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return `${file}: not a regular file`
    if ((info.mode & 0o077) !== 0) return new MapFileExposedError(file, info.mode).message
    await access(file, constants.W_OK)
    return undefined
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined
    return describeFsProblem(err, file)
  }
}

/** The map store is a local essential: without it `/scrub` cannot keep its promise, so it is critical. */
export function mapStoreCheck(dbPath: string): DependencyCheck {
  return { name: 'map_store', critical: true, check: () => prepareMapStore(dbPath) }
}
