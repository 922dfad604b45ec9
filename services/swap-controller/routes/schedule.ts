/**
 * `GET/POST/DELETE /api/schedule`: the earlier API's schedule registry — who plans to swap to what
 * and when. Informational only: nothing here runs a swap. Entry fields are our choice (the earlier
 * API never documented them), recorded in docs/COMPATIBILITY.md; `next_run` is an addition.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { badRequest } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import { SCHEDULE_ID, scheduleInputSchema } from '../domain/coordination/schedule.ts'
import type { Coordination } from '../domain/coordination/service.ts'

const entrySchema = z
  .object({
    id: z.string(),
    holder: z.string(),
    recipe: z.string().nullable(),
    model: z.string().nullable(),
    cron: z
      .string()
      .nullable()
      .openapi({ description: 'Five-field cron (minute hour day month weekday), in UTC, or @daily-style.' }),
    at: z.string().nullable().openapi({ description: 'One-off time, ISO-8601 in UTC (`+00:00`).' }),
    note: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    next_run: z
      .string()
      .nullable()
      .openapi({
        description:
          'When the entry next comes due, ISO-8601 in UTC (`+00:00`): the next time its cron matches, or ' +
          'its `at` while that is ahead; null when it never will. Computed on each answer; nothing runs then.',
      }),
  })
  .openapi('ScheduleEntry')

const detailBody = z.object({ detail: z.unknown() }).openapi('ScheduleError')
const detail = (description: string) => jsonContent(description, detailBody)
const idParam = z.string().regex(SCHEDULE_ID, 'must be a schedule entry id')

const listRoute = createRoute({
  method: 'get',
  path: '/api/schedule',
  tags: ['coordination'],
  summary: 'The schedule registry (informational: nothing is executed)',
  responses: {
    200: {
      description: 'Every entry, oldest first',
      content: {
        'application/json': { schema: z.object({ entries: z.array(entrySchema) }).openapi('ScheduleList') },
      },
    },
  },
})

const entryInput = scheduleInputSchema.openapi('ScheduleEntryInput')

const addRoute = createRoute({
  method: 'post',
  path: '/api/schedule',
  tags: ['coordination'],
  summary: 'Add an entry, or replace the entry with the same `id`',
  request: { body: jsonBody(entryInput) },
  responses: {
    200: jsonContent('The stored entry', entrySchema),
    409: detail('The registry is full'),
    422: detail('Invalid entry'),
  },
})

const deleted = z.object({ deleted: z.literal(true), entry: entrySchema }).openapi('ScheduleDeleted')

const deleteByQuery = createRoute({
  method: 'delete',
  path: '/api/schedule',
  tags: ['coordination'],
  summary: 'Delete an entry by `?id=`',
  request: { query: z.object({ id: idParam.optional() }) },
  responses: {
    200: jsonContent('Deleted', deleted),
    400: detail('No id given'),
    404: detail('No such entry'),
  },
})

const deleteByPath = createRoute({
  method: 'delete',
  path: '/api/schedule/{id}',
  tags: ['coordination'],
  summary: 'Delete an entry by id',
  request: { params: z.object({ id: idParam.openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: {
    200: jsonContent('Deleted', deleted),
    404: detail('No such entry'),
  },
})

export function scheduleRoutes({ coordination }: { coordination: Coordination }): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, (c) => c.json({ entries: coordination.listSchedule() }, 200))
  router.openapi(addRoute, (c) => {
    const ctx = { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId }
    return c.json(coordination.putSchedule(c.req.valid('json'), ctx), 200)
  })
  router.openapi(deleteByQuery, (c) => {
    const { id } = c.req.valid('query')
    if (!id)
      throw badRequest('Say which entry to delete: DELETE /api/schedule?id=<id> or /api/schedule/<id>.')
    const ctx = { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId }
    return c.json({ deleted: true as const, entry: coordination.deleteSchedule(id, ctx) }, 200)
  })
  router.openapi(deleteByPath, (c) => {
    const ctx = { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId }
    return c.json(
      { deleted: true as const, entry: coordination.deleteSchedule(c.req.valid('param').id, ctx) },
      200,
    )
  })
  return router
}
