import { FileHelper, z } from '@start9labs/start-sdk'
import { sdk } from '../sdk'

/**
 * The package's own state in the `main` volume: the Spark nodes, which reach the services as
 * `SPARK_NODES` (env, so a change restarts them), and the redaction maps' key (made once at install,
 * never changed: maps written under it cannot be read with another). Everything else the actions set
 * lives where the product reads it (app_settings.json, api-keys.json, dashboard-password).
 */
const nodeShape = z.object({
  name: z.string(),
  host: z.string(),
  user: z.string(),
  ssh_port: z.number().int().catch(22),
  role: z.enum(['head', 'worker']),
})

const shape = z.object({
  nodes: z.array(nodeShape).catch([]),
  redactionMapKey: z.string().catch(''),
})

export const storeJson = FileHelper.json({ base: sdk.volumes.main, subpath: './store.json' }, shape)
