/**
 * The dashboard's view of the swap-controller's cluster operations (`/api/ops/*`), over HTTP with a
 * deadline on every call and every answer checked against shared/contracts/swap-controller/ops.ts,
 * so an answer of the wrong shape is a clear error on the page, never an `undefined`. Reads run
 * check commands over SSH on the Sparks; a restart waits for the service's health afterwards, so
 * changes get a long deadline.
 */
import type { Agent } from 'undici'
import {
  OpsServicesAnswer,
  PatchApplyAnswer,
  PatchesAnswer,
  RestartAnswer,
  SweepList,
  SweepResult,
} from '../../../shared/contracts/swap-controller.ts'
import { type OpsMode, type OpsSource, OpsSourceError } from '../../../ui/ports.ts'
import { type ControllerRequest, createControllerCall } from './controller-call.ts'

/**
 * Deadline of a change: a restart stops the container (docker's 10 s grace), starts it and waits
 * for its health (up to a minute for the speech models to load); a patch run is a few SSH commands
 * per patch. Giving up sooner would report a failure for a change that then completes.
 */
export const OPS_CHANGE_TIMEOUT_MS = 180_000

export interface OpsSourceOptions {
  baseUrl: string
  /** Reads: the patch list runs every check step over SSH. */
  timeoutMs?: number
  changeTimeoutMs?: number
  pool?: Agent
}

/** The code of a problem+json (`urn:spark-control:error:<code>`) or of an `{error: code}` body. */
export function codeOf(body: unknown): string | null {
  const b = body as { type?: unknown; error?: unknown } | null
  if (typeof b?.type === 'string') return b.type.split(':').pop() || null
  return typeof b?.error === 'string' ? b.error : null
}

const modeBody = (mode: OpsMode) => (mode === 'dry_run' ? { dry_run: true } : { confirm: true })

export function createOpsSource(options: OpsSourceOptions): OpsSource & { close(): Promise<void> } {
  const changeTimeoutMs = options.changeTimeoutMs ?? OPS_CHANGE_TIMEOUT_MS
  const controller = createControllerCall(
    { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 15_000, connections: 4, pool: options.pool },
    (r) => {
      const extra = typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {}
      return new OpsSourceError(r.status, r.message, codeOf(r.body), extra)
    },
  )
  const call: typeof controller.call = (path, schema, signal, init: ControllerRequest = {}) =>
    controller.call(path, schema, signal, init.method ? { timeoutMs: changeTimeoutMs, ...init } : init)

  return {
    services: (signal) => call('/api/ops/services', OpsServicesAnswer, signal),
    restart: (name, mode, actor, signal) =>
      call(`/api/ops/services/${encodeURIComponent(name)}/restart`, RestartAnswer, signal, {
        method: 'POST',
        body: modeBody(mode),
        actor,
      }),
    patches: (signal) => call('/api/ops/patches', PatchesAnswer, signal),
    applyPatches: (ids, mode, actor, signal) =>
      call('/api/ops/patches/apply', PatchApplyAnswer, signal, {
        method: 'POST',
        body: { ...modeBody(mode), ...(ids ? { ids } : {}) },
        actor,
      }),
    sweeps: async (signal) => (await call('/api/ops/sweeps', SweepList, signal)).sweeps,
    sweep: (id, signal) => call(`/api/ops/sweeps/${encodeURIComponent(id)}`, SweepResult, signal),
    startSweep: (request, actor, signal) =>
      call('/api/ops/sweeps', SweepResult, signal, { method: 'POST', body: request, actor }),
    close: () => controller.close(),
  }
}
