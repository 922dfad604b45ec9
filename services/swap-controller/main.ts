import { createPool } from '../../shared/http-client.ts'
import { originsOf, reportOutcomes } from '../../shared/outcomes/dispatcher.ts'
import { createSshPool } from '../../shared/ssh/pool.ts'
import { startService } from '../../shared/start.ts'
import { createClusterDriver } from './adapters/cluster-driver.ts'
import { earlierCatalogFiles, earlierFiles } from './adapters/earlier-catalog-files.ts'
import { createLogTail } from './adapters/log-tail.ts'
import { createModelDisk } from './adapters/model-disk.ts'
import { createNodeShell } from './adapters/node-shell.ts'
import { setUpServiceContainers } from './adapters/ops/containers-setup.ts'
import { createNodeCommands } from './adapters/ops/node-commands.ts'
import { createPatchDir } from './adapters/ops/patch-dir.ts'
import { setUpEarlierOps } from './adapters/ops/services-earlier-setup.ts'
import { createSwapActivity } from './adapters/ops/swap-activity.ts'
import { setUpSweeps } from './adapters/ops/sweep-setup.ts'
import { createPreflightProbes } from './adapters/preflight-probes.ts'
import { createRecipeDir, readRecipeText } from './adapters/recipe-dir.ts'
import { openSwapStore } from './adapters/store/store.ts'
import { createTelemetryPoller } from './adapters/telemetry-poller.ts'
import { createVllmClient } from './adapters/vllm-client.ts'
import { createVllmMetricsClient } from './adapters/vllm-metrics-client.ts'
import { createVllmProxy } from './adapters/vllm-proxy.ts'
import { createWebhookSender } from './adapters/webhook-sender.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadSwapControllerConfig, sshKeyPath } from './config.ts'
import { GB10_NODE_MEMORY_BYTES } from './domain/catalog/memory.ts'
import { createInflight } from './domain/chat/inflight.ts'
import { createCoordination } from './domain/coordination/service.ts'
import { buildInventory, sshTargets } from './domain/inventory.ts'
import { createDownloads } from './domain/models/downloads.ts'
import { withEarlierCards } from './domain/models/earlier-catalog.ts'
import { createModelService } from './domain/models/service.ts'
import { createPatchOps } from './domain/ops/patches/service.ts'
import { createSwapEngine } from './domain/swap/engine.ts'
import { cleanUpInterruptedSwap } from './domain/swap/startup-cleanup.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadSwapControllerConfig,
  build: async (config, kit) => {
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
    // Requests to vLLM (model lists, chat) are reported to the connectivity monitor; the swap's own
    // checks and the metrics poll are probes of a sort, and go unreported.
    const vllmOrigins = originsOf({ vllm: inventory.vllm.baseUrl })
    const vllm = createVllmClient({
      baseUrl: inventory.vllm.baseUrl,
      dispatcher: reportOutcomes(dispatcher, kit.outcomes, vllmOrigins),
    })
    const telemetry = createTelemetryPoller({
      inventory,
      ssh,
      cacheDir: config.MODEL_CACHE_DIR,
      vllm: config.DISABLED_SERVICES.includes('vllm')
        ? null
        : createVllmMetricsClient({ baseUrl: inventory.vllm.baseUrl, dispatcher }),
      intervalMs: config.TELEMETRY_INTERVAL_MS,
      historySize: config.TELEMETRY_HISTORY,
      logger: kit.logger.child({ component: 'telemetry' }),
    })
    const logTail = createLogTail({
      nodes: sshTargets(inventory).map((t) => t.name),
      ssh,
      container: inventory.vllm.container,
      replayLines: config.LOG_REPLAY_LINES,
      logger: kit.logger.child({ component: 'logs' }),
    })
    const store = await openSwapStore({
      dataDir: config.DATA_DIR,
      limits: { auditRows: config.AUDIT_MAX_ROWS },
    })
    // The receiver's address, secret and timeout are read at each send: the Settings page changes
    // them without a restart; with no address nothing is queued.
    const webhook = createWebhookSender({
      target: () => ({
        url: kit.settings.get('SWAP_WEBHOOK_URL'),
        secret: kit.settings.get('SWAP_WEBHOOK_SECRET'),
        timeoutMs: kit.settings.get('SWAP_WEBHOOK_TIMEOUT_MS'),
      }),
      outbox: store.outbox,
      logger: kit.logger,
    })
    webhook.start()
    kit.settings.onChange(() => webhook.notify())
    const coordination = createCoordination({ store, webhook })
    const recipes = createRecipeDir({ dir: config.RECIPES_DIR })
    // Chat streams run long: their own pool, with the chat budget as the idle timeout.
    const chatDispatcher = createPool({
      connectTimeoutMs: 3000,
      headersTimeoutMs: config.CHAT_TIMEOUT_MS,
      bodyTimeoutMs: config.CHAT_TIMEOUT_MS,
      connections: 256,
    })
    const inflight = createInflight()
    const swap = createSwapEngine({
      catalog: recipes,
      driver: createClusterDriver({
        ssh,
        vllmHost: inventory.vllm.host,
        dispatcher,
        verifyTimeoutMs: config.SWAP_VERIFY_TIMEOUT_S * 1000,
        readyTimeoutMs: config.SWAP_READY_TIMEOUT_S * 1000,
      }),
      coordination,
      loads: store.loads,
      loadedModels: (signal) => vllm.listModels(signal),
      subscribeLogs: (listener) => logTail.subscribe((e) => listener(e.node, e.line, Date.parse(e.at))),
      kickLogs: () => logTail.kick(),
      inventory,
      vllmPort: inventory.vllm.port,
      container: inventory.vllm.container,
      stopGraceS: config.SWAP_STOP_GRACE_S,
      fitPolicy: config.SWAP_FIT_POLICY,
      preflight: {
        probes: createPreflightProbes(ssh),
        localRecipe: (recipe) => readRecipeText(config.RECIPES_DIR, recipe.file),
        policy: config.SWAP_RECIPE_SYNC,
        cacheDir: config.MODEL_CACHE_DIR,
        nodes: inventory.nodes,
      },
      drain: async (signal) => {
        const { drained, left } = await inflight.drain(config.CHAT_DRAIN_TIMEOUT_MS, signal)
        if (!drained && !signal.aborted)
          kit.logger.warn({ left }, 'model stops with chat generations still running')
      },
    })
    const modelDisk = createModelDisk({
      ssh,
      nodes: inventory.nodes.flatMap((n) => (n.user ? [{ name: n.name, user: n.user }] : [])),
      cacheDir: config.MODEL_CACHE_DIR,
      tool: config.MODEL_DOWNLOAD_TOOL,
    })
    const earlierCatalog = earlierCatalogFiles(earlierFiles(config), kit.logger)
    const downloads = createDownloads({
      runner: modelDisk.runner,
      nodes: () => inventory.nodes.filter((n) => n.user).map((n) => n.name),
      audit: (entry) => coordination.recordAudit(entry),
      onFinished: () => modelDisk.invalidate(),
      timeoutMs: config.MODEL_DOWNLOAD_TIMEOUT_S * 1000,
      maxActive: config.MODEL_DOWNLOADS_MAX,
      journal: store.downloads,
      onJournalError: (err) =>
        kit.logger.warn({ reason: (err as Error).message }, 'download journal could not be written or read'),
    })
    const models = createModelService({
      recipes,
      disk: modelDisk,
      custom: withEarlierCards(store.customModels, earlierCatalog.cards),
      catalogNotes: earlierCatalog.problems,
      downloads,
      loadedModels: (signal) => vllm.listModels(signal),
      swapState: () => {
        const job = swap.state()
        return (
          job && {
            running: job.outcome === 'running',
            recipe: job.recipe,
            model: job.model,
            from_model: job.from_model,
            outcome: job.outcome,
          }
        )
      },
      holdSwaps: (reason) => swap.holdSwaps(reason),
      audit: (entry) => coordination.recordAudit(entry),
      nodeMemoryBytes: GB10_NODE_MEMORY_BYTES,
    })
    const ops = setUpServiceContainers(config, {
      inventory,
      runner: createNodeCommands({ ssh }),
      swaps: createSwapActivity({ engine: swap, nodes: inventory.nodes }),
      coordination,
      logger: kit.logger.child({ component: 'ops' }),
    })
    const earlierOps = setUpEarlierOps(config, {
      inventory,
      containers: ops.containers,
      swaps: ops.swaps,
      runner: createNodeCommands({ ssh }),
      audit: (entry) => coordination.recordAudit(entry),
      dispatcher,
    })
    // The container patches (patches/): checked and applied on the services' nodes, audited.
    const patches = createPatchOps({
      catalog: createPatchDir({ dir: config.PATCHES_DIR }),
      services: () => ops.containers.specs(),
      runner: createNodeCommands({ ssh }),
      swapActivity: ops.swaps,
      audit: (entry) => coordination.recordAudit(entry),
    })
    const sweeps = await setUpSweeps(config, {
      audit: (entry) => coordination.recordAudit(entry),
      logger: kit.logger.child({ component: 'sweep' }),
    })
    // A swap in flight is interrupted as soon as shutdown begins — not after the server has
    // drained, which is what held requests waited for — and its record and audit row are written
    // (within a bounded wait) before the store closes.
    kit.lifecycle.signal.addEventListener('abort', () => swap.close(), { once: true })
    const closeSwap = () => {
      swap.close()
      return Promise.race([swap.idle(), new Promise((r) => setTimeout(r, 2000).unref())])
    }
    const app = buildApp({
      config,
      inventory,
      ssh,
      vllm,
      logger: kit.logger,
      metrics: kit.metrics,
      shutdown: kit.lifecycle.signal,
      telemetry,
      logTail,
      coordination,
      catalog: {
        recipes,
        // Past loads from the swap records in SQLite (written by the swap engine).
        history: store.loads,
      },
      swap,
      models,
      sweep: sweeps.service,
      ops: ops.routes,
      earlierServices: earlierOps.services,
      nim: earlierOps.nim,
      patches,
      chat: {
        proxy: createVllmProxy({
          baseUrl: inventory.vllm.baseUrl,
          dispatcher: reportOutcomes(chatDispatcher, kit.outcomes, vllmOrigins),
          timeoutMs: config.CHAT_TIMEOUT_MS,
        }),
        inflight,
        waitDuringSwapMs: config.CHAT_WAIT_DURING_SWAP_MS,
        // vLLM still starting (a reboot, a start-up) is told apart from vLLM gone by its container.
        vllmContainerRunning: async (signal) => {
          const head = inventory.head && ssh.get(inventory.head.name)
          if (!head) return false
          const c = await createNodeShell(head).container(
            inventory.vllm.container,
            AbortSignal.any([signal, AbortSignal.timeout(3000)]),
          )
          return c?.running === true
        },
      },
    })
    telemetry.start()
    logTail.start()
    // In the background: start-up does not wait for a teardown that takes the stop's grace.
    void cleanUpInterruptedSwap({
      records: store.loads,
      loadedModels: (signal) => vllm.listModels(signal),
      engine: swap,
      audit: (entry) => coordination.recordAudit(entry),
      budgetMs: (config.SWAP_STOP_GRACE_S + config.SWAP_VERIFY_TIMEOUT_S) * 1000 + 30_000,
      signal: kit.lifecycle.signal,
    }).then(
      (result) => result.kind !== 'nothing' && kit.logger.info({ result }, 'start-up cleanup after a swap'),
      (err: Error) => kit.logger.warn({ reason: err.message }, 'start-up cleanup failed'),
    )
    return {
      app,
      onClose: [
        () => closeSwap(),
        () => downloads.close(),
        () => telemetry.stop(),
        () => logTail.stop(),
        () => ssh.close(),
        () => dispatcher.close(),
        () => chatDispatcher.destroy(),
        () => webhook.close(),
        () => sweeps.close(),
        () => ops.close(),
        () => store.close(),
      ],
    }
  },
})
