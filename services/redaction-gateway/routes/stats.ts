/**
 * `GET /api/redaction/stats`: how many placeholders of each type and Tier-1 spans of each kind
 * `/scrub` produced per hour, over the last `hours` hours — counts only, never a value or a token.
 * New in Spark Control, so its errors are problem+json.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { AppError } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import {
  DEFAULT_WINDOW_HOURS,
  HOUR_MS,
  type HourCounts,
  RETENTION_HOURS,
  type TypeCountStore,
  totalsOf,
  windowOf,
} from '../domain/stats/counts.ts'
import { RedactionStats } from './stats-schemas.ts'

export const STATS_PATH = '/api/redaction/stats'

export interface StatsRouteDeps {
  /** The counts; absent when their file could not be opened (503, the scrubs go on). */
  counts?: TypeCountStore
  now: () => Date
}

const route = createRoute({
  method: 'get',
  path: STATS_PATH,
  summary: 'Placeholders per type and Tier-1 spans per kind, per hour (never values)',
  request: {
    query: z.object({
      hours: z
        .string()
        .regex(/^\d{1,4}$/, 'must be a whole number')
        .refine((v) => Number(v) >= 1 && Number(v) <= RETENTION_HOURS, `must be 1 to ${RETENTION_HOURS}`)
        .optional()
        .openapi({
          description: `How many hours back, the current one included; default ${DEFAULT_WINDOW_HOURS}, at most ${RETENTION_HOURS} (what is kept).`,
        }),
    }),
  },
  responses: {
    200: jsonContent('Counts per hour (hours without a scrub are left out) and their totals', RedactionStats),
    422: jsonContent('`hours` is not a whole number from 1 to the retention', z.object({}).passthrough()),
    503: jsonContent('The counts could not be opened', z.object({}).passthrough()),
  },
})

export function statsRoutes(deps: StatsRouteDeps): ServiceApp {
  const app = createRouter()
  app.openapi(route, (c) => {
    const counts = deps.counts
    if (!counts)
      throw new AppError(503, 'stats_unavailable', 'The redaction counts could not be opened; see the logs.')
    const raw = c.req.valid('query').hours
    const hours = raw === undefined ? DEFAULT_WINDOW_HOURS : Number(raw)
    const { fromHour, toHour } = windowOf(deps.now(), hours)
    const buckets = counts.hours(fromHour, toHour)
    const iso = (ms: number) => new Date(ms).toISOString()
    const wire = (b: HourCounts) => ({ ...b, hour: iso(b.hour) })
    return c.json(
      {
        hours,
        bucket_s: HOUR_MS / 1000,
        from: iso(fromHour),
        to: iso(toHour + HOUR_MS),
        buckets: buckets.map(wire),
        totals: totalsOf(buckets),
      },
      200,
    )
  })
  return app
}
