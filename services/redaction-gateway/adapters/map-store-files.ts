/**
 * The map database holds the real values behind placeholders. It is created owner-only (folder
 * 0700, file 0600, by the shared SQLite kit); an existing file that other users can read is refused
 * rather than quietly tightened, because its contents may already have been copied — the owner has
 * to look at it and chmod it.
 */
import { statSync } from 'node:fs'

const SIDE_FILES = ['', '-wal', '-shm'] as const

export class MapFileExposedError extends Error {
  constructor(file: string, mode: number) {
    super(
      `${file}: readable or writable by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
        `the redaction maps must be owner-only: check who could have read it, then chmod 600 it`,
    )
    this.name = 'MapFileExposedError'
  }
}

export function refuseExposedMapFile(path: string): void {
  if (path === ':memory:') return
  for (const suffix of SIDE_FILES) {
    const file = path + suffix
    let mode: number
    try {
      mode = statSync(file).mode
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue
      throw err
    }
    if ((mode & 0o077) !== 0) throw new MapFileExposedError(file, mode)
  }
}
