/**
 * The monitor's engine: probes every target on its adaptive schedule, takes in what real traffic
 * reports, lets each target's classifier decide its state, and sends every state change on to the
 * history, the earlier connectivity log, the alerter and the event stream — in that order, each
 * guarded so that a failing part (a locked SQLite file, a full disk) never stops the probing. Time
 * comes from `clock` and the timers are the global ones, so tests drive it with fake timers.
 */
import type { MonitorEvent, TargetView } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { Logger } from '../../../../shared/logger.ts'
import type {
  Alerter,
  Clock,
  ConnectivityLog,
  Evidence,
  History,
  Maintenance,
  Probes,
  ProbingMode,
  Target,
  TargetClassifier,
  Transition,
} from '../ports.ts'
import type { ProbeBudget } from '../schedule/budget.ts'
import type { HangSuspicion } from './hang-watch.ts'
import { createEventHub, type MonitorListener } from './hub.ts'
import { targetLookup } from './lookup.ts'
import { createProbeLoops } from './probe-loops.ts'
import { type ProbeLayer, type TargetRuntime, targetRuntime } from './runtime.ts'
import { createSlotTimer, type SlotTask } from './slot-timer.ts'
import { iso, targetView } from './view.ts'

export interface MonitorEngineDeps {
  targets: readonly Target[]
  classifierFor(target: Target, now: number): TargetClassifier
  probes: Probes
  /** Milliseconds to the next probe of `layer` in `mode` (domain/schedule's delay, jitter included). */
  probeDelay(layer: ProbeLayer, mode: ProbingMode): number
  budget: ProbeBudget
  history: History
  connectivityLog: ConnectivityLog
  maintenance: Maintenance
  alerter: Alerter
  clock: Clock
  random: () => number
  logger: Logger
  /** A health probe out this long gets a second one beside it (probe-loops.ts); unset: never. */
  httpOverdueMs?: number
  /** When a health check is overdue enough to suspect a hang (hang-watch.ts); unset: never. */
  hangSuspicion?: HangSuspicion
  /** False: no active probes at all, only what real traffic reports (`MONITOR_PROBING=false`). */
  probing?: boolean
  tickMs?: number
  /** Due times are rounded to the nearest point of this grid, so timers due close together share a wake-up (slot-timer.ts); 1: none. */
  slotMs?: number
  heartbeatMs?: number
  pruneMs?: number
}

export interface EngineStats {
  startedAt: number
  probesPerS: number
  budgetPerS: number
  inFlight: number
}

export interface MonitorEngine {
  start(): void
  /** Stops the loops and the tick, aborts the probes in flight and waits for them. */
  stop(): Promise<void>
  /** Passive evidence (a reported outcome); false when no target has that id. */
  intake(evidence: Evidence): boolean
  /** The earlier health-event: evidence, plus a `report` line in connectivity.json and on the stream. */
  report(evidence: Evidence): boolean
  find(name: string): Target | undefined
  readonly targets: readonly Target[]
  /** Every name `find` knows (ids and the earlier subjects). */
  names(): string[]
  views(now: number): TargetView[]
  subscribe(listener: MonitorListener): () => void
  stats(now: number): EngineStats
}

const TICK_MS = 250
const HEARTBEAT_MS = 5000
const PRUNE_MS = 3_600_000

/** A failed http probe that may mean busy rather than down: ask the functional check. */
const isSoft = (e: Evidence) => (e.ok ? e.slow === true : e.kind === 'timeout' || e.kind === 'http_5xx')

export function createMonitorEngine(deps: MonitorEngineDeps): MonitorEngine {
  const { clock, logger } = deps
  const hub = createEventHub(logger)
  const lookup = targetLookup(deps.targets)
  const startedAt = clock.now()
  const runtimes = new Map<string, TargetRuntime>(
    deps.targets.map((t) => [t.id, targetRuntime(t, deps.classifierFor(t, startedAt), startedAt)]),
  )
  const slots = createSlotTimer(deps.slotMs ?? 1)
  const loops = createProbeLoops({
    ...deps,
    slots,
    onEvidence: (rt, e) => observe(rt, e),
    // A suspected hang asks the functional check at once: its answer is what tells busy from hung.
    onSuspicion: (rt) => void loops.urgent(rt, 'functional'),
  })
  let ticker: SlotTask | null = null
  let lastHeartbeat = Number.NEGATIVE_INFINITY
  let lastPrune = Number.NEGATIVE_INFINITY

  function guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn()
    } catch (err) {
      logger.error({ err: (err as Error).message, part: what }, 'monitor part failed; carrying on')
      return undefined
    }
  }

  function observe(rt: TargetRuntime, evidence: Evidence) {
    rt.readings.record(evidence)
    if (rt.target.disabled) return
    const now = clock.now()
    const change = guard('classifier', () => rt.classifier.observe(evidence, now))
    if (change) apply(rt, change)
    if (evidence.layer === 'http' && isSoft(evidence)) loops.urgent(rt, 'functional')
    followMode(rt, now)
  }

  function followMode(rt: TargetRuntime, now: number) {
    const mode = guard('classifier', () => rt.classifier.probing(now)) ?? rt.mode
    if (mode === 'fast' && rt.mode !== 'fast') loops.hurry(rt)
    rt.mode = mode
    loops.wake(rt, mode)
  }

  function apply(rt: TargetRuntime, change: Transition) {
    const { target } = rt
    rt.reason = change.reason
    const recorded = guard('history', () => deps.history.record(change, target)) ?? {}
    guard('connectivity log', () => deps.connectivityLog.transition(change, target))
    guard('alerts', () => deps.alerter.onChange(change, target, recorded))
    const { from, to, reason } = change
    hub.publish({ type: 'state', target: target.id, from, to, at: iso(change.at), reason })
    for (const outage of [recorded.opened, recorded.closed])
      if (outage) hub.publish({ type: 'outage', outage })
    logger.info(
      { target: target.id, from, to, reason, detection_ms: change.decidedAt - change.at },
      'state change',
    )
  }

  function tick() {
    const now = clock.now()
    for (const rt of runtimes.values()) {
      if (rt.target.disabled) continue
      const change = guard('classifier', () => rt.classifier.tick(now))
      if (change) apply(rt, change)
      followMaintenance(rt, now)
      followMode(rt, now)
    }
    guard('alerts', () => deps.alerter.tick(now))
    if (now - lastHeartbeat >= (deps.heartbeatMs ?? HEARTBEAT_MS)) {
      lastHeartbeat = now
      guard('history heartbeat', () => deps.history.heartbeat(now))
    }
    if (now - lastPrune >= (deps.pruneMs ?? PRUNE_MS)) {
      lastPrune = now
      const pruned = guard('history prune', () => deps.history.prune(now))
      if (pruned) logger.info({ pruned }, 'history pruned')
    }
  }

  function followMaintenance(rt: TargetRuntime, now: number) {
    const active = guard('maintenance', () => deps.maintenance.active(rt.target, now))
    const reason = active?.reason ?? null
    if (active === undefined || reason === rt.maintenance) return
    rt.maintenance = reason
    const change = guard('classifier', () => rt.classifier.setMaintenance(reason, now))
    if (change) apply(rt, change)
  }

  function intake(evidence: Evidence): TargetRuntime | undefined {
    const target = lookup.find(evidence.target)
    const rt = target && runtimes.get(target.id)
    if (!rt) return undefined
    // A reporter's clock may run ahead; evidence from the future would confuse the back-dating.
    observe(rt, { ...evidence, target: rt.target.id, at: Math.min(evidence.at, clock.now()) })
    return rt
  }

  return {
    start() {
      if (ticker) return
      const tickMs = deps.tickMs ?? TICK_MS
      const every = () => {
        ticker = slots.after(tickMs, every)
        tick()
      }
      ticker = slots.after(tickMs, every)
      if (deps.probing !== false) loops.start(runtimes.values())
    },
    async stop() {
      if (ticker) slots.cancel(ticker)
      ticker = null
      await loops.stop(runtimes.values())
      slots.clear()
    },
    intake: (evidence) => intake(evidence) !== undefined,
    report(evidence) {
      const rt = intake(evidence)
      if (!rt) return false
      guard('connectivity log', () =>
        deps.connectivityLog.report(rt.target, { ...evidence, target: rt.target.id }),
      )
      const event: MonitorEvent = {
        ...{ type: 'report', target: rt.target.id, at: iso(evidence.at) },
        ...{ ok: evidence.ok, source: evidence.source },
      }
      hub.publish(event)
      return true
    },
    find: (name) => lookup.find(name),
    targets: deps.targets,
    names: () => lookup.names(),
    views(now) {
      return [...runtimes.values()].map((rt) =>
        targetView(
          {
            ...rt,
            maintenance: rt.target.disabled
              ? null
              : (guard('maintenance', () => deps.maintenance.active(rt.target, now)) ?? null),
            probing: rt.classifier.probing(now),
          },
          now,
        ),
      )
    },
    subscribe: (listener) => hub.subscribe(listener),
    stats: (now) => ({
      startedAt,
      probesPerS: deps.budget.rate(now),
      budgetPerS: deps.budget.perSecond,
      inFlight: loops.inFlight,
    }),
  }
}
