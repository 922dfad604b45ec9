/** OpenAPI shapes of `/scrub` and `/rehydrate`: the contract in shared/contracts/redaction-gateway.ts. */
import { z } from '@hono/zod-openapi'

export {
  NerUnavailable,
  RehydrateRequest,
  RehydrateResponse,
  ScrubRequest,
  ScrubResponse,
  Tier1Rejected,
} from '../../../shared/contracts/redaction-gateway.ts'

/** The earlier gateway's error body: `error` is the code a client branches on. */
export const CodeError = z
  .object({ error: z.string(), detail: z.string().optional() })
  .openapi('RedactionError')
