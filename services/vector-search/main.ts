import { getGlobalDispatcher } from 'undici'
import { originsOf, reportOutcomes } from '../../shared/outcomes/dispatcher.ts'
import { startUpstreamService } from '../../shared/start.ts'
import { displayUrl } from '../../shared/upstream-health.ts'
import { createEmbedModels } from './adapters/embedder-from-config.ts'
import { earlierQdrantFrom } from './adapters/search-earlier-qdrant.ts'
import { selectStore } from './adapters/store-selection.ts'
import { createVectorUpstreams } from './adapters/upstreams.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadVectorConfig } from './config.ts'

await startUpstreamService({
  name: SERVICE_NAME,
  loadConfig: loadVectorConfig,
  upstreams: createVectorUpstreams,
  // The API key is never logged; only whether one is set.
  describe: (config) => ({
    embeddings: displayUrl(config.EMBED_URL),
    embedApi: config.EMBED_API,
    rerankApi: config.RERANK_API,
    qdrant: displayUrl(config.QDRANT_URL) ?? 'embedded store',
    qdrantApiKey: config.QDRANT_API_KEY ? 'set' : 'unset',
    disabled: [...config.DISABLED_SERVICES],
  }),
  // The embeddings server's clients use undici's global pool: every call carries its own timeout.
  // Their requests, and Qdrant's, are reported to the connectivity monitor.
  buildApp: (deps) => {
    const { config, outcomes } = deps
    const origins = originsOf({ embeddings: config.EMBED_URL, qdrant: config.QDRANT_URL })
    const reported = reportOutcomes(getGlobalDispatcher(), outcomes, origins)
    return buildApp({
      ...deps,
      ...createEmbedModels(config, reported),
      store: selectStore(config, deps.shutdown, outcomes),
      earlierQdrant: earlierQdrantFrom(config, reported),
    })
  },
})
