/**
 * `POST /scrub`, the earlier contract the CRM calls: items in, placeholder text out, the values kept
 * encrypted under `map_handle` for `/rehydrate`. Logs carry counts and types, never values.
 */
import { createRoute } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import { type ScrubDeps, type ScrubOutput, scrub } from '../domain/scrub/pipeline.ts'
import { createRedactionRouter } from './redaction-request.ts'
import { CodeError, ScrubRequest, ScrubResponse, Tier1Rejected } from './redaction-schemas.ts'

export type ScrubRouteDeps = Omit<ScrubDeps, 'store'> & {
  store: () => ScrubDeps['store']
  /** Told of every answered scrub (the counts per type over time); it must not throw. */
  onScrubbed?: (out: ScrubOutput) => void
}

const route = createRoute({
  method: 'post',
  path: '/scrub',
  summary: 'Replace PII with [TYPE_N] placeholders (the earlier redaction contract)',
  description:
    'Tier-1 data (account, routing and card numbers, SSNs, ids, IBAN/SWIFT, private keys, seed ' +
    'phrases, API secrets) is replaced by `[REDACTED]` (`tier1_action: "drop"`) or refused ' +
    '(`"reject"`); it is never tokenised or stored. Passing `map_handle` extends that map, so a ' +
    'value keeps its token across calls. `ner: "auto" | "qwen"` needs the local-LLM pass, which is ' +
    'not built yet: 422 `ner_unavailable`; send `"rules_only"`.',
  request: { body: jsonBody(ScrubRequest) },
  responses: {
    200: jsonContent('The scrubbed items and the map they were scrubbed into', ScrubResponse),
    400: jsonContent('The body is not JSON or a field is invalid', CodeError),
    404: jsonContent('`map_handle` names no map', CodeError),
    410: jsonContent('`map_handle` names an expired map', CodeError),
    413: jsonContent('Too many items, or an item over the size limit', CodeError),
    422: jsonContent(
      'Tier-1 data under `reject` (`tier1_detected`, kinds only), or `ner_unavailable`',
      Tier1Rejected,
    ),
    503: jsonContent('The map store is not open', CodeError),
  },
})

export function scrubRoutes(deps: ScrubRouteDeps): ServiceApp {
  const app = createRedactionRouter('/scrub')
  app.openapi(route, (c) => {
    const body = c.req.valid('json')
    const out = scrub(
      {
        taskId: body.task_id,
        items: body.items,
        knownEntities: body.known_entities,
        tier1Action: body.tier1_action,
        bucket: body.bucket,
        ner: body.ner,
        mapHandle: body.map_handle,
      },
      { ...deps, store: deps.store() },
    )
    c.var.log.info(
      {
        items: out.items.length,
        tier1Dropped: out.tier1Dropped,
        types: out.typeCounts,
        extended: !!body.map_handle,
      },
      'scrubbed',
    )
    deps.onScrubbed?.(out)
    return c.json(
      {
        task_id: body.task_id,
        map_handle: out.mapHandle,
        items: out.items.map((i) => ({
          id: i.id,
          scrubbed_text: i.scrubbedText,
          tokens_used: i.tokensUsed,
        })),
        stats: {
          tier1_dropped: out.tier1Dropped,
          tier2_tokenized: out.tier2Tokenized,
          distinct_entities: out.distinctEntities,
          descriptive_flags: [],
        },
        expires_at: out.expiresAt.toISOString(),
      },
      200,
    )
  })
  return app
}
