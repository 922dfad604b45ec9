/**
 * What coordination needs from storage. The SQLite store (adapters/store) implements it; calls are
 * synchronous on purpose so a read-decide-write runs inside one transaction with nothing in between.
 */
import type { AuditQuery } from '../../../../shared/audit/table.ts'
import type { LockRecord } from './lock.ts'
import type { ScheduleEntry } from './schedule.ts'

export interface AuditInput {
  /** A person or program: `X-Spark-Actor`, later the API key's name, else "dashboard" or "api". */
  actor: string
  /** Dotted verb, e.g. `lock.acquire`, `swap.start`, `schedule.delete`. */
  action: string
  /** What it acted on: a recipe key, a schedule id, a lock holder. */
  target?: string | null
  dryRun?: boolean
  /** `ok`, `refused`, `failed`, `cancelled`, `rolled_back`, … */
  outcome: string
  /** Milliseconds per phase, e.g. `{stopping: 5200, loading: 81000}`. */
  durationMs?: Record<string, number> | null
  /** A short human sentence; never a token, secret or prompt. */
  detail?: string | null
  requestId?: string | null
  /** Defaults to the coordination clock's now. */
  atMs?: number
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  target: string | null
  dry_run: boolean
  outcome: string
  duration_ms: Record<string, number> | null
  detail: string | null
  request_id: string | null
}

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
