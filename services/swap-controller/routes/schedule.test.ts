import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import { openSwapStore, type SwapStore } from '../adapters/store/store.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { scheduleRoutes } from './schedule.ts'

const stores: SwapStore[] = []

async function setup() {
  const store = await openSwapStore({ path: ':memory:' })
  stores.push(store)
  const coordination = createCoordination({ store, clock: () => Date.parse('2026-03-01T12:00:00Z') })
  const app = createService({
    name: 'swap-controller',
    logger: silentLogger(),
    readiness: createReadiness({ service: 'swap-controller', checks: [] }),
  })
  app.route('/', scheduleRoutes({ coordination }))
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  return { call, coordination }
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('/api/schedule', () => {
  it('adds, lists and deletes entries (by ?id= and by path)', async () => {
    const { call } = await setup()
    expect(await call('GET', '/api/schedule')).toEqual({ status: 200, body: { entries: [] } })
    const a = await call('POST', '/api/schedule', {
      holder: 'crm',
      recipe: 'qwen3',
      cron: '0 22 * * 1-5',
      note: 'weeknights',
    })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({
      holder: 'crm',
      recipe: 'qwen3',
      model: null,
      cron: '0 22 * * 1-5',
      at: null,
      note: 'weeknights',
      // The clock says Sunday noon (UTC): the next weekday at 22:00 is Monday's.
      next_run: '2026-03-02T22:00:00.000000+00:00',
    })
    const b = await call('POST', '/api/schedule', {
      id: 'demo',
      holder: 'sales',
      model: 'm',
      at: '2026-03-05T09:00:00-05:00',
    })
    expect(b.body).toMatchObject({
      id: 'demo',
      at: '2026-03-05T14:00:00.000000+00:00',
      next_run: '2026-03-05T14:00:00.000000+00:00',
    })
    const list = await call('GET', '/api/schedule')
    expect(
      (list.body.entries as Array<{ id: string; next_run: string }>).map((e) => [e.id, e.next_run]),
    ).toEqual([
      [a.body.id, '2026-03-02T22:00:00.000000+00:00'],
      ['demo', '2026-03-05T14:00:00.000000+00:00'],
    ])
    expect(await call('DELETE', '/api/schedule?id=demo')).toMatchObject({
      status: 200,
      body: { deleted: true, entry: { id: 'demo' } },
    })
    expect(await call('DELETE', `/api/schedule/${a.body.id as string}`)).toMatchObject({
      status: 200,
      body: { deleted: true },
    })
    expect((await call('GET', '/api/schedule')).body).toEqual({ entries: [] })
  })

  it('answers the earlier error bodies: 404, 400 without an id, 422 with the failing fields', async () => {
    const { call } = await setup()
    const missing = await call('DELETE', '/api/schedule/nope')
    expect(missing.status).toBe(404)
    expect(typeof missing.body.detail).toBe('string')
    expect((await call('DELETE', '/api/schedule')).status).toBe(400)
    const bad = await call('POST', '/api/schedule', { holder: 'x', cron: 'rm -rf /', at: 'later' })
    expect(bad.status).toBe(422)
    expect((bad.body.detail as Array<{ loc: string[] }>).map((d) => d.loc)).toEqual([
      ['body', 'cron'],
      ['body', 'at'],
    ])
    expect((await call('DELETE', '/api/schedule/..%2F..')).status).toBe(422)
  })

  it('refuses an out-of-range cron and a recipe that is not a recipe key with 422 naming the field', async () => {
    const { call } = await setup()
    const cron = await call('POST', '/api/schedule', {
      holder: 'nightly',
      recipe: 'gpt-oss-120b',
      cron: '99 99 * * *',
    })
    expect(cron.status).toBe(422)
    expect((cron.body.detail as Array<{ loc: string[] }>).map((d) => d.loc)).toEqual([['body', 'cron']])
    const recipe = await call('POST', '/api/schedule', {
      holder: 'n',
      recipe: '$(id)',
      at: '2026-12-01T00:00:00+00:00',
    })
    expect(recipe.status).toBe(422)
    expect((recipe.body.detail as Array<{ loc: string[]; msg: string }>)[0]).toMatchObject({
      loc: ['body', 'recipe'],
      msg: expect.stringMatching(/recipe key/),
    })
    expect((await call('GET', '/api/schedule')).body).toEqual({ entries: [] })
  })

  it('refuses a cron that never fires with 422 saying so, and stores nothing', async () => {
    const { call } = await setup()
    const never = await call('POST', '/api/schedule', { holder: 'n', cron: '0 0 31 2 *' })
    expect(never.status).toBe(422)
    expect((never.body.detail as Array<{ loc: string[]; msg: string }>)[0]).toMatchObject({
      loc: ['body', 'cron'],
      msg: '`0 0 31 2 *` never fires: no date matches all its fields (like day 31 in February)',
    })
    expect((await call('GET', '/api/schedule')).body).toEqual({ entries: [] })
  })
})
