/**
 * `GET /api/swap/history`: the audit log, newest first — every mutation of the cluster and of the
 * coordination state (who, when, what, dry run or real, outcome, milliseconds per phase). New in
 * Spark Control: it sits under `/api/swap`, but as a new route its errors are problem+json
 * (`NEW_UNDER_EARLIER_PREFIXES` in shared/errors.ts).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { Coordination } from '../domain/coordination/service.ts'
import { auditHistorySchema } from './coordination-schemas.ts'

export const HISTORY_LIMIT = { default: 50, max: 500 } as const
/** Up to 20 names like `swap.start` or `model.download.cancel`. */
const OUTCOMES = /^[a-z_]{1,32}(,[a-z_]{1,32}){0,19}$/
const ACTIONS = /^[a-z_]{1,32}(\.[a-z_]{1,32}){0,3}(,[a-z_]{1,32}(\.[a-z_]{1,32}){0,3}){0,19}$/

const historyRoute = createRoute({
  method: 'get',
  path: '/api/swap/history',
  tags: ['coordination'],
  summary: 'The audit log, newest first',
  request: {
    query: z.object({
      limit: z
        .string()
        .regex(/^\d{1,9}$/, 'must be a whole number')
        .refine((v) => Number(v) >= 1, `must be at least 1 (1 to ${HISTORY_LIMIT.max})`)
        .optional()
        .openapi({
          description: `Rows to return, at least 1; default ${HISTORY_LIMIT.default}, larger values are cut to ${HISTORY_LIMIT.max}.`,
        }),
      action: z
        .string()
        .regex(ACTIONS, 'must be action names separated by commas (e.g. swap.start,swap.stop)')
        .optional()
        .openapi({
          description: 'Only these actions, comma-separated (e.g. `swap.start,swap.stop`).',
          example: 'swap.start,swap.stop',
        }),
      outcome: z
        .string()
        .regex(OUTCOMES, 'must be outcomes separated by commas (e.g. ok,ready,failed)')
        .optional()
        .openapi({ description: 'Only these outcomes, comma-separated (e.g. `ok,ready,rolled_back`).' }),
      dry_run: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: 'Only dry runs (`true`) or only real requests (`false`).' }),
    }),
  },
  responses: {
    200: {
      description: 'Audit rows',
      content: {
        'application/json': { schema: auditHistorySchema },
      },
    },
    422: {
      description: 'Invalid limit (not a whole number, or below 1)',
      content: { 'application/problem+json': { schema: z.object({ detail: z.unknown() }).passthrough() } },
    },
  },
})

export function historyRoutes({ coordination }: { coordination: Coordination }): ServiceApp {
  const router = createRouter()
  router.openapi(historyRoute, (c) => {
    const { limit: raw, action, outcome, dry_run: dryRun } = c.req.valid('query')
    const limit = Math.min(HISTORY_LIMIT.max, raw === undefined ? HISTORY_LIMIT.default : Number(raw))
    const filter = {
      actions: action?.split(','),
      outcomes: outcome?.split(','),
      dryRun: dryRun === undefined ? undefined : dryRun === 'true',
    }
    return c.json({ entries: coordination.history(limit, filter) }, 200)
  })
  return router
}
