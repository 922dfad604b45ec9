/**
 * What a person reads on a phone (ntfy): a title that says which target and what happened, a
 * short body with since when and why, and ntfy's priority and tags (emoji short codes). The
 * webhook carries the same facts as JSON (MonitorAlert).
 */
import type { MonitorAlert } from './ports.ts'

export interface Notice {
  title: string
  body: string
  /** ntfy's names: `high` pages (long vibration), `default` is an ordinary notification. */
  priority: 'high' | 'default'
  tags: string[]
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  const m = Math.floor(s / 60)
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

const clock = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`

function headline(a: MonitorAlert): string {
  if (a.event === 'resolved') return `${a.title} is back`
  const still = a.event === 'reminder' ? 'still ' : ''
  return `${a.title} is ${still}${a.severity === 'down' ? 'down' : 'degraded'}`
}

function story(a: MonitorAlert): string {
  const lines: string[] = []
  if (a.event === 'resolved') {
    lines.push(
      `${a.severity === 'down' ? 'Down' : 'Degraded'} for ${formatDuration(a.duration_s)}, since ${clock(a.started_at)}; now ${a.state}.`,
    )
  } else {
    lines.push(
      `${a.severity === 'down' ? 'Down' : 'Degraded'} since ${clock(a.started_at)} (${formatDuration(a.duration_s)} so far).`,
    )
  }
  if (a.reason) lines.push(a.reason)
  if (a.grouped.length > 0) lines.push(`Also out on this node: ${a.grouped.join(', ')}.`)
  return lines.join('\n')
}

export function notice(a: MonitorAlert): Notice {
  const tags =
    a.event === 'resolved' ? ['white_check_mark'] : [a.severity === 'down' ? 'rotating_light' : 'warning']
  if (a.simulated) tags.push('test_tube')
  return {
    title: `${a.simulated ? '[simulated] ' : ''}${headline(a)}`,
    body: story(a),
    priority: a.event !== 'resolved' && a.severity === 'down' ? 'high' : 'default',
    tags,
  }
}
