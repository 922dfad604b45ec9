import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { type MapStore, openMapStore } from '../adapters/map-store.ts'
import { openTypeCounts } from '../adapters/type-counts.ts'
import { buildApp } from '../app.ts'
import { loadRedactionConfig } from '../config.ts'
import { HOUR_MS, type TypeCountStore } from '../domain/stats/counts.ts'

const T0 = Date.UTC(2026, 11, 6, 9, 30)
let root: string
let clock: number
const closers: Array<() => void> = []

async function stack(options: { counted?: boolean } = {}) {
  const config = loadRedactionConfig({
    REDACTION_INSECURE_DEV_KEY: '1',
    REDACTION_MAP_DB: join(root, 'maps.db'),
  })
  const store: MapStore = await openMapStore({
    path: config.REDACTION_MAP_DB,
    key: Buffer.alloc(32, 3),
    ttlS: 3600,
    sweepEveryMs: 0,
  })
  closers.push(() => store.close())
  let typeCounts: TypeCountStore | undefined
  if (options.counted !== false) {
    typeCounts = await openTypeCounts({ path: join(root, 'counts.db'), flushEveryMs: 0, now: () => clock })
    closers.push(() => typeCounts?.close())
  }
  const app = buildApp({ config, logger: silentLogger(), store, typeCounts, now: () => new Date(clock) })
  const scrub = (body: unknown) =>
    app.request('/scrub', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const stats = async (query = '') => {
    const res = await app.request(`/api/redaction/stats${query}`)
    return { status: res.status, text: await res.text() }
  }
  return { scrub, stats }
}

const SECRET_TEXT = 'Email jane.roe@example.com or call Jane Roe; her SSN is 123-45-6789.'

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'redaction-stats-'))
  clock = T0
})
afterEach(async () => {
  for (const close of closers.splice(0)) close()
  await rm(root, { recursive: true, force: true })
})

describe('GET /api/redaction/stats', () => {
  it('counts every answered scrub per hour by type and Tier-1 kind, and never a value', async () => {
    const { scrub, stats } = await stack()
    const body = { task_id: 't1', ner: 'rules_only', items: [{ id: 1, text: SECRET_TEXT }] }
    expect((await scrub(body)).status).toBe(200)
    clock = T0 + HOUR_MS
    expect((await scrub({ ...body, items: [{ id: 2, text: 'Write to ann.lee@example.org.' }] })).status).toBe(
      200,
    )
    // Refused scrubs (Tier-1 under reject, a bad body) are not counted.
    expect((await scrub({ ...body, tier1_action: 'reject' })).status).toBe(422)
    expect((await scrub({ task_id: 't1' })).status).toBe(400)

    const { status, text } = await stats('?hours=2')
    expect(status).toBe(200)
    for (const value of ['jane', 'Jane', 'Roe', 'example', '123-45', '6789', 'ann.lee', 'PERSON_1']) {
      expect(text).not.toContain(value)
    }
    const answer = JSON.parse(text)
    expect(answer).toMatchObject({
      hours: 2,
      bucket_s: 3600,
      from: new Date(Date.UTC(2026, 11, 6, 9)).toISOString(),
      to: new Date(Date.UTC(2026, 11, 6, 11)).toISOString(),
    })
    expect(answer.buckets).toHaveLength(2)
    expect(answer.buckets[0]).toMatchObject({ hour: '2026-12-06T09:00:00.000Z', scrubs: 1 })
    expect(answer.buckets[0].types).toMatchObject({ EMAIL: 1, PERSON: expect.any(Number) })
    expect(Object.values(answer.buckets[0].tier1 as Record<string, number>)).toEqual([1])
    expect(answer.buckets[1]).toEqual({
      hour: '2026-12-06T10:00:00.000Z',
      scrubs: 1,
      types: { EMAIL: 1 },
      tier1: {},
    })
    expect(answer.totals).toMatchObject({ scrubs: 2, types: { EMAIL: 2 } })
  })

  it('answers the last 24 hours by default and leaves older hours out', async () => {
    const { scrub, stats } = await stack()
    const body = { task_id: 't', ner: 'rules_only', items: [{ id: 1, text: 'mail a@example.com' }] }
    clock = T0 - 30 * HOUR_MS
    await scrub(body)
    clock = T0
    await scrub(body)
    const answer = JSON.parse((await stats()).text)
    expect(answer.hours).toBe(24)
    expect(answer.totals).toEqual({ scrubs: 1, types: { EMAIL: 1 }, tier1: {} })
    expect(JSON.parse((await stats('?hours=48')).text).totals.scrubs).toBe(2)
  })

  it('refuses an hours value that is not a whole number from 1 to 720 with 422 problem+json', async () => {
    const { stats } = await stack()
    for (const bad of ['0', '721', 'abc', '-1', '1.5', '99999']) {
      const { status, text } = await stats(`?hours=${bad}`)
      expect(status, bad).toBe(422)
      expect(JSON.parse(text)).toMatchObject({ status: 422 })
    }
    expect((await stats('?hours=720')).status).toBe(200)
  })

  it('answers 503 without its counts, while the scrubs go on', async () => {
    const { scrub, stats } = await stack({ counted: false })
    const body = { task_id: 't', ner: 'rules_only', items: [{ id: 1, text: 'mail a@example.com' }] }
    expect((await scrub(body)).status).toBe(200)
    const { status, text } = await stats()
    expect(status).toBe(503)
    expect(JSON.parse(text)).toMatchObject({ status: 503 })
  })
})
