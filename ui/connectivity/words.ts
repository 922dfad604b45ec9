/**
 * The connectivity page's words and numbers: what a state is called (a planned switch is never
 * "down"), how a probe reading reads, how long something lasted, and uptime to 0.001 %.
 */

import type { Tone } from '../components/labels.ts'
import type { MaintenanceWindow, TargetView } from './source.ts'

export interface StateLook {
  /** The word on the pill. */
  label: string
  tone: Tone
  /** A symbol as well as a colour, so the state never rests on colour alone. */
  symbol: string
}

const LOOKS: Record<TargetView['state'], StateLook> = {
  up: { label: 'up', tone: 'good', symbol: '✓' },
  busy: { label: 'busy', tone: 'busy', symbol: '…' },
  degraded: { label: 'degraded', tone: 'warn', symbol: '!' },
  down: { label: 'down', tone: 'bad', symbol: '✕' },
  maintenance: { label: 'maintenance', tone: 'off', symbol: '⏸' },
  unknown: { label: 'unknown', tone: 'off', symbol: '?' },
}

/** The monitor's reason for the window a model switch opens (`swap: <what it loads>`). */
const SWAP_REASON = /^swap:\s*/i

/** Whether the planned downtime covering `target` is a model switch (the swap's own window, or one said so). */
export function isSwitching(
  target: TargetView,
  windows: readonly MaintenanceWindow[] | null,
  now: Date,
): boolean {
  if (target.state !== 'maintenance') return false
  const t = now.getTime()
  const swapWindow = windows?.some(
    (w) =>
      w.source === 'swap' &&
      (w.targets.includes(target.id) || w.targets.includes('*')) &&
      Date.parse(w.starts_at) <= t &&
      (w.ends_at === null || t < Date.parse(w.ends_at)),
  )
  return !!swapWindow || SWAP_REASON.test(target.maintenance?.reason ?? '')
}

export function stateLook(
  target: TargetView,
  windows: readonly MaintenanceWindow[] | null,
  now: Date,
): StateLook {
  if (isSwitching(target, windows, now)) return { label: 'switching', tone: 'busy', symbol: '⇄' }
  return LOOKS[target.state]
}

/** "Switching the chat model: qwen3 (loading)" for a switch's window; any other reason as it is. */
export const maintenanceWords = (reason: string) =>
  SWAP_REASON.test(reason) ? `Switching the chat model: ${reason.replace(SWAP_REASON, '')}` : reason

const LAYER_WORDS: Record<string, string> = {
  tcp: 'TCP',
  http: 'health',
  functional: 'real request',
  ssh: 'SSH',
  passive: 'traffic',
}

export const layerName = (layer: string) => LAYER_WORDS[layer] ?? layer

/** "0.4 ms", "12 ms", "1.5 s": a latency, with the precision that matters at its size. */
export function latency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 10) return `${(Math.round(ms * 10) / 10).toString()} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(Math.round(ms / 100) / 10).toString()} s`
}

const FAILURE_WORDS: Record<string, string> = {
  refused: 'refused',
  reset: 'connection reset',
  timeout: 'no answer in time',
  unreachable: 'unreachable',
  dns: 'name not found',
  http_5xx: 'server error',
  bad_status: 'unexpected answer',
  other: 'failed',
}

export const failureWords = (kind: string | undefined) => (kind ? (FAILURE_WORDS[kind] ?? kind) : 'failed')

/** "health 12 ms", "TCP refused after 0.3 ms": one layer's last reading. */
export function readingWords(
  layer: string,
  r: { ok: boolean; latency_ms: number; kind?: string; detail?: string },
): string {
  const name = layerName(layer)
  if (r.ok) return `${name} ${latency(r.latency_ms)}${r.detail ? ` ${r.detail}` : ''}`
  return `${name} ${failureWords(r.kind)} after ${latency(r.latency_ms)}${r.detail ? ` (${r.detail})` : ''}`
}

export const PROBING_WORDS: Record<TargetView['probing'], string> = {
  steady: 'probed at the usual pace',
  fast: 'probed fast (after a failure, until it settles)',
  quiet: 'probed less often (its real traffic is succeeding)',
}

const S = 1000
const MIN = 60 * S
const H = 60 * MIN
const D = 24 * H

/**
 * "2.3 s", "1 min 5 s", "2 h 5 min", "3 d 4 h": how long something lasted, to the tenth of a
 * second while that matters (outages are measured to within a second) and coarser beyond.
 */
export function span(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 10 * S) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`
  if (ms < MIN) return `${Math.round(ms / S)} s`
  if (ms < H) {
    const s = Math.round(ms / S)
    const m = Math.floor(s / 60)
    return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  }
  if (ms < D) {
    const m = Math.round(ms / MIN)
    return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`
  }
  const h = Math.round(ms / H)
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${h / 24} d`
}

/** "12:03:04 UTC" today, "3 Dec 12:03 UTC" before: the server's zone is not the owner's, so times say theirs. */
export function exactTime(iso: string | null | undefined, now: Date): string {
  const ms = iso ? Date.parse(iso) : Number.NaN
  if (!Number.isFinite(ms)) return 'an unknown time'
  const d = new Date(ms)
  const stamp = d.toISOString()
  if (stamp.slice(0, 10) === now.toISOString().slice(0, 10)) return `${stamp.slice(11, 19)} UTC`
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
  return `${day} ${stamp.slice(11, 16)} UTC`
}

/** "for 3 min", "for 2 h 5 min": how long a state has held. */
export function forWords(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso)
  return Number.isFinite(ms) ? `for ${span(Math.max(0, ms))}` : ''
}

/** "3 min ago", "just now". */
export function agoWords(iso: string | null, now: Date): string {
  const ms = iso ? now.getTime() - Date.parse(iso) : Number.NaN
  if (!Number.isFinite(ms)) return 'never'
  return ms < 1000 ? 'just now' : `${span(ms)} ago`
}

/** "99.987 %": to 0.001 %, never rounded up to 100 % while any time was down. */
export function uptimePct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return 'no data'
  // The epsilon keeps a value already at 0.001 (99.987, stored as 99.98699…) from losing its last digit.
  const floored = Math.floor(pct * 1000 + 1e-6) / 1000
  return `${floored.toFixed(3)} %`
}

/** "2 h unknown — the monitor was not running", or null when every second is known. */
export function unknownWords(unknownS: number): string | null {
  if (!(unknownS > 0)) return null
  return `${span(unknownS * 1000)} unknown — the monitor was not running or had no reading`
}
