/**
 * The schedule registry of the earlier API: a list of who intends to swap to what and when, for
 * people and scripts to see. It is informational only — nothing here ever runs a swap. The earlier
 * entry fields are unknown (gap 6); the shape below is our choice, recorded in docs/COMPATIBILITY.md.
 */
import { z } from 'zod'
import { isSafeName, safeNameRule } from '../../../../shared/names.ts'
import { isoUtc, parseIsoMs } from './time.ts'

export const MAX_SCHEDULE_ENTRIES = 200

/**
 * A schedule entry id (`DELETE /api/schedule/<id>`): a safe name (shared/names.ts) that may also hold
 * `:` (`nightly:qwen3`), at most 64. It only names a row here and never reaches a command.
 */
export const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/
const CRON_MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface CronField {
  name: string
  min: number
  max: number
  /** Three-letter names, numbered from `min`. */
  names?: string[]
  /** `?` (Quartz's "no specific value") is accepted where cron allows either day field. */
  question?: boolean
  /** Weekday `#n`: the n-th such weekday of the month (1–5). */
  nth?: boolean
}

/** Minute, hour, day of month, month, day of week (0 and 7 are both Sunday). */
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS, question: true, nth: true },
]

function cronValue(text: string, f: CronField): number | null {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text)
    return n >= f.min && n <= f.max ? n : null
  }
  const named = f.names?.indexOf(text.toUpperCase()) ?? -1
  return named >= 0 ? named + f.min : null
}

/** One comma-separated part: `*`, `a`, `a-b`, each optionally `/step`; or weekday `a#n`. */
function cronPartProblem(part: string, f: CronField): string | null {
  const bad = `\`${part.slice(0, 20)}\` is not a valid ${f.name} (${f.min}-${f.max})`
  if (f.nth && part.includes('#')) {
    const [day, n] = part.split('#')
    return cronValue(day!, f) !== null && /^[1-5]$/.test(n ?? '') ? null : bad
  }
  const [range, step, extra] = part.split('/')
  if (extra !== undefined) return bad
  if (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) >= 1 && Number(step) <= f.max))
    return bad
  if (range === '*') return null
  const [from, to, more] = range!.split('-')
  if (more !== undefined) return bad
  const a = cronValue(from!, f)
  if (a === null) return bad
  if (to === undefined) return null
  const b = cronValue(to, f)
  return b !== null && a <= b ? null : bad
}

/**
 * Why a cron expression is not valid, or null: five fields (minute hour day month weekday) of
 * numbers in range, `*`, lists, ranges and steps, month and weekday names, weekday `#n`, `?` in the
 * day fields; or a macro such as `@daily`.
 */
export function cronProblem(value: string): string | null {
  const v = value.trim()
  if (v.startsWith('@'))
    return CRON_MACRO.test(v)
      ? null
      : `\`${v.slice(0, 20)}\` is not a known macro (@hourly, @daily, @weekly, @monthly, @yearly)`
  const fields = v.split(/\s+/)
  if (fields.length !== 5) return `needs five fields (minute hour day month weekday), not ${fields.length}`
  for (const [i, text] of fields.entries()) {
    const f = CRON_FIELDS[i]!
    if (text === '?' && f.question) continue
    const problem = text
      .split(',')
      .map((p) => cronPartProblem(p, f))
      .find((p) => p !== null)
    if (problem) return problem
  }
  return null
}

const noControl = (v: string) => !/[\u0000-\u001f\u007f]/.test(v)
const text = (max: number) =>
  z.string().trim().max(max).refine(noControl, 'must not contain control characters')
const optionalText = (max: number) => text(max).nullable().optional()

export const isCron = (value: string): boolean => cronProblem(value) === null

export const scheduleInputSchema = z
  .object({
    id: z.string().regex(SCHEDULE_ID, 'must be 1-64 letters, digits, `_ . : -`').optional(),
    holder: text(128).min(1, 'must name who swaps'),
    // The catalog's recipe key (what `POST /api/swap` takes); informational, so a well-formed key the
    // catalog does not (yet) hold is allowed.
    recipe: z
      .string()
      .trim()
      .refine((v) => v === '' || isSafeName(v), `must be a recipe key: ${safeNameRule()}`)
      .nullable()
      .optional(),
    model: optionalText(256),
    cron: optionalText(128).superRefine((v, ctx) => {
      const problem = v == null ? null : cronProblem(v)
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `must be a five-field cron expression (minute hour day month weekday) or @daily-style macro: ${problem}`,
        })
    }),
    at: optionalText(64).refine((v) => v == null || parseIsoMs(v) !== null, {
      message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T22:00:00+00:00',
    }),
    note: optionalText(500),
  })
  .refine((v) => !(v.cron && v.at), {
    message: 'give `cron` or `at`, not both',
    path: ['at'],
    // Only once the fields themselves are valid: one complaint per field is enough.
    when: (payload) => payload.issues.length === 0,
  })

export type ScheduleInput = z.infer<typeof scheduleInputSchema>

export interface ScheduleEntry {
  id: string
  holder: string
  recipe: string | null
  model: string | null
  cron: string | null
  at: string | null
  note: string | null
  created_at: string
  updated_at: string
}

/**
 * A validated entry as stored: `at` rewritten in UTC (`+00:00`), blanks as null. Posting an
 * existing id replaces that entry and keeps its `created_at`, so a script can re-post its plan.
 */
export function toScheduleEntry(
  input: ScheduleInput,
  nowMs: number,
  newId: () => string,
  existing?: ScheduleEntry,
): ScheduleEntry {
  const blank = (v: string | null | undefined) => (v == null || v === '' ? null : v)
  const at = blank(input.at)
  return {
    id: input.id ?? newId(),
    holder: input.holder,
    recipe: blank(input.recipe),
    model: blank(input.model),
    cron: blank(input.cron)?.replace(/\s+/g, ' ') ?? null,
    at: at === null ? null : isoUtc(parseIsoMs(at)!),
    note: blank(input.note),
    created_at: existing?.created_at ?? isoUtc(nowMs),
    updated_at: isoUtc(nowMs),
  }
}
