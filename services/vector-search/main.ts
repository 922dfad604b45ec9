import { createPool } from '../../shared/http-client.ts'
import { startService } from '../../shared/start.ts'
import { displayUrl } from '../../shared/upstream-health.ts'
import { createVectorUpstreams } from './adapters/upstreams.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadVectorConfig } from './config.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadVectorConfig,
  build: (config, kit) => {
    const pool = createPool()
    const upstreams = createVectorUpstreams(config, pool)
    // The API key is never logged; only whether one is set.
    kit.logger.info(
      {
        embeddings: displayUrl(config.EMBED_URL),
        qdrant: displayUrl(config.QDRANT_URL) ?? 'embedded store',
        qdrantApiKey: config.QDRANT_API_KEY ? 'set' : 'unset',
        disabled: [...config.DISABLED_SERVICES],
      },
      'upstreams',
    )
    return {
      app: buildApp({
        config,
        logger: kit.logger,
        metrics: kit.metrics,
        shutdown: kit.lifecycle.signal,
        upstreams,
      }),
      onClose: [() => pool.close()],
    }
  },
})
