/**
 * The earlier (Python) version kept its redaction maps in `redaction_maps.db` in the same volume,
 * in its own schema and unencrypted. This version encrypts every value under a key of its own and
 * cannot read those rows, and its tables must not meet a schema it did not write. So the update
 * sets the earlier database aside (renamed, not deleted: the owner may still want it) and the
 * redaction-gateway starts a new one. Earlier maps lived 24 hours; the release notes say to finish
 * a scrub/rehydrate round trip before updating. Pure node:fs, no SDK: tested in the repository.
 */
import { rename, stat } from 'node:fs/promises'
import { join } from 'node:path'

const EARLIER_DB = 'redaction_maps.db'
export const SET_ASIDE_DB = 'redaction_maps.earlier.db'

/** Renames the earlier database and its journal files; returns the names it moved. */
export async function setAsideEarlierMaps(dataDir: string): Promise<string[]> {
  const moved: string[] = []
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const from = join(dataDir, `${EARLIER_DB}${suffix}`)
    if (!(await stat(from).catch(() => null))?.isFile()) continue
    await rename(from, join(dataDir, `${SET_ASIDE_DB}${suffix}`))
    moved.push(`${EARLIER_DB}${suffix}`)
  }
  return moved
}
