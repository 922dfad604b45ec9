/** The swap engine's request and answer types, and its dependencies (engine.ts holds the logic). */
import type { RecipeCatalog, RunMode } from '../catalog/types.ts'
import type { Coordination } from '../coordination/service.ts'
import type { LoadHistoryEntry } from '../progress/eta.ts'
import type { SwapEvents } from './events.ts'
import type { FitPolicy, FitVerdict } from './fit.ts'
import type { PlanInput, RenderedPlan } from './plan.ts'
import type { ClusterDriver } from './ports.ts'
import type { PreflightVerdict } from './preflight.ts'
import type { PreflightDeps } from './preflight-gate.ts'
import type { SwapRecords } from './record.ts'
import type { RunContext } from './run.ts'
import type { JobView } from './view.ts'

export interface SwapRequest {
  recipe: string
  mode?: RunMode
  dryRun?: boolean
  token?: string
  actor: string
  requestId?: string
}

export interface DryRunAnswer {
  dry_run: true
  recipe: string
  mode: RunMode
  model: string
  from_model: string | null
  commands: RenderedPlan
  fit: FitVerdict
  /** Null when the driver runs no pre-flight (test fakes). */
  preflight: PreflightVerdict | null
}

/** `POST /api/swap/{key}/validate`: the dry run's verdict, for a recipe that may be invalid. */
export interface ValidateAnswer {
  key: string
  valid: boolean
  reasons: string[]
  warnings: string[]
  mode: RunMode | null
  model: string | null
  from_model: string | null
  fit: FitVerdict | null
  commands: RenderedPlan | null
  preflight: PreflightVerdict | null
}

export interface StopRequest {
  dryRun?: boolean
  token?: string
  actor: string
  requestId?: string
}

/**
 * A stop the controller makes on its own (the start-up cleanup): no lock token, its own audit action
 * and words. Only `SwapEngine.systemStop` takes it; no route calls that.
 */
export interface SystemStopRequest {
  actor: string
  action: string
  target: string
  /** The audit detail once the teardown is verified. */
  doneDetail: string
  /** Its budget (and shutdown): the drain and the teardown end when it aborts. */
  signal: AbortSignal
}

export interface StopAnswer {
  dry_run: boolean
  stopped: boolean
  /** What vLLM served before the stop (null: nothing, or it did not answer). */
  model: string | null
  recipe: string | null
  nodes: string[]
  commands: Pick<RenderedPlan, 'teardown' | 'verify'>
  duration_ms: Record<string, number> | null
}

export type StartedAnswer = JobView & {
  dry_run: false
  coalesced: boolean
  fit: FitVerdict | null
  preflight: PreflightVerdict | null
}
export type SwapAnswer = DryRunAnswer | StartedAnswer

export interface SwapEngineDeps {
  catalog: RecipeCatalog
  driver: ClusterDriver
  coordination: Pick<Coordination, 'assertSwapAllowed' | 'recordAudit' | 'enqueueWebhook'>
  loads: SwapRecords & {
    recentLoads(key: string, limit: number): Promise<LoadHistoryEntry[]>
    /** Loads of `key` in `mode` that reached ready, newest first; the ETA's history. */
    successfulLoads?(key: string, mode: string, limit: number): Promise<LoadHistoryEntry[]>
  }
  /** Served ids vLLM lists now (rejects when it does not answer). */
  loadedModels(signal?: AbortSignal): Promise<string[]>
  /** Live log lines of every node, for progress and failure patterns. */
  subscribeLogs?: RunContext['subscribeLogs']
  kickLogs?: () => void
  /** Called in `draining` and by a stop, before the model is stopped (the chat proxy's in-flight drain). */
  drain?: RunContext['drain']
  inventory: { nodes: PlanInput['nodes'] }
  /** Checks on the Sparks before any teardown (preflight.ts); absent in tests that fake the driver. */
  preflight?: PreflightDeps
  vllmPort: number
  container: string
  stopGraceS: number
  fitPolicy: FitPolicy
  now?: () => number
  newId?: () => string
  maxSubscribers?: number
}

export interface SwapEngine {
  request(req: SwapRequest): Promise<SwapAnswer>
  /** Pre-flight of a recipe: validity, fit and commands; reads only (no audit, nothing run). */
  validate(key: string, mode?: RunMode): Promise<ValidateAnswer>
  /** Stops the served model on every node with verified teardown (lock token needed unless a dry run). */
  stop(req: StopRequest): Promise<StopAnswer>
  /** The same stop, made by the controller itself past the swap lock (start-up cleanup only). */
  systemStop(req: SystemStopRequest): Promise<StopAnswer>
  /** A stop is draining or tearing down: the chat proxy refuses new generations meanwhile. */
  stopInProgress(): boolean
  /** Keeps new swaps from starting (409 naming `reason`) until the returned function is called. */
  holdSwaps(reason: string): () => void
  cancel(ctx: { actor: string; requestId?: string }): JobView
  job(id: string): JobView | undefined
  /** The running job, else the newest finished one, else null. */
  state(): JobView | null
  readonly events: SwapEvents
  /** Resolves when the running swap (if any) has finished; for tests and shutdown. */
  idle(): Promise<void>
  close(): void
}
