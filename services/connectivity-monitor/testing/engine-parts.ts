/**
 * Stand-ins for the engine's parts, shared by the engine and route tests: a small classifier
 * (down after two failures, up after one success), and recording history, connectivity log,
 * maintenance and alerter. The real parts live in domain/classify, domain/history and
 * domain/alerts; these only record what the engine asked of them. Test-only code.
 */
import type { Outage } from '../../../shared/contracts/connectivity-monitor.ts'
import { silentLogger } from '../../../shared/logger.ts'
import type { MonitorEngineDeps } from '../domain/engine/engine.ts'
import { memoryMaintenanceStore } from '../domain/engine/fallbacks.ts'
import { createMaintenance } from '../domain/maintenance/maintenance.ts'
import type {
  Alerter,
  ConnectivityLog,
  Evidence,
  History,
  Maintenance,
  RecordedChange,
  Target,
  TargetClassifier,
  TargetState,
  Transition,
} from '../domain/ports.ts'
import { createProbeBudget } from '../domain/schedule/budget.ts'

export interface FakeClassifier extends TargetClassifier {
  readonly startedCalls: Array<{ layer: string; at: number }>
}

export function fakeClassifier(target: Target, now: number, downAfter = 2): FakeClassifier {
  let state: TargetState = 'unknown'
  let since = now
  let failures: Evidence[] = []
  const startedCalls: Array<{ layer: string; at: number }> = []
  const move = (to: TargetState, at: number, decidedAt: number, reason: string, evidence: Evidence[]) => {
    const change: Transition = { target: target.id, from: state, to, at, decidedAt, reason, evidence }
    state = to
    since = at
    return change
  }
  return {
    get state() {
      return state
    },
    get since() {
      return since
    },
    startedCalls,
    started: (layer, at) => void startedCalls.push({ layer, at }),
    observe(e, at) {
      if (state === 'maintenance') return null
      if (e.ok) {
        failures = []
        return state === 'up' ? null : move('up', e.at, at, `${e.layer} answered`, [e])
      }
      failures.push(e)
      if (failures.length < downAfter || state === 'down') return null
      return move('down', failures[0]!.at, at, `${e.layer} failed (${e.kind})`, failures)
    },
    tick: () => null,
    setMaintenance: (reason, at) =>
      reason ? move('maintenance', at, at, reason, []) : move('unknown', at, at, 'maintenance ended', []),
    probing: () => (failures.length > 0 || state === 'down' ? 'fast' : 'steady'),
  }
}

export interface RecordingHistory extends History {
  readonly changes: Transition[]
  heartbeats: number
  prunes: number
  /** Every call throws while set (a locked or broken database). */
  failing: boolean
}

export function recordingHistory(): RecordingHistory {
  const changes: Transition[] = []
  const outages: Outage[] = []
  const check = () => {
    if (history.failing) throw new Error('database is locked')
  }
  const history: RecordingHistory = {
    changes,
    heartbeats: 0,
    prunes: 0,
    failing: false,
    record(change, target) {
      check()
      changes.push(change)
      const recorded: RecordedChange = {}
      const open = outages.find((o) => o.target === target.id && o.ongoing)
      if (open && change.from === 'down') {
        Object.assign(open, { ongoing: false, ended_at: new Date(change.at).toISOString() })
        open.duration_ms = change.at - Date.parse(open.started_at)
        recorded.closed = open
      }
      if (change.to === 'down') {
        recorded.opened = outageOf(change, target, outages.length + 1)
        outages.push(recorded.opened)
      }
      return recorded
    },
    outages(query) {
      check()
      return outages.filter((o) => !query.target || o.target === query.target).slice(0, query.limit)
    },
    open() {
      check()
      return outages.filter((o) => o.ongoing)
    },
    uptime(targets) {
      check()
      return targets.map((target) => ({ target, ...emptyUptime() }))
    },
    markAlerted: () => undefined,
    heartbeat() {
      check()
      history.heartbeats++
    },
    prune() {
      check()
      history.prunes++
      return 0
    },
    close: () => undefined,
  }
  return history
}

function outageOf(change: Transition, target: Target, n: number): Outage {
  return {
    ...{ id: `out_${n}`, target: target.id, kind: target.kind, severity: 'down' },
    ...{ started_at: new Date(change.at).toISOString(), ended_at: null, duration_ms: 0, ongoing: true },
    ...{ reason: change.reason, evidence: [], host_outage_id: null, grouped: [], alerted: false },
  }
}

function emptyUptime() {
  const figures = {
    ...{ from: new Date(0).toISOString(), to: new Date(0).toISOString(), up_s: 0, busy_s: 0 },
    ...{ degraded_s: 0, down_s: 0, maintenance_s: 0, unknown_s: 0, uptime_pct: null, outages: 0 },
  }
  return { day: figures, week: figures, month: figures }
}

export interface RecordingLog extends ConnectivityLog {
  readonly transitions: Transition[]
  readonly reports: Array<{ target: string; evidence: Evidence }>
}

export function recordingLog(): RecordingLog {
  const transitions: Transition[] = []
  const reports: RecordingLog['reports'] = []
  return {
    transitions,
    reports,
    transition: (change) => void transitions.push(change),
    report: (target, evidence) => void reports.push({ target: target.id, evidence }),
    flush: async () => undefined,
  }
}

/** The real maintenance rules over a store in memory. */
export function memoryMaintenance(): Maintenance {
  let ids = 0
  return createMaintenance({ store: memoryMaintenanceStore(), newId: () => `mnt_${++ids}` })
}

export interface RecordingAlerter extends Alerter {
  readonly changes: Array<{ change: Transition; recorded: RecordedChange }>
  ticks: number
}

export function recordingAlerter(): RecordingAlerter {
  const alerter: RecordingAlerter = {
    changes: [],
    ticks: 0,
    onChange: (change, _target, recorded) => void alerter.changes.push({ change, recorded }),
    tick: () => void alerter.ticks++,
    close: async () => undefined,
  }
  return alerter
}

/** An upstream target with every layer (tcp, http, functional), on node `spark-2`. */
export function sampleTarget(id: string, extra: Partial<Target> = {}): Target {
  return {
    ...{ id, kind: 'upstream', title: id, host: 'spark-2', legacySubject: id },
    origins: [`http://127.0.0.1:${port(id)}`],
    tcp: { host: '127.0.0.1', port: port(id) },
    http: { url: `http://127.0.0.1:${port(id)}/health` },
    functional: { method: 'GET', url: `http://127.0.0.1:${port(id)}/v1/models` },
    disabled: false,
    ...extra,
  }
}

const port = (id: string) => 20_000 + [...id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0)

/** Deps for `createMonitorEngine` with every part a stand-in; override any. */
export function engineDeps(overrides: Partial<MonitorEngineDeps> = {}) {
  const parts = {
    history: recordingHistory(),
    connectivityLog: recordingLog(),
    maintenance: memoryMaintenance(),
    alerter: recordingAlerter(),
  }
  const deps: MonitorEngineDeps = {
    targets: [sampleTarget('vllm')],
    classifierFor: (target, now) => fakeClassifier(target, now),
    probes: {},
    probeDelay: (layer, mode) => (mode === 'fast' ? 250 : layer === 'functional' ? 60_000 : 1000),
    budget: createProbeBudget({ perSecond: 1000 }, Date.now()),
    ...parts,
    clock: { now: () => Date.now() },
    random: () => 0.5,
    logger: silentLogger(),
    // The service's default grid (MONITOR_SLOT_MS): the engine's tests run on the timers it really has.
    slotMs: 125,
    ...overrides,
  }
  return { deps, ...parts }
}
