/**
 * The dashboard's view of the swap-controller's model management, over HTTP with a deadline on every
 * call. Reads are short; a delete runs `rm -rf` on every node over SSH, so changes get longer.
 */
import type { Agent } from 'undici'
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
import { type ControllerRequest, createControllerCall, messageOf } from './controller-call.ts'

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
    const loc = Array.isArray(item.loc)
      ? item.loc.filter((p) => p !== 'body' && p !== 'param' && p !== 'query')
      : []
    return [{ field: loc.map(String).join('.') || 'request', message: item.msg }]
  })
}

export function createModelsSource(options: ModelsSourceOptions): ModelsSource & { close(): Promise<void> } {
  const changeTimeoutMs = options.changeTimeoutMs ?? CHANGE_TIMEOUT_MS
  const controller = createControllerCall(
    { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 10_000, connections: 4, pool: options.pool },
    (r) => {
      const extra = typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {}
      const fields = fieldsOf(r.body)
      // A 422 whose detail is the field list has no sentence of its own: say the fields.
      const message =
        messageOf(r.body, r.status) ??
        (fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : r.message)
      return new ModelsSourceError(r.status, message, fields, extra)
    },
  )
  // Changes get the long deadline: a delete waits for every node.
  const call = <T>(path: string, signal?: AbortSignal, init: ControllerRequest = {}) =>
    controller.call<T>(path, signal, init.method ? { timeoutMs: changeTimeoutMs, ...init } : init)

  return {
    menu: (signal) => call<ModelMenu>('/api/models', signal),
    suggest: async (q, limit, signal) => {
      const query = new URLSearchParams({ q, limit: String(limit) })
      return (await call<{ suggestions: Suggestion[] }>(`/api/models/suggest?${query}`, signal)).suggestions
    },
    downloads: async (signal) =>
      (await call<{ downloads: DownloadView[] }>('/api/models/downloads', signal)).downloads,
    disks: async (signal) => {
      const t = await call<{
        nodes: Array<{ node: string; disk: { available_bytes?: number; total_bytes?: number } | null }>
      }>('/api/swap/telemetry?samples=0', signal)
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
      call<DownloadView>(`/api/models/downloads/${encodeURIComponent(id)}`, signal, {
        method: 'DELETE',
        actor,
      }),
    remove: (key, actor, signal) =>
      call<DeleteAnswer>(`/api/models/${encodeURIComponent(key)}`, signal, { method: 'DELETE', actor }),
    add: (card, actor, signal) =>
      call<CustomModel>('/api/models', signal, { method: 'POST', body: card, actor }),
    close: () => controller.close(),
  }
}
