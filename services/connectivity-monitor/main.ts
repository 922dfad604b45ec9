/**
 * The connectivity monitor: targets from the configuration, the probes, the history database and
 * the earlier connectivity.json, maintenance (owner windows and the swap watch), alerts, and the
 * engine that drives them. The database failing to open does not stop the monitor (see
 * domain/engine/fallbacks.ts); everything is stopped in order on shutdown.
 */
import type { Logger } from '../../shared/logger.ts'
import { startService } from '../../shared/start.ts'
import { alertSenders } from './adapters/alert-senders.ts'
import { createConnectivityFile } from './adapters/connectivity-file.ts'
import { openHistory } from './adapters/history-store.ts'
import { openMaintenanceStore } from './adapters/maintenance-store.ts'
import { createProbeAgent, createProbes, probeSettings } from './adapters/probes/index.ts'
import { watchSwaps } from './adapters/swap-watch.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadMonitorConfig, type MonitorConfig } from './config.ts'
import { createAlerter } from './domain/alerts/alerter.ts'
import { createClassifier } from './domain/classify/classifier.ts'
import { classifierPolicy } from './domain/classify/policy.ts'
import { createMonitorEngine } from './domain/engine/engine.ts'
import { memoryMaintenanceStore, unavailableHistory } from './domain/engine/fallbacks.ts'
import { addressOf } from './domain/engine/view.ts'
import { createMaintenance } from './domain/maintenance/maintenance.ts'
import type { History } from './domain/ports.ts'
import { createProbeBudget } from './domain/schedule/budget.ts'
import { probeDelay, scheduleSettings } from './domain/schedule/delay.ts'
import { buildTargets } from './domain/targets/build.ts'

async function historyOrReason(config: MonitorConfig, logger: Logger): Promise<History> {
  try {
    return await openHistory({
      path: config.MONITOR_DB,
      retentionDays: config.MONITOR_RETENTION_DAYS,
      logger,
    })
  } catch (err) {
    logger.error(
      { path: config.MONITOR_DB, err: (err as Error).message },
      'history database could not be opened',
    )
    return unavailableHistory((err as Error).message)
  }
}

async function maintenanceStoreOf(config: MonitorConfig, logger: Logger) {
  try {
    return await openMaintenanceStore(config.MONITOR_DB)
  } catch (err) {
    logger.error(
      { err: (err as Error).message },
      'maintenance windows kept in memory only: the database could not be opened',
    )
    return { ...memoryMaintenanceStore(), close: () => undefined }
  }
}

await startService({
  name: SERVICE_NAME,
  loadConfig: loadMonitorConfig,
  // The lag metric sampled once a second instead of every 10 ms: the monitor's CPU goal is 2 % of a
  // core, and that timer alone was about a tenth of it (bench/README.md, monitor section).
  eventLoopPrecisionMs: 1000,
  build: async (config, kit) => {
    const { logger } = kit
    const clock = { now: () => Date.now() }
    const { targets, warnings } = buildTargets(config)
    for (const warning of warnings) logger.warn(warning)
    logger.info(
      {
        targets: targets.map((t) => ({
          id: t.id,
          kind: t.kind,
          host: t.host,
          address: addressOf(t),
          disabled: t.disabled,
        })),
        probing: config.MONITOR_PROBING,
      },
      'targets',
    )
    const history = await historyOrReason(config, logger)
    const connectivityLog = createConnectivityFile({
      path: config.CONNECTIVITY_LOG,
      maxEvents: config.CONNECTIVITY_LOG_EVENTS,
      logger,
    })
    const store = await maintenanceStoreOf(config, logger)
    const maintenance = createMaintenance({ store })
    const alerter = createAlerter({
      ...{ config, senders: alertSenders(config), clock, logger, maintenance },
      markAlerted: (id) => history.markAlerted(id),
    })
    const agent = createProbeAgent({ tcpTimeoutMs: config.MONITOR_TCP_TIMEOUT_MS })
    const probes = createProbes({ ...probeSettings(config, targets), dispatcher: agent, clock })
    const schedule = scheduleSettings(config)
    const policy = classifierPolicy(config)
    const engine = createMonitorEngine({
      targets,
      classifierFor: (target, now) => createClassifier(target, policy, now),
      probes,
      probeDelay: (layer, mode) => probeDelay(layer, mode, schedule, Math.random),
      budget: createProbeBudget({ perSecond: config.MONITOR_PROBE_BUDGET_PER_S }, clock.now()),
      ...{ history, connectivityLog, maintenance, alerter, clock, logger },
      random: Math.random,
      probing: config.MONITOR_PROBING,
      slotMs: config.MONITOR_SLOT_MS,
      httpOverdueMs: config.MONITOR_HTTP_SLOW_MS,
      hangSuspicion:
        config.MONITOR_HANG_SUSPECT_MS > 0
          ? {
              floorMs: config.MONITOR_HANG_SUSPECT_MS,
              factor: config.MONITOR_HANG_FACTOR,
              timeoutMs: config.MONITOR_HTTP_TIMEOUT_MS,
            }
          : undefined,
    })
    const swaps = watchSwaps({ url: config.serviceUrls['swap-controller'], maintenance, logger })
    engine.start()
    return {
      app: buildApp({
        ...{ config, logger, engine, history, maintenance, clock },
        metrics: kit.metrics,
        shutdown: kit.lifecycle.signal,
        audit: kit.audit,
      }),
      onClose: [
        () => engine.stop(),
        () => swaps.stop(),
        () => alerter.close(),
        () => connectivityLog.flush(),
        () => history.close(),
        () => store.close(),
        () => probes.close(),
        () => agent.close(),
      ],
    }
  },
})
