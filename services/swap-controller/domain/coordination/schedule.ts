/**
 * The schedule registry of the earlier API: a list of who intends to swap to what and when, for
 * people and scripts to see. It is informational only — nothing here ever runs a swap. The earlier
 * entry fields are unknown (gap 6); the shape below is our choice, recorded in docs/COMPATIBILITY.md.
 */
import { z } from 'zod'
import { isoUtc, parseIsoMs } from './time.ts'

export const MAX_SCHEDULE_ENTRIES = 200

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/
// Five cron fields (minute hour day month weekday) of the usual characters, or a named macro.
const CRON_FIELD = /^[0-9A-Za-z*?/,#LW-]+$/
const CRON_MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/

const noControl = (v: string) => !/[\u0000-\u001f\u007f]/.test(v)
const text = (max: number) => z.string().trim().max(max).refine(noControl, 'must not contain control characters')
const optionalText = (max: number) => text(max).nullable().optional()

export const isCron = (value: string): boolean => {
  if (CRON_MACRO.test(value)) return true
  const fields = value.trim().split(/\s+/)
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f))
}

export const scheduleInputSchema = z
  .object({
    id: z.string().regex(ID, 'must be 1-64 letters, digits, `_ . : -`').optional(),
    holder: text(128).min(1, 'must name who swaps'),
    recipe: optionalText(128),
    model: optionalText(256),
    cron: optionalText(128).refine((v) => v == null || isCron(v), {
      message: 'must be a five-field cron expression (minute hour day month weekday) or @daily-style macro',
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
