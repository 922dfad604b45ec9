/** The concurrency sweeps in words: which result is the latest per target, the knee table's rows. */
import { latency } from '../connectivity/words.ts'
import type { SweepCell, SweepResult, SweepTarget } from './source.ts'

export const TARGETS: Record<SweepTarget, string> = {
  asr: 'Speech to text (parakeet)',
  tts: 'Text to speech (kokoro)',
  embeddings: 'Embeddings (bge-m3)',
}

export const SWEEP_TARGETS = Object.keys(TARGETS) as SweepTarget[]

export const isSweepTarget = (v: string): v is SweepTarget => Object.hasOwn(TARGETS, v)

export interface TargetSweeps {
  target: SweepTarget
  /** The newest sweep still running, if any. */
  running: SweepResult | null
  /** The newest sweep that ended (done, failed or cancelled). */
  latest: SweepResult | null
}

const newestFirst = (a: SweepResult, b: SweepResult) => Date.parse(b.started_at) - Date.parse(a.started_at)

/** Per target, in a fixed order: what runs now and the last result. */
export function latestPerTarget(sweeps: SweepResult[]): TargetSweeps[] {
  const sorted = [...sweeps].sort(newestFirst)
  return SWEEP_TARGETS.map((target) => ({
    target,
    running: sorted.find((s) => s.target === target && s.status === 'running') ?? null,
    latest: sorted.find((s) => s.target === target && s.status !== 'running') ?? null,
  }))
}

export const anyRunning = (sweeps: SweepResult[]) => sweeps.some((s) => s.status === 'running')

const ms = (v: number | null) => (v === null ? '—' : latency(v))

export interface KneeRow {
  concurrency: number
  throughput: string
  p50: string
  p95: string
  p99: string
  errors: string
  healthP95: string
  isKnee: boolean
  hasErrors: boolean
}

/** "2.0 %", "0 %": an error rate to a tenth of a percent, never rounded down to zero when any failed. */
export function errorRateWords(c: SweepCell): string {
  if (c.errors === 0) return '0 %'
  const pct = c.error_rate * 100
  const shown = pct < 0.1 ? '< 0.1' : pct.toFixed(1)
  return `${shown} % (${c.errors} of ${c.requests})`
}

export function kneeRows(s: SweepResult): KneeRow[] {
  return [...s.cells]
    .sort((a, b) => a.concurrency - b.concurrency)
    .map((c) => ({
      concurrency: c.concurrency,
      throughput: `${c.throughput_rps >= 100 ? Math.round(c.throughput_rps) : c.throughput_rps.toFixed(2)}/s`,
      p50: ms(c.p50_ms),
      p95: ms(c.p95_ms),
      p99: ms(c.p99_ms),
      errors: errorRateWords(c),
      healthP95: ms(c.health_p95_ms),
      isKnee: s.knee === c.concurrency,
      hasErrors: c.errors > 0,
    }))
}

/** "Set SPEECH_LANE_ASR to 3", or why there is no recommendation. */
export function recommendationWords(s: SweepResult): string {
  if (s.recommended_limit === null) {
    if (s.status === 'failed') return 'No recommendation: the sweep failed.'
    if (s.status === 'cancelled') return 'No recommendation: the sweep was cancelled.'
    return 'No recommendation: the measurements did not show a clear limit.'
  }
  const at = `${s.recommended_limit} request${s.recommended_limit === 1 ? '' : 's'} at once`
  return s.setting
    ? `Recommended limit: ${at} — set ${s.setting}=${s.recommended_limit}.`
    : `Recommended limit: ${at}.`
}

/** "Measured 1, 2, 3 at once so far." */
export function progressWords(s: SweepResult): string {
  if (!s.cells.length) return 'Warming up: no level measured yet.'
  const levels = [...s.cells].map((c) => c.concurrency).sort((a, b) => a - b)
  return `Measured ${levels.join(', ')} at once so far.`
}
