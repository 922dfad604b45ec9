/**
 * Where the owner's password hash lives when it is not given by `DASHBOARD_PASSWORD`:
 * `<DATA_DIR>/dashboard-password`, one line, written owner-only by tools/dashboard-password.ts.
 */
import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hashPassword, parsePasswordHash } from './password.ts'

export const PASSWORD_FILE_NAME = 'dashboard-password'

export const passwordFilePath = (dataDir: string) => join(dataDir, PASSWORD_FILE_NAME)

/** The stored hash, or null when there is no file. A file that is not a hash is an error: no guessing. */
export async function readPasswordHash(path: string): Promise<string | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const hash = text.trim()
  if (hash === '') return null
  if (parsePasswordHash(hash) === null) throw new Error(`${path} does not hold a password hash`)
  return hash
}

/** Hashes and writes atomically (a temporary file renamed over the old one), mode 0600. */
export async function writePasswordHash(path: string, password: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, `${await hashPassword(password)}\n`, { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, path)
}
