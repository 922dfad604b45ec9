/**
 * OpenAPI shapes of the coordination routes (history, lock, logs): what they answer is the contract
 * in shared/contracts/swap-controller.ts, re-exported for the routes and checked against the
 * domain's own types below.
 */
import type { Same } from '../../../shared/contracts/same.ts'
import type { AuditEntry, LockState, LogLine } from '../../../shared/contracts/swap-controller.ts'
import type { LogLineEvent } from '../adapters/log-tail.ts'
import type { LockView } from '../domain/coordination/lock.ts'
import type { AuditEntry as StoredAuditEntry } from '../domain/coordination/ports.ts'

export {
  auditHistorySchema,
  grantedLockSchema,
  lockStateSchema,
  recentLogsSchema,
} from '../../../shared/contracts/swap-controller.ts'

// The store, the lock and the log tail give exactly the contract's shapes; a drift fails tsc here.
true satisfies Same<StoredAuditEntry, AuditEntry>
true satisfies Same<LockView, LockState>
true satisfies Same<LogLineEvent, LogLine>
