import type { T } from '@start9labs/start-sdk'
import { sdk } from '../sdk'

/**
 * Restarts Spark Control when it is running, so the services read what an action changed at
 * start (SDK: `sdk.restart`, which re-runs main); a stopped package reads it when next started.
 */
export async function restartIfRunning(effects: T.Effects): Promise<boolean> {
  const status = await effects.getStatus({})
  if (status?.desired.main !== 'running') return false
  await sdk.restart(effects)
  return true
}

/** The `main` volume as the package's own code sees it: the services' DATA_DIR. */
export const dataDir = () => sdk.volumes.main.path
