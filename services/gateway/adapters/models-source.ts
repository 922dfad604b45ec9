/**
 * The dashboard's view of the swap-controller's model management, over HTTP with a deadline on every
 * call. Reads are short; a delete runs `rm -rf` on every node over SSH, so changes get longer.
 */
import type { Agent } from 'undici'
import { callJson, createPool } from '../../../shared/http-client.ts'
import {
  type CustomModel,
  type DeleteAnswer,
  type DownloadView,
  type FieldProblem,
  type ModelMenu,
  type ModelsSource,
  ModelsSourceError,
  type NodeDisk,
  type Suggestion,
} from '../../../ui/models/source.ts'

/**
 * Deadline of a change. A delete at the controller takes up to its disk scan deadline (10 s) + the
 * vLLM check (3 s) + `rm -rf` on the nodes in parallel (60 s, SSH channel wait included) ≈ 73 s.
 * Giving up sooner would report a failed delete that then completes, so this is about twice that.
 */
export const CHANGE_TIMEOUT_MS = 150_000

export interface ModelsSourceOptions {
  baseUrl: string
  /** Reads (the menu scans every node's cache over SSH, cached 15 s by the controller). */
  timeoutMs?: number
  /** Changes: a delete waits for every node. Default CHANGE_TIMEOUT_MS. */
  changeTimeoutMs?: number
  pool?: Agent
}

/** `{detail: [{loc: ['body', 'repo'], msg}]}` (a 422) → the fields, named as the form names them. */
function fieldsOf(body: unknown): FieldProblem[] {
  const detail = (body as { detail?: unknown } | null)?.detail
  if (!Array.isArray(detail)) return []
  return detail.flatMap((d) => {
    const item = d as { loc?: unknown; msg?: unknown }
    if (typeof item?.msg !== 'string') return []
    const loc = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body' && p !== 'param' && p !== 'query') : []
    return [{ field: loc.map(String).join('.') || 'request', message: item.msg }]
  })
}

function messageOf(body: unknown, status: number, fields: FieldProblem[]): string {
  const b = body as { detail?: unknown; title?: unknown; error?: { message?: unknown } } | null
  for (const m of [b?.detail, b?.error?.message, b?.title]) if (typeof m === 'string' && m) return m
  if (fields.length) return fields.map((f) => `${f.field}: ${f.message}`).join('; ')
  return `The swap-controller answered ${status}.`
}

export function createModelsSource(options: ModelsSourceOptions): ModelsSource & { close(): Promise<void> } {
  const pool = options.pool ?? createPool({ connections: 4 })
  const timeoutMs = options.timeoutMs ?? 10_000
  const changeTimeoutMs = options.changeTimeoutMs ?? CHANGE_TIMEOUT_MS
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
      body: init.body,
      headers,
      signal,
      timeoutMs: init.method ? changeTimeoutMs : timeoutMs,
      dispatcher: pool,
    })
    if (res.status >= 400) {
      const extra = typeof res.body === 'object' && res.body !== null ? (res.body as Record<string, unknown>) : {}
      const fields = fieldsOf(res.body)
      throw new ModelsSourceError(res.status, messageOf(res.body, res.status, fields), fields, extra)
    }
    return res.body
  }

  return {
    menu: (signal) => call<ModelMenu>('/api/models', signal),
    suggest: async (q, limit, signal) => {
      const query = new URLSearchParams({ q, limit: String(limit) })
      return (await call<{ suggestions: Suggestion[] }>(`/api/models/suggest?${query}`, signal)).suggestions
    },
    downloads: async (signal) => (await call<{ downloads: DownloadView[] }>('/api/models/downloads', signal)).downloads,
    disks: async (signal) => {
      const t = await call<{ nodes: Array<{ node: string; disk: { available_bytes?: number; total_bytes?: number } | null }> }>(
        '/api/swap/telemetry?samples=0',
        signal,
      )
      return t.nodes.map(
        (n): NodeDisk => ({
          node: n.node,
          available_bytes: n.disk?.available_bytes ?? null,
          total_bytes: n.disk?.total_bytes ?? null,
        }),
      )
    },
    download: (repo, actor, signal) =>
      call<DownloadView>('/api/models/download', signal, { method: 'POST', body: { repo }, actor }),
    cancelDownload: (id, actor, signal) =>
      call<DownloadView>(`/api/models/downloads/${encodeURIComponent(id)}`, signal, { method: 'DELETE', actor }),
    remove: (key, actor, signal) =>
      call<DeleteAnswer>(`/api/models/${encodeURIComponent(key)}`, signal, { method: 'DELETE', actor }),
    add: (card, actor, signal) => call<CustomModel>('/api/models', signal, { method: 'POST', body: card, actor }),
    close: () => pool.close(),
  }
}
