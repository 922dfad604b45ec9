/**
 * The concurrency sweep as main.ts wires it: the saved results in the swap-controller's database,
 * one HTTP pool for the sweep's requests (apart from every other call: a sweep fills it), the
 * backends' URLs from the config, and the service that runs one sweep at a time.
 */
import { createPool } from '../../../../shared/http-client.ts'
import type { Logger } from '../../../../shared/logger.ts'
import type { SwapControllerConfig } from '../../config.ts'
import type { AuditInput } from '../../domain/coordination/ports.ts'
import { systemClock } from '../../domain/ops/sweep/clock.ts'
import { createSweepService, type SweepService } from '../../domain/ops/sweep/service.ts'
import { createSweepHttpBackend } from './sweep-http.ts'
import { openSweepStore } from './sweep-store.ts'
import { sweepTargetUrl } from './sweep-targets.ts'

/** A work request's budget: a transcription or a synthesis that takes longer is counted failed. */
const REQUEST_TIMEOUT_MS = 120_000

type SweepConfig = Parameters<typeof sweepTargetUrl>[0] &
  Pick<SwapControllerConfig, 'DATA_DIR' | 'SIMULATED_CLUSTER' | 'SWEEP_CELL_S' | 'SWEEP_WARMUP_S'>

export async function setUpSweeps(
  config: SweepConfig,
  deps: { audit(entry: AuditInput): void; logger: Logger },
): Promise<{ service: SweepService; close(): Promise<void> }> {
  const store = await openSweepStore({ dataDir: config.DATA_DIR })
  const dispatcher = createPool({
    connectTimeoutMs: 3000,
    headersTimeoutMs: REQUEST_TIMEOUT_MS,
    bodyTimeoutMs: REQUEST_TIMEOUT_MS,
  })
  const service = createSweepService({
    store,
    backendFor(target) {
      const url = sweepTargetUrl(config, target)
      if (!url) return null
      return {
        url,
        backend: createSweepHttpBackend({ target, url, dispatcher, timeoutMs: REQUEST_TIMEOUT_MS }),
      }
    },
    simulated: config.SIMULATED_CLUSTER,
    audit: deps.audit,
    clock: systemClock,
    cellS: config.SWEEP_CELL_S,
    warmupS: config.SWEEP_WARMUP_S,
    onError: (err) => deps.logger.warn({ reason: err.message }, 'a sweep could not be saved or audited'),
  })
  return {
    service,
    async close() {
      await service.close()
      await dispatcher.close()
      store.close()
    },
  }
}
