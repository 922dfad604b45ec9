/**
 * The connectivity monitor's wire contract: the earlier version's `POST /api/health-event` (the
 * recap relay calls it, so no field may change), the batched request outcomes every proxying
 * service reports (shared/outcomes/), and the monitor's read API (targets, outages, uptime, the
 * SSE stream). Times on the wire are ISO-8601 strings except where a field says `_ms` or `_s`.
 */
import { z } from '@hono/zod-openapi'

/** What is watched: a Spark Control service, a Spark node, or an upstream on a node (vLLM, ASR, …). */
export const TargetKind = z.enum(['service', 'node', 'upstream'])
export type TargetKind = z.infer<typeof TargetKind>

/**
 * A target's state. `busy` is alive but slow (health slow while real requests succeed);
 * `degraded` answers but fails part of the time; `maintenance` is planned (a swap reloading vLLM,
 * a window the owner set) and never counts as down; `unknown` means no evidence yet or the
 * monitor itself was not running.
 */
export const TargetState = z.enum(['up', 'busy', 'degraded', 'down', 'maintenance', 'unknown'])
export type TargetState = z.infer<typeof TargetState>

/** How a check or a request failed, from the transport up. */
export const FailureKind = z.enum([
  'refused',
  'reset',
  'timeout',
  'unreachable',
  'dns',
  'http_5xx',
  'bad_status',
  'other',
])
export type FailureKind = z.infer<typeof FailureKind>

/** Where a piece of evidence came from: one of the monitor's probe layers, or real traffic. */
export const EvidenceLayer = z.enum(['tcp', 'http', 'functional', 'ssh', 'passive'])
export type EvidenceLayer = z.infer<typeof EvidenceLayer>

// ---------------------------------------------------------------------------------------------
// Intake

/** The earlier version's passive report (recap relay: fire-and-forget, 3 s timeout). Kept exactly. */
export const HealthEventRequest = z
  .object({
    service: z.string().min(1).max(100),
    ok: z.boolean(),
    source: z.string().max(200).optional(),
    /** The relay truncates to 280 characters; longer text is cut here, not refused. */
    error: z.string().optional(),
    /** Latency in milliseconds, as before. */
    ms: z.number().nonnegative().optional(),
  })
  .openapi('HealthEventRequest')
export type HealthEventRequest = z.infer<typeof HealthEventRequest>

export const HealthEventAnswer = z.object({ ok: z.literal(true) }).openapi('HealthEventAnswer')

/** One request a service made to a target, as its reporting client saw it. */
export const RequestOutcome = z.object({
  /** A target id (`parakeet`, `vllm`, `speech-proxy`, …); unknown ids are counted and ignored. */
  target: z.string().min(1).max(100),
  /** When the request was sent, milliseconds since the epoch. */
  at: z.number().int().nonnegative(),
  ok: z.boolean(),
  /** Set when `ok` is false. */
  kind: FailureKind.optional(),
  /** Time to the response's headers (or to the failure), milliseconds. */
  latency_ms: z.number().nonnegative().max(86_400_000),
  status: z.number().int().min(100).max(599).optional(),
})
export type RequestOutcome = z.infer<typeof RequestOutcome>

/** At most this many outcomes in one batch; the reporting client sends smaller ones. */
/** Where the proxying services send their batches (`POST`). */
export const OUTCOMES_PATH = '/api/monitor/outcomes'

export const MAX_OUTCOMES_PER_BATCH = 1000

export const OutcomeBatch = z
  .object({
    /** The reporting service (`gateway`, `speech-proxy`, …). */
    source: z.string().min(1).max(100),
    outcomes: z.array(RequestOutcome).max(MAX_OUTCOMES_PER_BATCH),
    /** Outcomes the client dropped since its last batch (its buffer was full or the monitor away). */
    dropped: z.number().int().nonnegative().optional(),
  })
  .openapi('OutcomeBatch')
export type OutcomeBatch = z.infer<typeof OutcomeBatch>

export const OutcomeBatchAnswer = z
  .object({ accepted: z.number().int(), unknown_targets: z.array(z.string()) })
  .openapi('OutcomeBatchAnswer')

// ---------------------------------------------------------------------------------------------
// Read API

/** One piece of evidence as shown with a state change or an outage. */
export const EvidenceItem = z.object({
  layer: EvidenceLayer,
  at: z.string(),
  ok: z.boolean(),
  kind: FailureKind.optional(),
  latency_ms: z.number(),
  detail: z.string().optional(),
  /** `probe`, or the service / app that reported it. */
  source: z.string(),
})
export type EvidenceItem = z.infer<typeof EvidenceItem>

export const LayerReading = z.object({
  ok: z.boolean(),
  at: z.string(),
  latency_ms: z.number(),
  kind: FailureKind.optional(),
  detail: z.string().optional(),
})

export const TargetView = z
  .object({
    id: z.string(),
    kind: TargetKind,
    title: z.string(),
    /** The node it runs on (its outages are grouped under that node's), null when not on a Spark. */
    host: z.string().nullable(),
    /** Where it is probed (`host:port` or a URL), for the owner; never a secret. */
    address: z.string(),
    state: TargetState,
    /** When the current state began (back-dated to its first evidence). */
    since: z.string(),
    reason: z.string(),
    /** Set while a maintenance window or a swap covers this target. */
    maintenance: z.object({ reason: z.string(), until: z.string().nullable() }).nullable(),
    layers: z.record(z.string(), LayerReading),
    passive: z.object({
      ok: z.number().int(),
      failed: z.number().int(),
      last_at: z.string().nullable(),
    }),
    /** The probing mode now: `steady`, `fast` after a failure, `quiet` while real traffic succeeds. */
    probing: z.enum(['steady', 'fast', 'quiet']),
  })
  .openapi('MonitorTarget')
export type TargetView = z.infer<typeof TargetView>

export const TargetsAnswer = z
  .object({
    targets: z.array(TargetView),
    monitor: z.object({
      started_at: z.string(),
      probes_per_s: z.number(),
      probe_budget_per_s: z.number(),
      simulated: z.boolean(),
    }),
  })
  .openapi('MonitorTargets')

export const Outage = z
  .object({
    id: z.string(),
    target: z.string(),
    kind: TargetKind,
    /** `down`, or `degraded` (answering but failing part of the time). */
    severity: z.enum(['down', 'degraded']),
    started_at: z.string(),
    /** Null while it lasts. */
    ended_at: z.string().nullable(),
    /** Milliseconds, to the end or (while it lasts) to now. */
    duration_ms: z.number().int(),
    ongoing: z.boolean(),
    reason: z.string(),
    evidence: z.array(EvidenceItem),
    /** The node outage this one belongs to (the node went down with it), if any. */
    host_outage_id: z.string().nullable(),
    /** For a node's outage: the outages of the targets on it that it grouped. */
    grouped: z.array(z.string()),
    /** Whether an alert went out for it. */
    alerted: z.boolean(),
  })
  .openapi('Outage')
export type Outage = z.infer<typeof Outage>

export const OutagesAnswer = z.object({ outages: z.array(Outage) }).openapi('Outages')

export const UptimePeriod = z.enum(['day', 'week', 'month'])
export type UptimePeriod = z.infer<typeof UptimePeriod>

/** Seconds in each state over one window; unknown time is its own figure, never counted as up. */
export const UptimeFigures = z.object({
  from: z.string(),
  to: z.string(),
  up_s: z.number(),
  busy_s: z.number(),
  degraded_s: z.number(),
  down_s: z.number(),
  maintenance_s: z.number(),
  unknown_s: z.number(),
  /** (up + busy + degraded) / (known time outside maintenance), in percent to 0.001; null when none is known. */
  uptime_pct: z.number().nullable(),
  outages: z.number().int(),
})
export type UptimeFigures = z.infer<typeof UptimeFigures>

export const UptimeAnswer = z
  .object({
    targets: z.array(
      z.object({ target: z.string(), day: UptimeFigures, week: UptimeFigures, month: UptimeFigures }),
    ),
  })
  .openapi('Uptime')

export const MaintenanceWindow = z
  .object({
    id: z.string(),
    /** Target ids, or `*` for all. */
    targets: z.array(z.string()).min(1),
    starts_at: z.string(),
    /** Null while open-ended: the swap's window lasts until the swap is over. */
    ends_at: z.string().nullable(),
    reason: z.string(),
    /** `owner` for a window set by a person, `swap` for the one a swap opens on vLLM. */
    source: z.enum(['owner', 'swap']),
  })
  .openapi('MaintenanceWindow')
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>

export const MaintenanceRequest = z
  .object({
    targets: z.array(z.string().min(1).max(100)).min(1).max(100),
    /** Default now. */
    starts_at: z.string().datetime({ offset: true }).optional(),
    ends_at: z.string().datetime({ offset: true }),
    reason: z.string().min(1).max(500),
  })
  .openapi('MaintenanceRequest')

/**
 * The body of every alert webhook POST (`ALERT_WEBHOOK_URL`): `X-Spark-Event` repeats `event`,
 * `X-Spark-Delivery` is stable across retries (dedupe on it), and with a secret the body is signed
 * as the swap webhook is (`X-Spark-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`).
 */
export const MonitorAlert = z
  .object({
    event: z.enum(['outage', 'resolved', 'reminder']),
    target: z.string(),
    title: z.string(),
    kind: TargetKind,
    /** The target's state when the message was made (`up`, `unknown`, … on a resolve). */
    state: TargetState,
    severity: z.enum(['down', 'degraded']),
    started_at: z.string(),
    /** Set on `resolved`; null while the outage lasts. */
    ended_at: z.string().nullable(),
    /** Seconds, to the end or (while it lasts) to when the message was made. */
    duration_s: z.number(),
    reason: z.string(),
    /** On a node's alert: the targets on that node in outage with it (not alerted apart). */
    grouped: z.array(z.string()),
    /** True when the cluster is the simulator's. */
    simulated: z.boolean(),
  })
  .openapi('MonitorAlert')
export type MonitorAlert = z.infer<typeof MonitorAlert>

/** One message of `GET /api/monitor/events` (SSE): the event name is `type`. */
export const MonitorEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    target: z.string(),
    from: TargetState,
    to: TargetState,
    at: z.string(),
    reason: z.string(),
  }),
  z.object({ type: z.literal('outage'), outage: Outage }),
  z.object({
    type: z.literal('report'),
    target: z.string(),
    at: z.string(),
    ok: z.boolean(),
    source: z.string(),
  }),
])
export type MonitorEvent = z.infer<typeof MonitorEvent>
