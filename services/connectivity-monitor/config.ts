import { baseConfig, type EnvSource, env, loadConfig } from '../../shared/config.ts'

export const DEFAULT_PORT = 9105

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** The earlier version's connectivity log, kept up to date for its readers. */
  CONNECTIVITY_LOG: env.string('./.data/connectivity.json'),
}

export type MonitorConfig = ReturnType<typeof loadMonitorConfig>
export const loadMonitorConfig = (source: EnvSource) => loadConfig(configShape, source)
