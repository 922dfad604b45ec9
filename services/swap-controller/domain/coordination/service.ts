/**
 * The coordination layer in one place: the swap lock, the audit log, the schedule registry and
 * the webhook outbox, over a store port and an injected clock. Each mutation and its audit row are
 * written in one transaction, so what a client is told has happened is on disk before it is told.
 * The swap engine calls `assertSwapAllowed`, `recordAudit` and `enqueueWebhook`.
 */
import type { AuditQuery } from '../../../../shared/audit/table.ts'
import { AppError, conflict, notFound } from '../../../../shared/errors.ts'
import {
  type AcquireRequest,
  checkSwapAllowed,
  decideAcquire,
  decideRelease,
  type LockRecord,
  type LockView,
  lockView,
  type RefusalReason,
} from './lock.ts'
import type { AuditEntry, AuditFilter, AuditInput, CoordinationStore } from './ports.ts'
import {
  MAX_SCHEDULE_ENTRIES,
  type ScheduleEntry,
  type ScheduleInput,
  type ScheduleView,
  scheduleView,
  toScheduleEntry,
} from './schedule.ts'
import { mintToken } from './token.ts'
import { encodeEvent, WEBHOOK_EVENTS, type WebhookEvent } from './webhook.ts'

export interface RequestContext {
  actor: string
  requestId?: string
}

export type LockGranted = Extract<LockView, { held: true }> & { token: string }

export interface Coordination {
  lockState(): LockView
  /** Acquire or extend; throws 409 (with `lock`) when someone else holds it or the token is wrong. */
  acquireLock(request: AcquireRequest, ctx: RequestContext): LockGranted
  /** Release with the token, or `force` for a person; throws 403 (with `lock`) without the token. */
  releaseLock(request: { token?: string; force?: boolean }, ctx: RequestContext): LockView
  /** For the swap engine: throws `AppError(423)` while another's lock is held and the token is not shown. */
  assertSwapAllowed(token?: string): void
  recordAudit(entry: AuditInput): AuditEntry
  /** Queues a signed delivery in the durable outbox; returns its id, or null when no webhook is set. */
  enqueueWebhook(event: WebhookEvent): number | null
  history(limit: number, filter?: AuditFilter): AuditEntry[]
  /** The audit log with every service's filters (`GET /api/swap-controller/audit`). */
  auditLog(query: AuditQuery): AuditEntry[]
  /** Entries as answered, each with its `next_run` from the clock's now. */
  listSchedule(): ScheduleView[]
  putSchedule(input: ScheduleInput, ctx: RequestContext): ScheduleView
  deleteSchedule(id: string, ctx: RequestContext): ScheduleView
}

export interface CoordinationOptions {
  store: CoordinationStore
  clock?: () => number
  mintToken?: () => string
  newId?: () => string
  /** Told after each enqueue so it sends now rather than at its next timer; absent = no webhook set. */
  webhook?: { notify(): void; enabled?(): boolean } | null
  maxScheduleEntries?: number
}

const REFUSALS: Record<RefusalReason, (lock: LockRecord) => string> = {
  other_holder: (l) =>
    `The swap lock is held by ${l.holder}; it can be taken when they release it or it expires.`,
  token_required: (l) => `The swap lock is held by ${l.holder}; this needs the lock's token.`,
  token_mismatch: (l) => `The swap lock is held by ${l.holder}; the token given is not its token.`,
}

const describeEntry = (e: ScheduleEntry) =>
  `${e.holder}: ${e.recipe ?? e.model ?? '-'} ${e.cron ?? e.at ?? ''}`.trim()

export function createCoordination(options: CoordinationOptions): Coordination {
  const { store } = options
  const now = options.clock ?? Date.now
  const mint = options.mintToken ?? mintToken
  const newId = options.newId ?? (() => `sch_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`)
  const maxEntries = options.maxScheduleEntries ?? MAX_SCHEDULE_ENTRIES
  const audit = (entry: AuditInput) => store.audit.append({ ...entry, atMs: entry.atMs ?? now() })
  const auditOf = (
    ctx: RequestContext,
    action: string,
    target: string | null,
    outcome: string,
    detail: string,
  ) => audit({ actor: ctx.actor, requestId: ctx.requestId, action, target, outcome, detail })

  /** A lock past its end is cleared and its expiry audited (at the moment it expired) when next seen. */
  const sweepExpired = (at: number) =>
    store.transaction(() => {
      const lock = store.lock.read()
      if (!lock || lock.expiresAtMs > at) return
      store.lock.clear()
      audit({
        actor: 'system',
        action: 'lock.expire',
        target: lock.holder,
        outcome: 'expired',
        detail: `The reservation by ${lock.holder} ran out without being released.`,
        atMs: lock.expiresAtMs,
      })
    })

  return {
    lockState() {
      const at = now()
      sweepExpired(at)
      return lockView(store.lock.read(), at)
    },

    acquireLock(request, ctx) {
      const at = now()
      sweepExpired(at)
      const decision = store.transaction(() => {
        const d = decideAcquire(store.lock.read(), request, at, mint)
        if (d.kind === 'refused') {
          auditOf(ctx, 'lock.acquire', request.holder, 'refused', REFUSALS[d.reason](d.current))
        } else {
          store.lock.write(d.lock)
          const ttl = Math.round((d.lock.expiresAtMs - at) / 1000)
          auditOf(
            ctx,
            d.kind === 'acquired' ? 'lock.acquire' : 'lock.extend',
            request.holder,
            'ok',
            `ttl ${ttl} s`,
          )
        }
        return d
      })
      if (decision.kind === 'refused')
        throw conflict(REFUSALS[decision.reason](decision.current), {
          extra: { lock: lockView(decision.current, at) },
        })
      return { ...(lockView(decision.lock, at) as Extract<LockView, { held: true }>), token: decision.token }
    },

    releaseLock(request, ctx) {
      const at = now()
      const action = request.force ? 'lock.force_release' : 'lock.release'
      sweepExpired(at)
      const decision = store.transaction(() => {
        const d = decideRelease(store.lock.read(), request, at)
        if (d.kind === 'released') {
          store.lock.clear()
          auditOf(
            ctx,
            action,
            d.previous.holder,
            'ok',
            d.forced ? `forced; was held by ${d.previous.holder}` : 'released',
          )
        } else if (d.kind === 'refused')
          auditOf(ctx, action, d.current.holder, 'refused', REFUSALS[d.reason](d.current))
        else auditOf(ctx, action, null, 'ok', 'was not held')
        return d
      })
      if (decision.kind === 'refused')
        throw new AppError(403, 'lock_token_required', REFUSALS[decision.reason](decision.current), {
          extra: { lock: lockView(decision.current, at) },
        })
      return { held: false }
    },

    assertSwapAllowed(token) {
      const at = now()
      sweepExpired(at)
      const permission = checkSwapAllowed(store.lock.read(), token, at)
      if (permission.ok) return
      const message = `${REFUSALS[permission.reason](permission.current)} Swaps are refused until then.`
      throw new AppError(423, 'swap_locked', message, { extra: { lock: lockView(permission.current, at) } })
    },

    recordAudit: (entry) => store.transaction(() => audit(entry)),

    enqueueWebhook(event) {
      if (!options.webhook || options.webhook.enabled?.() === false) return null
      if (!WEBHOOK_EVENTS.includes(event.event))
        throw new TypeError(`unknown webhook event ${String(event.event)}`)
      const id = store.outbox.enqueue(event.event, encodeEvent(event), now())
      options.webhook.notify()
      return id
    },

    history: (limit, filter) => store.audit.recent(limit, filter),

    auditLog: (query) => store.audit.query(query),

    listSchedule() {
      const at = now()
      return store.schedule.list().map((e) => scheduleView(e, at))
    },

    putSchedule(input, ctx) {
      return store.transaction(() => {
        const existing = input.id ? store.schedule.get(input.id) : undefined
        if (!existing && store.schedule.count() >= maxEntries)
          throw conflict(`The schedule is full (${maxEntries} entries); delete old entries first.`)
        const at = now()
        const entry = toScheduleEntry(input, at, newId, existing)
        store.schedule.put(entry)
        auditOf(ctx, existing ? 'schedule.update' : 'schedule.add', entry.id, 'ok', describeEntry(entry))
        return scheduleView(entry, at)
      })
    },

    deleteSchedule(id, ctx) {
      return store.transaction(() => {
        const entry = store.schedule.get(id)
        if (!entry) throw notFound(`No schedule entry with id ${id}.`)
        store.schedule.remove(id)
        auditOf(ctx, 'schedule.delete', id, 'ok', describeEntry(entry))
        return scheduleView(entry, now())
      })
    },
  }
}
