/**
 * The audit log every service writes its mutations to: who (a key's name, `owner`, `dashboard`,
 * `api`, a program), what (a dotted action such as `keys.create`, `login.failed`,
 * `collection.delete`), on what, the outcome, and a short sentence. Never a secret, a token, a
 * password or a PII value. The swap-controller's coordination audit has the same fields; the
 * gateway merges every service's log into one view.
 */

export interface AuditInput {
  actor: string
  action: string
  target?: string | null
  dryRun?: boolean
  /** `ok`, `refused`, `failed`, … (shared/contracts/swap-controller/coordination.ts AUDIT_OUTCOMES). */
  outcome: string
  durationMs?: Record<string, number> | null
  detail?: string | null
  requestId?: string | null
  atMs?: number
}

/** Records one entry; never throws into the request that made the change (a failure is logged). */
export interface AuditRecorder {
  record(entry: AuditInput): void
}

/** For tests and for code paths built before the store opens: keeps entries in memory. */
export function memoryAuditRecorder(): AuditRecorder & { entries: AuditInput[] } {
  const entries: AuditInput[] = []
  return { entries, record: (entry) => void entries.push(entry) }
}
