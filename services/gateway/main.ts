import { withBudget } from '../../shared/abort.ts'
import { keysFilePath } from '../../shared/auth/store.ts'
import { processEnv } from '../../shared/config.ts'
import { settingsFilePath } from '../../shared/settings/file.ts'
import { startService } from '../../shared/start.ts'
import { buildDashboard } from '../../ui/app.tsx'
import { openGatewayAuth } from './adapters/api-keys.ts'
import { createAuditSource } from './adapters/audit-source.ts'
import { auditedSettings } from './adapters/audited-settings.ts'
import { createBackendReader } from './adapters/backend-reader.ts'
import { openKeyUsage, usageFilePath } from './adapters/key-usage.ts'
import { createKeysAdmin, mayManageKeys } from './adapters/keys-admin.ts'
import { createModelsSource } from './adapters/models-source.ts'
import { createMonitorSource } from './adapters/monitor-source.ts'
import { createOpsSource } from './adapters/ops-source.ts'
import { createRedactionSource } from './adapters/redaction-source.ts'
import { createSearchSource } from './adapters/search-source.ts'
import { createServiceProbe, createStatusSource } from './adapters/service-probe.ts'
import { createSettingsStore } from './adapters/settings-store.ts'
import { createSpeechSource } from './adapters/speech-source.ts'
import { createSwapSource } from './adapters/swap-source.ts'
import { buildGateway, SERVICE_NAME } from './app.ts'
import { backendUrls, loadGatewayConfig } from './config.ts'
import { createRateLimiter } from './domain/rate-limit.ts'
import { createUpstreamProxy } from './proxy/upstream.ts'
import { openDashboardLogin } from './routes/login-setup.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadGatewayConfig,
  publicEntrance: true,
  build: async (config, kit) => {
    const urls = backendUrls(config)
    const proxy = createUpstreamProxy({
      urls,
      connectTimeoutMs: config.PROXY_CONNECT_TIMEOUT_MS,
      connections: config.PROXY_CONNECTIONS,
      retryAfterS: config.RETRY_AFTER_S,
      onBrokenStream: (info) => kit.logger.warn(info, 'backend stream broke mid-response'),
      shutdown: kit.lifecycle.signal,
      outcomes: kit.outcomes,
    })
    const reader = createBackendReader({ urls, timeoutMs: config.STATUS_PROBE_TIMEOUT_MS })
    // DISABLED_SERVICES follows the Settings page: one list, changed in place, read by every part.
    const disabled = [...kit.settings.get('DISABLED_SERVICES')]
    kit.settings.onChange(() => disabled.splice(0, disabled.length, ...kit.settings.get('DISABLED_SERVICES')))
    const env = processEnv()
    // Each save is audited with the names of the keys it changed, never their values.
    const settings = auditedSettings(
      createSettingsStore({
        path: settingsFilePath(env),
        env,
        logger: kit.logger,
        onSaved: kit.settings.reload,
      }),
      kit.audit,
    )
    const auditView = createAuditSource({
      urls,
      own: kit.audit,
      disabled,
      timeoutMs: config.STATUS_PROBE_TIMEOUT_MS,
    })
    const probe = createServiceProbe({ reader, urls, disabled, cacheMs: config.STATUS_CACHE_MS })
    const swap = createSwapSource({ baseUrl: urls['swap-controller'] })
    // The status waits for the swap state no longer than for a probe.
    const swapJob = async (signal?: AbortSignal) =>
      (await swap.state(withBudget(signal, config.STATUS_PROBE_TIMEOUT_MS))).job
    const statusOptions = { disabled, simulated: config.SIMULATED_CLUSTER }
    const getStatus = createStatusSource(probe, statusOptions, undefined, swapJob)
    const models = createModelsSource({ baseUrl: urls['swap-controller'] })
    const speech = createSpeechSource({ baseUrl: urls['speech-proxy'] })
    const redaction = createRedactionSource({ baseUrl: urls['redaction-gateway'] })
    const search = createSearchSource({ baseUrl: urls['vector-search'] })
    const monitor = createMonitorSource({ baseUrl: urls['connectivity-monitor'] })
    const ops = createOpsSource({ baseUrl: urls['swap-controller'] })
    // Key usage is counted in memory where a key is accepted and written beside the key file now and then.
    const usage = await openKeyUsage({
      path: usageFilePath(keysFilePath(config)),
      onError: (err) => kit.logger.warn({ reason: err.message }, 'API key usage file not read or written'),
    })
    const auth = await openGatewayAuth(config, kit.logger, usage.note)
    const keys = createKeysAdmin({ path: keysFilePath(config), usage, audit: kit.audit, logger: kit.logger })
    const login = await openDashboardLogin(config, kit.logger, kit.audit)
    const dashboard = buildDashboard({
      getStatus,
      swap,
      models,
      speech,
      redaction,
      search,
      monitor,
      ops,
      settings,
      keys: { ...keys, mayManage: mayManageKeys(auth) },
      audit: auditView,
      simulated: config.SIMULATED_CLUSTER,
      logger: kit.logger,
      shutdown: kit.lifecycle.signal,
      // The banner says control routes are open to anyone; not so once they need an admin key.
      controlsOpen: !config.API_KEY_GROUPS.includes('admin') && login.passwordHash === null,
    })
    const { app, nodeHandler } = buildGateway({
      config: { ...config, DISABLED_SERVICES: disabled },
      logger: kit.logger,
      metrics: kit.metrics,
      shutdown: kit.lifecycle.signal,
      proxy,
      reader,
      probe,
      swapJob,
      dashboard,
      auth,
      settings,
      login,
      audit: kit.audit,
      auditView,
      keys,
      limiter: createRateLimiter(config),
    })
    return {
      app,
      nodeHandler: config.PROXY_NODE_FAST_PATH ? nodeHandler : undefined,
      onClose: [
        () => proxy.close(),
        () => reader.close(),
        () => swap.close(),
        () => models.close(),
        () => ops.close(),
        () => auth?.close(),
        () => usage.close(),
      ],
    }
  },
})
