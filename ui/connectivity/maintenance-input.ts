/**
 * The maintenance form's values, checked before anything is sent: targets the monitor knows (or
 * every one), an end in the future (the form's time is UTC, as every time on the page), and a
 * reason. A problem comes back as the notice to show.
 */
import type { Notice } from '../components/notice.tsx'
import type { NewWindow } from './source.ts'

export interface MaintenanceFields {
  targets: string[]
  /** `YYYY-MM-DDTHH:MM` from a datetime-local input, read as UTC; or a full ISO time. */
  until: string
  reason: string
}

/** Every target, as the monitor's API names it. */
export const ALL_TARGETS = '*'
/** A window longer than this is surely a typo (a year instead of a day). */
export const MAX_WINDOW_MS = 31 * 24 * 3600_000
export const REASON_MAX = 500
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/
const WINDOW_ID = /^[A-Za-z0-9_.:-]{1,100}$/

export const isWindowId = (v: string) => WINDOW_ID.test(v)

/** The end time a person typed, as epoch ms (NaN when it is not a time). */
export function untilMs(until: string): number {
  const v = until.trim()
  return Date.parse(LOCAL_TIME.test(v) ? `${v}Z` : v)
}

/** `2030-01-01T13:00`: the form's default end, an hour from now, in the input's own format (UTC). */
export const defaultUntil = (now: Date) => new Date(now.getTime() + 3600_000).toISOString().slice(0, 16)

export function windowInput(
  fields: MaintenanceFields,
  known: ReadonlySet<string> | null,
  now: Date,
): NewWindow | Notice {
  const targets = [...new Set(fields.targets.map((t) => t.trim()).filter(Boolean))]
  if (!targets.length) return { tone: 'bad', text: 'Pick at least one target (or every one).' }
  const unknown = known ? targets.filter((t) => t !== ALL_TARGETS && !known.has(t)) : []
  if (unknown.length)
    return { tone: 'bad', text: 'The monitor does not watch these targets:', items: unknown.slice(0, 10) }
  const end = untilMs(fields.until)
  if (!Number.isFinite(end)) return { tone: 'bad', text: 'Say until when, as a date and a time (UTC).' }
  if (end <= now.getTime()) return { tone: 'bad', text: 'The end of the window is already past.' }
  if (end - now.getTime() > MAX_WINDOW_MS) return { tone: 'bad', text: 'A window may last 31 days at most.' }
  const reason = fields.reason.trim()
  if (!reason) return { tone: 'bad', text: 'Say why (the alerts and the outage log show it).' }
  if (reason.length > REASON_MAX)
    return { tone: 'bad', text: `Keep the reason under ${REASON_MAX} characters.` }
  return {
    targets: targets.includes(ALL_TARGETS) ? [ALL_TARGETS] : targets,
    ends_at: new Date(end).toISOString(),
    reason,
  }
}

export const isNotice = (v: NewWindow | Notice): v is Notice => 'tone' in v
