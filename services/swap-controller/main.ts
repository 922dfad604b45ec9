import { createPool } from '../../shared/http-client.ts'
import { createSshPool } from '../../shared/ssh/pool.ts'
import { startService } from '../../shared/start.ts'
import { createVllmClient } from './adapters/vllm-client.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadSwapControllerConfig, sshKeyPath } from './config.ts'
import { buildInventory, sshTargets } from './domain/inventory.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadSwapControllerConfig,
  build: (config, kit) => {
    const inventory = buildInventory(config)
    for (const warning of inventory.warnings) kit.logger.warn({ source: inventory.source }, warning)
    const ssh = createSshPool({
      targets: sshTargets(inventory),
      keyPath: sshKeyPath(config),
      knownHostsPath: config.SSH_KNOWN_HOSTS,
      strictHostKeys: config.SSH_STRICT_HOST_KEYS,
      logger: kit.logger.child({ component: 'ssh' }),
    })
    const dispatcher = createPool({ connectTimeoutMs: 3000 })
    const vllm = createVllmClient({ baseUrl: inventory.vllm.baseUrl, dispatcher })
    const app = buildApp({
      config,
      inventory,
      ssh,
      vllm,
      logger: kit.logger,
      metrics: kit.metrics,
      shutdown: kit.lifecycle.signal,
    })
    return { app, onClose: [() => ssh.close(), () => dispatcher.close()] }
  },
})
