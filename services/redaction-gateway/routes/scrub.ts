/**
 * `POST /scrub`, the earlier contract the CRM calls: items in, placeholder text out, the values kept
 * encrypted under `map_handle` for `/rehydrate`. Logs carry counts and types, never values.
 * Under `ner: "auto" | "qwen"` the local-LLM name pass runs first; when it cannot,
 * the answer is 422 `ner_unavailable` and nothing is scrubbed or stored.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Logger } from '../../../shared/logger.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import { descriptiveFlags } from '../domain/detect/descriptive.ts'
import { findLlmNames, type NameModel, NerUnavailableError } from '../domain/detect/llm-names-pass.ts'
import type { Detection } from '../domain/detect/types.ts'
import { mapGone, mapNotFound, nerUnavailable, tooLarge } from '../domain/scrub/errors.ts'
import { type ScrubDeps, type ScrubOutput, scrub } from '../domain/scrub/pipeline.ts'
import { createRedactionRouter } from './redaction-request.ts'
import { CodeError, NerUnavailable, ScrubRequest, ScrubResponse, Tier1Rejected } from './redaction-schemas.ts'

export type ScrubRouteDeps = Omit<ScrubDeps, 'store'> & {
  store: () => ScrubDeps['store']
  /** The local LLM for `ner: auto|qwen`; without it those answer 422 `ner_unavailable`. */
  nameModel?: NameModel
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
    'value keeps its token across calls. `ner: "auto"` (the default) and `"qwen"` add a name pass by ' +
    "the cluster's own chat model (never a cloud service): the model currently served, or for " +
    '`"qwen"` a served Qwen model. When that pass cannot run (no model loaded, a switch under way, ' +
    'unreachable, too slow, an answer outside the schema) the answer is 422 `ner_unavailable` with a ' +
    '`reason`, and nothing is scrubbed or stored; `"rules_only"` uses the rule-based detectors alone.',
  request: { body: jsonBody(ScrubRequest) },
  responses: {
    200: jsonContent('The scrubbed items and the map they were scrubbed into', ScrubResponse),
    400: jsonContent('The body is not JSON or a field is invalid', CodeError),
    404: jsonContent('`map_handle` names no map', CodeError),
    410: jsonContent('`map_handle` names an expired map', CodeError),
    413: jsonContent('Too many items, or an item over the size limit', CodeError),
    422: jsonContent(
      'Tier-1 data under `reject` (`tier1_detected`, kinds only), or `ner_unavailable` (with `reason`)',
      z.union([Tier1Rejected, NerUnavailable]),
    ),
    503: jsonContent('The map store is not open', CodeError),
  },
})

export function scrubRoutes(deps: ScrubRouteDeps): ServiceApp {
  const app = createRedactionRouter('/scrub')
  app.openapi(route, async (c) => {
    const body = c.req.valid('json')
    const modelNames = await modelNamesFor(body, deps, c.req.raw.signal, c.var.log)
    const out = scrub(
      {
        taskId: body.task_id,
        items: body.items,
        knownEntities: body.known_entities,
        tier1Action: body.tier1_action,
        bucket: body.bucket,
        ner: body.ner,
        mapHandle: body.map_handle,
        modelNames,
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
          descriptive_flags: out.items.flatMap((i) =>
            descriptiveFlags(i.scrubbedText).map((f) => ({ item: i.id, ...f })),
          ),
        },
        expires_at: out.expiresAt.toISOString(),
      },
      200,
    )
  })
  return app
}

type ScrubBody = z.infer<typeof ScrubRequest>

/**
 * The local-LLM pass's names per item (`ner: auto|qwen`), or undefined under `rules_only`. A request
 * that will be refused anyway (over the limits, an unknown or expired map, no store) is refused
 * before any text goes to the model.
 */
async function modelNamesFor(
  body: ScrubBody,
  deps: ScrubRouteDeps,
  signal: AbortSignal,
  log: Logger,
): Promise<Detection[][] | undefined> {
  if (body.ner === 'rules_only') return undefined
  refuseEarly(body, deps)
  if (!deps.nameModel) throw nerUnavailable('disabled', 'no local LLM is configured')
  const started = performance.now()
  try {
    const names = await findLlmNames(body.items, body.ner, deps.nameModel, signal)
    const ms = Math.round(performance.now() - started)
    log.info({ ner: body.ner, ms, names: names.reduce((n, d) => n + d.length, 0) }, 'local-LLM name pass')
    return names
  } catch (err) {
    if (!(err instanceof NerUnavailableError)) throw err
    log.warn({ ner: body.ner, reason: err.reason, detail: err.message }, 'local-LLM name pass unavailable')
    throw nerUnavailable(err.reason, err.message)
  }
}

function refuseEarly(body: ScrubBody, deps: ScrubRouteDeps) {
  const { maxItems, maxItemChars } = deps.limits
  if (body.items.length > maxItems)
    throw tooLarge(`${body.items.length} items is over the limit of ${maxItems}`)
  const long = body.items.find((item) => item.text.length > maxItemChars)
  if (long) throw tooLarge(`item ${JSON.stringify(long.id)} is over the limit of ${maxItemChars} characters`)
  const store = deps.store() // throws the 503 when the store is not open
  if (!body.map_handle) return
  const state = store.status(body.map_handle)
  if (state === 'unknown') throw mapNotFound()
  if (state === 'expired') throw mapGone()
}
