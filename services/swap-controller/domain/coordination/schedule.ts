/**
 * The schedule registry of the earlier API: a list of who intends to swap to what and when, for
 * people and scripts to see. It is informational only — nothing here ever runs a swap, and there is
 * no timer: `next_run` is computed when an entry is read (cron.ts, the same parser that validated
 * it). The earlier entry fields were never documented; the shape below is our choice, recorded in
 * docs/COMPATIBILITY.md.
 */
import { z } from '@hono/zod-openapi'
import { isSafeName, safeNameRule } from '../../../../shared/names.ts'
import { cronProblem, nextCronRunMs } from './cron.ts'
import { isoUtc, parseIsoMs } from './time.ts'

export const MAX_SCHEDULE_ENTRIES = 200

/**
 * A schedule entry id (`DELETE /api/schedule/<id>`): a safe name (shared/names.ts) that may also hold
 * `:` (`nightly:qwen3`), at most 64. It only names a row here and never reaches a command.
 */
export const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/

const noControl = (v: string) => !/[\u0000-\u001f\u007f]/.test(v)
const text = (max: number) =>
  z.string().trim().max(max).refine(noControl, 'must not contain control characters')
const optionalText = (max: number) => text(max).nullable().optional()

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
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
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

/** An entry as the API answers it: the stored fields plus when it next comes due. */
export interface ScheduleView extends ScheduleEntry {
  /** ISO-8601 UTC (`+00:00`); null for a one-off time already past, or an entry with no time. */
  next_run: string | null
}

/** When `entry` next comes due after `nowMs`: its cron's next run, or its `at` while still ahead. */
export function nextRunMs(entry: Pick<ScheduleEntry, 'cron' | 'at'>, nowMs: number): number | null {
  if (entry.cron) return nextCronRunMs(entry.cron, nowMs)
  const at = entry.at === null ? null : parseIsoMs(entry.at)
  return at !== null && at > nowMs ? at : null
}

export function scheduleView(entry: ScheduleEntry, nowMs: number): ScheduleView {
  const next = nextRunMs(entry, nowMs)
  return { ...entry, next_run: next === null ? null : isoUtc(next) }
}
