/**
 * The rate-limit settings (`RATE_LIMITS`, `RATE_LIMIT_PER_ADDRESS`): a comma list of
 * `<group>=<requests>/<period>` such as `chat=120/60s,audio=60/60s,admin=30/60s`. Groups are the
 * API-key groups plus `default` for the routes of no group. A period is `<n>s`, `<n>m` or `<n>h`
 * (a bare number is seconds). Blank — the default — switches limits off.
 */
import { z } from '@hono/zod-openapi'
import { SCOPES, type Scope } from '../../../shared/auth/keys.ts'
import { blankIsUnset } from '../../../shared/config.ts'

export const LIMIT_GROUPS = [...SCOPES, 'default'] as const
export type LimitGroup = Scope | 'default'

export interface Limit {
  points: number
  durationS: number
}
export type LimitTable = Partial<Record<LimitGroup, Limit>>

const UNIT_S = { s: 1, m: 60, h: 3600 } as const
const ENTRY = /^([a-z]+)=(\d{1,9})\/(\d{1,7})([smh]?)$/
/** A day: longer periods would keep counters in memory for no useful reason. */
const MAX_PERIOD_S = 86_400

/** The table, or the problems, one per bad entry. */
export function parseLimits(text: string): { table: LimitTable } | { problems: string[] } {
  const table: LimitTable = {}
  const problems: string[] = []
  for (const raw of text.split(',')) {
    const entry = raw.trim().toLowerCase()
    if (!entry) continue
    const m = ENTRY.exec(entry)
    if (!m) {
      problems.push(`"${entry}": expected <group>=<requests>/<period>, e.g. chat=120/60s`)
      continue
    }
    const [, group, count, span, unit] = m
    if (!(LIMIT_GROUPS as readonly string[]).includes(group!)) {
      problems.push(`"${entry}": unknown group ${group}; expected ${LIMIT_GROUPS.join(', ')}`)
      continue
    }
    const points = Number(count)
    const durationS = Number(span) * UNIT_S[(unit || 's') as keyof typeof UNIT_S]
    if (points < 1 || durationS < 1 || durationS > MAX_PERIOD_S) {
      problems.push(`"${entry}": at least 1 request per period, a period from 1 s to 24 h`)
      continue
    }
    table[group as LimitGroup] = { points, durationS }
  }
  return problems.length ? { problems } : { table }
}

/** The zod shape of one setting: a `LimitTable` (empty when blank). */
export const limitTable = () =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .default('')
      .transform((s, ctx): LimitTable => {
        const parsed = parseLimits(s)
        if ('table' in parsed) return parsed.table
        for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }),
  )

export const rateLimitConfig = () => ({
  /** Per key (a request without a key counts against its client address), per group. */
  RATE_LIMITS: limitTable(),
  /** Per client address, whatever key it sends, per group. */
  RATE_LIMIT_PER_ADDRESS: limitTable(),
})
