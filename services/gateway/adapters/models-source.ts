/**
 * The dashboard's view of the swap-controller's model management, over HTTP with a deadline on every
 * call, every answer checked against the controller's contract. Reads are short; a delete runs
 * `rm -rf` on every node over SSH, so changes get longer.
 */
import type { Agent } from 'undici'
import {
  addedModel,
  deleteAnswer,
  downloadList,
  downloadView,
  earlierModelList,
  suggestionList,
  telemetrySchema,
} from '../../../shared/contracts/swap-controller.ts'
import { type FieldProblem, type ModelsSource, ModelsSourceError, type NodeDisk } from '../../../ui/ports.ts'
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
        messageOf(r.body) ??
        (fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : r.message)
      return new ModelsSourceError(r.status, message, fields, extra)
    },
  )
  // Changes get the long deadline: a delete waits for every node.
  const call: typeof controller.call = (path, schema, signal, init: ControllerRequest = {}) =>
    controller.call(path, schema, signal, init.method ? { timeoutMs: changeTimeoutMs, ...init } : init)

  return {
    menu: (signal) => call('/api/models', earlierModelList, signal),
    suggest: async (q, limit, signal) => {
      const query = new URLSearchParams({ q, limit: String(limit) })
      return (await call(`/api/models/suggest?${query}`, suggestionList, signal)).suggestions
    },
    downloads: async (signal) => (await call('/api/models/downloads', downloadList, signal)).downloads,
    disks: async (signal) => {
      const t = await call('/api/swap/telemetry?samples=0', telemetrySchema, signal)
      return t.nodes.map(
        (n): NodeDisk => ({
          node: n.node,
          available_bytes: n.disk?.available_bytes ?? null,
          total_bytes: n.disk?.total_bytes ?? null,
        }),
      )
    },
    download: (repo, actor, signal) =>
      call('/api/models/download', downloadView, signal, { method: 'POST', body: { repo }, actor }),
    cancelDownload: (id, actor, signal) =>
      call(`/api/models/downloads/${encodeURIComponent(id)}`, downloadView, signal, {
        method: 'DELETE',
        actor,
      }),
    remove: (key, actor, signal) =>
      call(`/api/models/${encodeURIComponent(key)}`, deleteAnswer, signal, { method: 'DELETE', actor }),
    add: (card, actor, signal) =>
      call('/api/models', addedModel, signal, { method: 'POST', body: card, actor }),
    close: () => controller.close(),
  }
}
