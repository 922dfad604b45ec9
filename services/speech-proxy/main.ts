import { originsOf } from '../../shared/outcomes/dispatcher.ts'
import { startUpstreamService } from '../../shared/start.ts'
import { displayUrl } from '../../shared/upstream-health.ts'
import { createSpeechUpstreams } from './adapters/upstreams.ts'
import { buildWithAdmission, followLaneSettings, SERVICE_NAME } from './app.ts'
import { loadSpeechConfig } from './config.ts'

await startUpstreamService({
  name: SERVICE_NAME,
  loadConfig: loadSpeechConfig,
  upstreams: createSpeechUpstreams,
  reported: (config) => originsOf({ parakeet: config.PARAKEET_URL, kokoro: config.KOKORO_URL }),
  describe: (config) => ({
    parakeet: displayUrl(config.PARAKEET_URL),
    kokoro: displayUrl(config.KOKORO_URL),
    disabled: [...config.DISABLED_SERVICES],
  }),
  buildApp: (deps) => {
    const { app, admission } = buildWithAdmission(deps)
    followLaneSettings(admission, deps.settings)
    return app
  },
})
