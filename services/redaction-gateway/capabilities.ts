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
    built: ['POST /scrub', 'POST /rehydrate', 'POST /rehydrate/stream', 'GET /api/redaction/stats'],
    planned: [],
  },
  {
    // Up only with a cloud endpoint configured and answering (`cloud_chat`): off is `not_configured`.
    name: 'scrub_proxy',
    title: 'Scrub-proxy (cloud chat with PII scrubbed out and put back)',
    needs: ['map_store', 'cloud_chat'],
    built: ['POST /scrub-proxy/v1/chat/completions'],
    planned: [],
  },
] as const satisfies readonly Capability[]
