/**
 * What the dashboard's swap pages read from and ask of the swap-controller. The gateway gives an
 * HTTP implementation (services/gateway/adapters/swap-source.ts); the tests give fakes. The shapes
 * are the swap-controller's own wire types, imported as types so the two cannot drift apart.
 */
import type { z } from '@hono/zod-openapi'
import type { AuditEntry } from '../../services/swap-controller/domain/coordination/ports.ts'
import type { ValidateAnswer } from '../../services/swap-controller/domain/swap/engine-types.ts'
import type { JobView } from '../../services/swap-controller/domain/swap/view.ts'
import type {
  Columns,
  NodeSample,
  VllmSample,
} from '../../services/swap-controller/domain/telemetry/history.ts'
import type {
  NodeTelemetry,
  VllmTelemetry,
} from '../../services/swap-controller/domain/telemetry/snapshot.ts'
import type { swapModelList } from '../../services/swap-controller/routes/catalog-schemas.ts'

export type { AuditEntry, JobView, ValidateAnswer }
export type CatalogList = z.infer<typeof swapModelList>
export type CatalogModel = CatalogList['models'][number]

export interface SwapStateView {
  state: string
  job: JobView | null
}

export interface TelemetryView {
  simulated: boolean
  interval_ms: number
  generated_at: string
  nodes: Array<NodeTelemetry & { history: Columns<NodeSample> }>
  vllm: VllmTelemetry & { history: Columns<VllmSample> }
}

/** `GET /api/swap/lock`: who reserved swaps, until when. */
export interface LockView {
  held: boolean
  holder?: string
  acquired_at?: string
  expires_at?: string
  seconds_remaining?: number
  note?: string | null
}

export interface LogLine {
  node: string
  line: string
  at: string
}

/** A refusal the page shows as it is (a 409 "already swapping", a 423 lock), not as a failure of ours. */
export class SwapSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export interface SwapSource {
  catalog(signal?: AbortSignal): Promise<CatalogList>
  /** The dry-run verdict (fit, commands) of one recipe; reads live memory, touches nothing, not audited. */
  validate(recipe: string, signal?: AbortSignal): Promise<ValidateAnswer>
  state(signal?: AbortSignal): Promise<SwapStateView>
  telemetry(signal?: AbortSignal): Promise<TelemetryView>
  /** The audit log, newest first; only the rows `filter` lets through when given. */
  history(limit: number, signal?: AbortSignal, filter?: HistoryFilter): Promise<AuditEntry[]>
  /** The newest `tail` lines of the vLLM container logs, every node or one. */
  recentLogs(tail: number, signal?: AbortSignal, node?: string): Promise<LogLine[]>
  /** Starts a real swap as `actor` (a person confirmed it); rejects with SwapSourceError on 4xx. */
  start(recipe: string, actor: string, signal?: AbortSignal): Promise<JobView>
  cancel(actor: string, signal?: AbortSignal): Promise<JobView | null>
  lock(signal?: AbortSignal): Promise<LockView>
  /** Releases another holder's reservation without its token: only ever on a person's click. */
  forceReleaseLock(actor: string, signal?: AbortSignal): Promise<LockView>
}

/** `GET /api/swap/history`'s filters: some actions, some outcomes, real requests or dry runs only. */
export interface HistoryFilter {
  actions?: readonly string[]
  outcomes?: readonly string[]
  dryRun?: boolean
}
