/** Plain-language words and numbers for the swap pages: what a state means, how long, how big. */

const GIB = 1024 ** 3

// 9.97 GiB rounds to "10 GiB", not "10.0 GiB": the switch to whole numbers is on the rounded value.
export const gib = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined || !Number.isFinite(bytes)
    ? '—'
    : `${(bytes / GIB).toFixed(bytes / GIB >= 9.95 ? 0 : 1)} GiB`

/** "about 2 min", "about 40 s": an estimate, said as one. */
export function aboutDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown'
  const s = Math.max(0, Math.round(seconds))
  // Rounded to 5 s first, so 58 s reads "about 1 min", never "about 60 s".
  const five = Math.max(5, Math.round(s / 5) * 5)
  if (five < 60) return `about ${five} s`
  const m = Math.round(s / 60)
  return m < 90 ? `about ${m} min` : `about ${(s / 3600).toFixed(1)} h`
}

/** "2 min 5 s", "800 ms": a measured duration, exact. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`
}

export const sumMs = (d: Record<string, number> | null | undefined) =>
  d ? Object.values(d).reduce((a, b) => a + b, 0) : null

/** The swap machine's states, as a person reads them, in the order a swap goes through them. */
export const STATE_STEPS: Array<{ state: string; label: string }> = [
  { state: 'draining', label: 'Finishing answers in progress' },
  { state: 'stopping', label: 'Stopping the current model' },
  { state: 'verifying-stopped', label: 'Checking memory is free' },
  { state: 'starting', label: 'Starting the new model' },
  { state: 'loading', label: 'Loading the model' },
  { state: 'warming', label: 'Checking it answers' },
  { state: 'ready', label: 'Ready' },
]

export const STATE_LABEL: Record<string, string> = {
  ...Object.fromEntries(STATE_STEPS.map((s) => [s.state, s.label])),
  failed: 'Failed',
  'rolling-back': 'Going back to the previous model',
  cancelled: 'Cancelled',
}

export const PHASE_LABEL: Record<string, string> = {
  container: 'container starting',
  'engine-init': 'engine starting',
  'loading-weights': 'reading the weights',
  'weights-loaded': 'weights read',
  compiling: 'compiling',
  'kv-cache': 'reserving memory for conversations',
  'cuda-graphs': 'capturing GPU graphs',
  'api-starting': 'opening the API',
  ready: 'ready',
}

export const modeWords = (mode: string) => (mode === 'cluster' ? 'across both Sparks' : 'on one Spark')

export const pct = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)} %`

export const rate = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : `${v >= 100 ? Math.round(v) : v.toFixed(1)} tok/s`

/** "04:03 UTC": the server's zone is not the owner's, so times say which zone they are in. */
export const clockUtc = (iso: string | null | undefined, seconds = false) => {
  const ms = iso ? Date.parse(iso) : NaN
  return Number.isFinite(ms)
    ? `${new Date(ms).toISOString().slice(11, seconds ? 19 : 16)} UTC`
    : 'an unknown time'
}

/** "in 14 min", "in 40 s", "in 2 h 5 min": how long until `iso`, for a deadline a person waits on. */
export function inWords(iso: string | null | undefined, now: Date): string {
  const s = Math.round(((iso ? Date.parse(iso) : NaN) - now.getTime()) / 1000)
  if (!Number.isFinite(s)) return ''
  if (s <= 0) return 'now'
  if (s < 60) return `in ${s} s`
  const m = Math.round(s / 60)
  if (m < 120) return `in ${m} min`
  return `in ${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`
}

/** "04:03 UTC (in 14 min)": a reservation's end, exact and relative. */
export const untilWords = (iso: string | null | undefined, now: Date) => {
  const rel = inWords(iso, now)
  return rel ? `${clockUtc(iso)} (${rel})` : clockUtc(iso)
}
