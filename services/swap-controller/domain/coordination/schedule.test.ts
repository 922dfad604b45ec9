import { describe, expect, it } from 'vitest'
import { actorFrom } from './actor.ts'
import {
  nextRunMs,
  type ScheduleEntry,
  scheduleInputSchema,
  scheduleView,
  toScheduleEntry,
} from './schedule.ts'
import { isoUtc, parseIsoMs } from './time.ts'
import { hashToken, mintToken, presentedToken, tokenMatches } from './token.ts'

const NOW = Date.parse('2026-03-01T12:00:00.000Z')
const parse = (v: unknown) => scheduleInputSchema.safeParse(v)
const fields = (v: unknown) => {
  const r = parse(v)
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'))
}

describe('schedule entry validation', () => {
  it('accepts a holder with a cron or an at, recipe/model/note optional', () => {
    expect(parse({ holder: 'nightly', recipe: 'qwen3', cron: '0 22 * * 1-5' }).success).toBe(true)
    expect(parse({ holder: 'crm', model: 'm', at: '2026-03-02T08:00:00+01:00', note: 'demo' }).success).toBe(
      true,
    )
    expect(parse({ holder: 'x', cron: '@daily' }).success).toBe(true)
    expect(parse({ holder: 'just a note' }).success).toBe(true)
  })

  it('names the failing fields', () => {
    expect(fields({})).toEqual(['holder'])
    expect(fields({ holder: '   ' })).toEqual(['holder'])
    expect(fields({ holder: 'a', cron: 'every day' })).toEqual(['cron'])
    expect(fields({ holder: 'a', at: 'tomorrow' })).toEqual(['at'])
    expect(fields({ holder: 'a', at: '2026-03-02T08:00:00' })).toEqual(['at'])
    expect(fields({ holder: 'a', cron: '0 1 * * *', at: '2026-03-02T08:00:00Z' })).toEqual(['at'])
    expect(fields({ holder: 'a\nb' })).toEqual(['holder'])
    expect(fields({ holder: 'a', id: '../etc' })).toEqual(['id'])
    expect(fields({ holder: 'a', note: 'n'.repeat(501) })).toEqual(['note'])
  })

  it('checks cron with the parser that computes next_run: nonsense and never-firing schedules are refused', () => {
    expect(fields({ holder: 'nightly', recipe: 'gpt-oss-120b', cron: '99 99 * * *' })).toEqual(['cron'])
    expect(fields({ holder: 'nightly', cron: '0 0 31 2 *' })).toEqual(['cron'])
    expect(fields({ holder: 'nightly', cron: '*/15 2,4 1-7 JAN MON#1' })).toEqual([])
    const never = parse({ holder: 'nightly', cron: '0 0 31 2 *' })
    expect(never.error?.issues[0]?.message).toMatch(/never fires/)
  })

  it('takes a recipe key of the catalog pattern (unknown keys allowed, the registry is informational)', () => {
    expect(
      fields({ holder: 'n', recipe: 'not-in-the-catalog-yet', at: '2026-12-01T00:00:00+00:00' }),
    ).toEqual([])
    expect(fields({ holder: 'n', recipe: '', cron: '@daily' })).toEqual([])
    for (const bad of ['$(id)', '../x', 'a b', '-lead', 'x'.repeat(129)])
      expect(fields({ holder: 'n', recipe: bad, at: '2026-12-01T00:00:00+00:00' }), bad).toEqual(['recipe'])
  })
})

describe('toScheduleEntry', () => {
  it('normalises at to UTC +00:00 and blanks to null', () => {
    const input = scheduleInputSchema.parse({
      holder: 'crm',
      at: '2026-03-02T08:00:00+01:00',
      recipe: '',
      note: null,
    })
    expect(toScheduleEntry(input, NOW, () => 'sch_1')).toEqual({
      id: 'sch_1',
      holder: 'crm',
      recipe: null,
      model: null,
      cron: null,
      at: '2026-03-02T07:00:00.000000+00:00',
      note: null,
      created_at: '2026-03-01T12:00:00.000000+00:00',
      updated_at: '2026-03-01T12:00:00.000000+00:00',
    })
  })

  it('keeps created_at and the id when an entry is replaced', () => {
    const first = toScheduleEntry(
      scheduleInputSchema.parse({ id: 'mine', holder: 'a', cron: '0  1 * * *' }),
      NOW,
      () => 'unused',
    )
    expect(first.cron).toBe('0 1 * * *')
    const second = toScheduleEntry(
      scheduleInputSchema.parse({ id: 'mine', holder: 'b' }),
      NOW + 60_000,
      () => 'unused',
      first,
    )
    expect(second).toMatchObject({ id: 'mine', holder: 'b', cron: null, created_at: first.created_at })
    expect(second.updated_at).toBe('2026-03-01T12:01:00.000000+00:00')
  })
})

describe('next_run', () => {
  const entry = (fields: Partial<ScheduleEntry>): ScheduleEntry => ({
    ...toScheduleEntry(scheduleInputSchema.parse({ holder: 'x' }), NOW, () => 'sch_1'),
    ...fields,
  })

  it("is the cron's next match after now, in the API's UTC +00:00 form", () => {
    expect(scheduleView(entry({ cron: '0 22 * * 1-5' }), NOW).next_run).toBe(
      '2026-03-02T22:00:00.000000+00:00',
    )
    expect(nextRunMs({ cron: '@hourly', at: null }, NOW)).toBe(NOW + 3_600_000)
  })

  it('is a one-off `at` while it is ahead, then null; null without a time or for a cron that never fires', () => {
    const at = '2026-03-02T07:00:00.000000+00:00'
    expect(scheduleView(entry({ at }), NOW).next_run).toBe(at)
    expect(scheduleView(entry({ at }), Date.parse(at)).next_run).toBeNull()
    expect(scheduleView(entry({}), NOW).next_run).toBeNull()
    // An entry stored before never-firing expressions were refused still answers.
    expect(scheduleView(entry({ cron: '0 0 31 2 *' }), NOW).next_run).toBeNull()
  })
})

describe('time', () => {
  it('writes ISO-8601 UTC with +00:00 and six fraction digits, and reads offsets back', () => {
    expect(isoUtc(Date.parse('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000+00:00')
    expect(parseIsoMs('2026-01-02T03:04:05.678000+00:00')).toBe(Date.parse('2026-01-02T03:04:05.678Z'))
    expect(parseIsoMs('2026-01-02T04:04:05+01:00')).toBe(Date.parse('2026-01-02T03:04:05Z'))
    expect(parseIsoMs('2026-01-02')).toBeNull()
    expect(parseIsoMs('2026-13-45T99:00:00Z')).toBeNull()
  })
})

describe('token', () => {
  it('mints distinct URL-safe tokens and matches only by hash, constant-time', () => {
    const token = mintToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(mintToken()).not.toBe(token)
    const hash = hashToken(token)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(tokenMatches(token, hash)).toBe(true)
    expect(tokenMatches(`${token}x`, hash)).toBe(false)
    expect(tokenMatches(undefined, hash)).toBe(false)
    expect(tokenMatches('', hash)).toBe(false)
  })

  it('is read from the header first, then the JSON body, then the query', () => {
    expect(presentedToken({ header: 'h', body: { token: 'b' }, query: 'q' })).toBe('h')
    expect(presentedToken({ header: '  ', body: { token: 'b' }, query: 'q' })).toBe('b')
    expect(presentedToken({ body: { token: 42 }, query: 'q' })).toBe('q')
    expect(presentedToken({ body: 'token', query: null })).toBeUndefined()
  })
})

describe('actorFrom', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name]

  it('takes X-Spark-Actor (cleaned, bounded), else the dashboard, else api', () => {
    expect(actorFrom(headers({ 'x-spark-actor': '  ops-bot \n' }))).toBe('ops-bot')
    expect(actorFrom(headers({ 'x-spark-actor': 'a'.repeat(100) }))).toHaveLength(64)
    expect(actorFrom(headers({ 'hx-request': 'true' }))).toBe('dashboard')
    expect(actorFrom(headers({ 'x-spark-actor': '\u0000' }))).toBe('api')
    expect(actorFrom(headers({}))).toBe('api')
  })
})
