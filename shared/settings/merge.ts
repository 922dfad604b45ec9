/**
 * Where each value comes from: the process environment first, then the settings file, then the
 * default. A blank environment value counts as unset (as everywhere in the configuration), so the
 * file fills it. Keys that differ per process (its port, bind address, data folder) never come
 * from the shared file.
 */
import { ConfigError, type EnvSource } from '../config.ts'
import type { SettingsValues } from './file.ts'

export const PER_PROCESS_KEYS: ReadonlySet<string> = new Set(['HOST', 'PORT', 'DATA_DIR'])

export const setInEnv = (env: EnvSource, key: string): boolean => (env[key] ?? '').trim() !== ''

export type SettingSource = 'env' | 'file' | 'default'

export function sourceOf(key: string, env: EnvSource, file: SettingsValues): SettingSource {
  if (setInEnv(env, key)) return 'env'
  return file[key] !== undefined && file[key].trim() !== '' ? 'file' : 'default'
}

/** The file's keys that count: not per process, not set in the environment. */
export const fileKeysFor = (env: EnvSource, file: SettingsValues): string[] =>
  Object.keys(file).filter((k) => !PER_PROCESS_KEYS.has(k) && !setInEnv(env, k))

/**
 * Loads the configuration from the environment with the file under it. A file value the service's
 * own schema refuses is left out with a warning naming the key (the owner can fix it on the page);
 * a bad environment value still throws, and stops the service as before.
 */
export function loadWithSettings<C>(
  load: (source: EnvSource) => C,
  env: EnvSource,
  file: SettingsValues,
  warn: (message: string) => void,
): C {
  let keys = fileKeysFor(env, file)
  for (;;) {
    const overlay = Object.fromEntries(keys.map((k) => [k, file[k]]))
    try {
      return load({ ...env, ...overlay })
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      const bad = keys.filter((k) => err.problems.some((p) => problemKey(p) === k))
      if (bad.length === 0) throw err
      for (const k of bad) {
        const problem = err.problems.find((p) => problemKey(p) === k)
        warn(`settings file: ${k} ignored, its value is not valid (${problem?.slice(k.length + 1).trim()})`)
      }
      keys = keys.filter((k) => !bad.includes(k))
    }
  }
}

/** `KEY: message` or `KEY.0: message` (loadConfig's wording) → `KEY`. */
const problemKey = (problem: string) => /^([A-Za-z0-9_]+)[.:]/.exec(problem)?.[1]
