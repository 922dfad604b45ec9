/**
 * The settings a running service follows: its knobs marked live, each at its current value
 * (environment first, then the settings file, then the default). `apply` takes a fresh read of
 * the file and tells the listeners which knobs changed; an environment value never changes, and a
 * file value its schema refuses is ignored with a warning, leaving the default.
 */
import type { EnvSource } from '../config.ts'
import type { ServiceName } from '../topology.ts'
import type { SettingsValues } from './file.ts'
import type { Knob } from './knob.ts'
import { setInEnv } from './merge.ts'
import { type KnobName, type KnobValue, liveKnobsOf } from './registry.ts'

export type SettingsListener = (changed: readonly KnobName[]) => void

export interface LiveSettings {
  /** The knob's value now. Only knobs live in this service change after start. */
  get<K extends KnobName>(name: K): KnobValue<K>
  /** Called after the file changed one or more of this service's live knobs; returns the unsubscribe. */
  onChange(listener: SettingsListener): () => void
}

export interface LiveSettingsControl extends LiveSettings {
  /** A new read of the file: updates the live knobs and returns the ones that changed. */
  apply(file: SettingsValues): KnobName[]
}

interface Current {
  /** The text it was parsed from (undefined: the default), to tell a change from a re-save. */
  raw: string | undefined
  value: unknown
}

export function createLiveSettings(options: {
  service: ServiceName
  env: EnvSource
  file: SettingsValues
  warn: (message: string) => void
  knobs?: readonly Knob[]
}): LiveSettingsControl {
  const knobs = options.knobs ?? liveKnobsOf(options.service)
  const listeners = new Set<SettingsListener>()
  const current = new Map<string, Current>()

  function resolve(knob: Knob, file: SettingsValues): Current {
    const fromEnv = setInEnv(options.env, knob.name)
    const raw = fromEnv ? options.env[knob.name] : file[knob.name]
    if (raw !== undefined && raw.trim() !== '') {
      const parsed = knob.schema.safeParse(raw)
      if (parsed.success) return { raw, value: parsed.data }
      const where = fromEnv ? 'environment' : 'settings file'
      options.warn(`${where}: ${knob.name} ignored, ${parsed.error.issues[0]?.message ?? 'not valid'}`)
    }
    return { raw: undefined, value: knob.schema.parse(undefined) }
  }

  for (const knob of knobs) current.set(knob.name, resolve(knob, options.file))

  return {
    get<K extends KnobName>(name: K) {
      const found = current.get(name)
      if (!found) throw new TypeError(`${name} is not a live setting of ${options.service}`)
      return found.value as KnobValue<K>
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    apply(file) {
      const changed: KnobName[] = []
      for (const knob of knobs) {
        const next = resolve(knob, file)
        if (next.raw === current.get(knob.name)?.raw) continue
        current.set(knob.name, next)
        changed.push(knob.name as KnobName)
      }
      if (changed.length) for (const listener of listeners) listener(changed)
      return changed
    },
  }
}
