import { describe, expect, it } from 'vitest'
import { cronProblem, nextCronRunMs } from './cron.ts'

const SUNDAY_NOON = Date.parse('2026-03-01T12:00:00.000Z')
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

describe('cronProblem', () => {
  it('takes five fields of numbers, *, lists, ranges, steps, names, weekday #n and L, and macros', () => {
    for (const ok of [
      '0 22 * * 1-5',
      '*/5 * * * *',
      '0,30 8-18/2 1,15 * MON-FRI',
      '59 23 31 12 7',
      '0 0 ? * SUN#2',
      '*/15 2,4 1-7 JAN MON#1',
      '0 9 1 jan-mar *',
      '0  1 * *   *',
      '0 0 L * *',
      '0 0 * * 5L',
      '@daily',
      '@hourly',
      '@midnight',
      '@yearly',
      '0 0 29 2 *',
    ])
      expect(cronProblem(ok), ok).toBeNull()
  })

  it('refuses what croner cannot read, naming the field and its range in our words', () => {
    for (const bad of [
      '99 99 * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * 32 * *',
      '* * * 13 *',
      '* * * * 8',
      '5-1 * * * *',
      '*/0 * * * *',
      '1-2-3 * * * *',
      '*/5/2 * * * *',
      '1,,2 * * * *',
      '* * * FOO *',
      '0 0 * * MON#6',
      '$(id) * * * *',
      '@often',
      '@reboot',
      '0 22 * *',
      '0 22 * * 1-5 *',
      '',
    ])
      expect(cronProblem(bad), bad).toMatch(/^must be a five-field cron expression/)
    expect(cronProblem('99 99 * * *')).toMatch(/`99` is not a valid minute \(0-59\)$/)
    // croner counts days and months from 0 internally; the message does not.
    expect(cronProblem('* * 32 * *')).toMatch(/`32` is not a valid day of month \(1-31\)$/)
    expect(cronProblem('* * * 13 *')).toMatch(/`13` is not a valid month \(1-12 or JAN-DEC\)$/)
    expect(cronProblem('0 22 * *')).toMatch(/needs five fields \(minute hour day month weekday\), not 4$/)
    expect(cronProblem('@often')).toMatch(/`@often` is not a known macro/)
  })

  it('refuses an expression that never fires, saying so', () => {
    for (const never of ['0 0 31 2 *', '0 0 30 2 *', '0 0 31 4,6,9,11 *'])
      expect(cronProblem(never), never).toBe(
        `\`${never}\` never fires: no date matches all its fields (like day 31 in February)`,
      )
  })
})

describe('nextCronRunMs', () => {
  it('gives the next matching minute in UTC, strictly after the time asked from', () => {
    expect(iso(nextCronRunMs('0 22 * * 1-5', SUNDAY_NOON))).toBe('2026-03-02T22:00:00.000Z')
    const monday22 = Date.parse('2026-03-02T22:00:00.000Z')
    expect(iso(nextCronRunMs('0 22 * * 1-5', monday22))).toBe('2026-03-03T22:00:00.000Z')
    expect(iso(nextCronRunMs('@daily', SUNDAY_NOON))).toBe('2026-03-02T00:00:00.000Z')
    expect(iso(nextCronRunMs('0 0 29 2 *', SUNDAY_NOON))).toBe('2028-02-29T00:00:00.000Z')
    expect(iso(nextCronRunMs('0 0 ? * SUN#2', SUNDAY_NOON))).toBe('2026-03-08T00:00:00.000Z')
  })

  it('is null for an expression that never fires or cannot be read', () => {
    expect(nextCronRunMs('0 0 31 2 *', SUNDAY_NOON)).toBeNull()
    expect(nextCronRunMs('99 99 * * *', SUNDAY_NOON)).toBeNull()
  })
})
