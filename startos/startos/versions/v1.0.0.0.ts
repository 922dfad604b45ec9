import { IMPOSSIBLE, VersionInfo } from '@start9labs/start-sdk'
import { sdk } from '../sdk'
import { setAsideEarlierMaps } from './earlier-maps'

/**
 * The first version of the TypeScript rewrite. Its `up` migration has no previous version in the
 * graph, so the SDK applies it to every version below 1.0.0:0: the earlier Python package (last
 * 0.27.0:0, same package id) updates to this one and keeps its `main` volume. Nothing in the
 * volume needs rewriting but the earlier redaction maps (set aside: earlier-maps.ts);
 * app_settings.json and connectivity.json keep their formats, and an SSH key already in ssh/ is
 * kept by init.
 */
export const v1_0_0_0 = VersionInfo.of({
  version: '1.0.0:0',
  releaseNotes: {
    en_US: `Spark Control 1.0 is a rewrite of the earlier version, now several small services started together: the gateway with the dashboard, model control, speech, embeddings and search, redaction, and the connectivity monitor. Each has its own health check on the service page.

What stays the same: the package id and the address apps use (port 9999), the HTTP API your apps call (same paths, fields and status codes), the dashboard settings (app_settings.json) and the connectivity log in your data.

Redaction maps: this version encrypts them with a key of its own and cannot read the earlier version's. The update renames the earlier map database to redaction_maps.earlier.db; text scrubbed before the update cannot be rehydrated after it, so finish those round trips first (earlier maps expired after 24 hours anyway).

What is new: any number of Sparks (head and workers) in Configure Sparks, a new SSH key on request, API keys and the dashboard password set from actions, upstream URLs, Qdrant and alert targets from actions, and re-applying the container patches on the Sparks with a preview first.

After updating from the earlier version: run Configure Sparks again (the Sparks are now a list with roles), then Show SSH public key and check that each Spark's authorized_keys holds it.`,
  },
  migrations: {
    up: async () => {
      await setAsideEarlierMaps(sdk.volumes.main.path)
    },
    down: IMPOSSIBLE,
  },
})
