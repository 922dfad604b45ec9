/**
 * Alerts for outages, debounced, outside maintenance, grouped by node.
 *
 * A target entering `down` is alerted once it has stayed out ALERT_DEBOUNCE_S from the outage's
 * start (back-dated by the classifier, so a slow detection does not add to the wait); one that
 * recovers first is logged as a blip and nothing is sent. `degraded` (answering but failing part
 * of the time) is noisier and less urgent, so it waits five times the debounce. An alerted outage
 * gets a resolve with its duration when it ends, and reminders every ALERT_REMIND_MIN while it
 * lasts (0: none).
 *
 * Maintenance (an owner's window, a swap on vLLM) holds back the alert and the reminders for as
 * long as it covers the target; an alert already sent still gets its resolve. A target whose node
 * is down is not alerted apart: the node's alert lists it under `grouped`. If the node comes back
 * while the target is still out, the target gets a fresh debounce from then (it may be starting).
 *
 * Everything here is synchronous and never throws into the engine: sends go to one bounded queue
 * per channel (delivery-queue.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from '../../../../shared/logger.ts'
import type { MonitorConfig } from '../../config.ts'
import type {
  Alerter,
  Clock,
  Maintenance,
  RecordedChange,
  Target,
  TargetState,
  Transition,
} from '../ports.ts'
import { createDeliveryQueue, type DeliveryPolicy, type QueuedAlert } from './delivery-queue.ts'
import type { AlertSender, MonitorAlert } from './ports.ts'

/** How many debounces a `degraded` outage must last before it is alerted. */
export const DEGRADED_DEBOUNCE_FACTOR = 5

type Severity = MonitorAlert['severity']

interface OpenOutage {
  target: Target
  severity: Severity
  state: TargetState
  startedAt: number
  reason: string
  /** The history's outage ids this outage has had (down → degraded may open a second). */
  outageIds: string[]
  dueAt: number
  alerted: boolean
  nextReminderAt: number | null
  /** The node whose alert covers this one. */
  groupedUnder: string | null
  heldByMaintenance: boolean
}

export interface AlerterOptions {
  config: Pick<MonitorConfig, 'ALERT_DEBOUNCE_S' | 'ALERT_REMIND_MIN' | 'SIMULATED_CLUSTER'>
  senders: readonly AlertSender[]
  clock: Clock
  logger: Logger
  maintenance: Pick<Maintenance, 'active'>
  /** History.markAlerted: called when an alert for the outage (or its node's) was delivered; may repeat. */
  markAlerted: (outageId: string) => void
  delivery?: DeliveryPolicy
}

const isOutage = (state: TargetState): state is Severity => state === 'down' || state === 'degraded'
const iso = (ms: number) => new Date(ms).toISOString()

export function createAlerter(options: AlerterOptions): Alerter & { idle(): Promise<void> } {
  const { config, clock, maintenance } = options
  const log = options.logger.child({ component: 'alerts' })
  const debounceMs = config.ALERT_DEBOUNCE_S * 1000
  const remindMs = config.ALERT_REMIND_MIN * 60_000
  const open = new Map<string, OpenOutage>()
  // Each channel reports its delivery of the same item; the history hears of it once.
  const marked = new WeakSet<QueuedAlert>()

  const markDelivered = (item: QueuedAlert) => {
    if (item.alert.event !== 'outage' || marked.has(item)) return
    marked.add(item)
    for (const id of item.outageIds) {
      try {
        options.markAlerted(id)
      } catch (err) {
        log.error({ err, outage: id }, 'could not mark the outage alerted')
      }
    }
  }
  const queues = options.senders.map((sender) =>
    createDeliveryQueue({
      sender,
      logger: options.logger,
      policy: options.delivery,
      onDelivered: markDelivered,
    }),
  )

  const debounceFor = (severity: Severity) =>
    severity === 'degraded' ? debounceMs * DEGRADED_DEBOUNCE_FACTOR : debounceMs
  const childrenOf = (node: OpenOutage) => [...open.values()].filter((o) => o.target.host === node.target.id)
  const nodeDown = (o: OpenOutage) => {
    const node = o.target.host === null ? undefined : open.get(o.target.host)
    return node?.severity === 'down' ? node : undefined
  }

  function send(
    o: OpenOutage,
    event: MonitorAlert['event'],
    at: number,
    end?: { at: number; state: TargetState; reason: string; durationMs?: number },
  ) {
    const grouped = o.target.kind === 'node' && event !== 'resolved' ? childrenOf(o) : []
    const alert: MonitorAlert = {
      event,
      target: o.target.id,
      title: o.target.title,
      kind: o.target.kind,
      state: end?.state ?? o.state,
      severity: o.severity,
      started_at: iso(o.startedAt),
      ended_at: end ? iso(end.at) : null,
      duration_s: Math.max(0, Math.round((end?.durationMs ?? (end?.at ?? at) - o.startedAt) / 100) / 10),
      reason: end?.reason ?? o.reason,
      grouped: grouped.map((c) => c.target.id),
      simulated: config.SIMULATED_CLUSTER,
    }
    const item: QueuedAlert = {
      alert,
      delivery: `alr_${randomUUID()}`,
      outageIds: [...o.outageIds, ...grouped.flatMap((c) => c.outageIds)],
    }
    log.info({ event, target: alert.target, delivery: item.delivery, grouped: alert.grouped }, 'alert queued')
    for (const queue of queues) queue.push(item)
    return grouped
  }

  function opened(change: Transition, target: Target, recorded: RecordedChange, severity: Severity) {
    open.set(target.id, {
      target,
      severity,
      state: change.to,
      startedAt: change.at,
      reason: change.reason,
      outageIds: recorded.opened ? [recorded.opened.id] : [],
      dueAt: change.at + debounceFor(severity),
      alerted: false,
      nextReminderAt: null,
      groupedUnder: null,
      heldByMaintenance: false,
    })
  }

  function changedSeverity(o: OpenOutage, change: Transition, recorded: RecordedChange, severity: Severity) {
    // Degraded (alerted without paging) turning into down is news: it is alerted again, as down.
    if (o.alerted && o.severity === 'degraded' && severity === 'down') o.alerted = false
    o.severity = severity
    o.state = change.to
    if (recorded.opened && !o.outageIds.includes(recorded.opened.id)) o.outageIds.push(recorded.opened.id)
    if (!o.alerted) o.dueAt = o.startedAt + debounceFor(severity)
  }

  function ended(o: OpenOutage, change: Transition, recorded: RecordedChange) {
    open.delete(o.target.id)
    const fields = { target: o.target.id, severity: o.severity, duration_ms: change.at - o.startedAt }
    if (o.alerted)
      send(o, 'resolved', change.at, {
        at: change.at,
        state: change.to,
        reason: change.reason,
        durationMs: recorded.closed?.duration_ms,
      })
    else if (o.groupedUnder)
      log.info({ ...fields, node: o.groupedUnder }, 'outage ended; its node’s alert covered it')
    else if (o.heldByMaintenance) log.info(fields, 'outage ended under maintenance; not alerted')
    else log.info(fields, 'outage ended before its alert was due (a blip); not alerted')
    // The node's targets still out stand on their own again, after a fresh debounce: their
    // outage most likely came with the node's, and they may still be starting.
    for (const child of childrenOf(o))
      if (!child.alerted) {
        child.groupedUnder = null
        child.dueAt = Math.max(child.dueAt, change.at + debounceFor(child.severity))
      }
  }

  function onChange(change: Transition, target: Target, recorded: RecordedChange) {
    if (target.disabled) return
    const current = open.get(target.id)
    if (isOutage(change.to)) {
      if (current) changedSeverity(current, change, recorded, change.to)
      else opened(change, target, recorded, change.to)
    } else if (current) ended(current, change, recorded)
  }

  function due(o: OpenOutage, now: number) {
    if (o.groupedUnder || now < o.dueAt) return
    const held = maintenance.active(o.target, now)
    if (held) {
      if (!o.heldByMaintenance)
        log.info({ target: o.target.id, reason: held.reason }, 'alert held back: under maintenance')
      o.heldByMaintenance = true
      return
    }
    const node = nodeDown(o)
    if (node) {
      o.groupedUnder = node.target.id
      return
    }
    for (const child of send(o, 'outage', now)) if (!child.alerted) child.groupedUnder = o.target.id
    o.alerted = true
    o.nextReminderAt = remindMs > 0 ? now + remindMs : null
  }

  function remind(o: OpenOutage, now: number) {
    if (o.nextReminderAt === null || now < o.nextReminderAt) return
    o.nextReminderAt = now + remindMs
    if (!maintenance.active(o.target, now)) send(o, 'reminder', now)
  }

  function tick(now: number) {
    // Nodes first, so their targets see the node's alert (and are grouped under it) in the same tick.
    const ordered = [...open.values()].sort(
      (a, b) => Number(b.target.kind === 'node') - Number(a.target.kind === 'node'),
    )
    for (const o of ordered) {
      if (!open.has(o.target.id)) continue
      if (o.alerted) remind(o, now)
      else due(o, now)
    }
  }

  return {
    onChange(change, target, recorded) {
      try {
        onChange(change, target, recorded)
      } catch (err) {
        log.error({ err, target: change.target }, 'alerts: could not take a state change')
      }
    },
    tick(now = clock.now()) {
      try {
        tick(now)
      } catch (err) {
        log.error({ err }, 'alerts: tick failed')
      }
    },
    async idle() {
      await Promise.all(queues.map((q) => q.idle()))
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()))
    },
  }
}
