/**
 * Where outages sit on the timeline: each one clipped to the span shown and placed as a share of
 * it (percent from the left, percent wide), so the SVG needs no arithmetic of its own. An outage
 * too short to see at this scale still gets a sliver, so a 2 s blip in a day is never invisible.
 */
import type { Outage } from './source.ts'

export interface Segment {
  id: string
  severity: Outage['severity']
  ongoing: boolean
  /** Percent of the span from its start. */
  left: number
  /** Percent of the span, at least `MIN_WIDTH_PCT`. */
  width: number
  startedAt: string
  endedAt: string | null
  durationMs: number
  reason: string
}

/** The narrowest segment drawn: about one pixel on a phone-wide bar. */
export const MIN_WIDTH_PCT = 0.3

const round = (v: number) => Math.round(v * 1000) / 1000

/** The segments of `outages` within [from, to), oldest first; an open outage runs to `to`. */
export function placeOutages(outages: readonly Outage[], from: number, to: number): Segment[] {
  const total = to - from
  if (!(total > 0)) return []
  const segments: Segment[] = []
  for (const o of outages) {
    const start = Date.parse(o.started_at)
    const end = o.ended_at === null ? to : Date.parse(o.ended_at)
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= from || start >= to) continue
    const a = Math.max(start, from)
    const b = Math.min(Math.max(end, a), to)
    const left = ((a - from) / total) * 100
    const width = Math.min(Math.max(((b - a) / total) * 100, MIN_WIDTH_PCT), 100 - left)
    segments.push({
      id: o.id,
      severity: o.severity,
      ongoing: o.ongoing,
      left: round(Math.min(left, 100 - MIN_WIDTH_PCT)),
      width: round(Math.max(width, MIN_WIDTH_PCT)),
      startedAt: o.started_at,
      endedAt: o.ended_at,
      durationMs: o.duration_ms,
      reason: o.reason,
    })
  }
  return segments.sort((x, y) => x.left - y.left)
}

/** Tick marks along the span: every 6 h over a day, every day over a week (percent from the left, label). */
export function ticks(from: number, to: number): Array<{ left: number; label: string }> {
  const total = to - from
  const step = total <= 2 * 24 * 3600_000 ? 6 * 3600_000 : 24 * 3600_000
  const out: Array<{ left: number; label: string }> = []
  for (let t = Math.ceil(from / step) * step; t < to; t += step) {
    const iso = new Date(t).toISOString()
    const label = step < 24 * 3600_000 ? `${iso.slice(11, 16)}` : iso.slice(5, 10)
    out.push({ left: round(((t - from) / total) * 100), label })
  }
  return out
}
