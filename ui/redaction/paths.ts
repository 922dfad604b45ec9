/** Every URL of the dashboard's redaction page, its fragments and its try-it forms, named once. */
export const REDACTION_PATHS = {
  page: '/ui/redaction',
  counts: '/ui/fragments/redaction/counts',
  scrub: '/ui/actions/redaction/scrub',
  rehydrate: '/ui/actions/redaction/rehydrate',
} as const

/** The longest text the try-it forms take (the API takes far more). */
export const TRY_MAX_CHARS = 20_000

/** The windows the counts offer: the last day and the last week, in hours. */
export const COUNT_WINDOWS = [
  { hours: 24, label: 'Last 24 hours' },
  { hours: 168, label: 'Last 7 days' },
] as const
export const DEFAULT_COUNT_HOURS = 24

/** The counts page for a window, as a link (the page) or the fragment htmx swaps in. */
export const countsUrl = (hours: number, fragment = false) =>
  `${fragment ? REDACTION_PATHS.counts : REDACTION_PATHS.page}?hours=${hours}`
