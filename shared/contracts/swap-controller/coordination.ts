/**
 * The swap-controller's coordination answers on the wire: the audit log (`GET /api/swap/history`),
 * the swap lock (`/api/swap/lock`, the earlier API's shape) and the vLLM log lines
 * (`GET /api/swap/logs/recent`, and the `log` events of `GET /api/swap/logs`). The dashboard reads
 * all of them; the routes publish their OpenAPI from these schemas.
 */
import { z } from '@hono/zod-openapi'

/**
 * Every `outcome` the controller writes to the audit log; the dashboard has words for each, and
 * services/swap-controller/domain/coordination/audit-codes.test.ts fails when the code writes another.
 */
export const AUDIT_OUTCOMES = [
  'ok',
  'refused',
  'failed',
  'cancelled',
  'interrupted',
  'started',
  'ready',
  'rolled_back',
  'expired',
] as const
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number]

/** Why the swap lock refused a request; earlier audit rows carry these codes in `detail`. */
export const LOCK_REFUSAL_REASONS = ['other_holder', 'token_required', 'token_mismatch'] as const

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ example: '2026-01-01T22:00:00.000000+00:00' }),
    actor: z.string().openapi({ description: '`X-Spark-Actor`, else `dashboard` or `api`.' }),
    action: z.string().openapi({ example: 'lock.acquire' }),
    target: z.string().nullable(),
    dry_run: z.boolean(),
    outcome: z.string().openapi({ example: 'ok' }),
    duration_ms: z
      .record(z.string(), z.number())
      .nullable()
      .openapi({ description: 'Milliseconds per phase.' }),
    detail: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi('AuditEntry')

export const auditHistorySchema = z.object({ entries: z.array(auditEntrySchema) }).openapi('AuditHistory')

export const heldLockSchema = z.object({
  held: z.literal(true),
  holder: z.string(),
  acquired_at: z.string().openapi({ example: '2026-01-01T22:00:00.000000+00:00' }),
  expires_at: z.string().openapi({ example: '2026-01-01T22:15:00.000000+00:00' }),
  seconds_remaining: z
    .number()
    .int()
    .openapi({ description: 'Whole seconds, rounded up; 0 only once expired.' }),
  note: z.string().nullable(),
})

export const lockStateSchema = z
  .union([heldLockSchema, z.object({ held: z.literal(false) })])
  .openapi('SwapLockState')

export const grantedLockSchema = heldLockSchema
  .extend({
    token: z.string().openapi({ description: 'Secret: needed to swap, extend and release. Keep it.' }),
  })
  .openapi('SwapLockGranted')

/** One line of a vLLM container's log; `at` is docker's timestamp of it. */
export const logLineSchema = z.object({ node: z.string(), line: z.string(), at: z.string() })

export const recentLogsSchema = z.object({ lines: z.array(logLineSchema) })

export type AuditEntry = z.infer<typeof auditEntrySchema>
export type LockState = z.infer<typeof lockStateSchema>
export type LogLine = z.infer<typeof logLineSchema>
