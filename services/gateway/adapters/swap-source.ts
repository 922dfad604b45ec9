/**
 * The dashboard's view of the swap-controller, over HTTP with a deadline on every call. The gateway
 * reaches the controller directly (not through its own proxy), as the dashboard's actor.
 */
import type { Agent } from 'undici'
import {
  type AuditEntry,
  type CatalogList,
  type JobView,
  type LockView,
  type LogLine,
  type SwapSource,
  SwapSourceError,
  type SwapStateView,
  type TelemetryView,
  type ValidateAnswer,
} from '../../../ui/swap/source.ts'
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
  const call = <T>(path: string, signal?: AbortSignal, init: ControllerRequest = {}) =>
    controller.call<T>(path, signal, {
      ...init,
      body: init.body ?? (init.method === 'POST' ? {} : undefined),
    })

  return {
    catalog: (signal) => call<CatalogList>('/api/swap/models?history=5', signal),
    validate: (recipe, signal) =>
      call<ValidateAnswer>(`/api/swap/${encodeURIComponent(recipe)}/validate`, signal, { method: 'POST' }),
    state: (signal) => call<SwapStateView>('/api/swap/state', signal),
    telemetry: (signal) => call<TelemetryView>('/api/swap/telemetry', signal),
    history: async (limit, signal, filter = {}) => {
      const query = new URLSearchParams({ limit: String(limit) })
      if (filter.actions?.length) query.set('action', filter.actions.join(','))
      if (filter.outcomes?.length) query.set('outcome', filter.outcomes.join(','))
      if (filter.dryRun !== undefined) query.set('dry_run', String(filter.dryRun))
      return (await call<{ entries: AuditEntry[] }>(`/api/swap/history?${query}`, signal)).entries
    },
    recentLogs: async (tail, signal, node) => {
      const only = node === undefined ? '' : `&node=${encodeURIComponent(node)}`
      return (await call<{ lines: LogLine[] }>(`/api/swap/logs/recent?tail=${tail}${only}`, signal)).lines
    },
    start: (recipe, actor, signal) =>
      call<JobView>('/api/swap', signal, { method: 'POST', body: { recipe }, actor }),
    cancel: (actor, signal) => call<JobView>('/api/swap/cancel', signal, { method: 'POST', actor }),
    lock: (signal) => call<LockView>('/api/swap/lock', signal),
    forceReleaseLock: (actor, signal) =>
      call<LockView>('/api/swap/lock?force=true', signal, { method: 'DELETE', actor }),
    close: () => controller.close(),
  }
}
