/**
 * The monitor's inner vocabulary, shared by its parts: what a target is, what a probe or a real
 * request tells about it (evidence), the state changes the classifier decides, and the ports the
 * engine drives (probes, history, alerts). Times are milliseconds since the epoch.
 */
import type { z } from '@hono/zod-openapi'
import type {
  EvidenceLayer,
  FailureKind,
  MaintenanceRequest as MaintenanceRequestSchema,
  MaintenanceWindow,
  Outage,
  TargetKind,
  TargetState,
  UptimeAnswer as UptimeAnswerSchema,
} from '../../../shared/contracts/connectivity-monitor.ts'

export type { EvidenceLayer, FailureKind, MaintenanceWindow, Outage, TargetKind, TargetState }
export type UptimeAnswer = z.infer<typeof UptimeAnswerSchema>
export type MaintenanceRequest = z.infer<typeof MaintenanceRequestSchema>

/** A small real request, enough to show the upstream does its job (not just its health route). */
export interface FunctionalCheck {
  method: 'GET' | 'POST'
  url: string
  /** JSON body for POST. */
  body?: unknown
}

/** One watched thing and how to probe it; every layer is optional. */
export interface Target {
  /** Stable id: the service name, the upstream name (`vllm`, `parakeet`, …) or the node name. */
  id: string
  kind: TargetKind
  title: string
  /** The node id it runs on; its outages group under that node's. */
  host: string | null
  /** The subject the earlier `connectivity.json` used (`spark1`, `vllm`, `parakeet`); null: not written there. */
  legacySubject: string | null
  /** Every origin (`http://host:port`) real requests to it go to, so reported outcomes find it. */
  origins: string[]
  tcp?: { host: string; port: number }
  http?: { url: string }
  functional?: FunctionalCheck
  /** Nodes: the SSH port, whose banner (`SSH-2.0-…`) is read. */
  ssh?: { host: string; port: number }
  /** Switched off by `DISABLED_SERVICES`: listed, never probed, state `unknown`. */
  disabled: boolean
}

/** What one probe or one real request said about a target. */
export interface Evidence {
  target: string
  layer: EvidenceLayer
  /** When the probe or request was sent. */
  at: number
  ok: boolean
  /** Set when `ok` is false. */
  kind?: FailureKind
  latencyMs: number
  /** Ok, but slower than that layer's slow threshold (a GPU-busy health route). */
  slow?: boolean
  detail?: string
  /** `probe`, or the service or app that reported it. */
  source: string
}

/** A decided change of state, back-dated to the evidence that began it. */
export interface Transition {
  target: string
  from: TargetState
  to: TargetState
  /** When the new state began: the first evidence of it, not when it was confirmed. */
  at: number
  /** When the classifier was sure. `decidedAt - at` is the detection latency. */
  decidedAt: number
  reason: string
  /** The evidence that decided it, oldest first (bounded). */
  evidence: Evidence[]
}

/** How often a target is probed now (see domain/schedule). */
export type ProbingMode = 'steady' | 'fast' | 'quiet'

/** One target's state machine: evidence in, transitions out. Pure; time comes in as `now`. */
export interface TargetClassifier {
  readonly state: TargetState
  readonly since: number
  observe(evidence: Evidence, now: number): Transition | null
  /** A probe of `layer` was sent at `at`; a functional check in flight holds back an app-level down. */
  started(layer: EvidenceLayer, at: number): void
  /** Time-based decisions (no evidence for long → unknown, a pending check that ran out). */
  tick(now: number): Transition | null
  /** A maintenance window or a swap began (`reason`) or ended (null). */
  setMaintenance(reason: string | null, now: number): Transition | null
  /** What the scheduler needs to pick the probing interval. */
  probing(now: number): ProbingMode
}

/** How one probe differs from the layer's usual one (the health burst a suspected hang starts). */
export interface ProbeOptions {
  /** A shorter timeout than the layer's own. */
  timeoutMs?: number
  /** On a connection of its own, not the kept-alive one. */
  fresh?: boolean
}

/** A probe of one layer; never throws, always answers within the layer's timeout (or `options.timeoutMs`). */
export type Probe = (target: Target, signal: AbortSignal, options?: ProbeOptions) => Promise<Evidence>

export type Probes = Partial<Record<Exclude<EvidenceLayer, 'passive'>, Probe>>

export interface Clock {
  now(): number
}

/** What the history did with one state change. */
export interface RecordedChange {
  /** The outage this change opened (entering down or degraded), if any. */
  opened?: Outage
  /** The outage this change closed (leaving down or degraded), if any. */
  closed?: Outage
}

/**
 * The durable record (SQLite): every state change, the outages they make, time spent in each
 * state for uptime. Synchronous like node:sqlite; the engine calls it off the probe path.
 */
export interface History {
  record(change: Transition, target: Target): RecordedChange
  outages(query: { target?: string; since?: number; until?: number; limit: number; now: number }): Outage[]
  /** Outages still open (after a restart: those left open when the monitor stopped, closed as unknown). */
  open(now: number): Outage[]
  uptime(targets: readonly string[], now: number): UptimeAnswer['targets']
  markAlerted(outageId: string): void
  /** Written every few seconds, so the time the monitor was not running counts as unknown. */
  heartbeat(now: number): void
  /** Deletes what is older than the retention. */
  prune(now: number): number
  close(): void
}

/** The earlier version's `connectivity.json`, kept up to date (written atomically, never blocking probes). */
export interface ConnectivityLog {
  transition(change: Transition, target: Target): void
  report(target: Target, evidence: Evidence): void
  /** Resolves when everything so far is on disk. */
  flush(): Promise<void>
}

/** Planned downtime: windows an owner set, and the one a swap opens on vLLM while it runs. */
export interface Maintenance {
  /** Why `target` is under maintenance at `now`, or null. */
  active(target: Target, now: number): { reason: string; until: number | null } | null
  windows(now: number): MaintenanceWindow[]
  /** An owner's window (`starts_at` default now); refuses one already over or ending before it starts. */
  add(window: MaintenanceRequest, now: number): MaintenanceWindow
  remove(id: string): boolean
  /** A swap began (`detail` says what it loads) or ended (null). */
  setSwap(detail: string | null, now: number): void
}

/** Sends alerts for outages and their resolution (webhook, ntfy), debounced, outside maintenance. */
export interface Alerter {
  onChange(change: Transition, target: Target, recorded: RecordedChange): void
  /** Sends debounced alerts that came due, and reminders. */
  tick(now: number): void
  close(): Promise<void>
}
