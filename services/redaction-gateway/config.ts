import { join } from 'node:path'
import { baseConfig, env, type EnvSource, loadConfig } from '../../shared/config.ts'
import { SERVICES } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['redaction-gateway'].port
export const MAP_DB_FILE = 'redaction_maps.db'

/**
 * Holds a secret so that logging, serialising or inspecting the configuration never shows it;
 * the one reader calls `reveal()` where the value is used.
 */
export class Secret {
  readonly #value: string
  constructor(value: string) {
    this.#value = value
  }
  reveal(): string {
    return this.#value
  }
  toJSON() {
    return '[redacted]'
  }
  toString() {
    return '[redacted]'
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return 'Secret([redacted])'
  }
  [Symbol.for('Deno.customInspect')]() {
    return 'Secret([redacted])'
  }
}

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** The earlier version's map database; blank ⇒ `<DATA_DIR>/redaction_maps.db`. */
  REDACTION_MAP_DB: env.optionalString().refine((v) => v === undefined || !/[/\\]$|\0/.test(v), {
    message: 'expected a file path (it ends with a slash or contains a NUL byte)',
  }),
  /** Key for encrypting stored values (used by the map store in a later issue). */
  REDACTION_KEY: env.optionalString().transform((v) => (v === undefined ? undefined : new Secret(v))),
  /** Upstream names to leave alone (case-insensitive); kept for the local-LLM NER pass to come. */
  DISABLED_SERVICES: env.list().transform((names) => new Set(names.map((n) => n.toLowerCase()))),
}

type RawConfig = ReturnType<typeof loadRaw>
export type RedactionConfig = Omit<RawConfig, 'REDACTION_MAP_DB'> & { REDACTION_MAP_DB: string }

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export function loadRedactionConfig(source: EnvSource): RedactionConfig {
  const raw = loadRaw(source)
  return { ...raw, REDACTION_MAP_DB: raw.REDACTION_MAP_DB ?? join(raw.DATA_DIR, MAP_DB_FILE) }
}
