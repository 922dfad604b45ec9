import { join } from 'node:path'
import { baseConfig, type EnvSource, env, loadConfig } from '../../shared/config.ts'
import { SERVICES } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['redaction-gateway'].port
export const MAP_DB_FILE = 'redaction_maps.db'

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** The earlier version's map database; blank ⇒ `<DATA_DIR>/redaction_maps.db`. */
  REDACTION_MAP_DB: env.optionalString().refine((v) => v === undefined || !/[/\\]$|\0/.test(v), {
    message: 'expected a file path (it ends with a slash or contains a NUL byte)',
  }),
  /** Key for encrypting stored values (used by the map store in a later issue). */
  REDACTION_KEY: env.secret(),
  /** Upstream names to leave alone (case-insensitive); kept for the local-LLM NER pass to come. */
  DISABLED_SERVICES: env.nameSet(),
}

type RawConfig = ReturnType<typeof loadRaw>
export type RedactionConfig = Omit<RawConfig, 'REDACTION_MAP_DB'> & { REDACTION_MAP_DB: string }

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export function loadRedactionConfig(source: EnvSource): RedactionConfig {
  const raw = loadRaw(source)
  return { ...raw, REDACTION_MAP_DB: raw.REDACTION_MAP_DB ?? join(raw.DATA_DIR, MAP_DB_FILE) }
}
