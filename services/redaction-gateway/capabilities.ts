/**
 * What redaction-gateway serves: nothing yet. The gateway already routes the earlier `/scrub` and
 * `/rehydrate` here; they answer 501 (`{"error": "not_implemented"}`) until their issue builds them
 * and moves them to `built` (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const REDACTION_CAPABILITIES = [
  {
    name: 'redaction',
    title: 'Redaction (scrub and rehydrate)',
    needs: ['map_store'],
    built: [],
    planned: ['POST /scrub', 'POST /rehydrate'],
  },
] as const satisfies readonly Capability[]
