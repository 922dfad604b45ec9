/**
 * The dashboard's view of the swap-controller, over HTTP with a deadline on every call. The gateway
 * reaches the controller directly (not through its own proxy), as the dashboard's actor.
 */
import type { Agent } from 'undici'
import { callJson, createPool } from '../../../shared/http-client.ts'
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

export interface SwapSourceOptions {
  baseUrl: string
  /** Reads (catalog, state, telemetry…); a fit check reads every node's memory over SSH. */
  timeoutMs?: number
  pool?: Agent
}

/** The message of any of our error bodies: problem+json `detail`, `{detail}`, or the OpenAI envelope. */
function messageOf(body: unknown, status: number): string {
  const b = body as { detail?: unknown; title?: unknown; error?: { message?: unknown } } | null
  for (const m of [b?.detail, b?.error?.message, b?.title]) if (typeof m === 'string' && m) return m
  return `The swap-controller answered ${status}.`
}

export function createSwapSource(options: SwapSourceOptions): SwapSource & { close(): Promise<void> } {
  const pool = options.pool ?? createPool({ connections: 8 })
  const timeoutMs = options.timeoutMs ?? 8000
  const base = options.baseUrl.replace(/\/+$/, '')

  async function call<T>(
    path: string,
    signal?: AbortSignal,
    init: { method?: 'POST' | 'DELETE'; body?: unknown; actor?: string } = {},
  ) {
    const headers: Record<string, string> = init.actor ? { 'x-spark-actor': init.actor } : {}
    const res = await callJson<T>(`${base}${path}`, {
      service: 'swap-controller',
      method: init.method,
      body: init.body ?? (init.method === 'POST' ? {} : undefined),
      headers,
      signal,
      timeoutMs,
      dispatcher: pool,
    })
    if (res.status >= 400) {
      const extra = typeof res.body === 'object' && res.body !== null ? (res.body as Record<string, unknown>) : {}
      throw new SwapSourceError(res.status, messageOf(res.body, res.status), extra)
    }
    return res.body
  }

  return {
    catalog: (signal) => call<CatalogList>('/api/swap/models?history=5', signal),
    validate: (recipe, signal) =>
      call<ValidateAnswer>(`/api/swap/${encodeURIComponent(recipe)}/validate`, signal, { method: 'POST' }),
    state: (signal) => call<SwapStateView>('/api/swap/state', signal),
    telemetry: (signal) => call<TelemetryView>('/api/swap/telemetry', signal),
    history: async (limit, signal) =>
      (await call<{ entries: AuditEntry[] }>(`/api/swap/history?limit=${limit}`, signal)).entries,
    recentLogs: async (tail, signal, node) => {
      const only = node === undefined ? '' : `&node=${encodeURIComponent(node)}`
      return (await call<{ lines: LogLine[] }>(`/api/swap/logs/recent?tail=${tail}${only}`, signal)).lines
    },
    start: (recipe, actor, signal) =>
      call<JobView>('/api/swap', signal, { method: 'POST', body: { recipe }, actor }),
    cancel: (actor, signal) => call<JobView>('/api/swap/cancel', signal, { method: 'POST', actor }),
    lock: (signal) => call<LockView>('/api/swap/lock', signal),
    forceReleaseLock: (actor, signal) => call<LockView>('/api/swap/lock?force=true', signal, { method: 'DELETE', actor }),
    close: () => pool.close(),
  }
}
