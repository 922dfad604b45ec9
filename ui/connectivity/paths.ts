/** Every URL of the dashboard's connectivity page, its fragments, its feed and its forms, named once. */
export const CONNECTIVITY_PATHS = {
  page: '/ui/connectivity',
  /** The live parts (states, timeline, outages) as out-of-band swaps: the fallback poll reads it. */
  live: '/ui/fragments/connectivity/live',
  events: '/ui/events/connectivity',
  addConfirm: '/ui/fragments/connectivity/maintenance/confirm',
  removeConfirm: '/ui/fragments/connectivity/maintenance/remove/confirm',
  add: '/ui/actions/connectivity/maintenance',
  remove: '/ui/actions/connectivity/maintenance/remove',
} as const

/** The SSE event name of the page's feed. */
export const CONNECTIVITY_EVENT = 'connectivity'

/** The timeline's spans: the last day, or the last week. */
export const RANGES = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
} as const
export type RangeId = keyof typeof RANGES

export const rangeOf = (v: string | undefined): RangeId => (v === '7d' ? '7d' : '24h')

/** How many outages the table lists; the timeline reads every one in its span up to this many. */
export const OUTAGES_SHOWN = 50
export const OUTAGES_READ = 500

/** The page, with its timeline span and (without JavaScript) the question it was asked for. */
export function pageUrl(params: { range?: RangeId; remove?: string } = {}): string {
  const q = new URLSearchParams()
  if (params.range && params.range !== '24h') q.set('range', params.range)
  if (params.remove) q.set('remove', params.remove)
  const s = q.toString()
  return s ? `${CONNECTIVITY_PATHS.page}?${s}` : CONNECTIVITY_PATHS.page
}

export const liveUrl = (base: string, range: RangeId) => (range === '24h' ? base : `${base}?range=${range}`)
