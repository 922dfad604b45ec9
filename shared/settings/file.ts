/**
 * `<DATA_DIR>/app_settings.json`, the earlier version's settings file: one JSON object whose keys
 * are environment variable names and whose values are their values. Every service reads it; the
 * gateway writes it (the Settings page, `PUT /api/settings`), and so do the StartOS package's
 * settings actions, both through `writeSettingsFile`. Read leniently — a bad file is a
 * warning and counts as empty, never a crash — and written whole, owner-only, through a temporary
 * file and a rename, so no reader ever sees half of it.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { EnvSource } from '../config.ts'

export const SETTINGS_FILE = 'app_settings.json'

/** The values as environment values: strings by name. */
export type SettingsValues = Record<string, string>

export interface SettingsRead {
  values: SettingsValues
  /** The file as it is, unknown keys and all (what an update writes back). Null when it is unusable. */
  raw: Record<string, unknown> | null
  /** Why the file (or a key of it) is ignored, in words; null when all is well. */
  problem: string | null
}

/** Where the file is, by the same rule as `DATA_DIR`'s default (`./.data`). */
export function settingsFilePath(env: EnvSource): string {
  return join(env.DATA_DIR?.trim() || './.data', SETTINGS_FILE)
}

export async function readSettingsFile(path: string): Promise<SettingsRead> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, raw: {}, problem: null }
    return unusable(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  return parseSettings(path, text)
}

/** The file's text as settings; the earlier version also wrote numbers and booleans as JSON values. */
export function parseSettings(path: string, text: string): SettingsRead {
  let json: unknown
  try {
    json = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return unusable(`${path} is not valid JSON`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return unusable(`${path} is not a JSON object of NAME: value`)
  const raw = json as Record<string, unknown>
  const values: SettingsValues = {}
  const skipped: string[] = []
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') values[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value)
    else if (value !== null) skipped.push(key)
  }
  const problem = skipped.length
    ? `${path}: ${skipped.join(', ')} ignored (not a text, number or yes/no)`
    : null
  return { values, raw, problem }
}

const unusable = (problem: string): SettingsRead => ({
  values: {},
  raw: null,
  problem: `${problem}; ignored`,
})

/** Written whole to a temporary file beside it and renamed over it, mode 0600. */
export async function writeSettingsFile(path: string, raw: Record<string, unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(tmp, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
