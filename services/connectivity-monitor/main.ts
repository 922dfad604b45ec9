import { startService } from '../../shared/start.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadMonitorConfig } from './config.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadMonitorConfig,
  build: (config, kit) => ({
    app: buildApp({ config, logger: kit.logger, metrics: kit.metrics, shutdown: kit.lifecycle.signal }),
  }),
})
