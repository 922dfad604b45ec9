/**
 * What redaction-gateway serves: the earlier `/scrub` and `/rehydrate`, over the encrypted map store
 * (`map_store` in /ready: the capability is up only while the store is).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const REDACTION_CAPABILITIES = [
  {
    name: 'redaction',
    title: 'Redaction (scrub and rehydrate)',
    needs: ['map_store'],
    built: ['POST /scrub', 'POST /rehydrate', 'GET /api/redaction/stats'],
    planned: [],
  },
] as const satisfies readonly Capability[]
