import { startService } from '../../shared/start.ts'
import { prepareMapStore } from './adapters/map-store.ts'
import { resolveMapKey } from './adapters/map-store-key.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadRedactionConfig } from './config.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadRedactionConfig,
  build: async (config, kit) => {
    // A problem here is reported by /ready (and logged), never a crash at start as before.
    const store = await prepareMapStore(config.REDACTION_MAP_DB)
    const fields = {
      mapDb: config.REDACTION_MAP_DB,
      state: store.state,
      detail: store.detail,
      key: config.REDACTION_MAP_KEY ? 'set' : 'insecure-dev',
    }
    resolveMapKey(config, kit.logger)
    if (store.state === 'up') kit.logger.info(fields, 'map store')
    else kit.logger.warn(fields, 'map store unusable')
    return {
      app: buildApp({ config, logger: kit.logger, metrics: kit.metrics, shutdown: kit.lifecycle.signal }),
    }
  },
})
