/**
 * The dashboard's view of the swap-controller, over HTTP with a deadline on every call. The gateway
 * reaches the controller directly (not through its own proxy), as the dashboard's actor; every
 * answer is checked against the controller's contract before a page sees it.
 */
import type { Agent } from 'undici'
import {
  auditHistorySchema,
  jobSchema,
  lockStateSchema,
  recentLogsSchema,
  startedSchema,
  stateSchema,
  swapModelList,
  telemetrySchema,
  validateSchema,
} from '../../../shared/contracts/swap-controller.ts'
import { type SwapSource, SwapSourceError } from '../../../ui/ports.ts'
import { type ControllerRequest, createControllerCall } from './controller-call.ts'

export interface SwapSourceOptions {
  baseUrl: string
  /** Reads (catalog, state, telemetry…); a fit check reads every node's memory over SSH. */
  timeoutMs?: number
  pool?: Agent
}

export function createSwapSource(options: SwapSourceOptions): SwapSource & { close(): Promise<void> } {
  const controller = createControllerCall(
    { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 8000, connections: 8, pool: options.pool },
    (r) => {
      const extra = typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {}
      return new SwapSourceError(r.status, r.message, extra)
    },
  )
  const call: typeof controller.call = (path, schema, signal, init: ControllerRequest = {}) =>
    controller.call(path, schema, signal, {
      ...init,
      body: init.body ?? (init.method === 'POST' ? {} : undefined),
    })

  return {
    catalog: (signal) => call('/api/swap/models?history=5', swapModelList, signal),
    validate: (recipe, signal) =>
      call(`/api/swap/${encodeURIComponent(recipe)}/validate`, validateSchema, signal, { method: 'POST' }),
    state: (signal) => call('/api/swap/state', stateSchema, signal),
    telemetry: (signal) => call('/api/swap/telemetry', telemetrySchema, signal),
    history: async (limit, signal, filter = {}) => {
      const query = new URLSearchParams({ limit: String(limit) })
      if (filter.actions?.length) query.set('action', filter.actions.join(','))
      if (filter.outcomes?.length) query.set('outcome', filter.outcomes.join(','))
      if (filter.dryRun !== undefined) query.set('dry_run', String(filter.dryRun))
      return (await call(`/api/swap/history?${query}`, auditHistorySchema, signal)).entries
    },
    recentLogs: async (tail, signal, node) => {
      const only = node === undefined ? '' : `&node=${encodeURIComponent(node)}`
      return (await call(`/api/swap/logs/recent?tail=${tail}${only}`, recentLogsSchema, signal)).lines
    },
    start: (recipe, actor, signal) =>
      call('/api/swap', startedSchema, signal, { method: 'POST', body: { recipe }, actor }),
    cancel: (actor, signal) => call('/api/swap/cancel', jobSchema, signal, { method: 'POST', actor }),
    lock: (signal) => call('/api/swap/lock', lockStateSchema, signal),
    forceReleaseLock: (actor, signal) =>
      call('/api/swap/lock?force=true', lockStateSchema, signal, { method: 'DELETE', actor }),
    close: () => controller.close(),
  }
}
