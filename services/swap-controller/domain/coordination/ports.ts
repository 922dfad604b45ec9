/**
 * What coordination needs from storage. The SQLite store (adapters/store) implements it; calls are
 * synchronous on purpose so a read-decide-write runs inside one transaction with nothing in between.
 */
import type { AuditInput } from '../../../../shared/audit/recorder.ts'
import type { AuditEntry, AuditQuery } from '../../../../shared/audit/table.ts'
import type { LockRecord } from './lock.ts'
import type { ScheduleEntry } from './schedule.ts'

/**
 * One audit row in and out: the same for every service (shared/audit/). Here the actor is
 * `X-Spark-Actor` (the key's name behind the gateway), else "dashboard" or "api", and `atMs`
 * defaults to the coordination clock's now.
 */
export type { AuditEntry, AuditInput }

export interface OutboxItem {
  id: number
  event: string
  body: string
  /** Deliveries tried so far. */
  attempts: number
  nextAttemptAtMs: number
}

export interface LockRepository {
  read(): LockRecord | null
  write(lock: LockRecord): void
  clear(): void
}

export interface AuditRepository {
  append(entry: AuditInput & { atMs: number }): AuditEntry
  /** Newest first. */
  /** Newest first; only the rows the filter lets through (each part applies when given). */
  recent(limit: number, filter?: AuditFilter): AuditEntry[]
  /** The filters every service's `GET /api/<service>/audit` takes (shared/audit/table.ts). */
  query(query: AuditQuery): AuditEntry[]
}

export interface ScheduleRepository {
  list(): ScheduleEntry[]
  get(id: string): ScheduleEntry | undefined
  put(entry: ScheduleEntry): void
  remove(id: string): boolean
  count(): number
}

export interface WebhookOutbox {
  enqueue(event: string, body: string, nowMs: number): number
  /** Pending items due at `nowMs`, oldest first. */
  due(nowMs: number, limit: number): OutboxItem[]
  /** When the next pending item is due; null when none is pending. */
  nextDueAtMs(): number | null
  markDelivered(id: number, nowMs: number, attempts: number): void
  markRetry(id: number, attempts: number, nextAttemptAtMs: number, error: string): void
  markFailed(id: number, attempts: number, error: string): void
}

export interface CoordinationStore {
  transaction<T>(fn: () => T): T
  lock: LockRepository
  audit: AuditRepository
  schedule: ScheduleRepository
  outbox: WebhookOutbox
}

/** Which audit rows a reader wants: some actions, some outcomes, real or dry runs only. */
export interface AuditFilter {
  actions?: readonly string[]
  outcomes?: readonly string[]
  dryRun?: boolean
}
