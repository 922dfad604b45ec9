import type { AuditStore } from '../../shared/audit/store.ts'
import type { Logger } from '../../shared/logger.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness, type DependencyCheck, type DependencyReport } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import { cloudChatCheck } from './adapters/cloud-chat.ts'
import { mapStoreCheck } from './adapters/map-store.ts'
import { REDACTION_CAPABILITIES } from './capabilities.ts'
import type { RedactionConfig } from './config.ts'
import type { NameModel } from './domain/detect/llm-names-pass.ts'
import type { CloudChat } from './domain/proxy/ports.ts'
import { RULE_DETECTORS } from './domain/scrub/detectors.ts'
import { storeUnavailable } from './domain/scrub/errors.ts'
import type { ScrubOutput } from './domain/scrub/pipeline.ts'
import type { Detectors, TokenStore } from './domain/scrub/ports.ts'
import { countsOfScrub, type TypeCountStore } from './domain/stats/counts.ts'
import { mountAudit } from './routes/audit.ts'
import { mapRoutes } from './routes/maps.ts'
import { rehydrateRoutes } from './routes/rehydrate.ts'
import { REHYDRATE_STREAM_PATH, rehydrateStreamRoutes } from './routes/rehydrate-stream.ts'
import { scrubRoutes } from './routes/scrub.ts'
import { scrubProxyRoutes } from './routes/scrub-proxy.ts'
import { statsRoutes } from './routes/stats.ts'

export const SERVICE_NAME = 'redaction-gateway'

/** The local-LLM name pass and its readiness report (`local_llm`, never critical: rules_only works without it). */
export type LocalLlm = NameModel & { check(signal: AbortSignal): Promise<DependencyReport> }

export interface RedactionDeps {
  config: Pick<
    RedactionConfig,
    | 'SIMULATED_CLUSTER'
    | 'BODY_LIMIT_BYTES'
    | 'REDACTION_MAP_DB'
    | 'REDACTION_MAX_ITEMS'
    | 'REDACTION_MAX_ITEM_CHARS'
    | 'REDACTION_PROXY_NER'
    | 'REDACTION_CLOUD_MAX_IN_FLIGHT'
  >
  logger: Logger
  /** The opened map store; absent when it could not be opened (the routes answer 503, /ready says why). */
  store?: TokenStore
  /** Why the store could not be opened (main.ts); /ready then reports `map_store` down with it. */
  storeProblem?: string
  /** The local LLM for `ner: auto|qwen` (adapters/llm-ner.ts); absent, those answer 422 `ner_unavailable`. */
  localLlm?: LocalLlm
  /** The scrub-proxy's cloud endpoint (adapters/cloud-chat.ts); absent unless REDACTION_CLOUD_URL is set. */
  cloud?: CloudChat
  /** Counts per type over time (adapters/type-counts.ts); absent, `GET /api/redaction/stats` answers 503. */
  typeCounts?: TypeCountStore
  now?: () => Date
  /** Replaces the rule-based detectors (tests inject failing ones). */
  detectors?: Detectors
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Deletes one map (the map store's `delete`); absent, `DELETE /api/redaction/maps/{handle}` answers 503. */
  deleteMap?: (handle: string) => boolean
  /** The service's audit log (`kit.audit`): map deletions; absent, nothing is recorded. */
  audit?: AuditStore
}

export function buildApp(deps: RedactionDeps): ServiceApp {
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [storeCheck(deps), localLlmCheck(deps.localLlm), cloudChatCheck(deps.cloud)],
    capabilities: REDACTION_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
  })
  const app = createService({
    name: SERVICE_NAME,
    description: 'Scrubs PII from text before it leaves, and puts it back in the answers.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
    streamsTextBodiesAt: [REHYDRATE_STREAM_PATH],
  })
  const store = () => {
    if (!deps.store) throw storeUnavailable('see /ready for why')
    return deps.store
  }
  const limits = {
    maxItems: deps.config.REDACTION_MAX_ITEMS,
    maxItemChars: deps.config.REDACTION_MAX_ITEM_CHARS,
  }
  const detectors = deps.detectors ?? RULE_DETECTORS
  const now = deps.now ?? (() => new Date())
  const onScrubbed = (out: ScrubOutput) => deps.typeCounts?.record(now(), countsOfScrub(out))
  mountAudit(app, deps.audit)
  app.route('/', mapRoutes({ deleteMap: deps.deleteMap }))
  app.route('/', scrubRoutes({ detectors, store, limits, nameModel: deps.localLlm, onScrubbed }))
  app.route('/', statsRoutes({ counts: deps.typeCounts, now }))
  app.route('/', rehydrateRoutes({ store }))
  const maxBytes = deps.config.BODY_LIMIT_BYTES
  app.route('/', rehydrateStreamRoutes({ store, maxBytes }))
  app.route(
    '/',
    scrubProxyRoutes({
      ...{ detectors, store, limits, cloud: deps.cloud, nameModel: deps.localLlm, maxEventChars: maxBytes },
      ner: deps.config.REDACTION_PROXY_NER,
      maxInFlight: deps.config.REDACTION_CLOUD_MAX_IN_FLIGHT,
    }),
  )
  return app
}

/** The store's file checks, unless opening it already failed: then that failure, so /ready matches the routes. */
function storeCheck(deps: RedactionDeps): DependencyCheck {
  const files = mapStoreCheck(deps.config.REDACTION_MAP_DB)
  const problem = deps.storeProblem
  if (problem === undefined) return files
  return { ...files, check: async () => ({ state: 'down', detail: problem }) }
}

function localLlmCheck(llm: LocalLlm | undefined): DependencyCheck {
  const absent = async (): Promise<DependencyReport> => ({
    state: 'not_configured',
    detail: 'no local LLM client',
  })
  return { name: 'local_llm', check: llm ? (signal) => llm.check(signal) : absent }
}
