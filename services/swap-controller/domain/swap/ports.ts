/** What the swap engine needs from the outside world; the cluster driver implements it over SSH and HTTP. */
import type { MemorySnapshot } from '../meminfo.ts'
import type { ProgressFailure } from '../progress/tracker.ts'
import type { SwapPlan, TeardownPlan } from './plan.ts'

/** Where a swap failed; `teardown` failures happen before any launch, so nothing new was started. */
export type FailureStage = 'teardown' | 'launch' | 'load' | 'readiness' | 'cancelled'

export class SwapFailure extends Error {
  constructor(
    readonly stage: FailureStage,
    message: string,
    /** Nodes that stopped answering over SSH: what decides whether a rollback can run. */
    readonly unreachable: readonly string[] = [],
  ) {
    super(message)
    this.name = 'SwapFailure'
  }
}

export interface TeardownReport {
  /** Nodes not required by the plan that did not answer, with why: not torn down, not verified. */
  passedOver: { node: string; reason: string }[]
}

export interface ReadyWatch {
  signal: AbortSignal
  /** vLLM answers `/health`: weights are in, what is left is warm-up. */
  onHealthy(): void
  /** A failure the log tail saw (OOM, engine death), checked on every poll. */
  logFailure(): ProgressFailure | null
}

export interface ClusterDriver {
  /** MemAvailable per node in bytes; a node that could not be read is left out. */
  memory(nodes: readonly string[], signal?: AbortSignal): Promise<Record<string, number>>
  /**
   * MemTotal and MemAvailable per node (one read each); the fit check caps what stopping the current
   * model can free by what is in use. Optional: without it the fit check has MemAvailable only.
   */
  meminfo?(nodes: readonly string[], signal?: AbortSignal): Promise<Record<string, MemorySnapshot>>
  /** Stop and remove the container on every node of the plan (exit codes are judged by `verifyStopped`). */
  stop(plan: TeardownPlan, signal: AbortSignal): Promise<void>
  /**
   * Container gone everywhere, port closed, memory settled — or a `teardown` SwapFailure. A node
   * outside `plan.required` that does not answer is passed over and returned.
   */
  verifyStopped(plan: TeardownPlan, signal: AbortSignal): Promise<TeardownReport | undefined>
  launch(plan: SwapPlan, signal: AbortSignal): Promise<void>
  /** Port → /health → /v1/models lists the id → one streamed token; or a SwapFailure. */
  awaitReady(plan: SwapPlan, watch: ReadyWatch): Promise<void>
  /** The last lines of the container log of the plan's nodes, for the swap record. */
  logExcerpt(plan: SwapPlan): Promise<string | null>
}
