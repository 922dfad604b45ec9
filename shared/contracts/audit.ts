/**
 * The audit log of every service: `GET /api/<service>/audit` (one service's entries, served by the
 * service itself through shared/audit/route.ts) and `GET /api/audit` (the gateway's merge of them
 * all, each entry with its `service`). Entries never carry a secret, a key, a password or a PII
 * value: a settings save names the keys it changed, a map deletion the map's id.
 */
import { z } from '@hono/zod-openapi'
import { SERVICE_NAMES } from '../topology.ts'

export const AUDIT_LIMIT = { default: 100, max: 1000 } as const

const WORD = /^[A-Za-z0-9_.:@/+-]{1,128}$/

/** The filters both routes take; every one optional, together they narrow. */
export const auditQuerySchema = z.object({
  actor: z
    .string()
    .regex(WORD)
    .optional()
    .openapi({ description: 'Exactly this actor (a key name, `owner`, `dashboard`, `api`).' }),
  action: z
    .string()
    .regex(
      /^[a-z_]{1,32}(\.[a-z_]{1,32}){0,3}\.?$/,
      'must be a dotted action name or its start (e.g. swap, settings.update)',
    )
    .optional()
    .openapi({
      description: 'An action or its start: `swap` matches `swap.start` and `swap.stop`.',
      example: 'collection',
    }),
  target: z
    .string()
    .max(256)
    .optional()
    .openapi({ description: 'Exactly this target (a collection, a map id, a recipe).' }),
  outcome: z
    .string()
    .regex(/^[a-z_]{1,32}$/)
    .optional()
    .openapi({ description: '`ok`, `refused`, `failed`, …' }),
  since: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'Entries at or after this ISO-8601 time.' }),
  until: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'Entries at or before this ISO-8601 time.' }),
  limit: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .refine((v) => Number(v) >= 1, `must be at least 1 (1 to ${AUDIT_LIMIT.max})`)
    .optional()
    .openapi({
      description: `Entries to return, newest first; default ${AUDIT_LIMIT.default}, cut to ${AUDIT_LIMIT.max}.`,
    }),
})

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ example: '2026-01-01T22:00:00.000000+00:00' }),
    actor: z.string(),
    action: z.string().openapi({ example: 'collection.delete' }),
    target: z.string().nullable(),
    dry_run: z.boolean(),
    outcome: z.string().openapi({ example: 'ok' }),
    duration_ms: z.record(z.string(), z.number()).nullable(),
    detail: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi('ServiceAuditEntry')

export const serviceAuditSchema = z.object({ entries: z.array(auditEntrySchema) }).openapi('ServiceAudit')

export const auditServiceSchema = z.enum(SERVICE_NAMES)

export const mergedAuditEntrySchema = auditEntrySchema
  .extend({ service: auditServiceSchema })
  .openapi('MergedAuditEntry')

export const mergedAuditSchema = z
  .object({
    entries: z.array(mergedAuditEntrySchema),
    unavailable: z
      .array(z.object({ service: auditServiceSchema, reason: z.string() }))
      .openapi({ description: 'Services whose log could not be read this time; their entries are missing.' }),
  })
  .openapi('MergedAudit')

export const mergedAuditQuerySchema = auditQuerySchema.extend({
  service: auditServiceSchema.optional().openapi({ description: 'Only this service.' }),
})

export type AuditQueryParams = z.infer<typeof auditQuerySchema>
export type ServiceAuditEntry = z.infer<typeof auditEntrySchema>
export type MergedAuditEntry = z.infer<typeof mergedAuditEntrySchema>
export type MergedAudit = z.infer<typeof mergedAuditSchema>
