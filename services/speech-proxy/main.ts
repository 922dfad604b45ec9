import { createPool } from '../../shared/http-client.ts'
import { startService } from '../../shared/start.ts'
import { displayUrl } from '../../shared/upstream-health.ts'
import { createSpeechUpstreams } from './adapters/upstreams.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadSpeechConfig } from './config.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadSpeechConfig,
  build: (config, kit) => {
    const pool = createPool()
    const upstreams = createSpeechUpstreams(config, pool)
    kit.logger.info(
      {
        parakeet: displayUrl(config.PARAKEET_URL),
        kokoro: displayUrl(config.KOKORO_URL),
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
