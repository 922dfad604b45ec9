/**
 * The monitor's route shapes: the contract's schemas (shared/contracts/connectivity-monitor.ts),
 * its query and path parameters, the two error bodies (the earlier `{"detail": ...}` on
 * `/api/health-event`, problem+json on the new routes), and the hook that makes a bad query a 400.
 */
import { z } from '@hono/zod-openapi'
import { badRequest, type FieldIssue, validationFailed } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'

export {
  HealthEventAnswer,
  HealthEventRequest,
  MaintenanceRequest,
  MaintenanceWindow,
  OutagesAnswer,
  OutcomeBatch,
  OutcomeBatchAnswer,
  TargetsAnswer,
  UptimeAnswer,
} from '../../../shared/contracts/connectivity-monitor.ts'

import { MaintenanceWindow } from '../../../shared/contracts/connectivity-monitor.ts'

const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:spark-control:error:bad_request' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    request_id: z.string().optional(),
  })
  .openapi('MonitorProblem')

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
})

/** The earlier route's FastAPI-style `{"detail": ...}` (a string, or a list of field errors). */
export const detail = (description: string) => jsonContent(description, z.object({ detail: z.unknown() }))

export const MaintenanceWindows = z
  .object({ windows: z.array(MaintenanceWindow) })
  .openapi('MaintenanceWindows')
export const MaintenanceRemoved = z
  .object({ id: z.string(), removed: z.literal(true) })
  .openapi('MaintenanceRemoved')

const datetime = (description: string) =>
  z.string().datetime({ offset: true }).optional().openapi({ description, example: '2026-01-05T10:00:00Z' })

export const OutagesQuery = z.object({
  target: z.string().min(1).max(100).optional().openapi({ description: 'Only this target’s outages.' }),
  since: datetime('Only outages still going at or after this time.'),
  until: datetime('Only outages that began before this time.'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .openapi({ description: 'Newest first; at most 1000.' }),
})

export const UptimeQuery = z.object({
  target: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Only this target (default: every one).' }),
})

export const WindowIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'mnt_0123456789abcdef' }),
})

/** Where a field lives, in the words the error bodies use (as shared/service.ts says them). */
const LOCATIONS: Record<string, string> = { json: 'body', param: 'path' }

const issuesOf = (error: z.ZodError, target: string): FieldIssue[] =>
  error.issues.map((i) => ({
    field: i.path.map(String).join('.'),
    message: i.message,
    location: LOCATIONS[target] ?? target,
  }))

/** What a route's validation hook is given. */
interface Validated {
  success: boolean
  target: string
  error?: z.ZodError
}

/** A query the route cannot read is a 400 naming the parameters (a body's fields stay 422). */
export function badQueryIs400(result: Validated): void {
  if (result.success || !result.error) return
  const issues = issuesOf(result.error, result.target)
  if (result.target === 'query')
    throw badRequest(`Bad query: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { issues })
  throw validationFailed(issues)
}

/** A batch over the size limit is a 400 (the client must split it); other body faults are 422. */
export function oversizeBatchIs400(result: Validated): void {
  if (result.success || !result.error) return
  const issues = issuesOf(result.error, result.target)
  const tooMany = result.error.issues.some(
    (i) => i.path[0] === 'outcomes' && i.path.length === 1 && i.code === 'too_big',
  )
  if (tooMany) throw badRequest('Too many outcomes in one batch: split it.', { issues })
  throw validationFailed(issues)
}
