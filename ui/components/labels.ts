/**
 * Words, symbols and plain names the dashboard shows. Kept in one table so every card says the
 * same thing for the same state, and so no state is ever told by colour alone.
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'

/** Every state a card can show; the union of service, upstream, node and capability states. */
export type CardState =
  | 'up'
  | 'busy'
  | 'degraded'
  | 'down'
  | 'stopped'
  | 'not_configured'
  | 'disabled'
  | 'not_built'
  | 'unknown'

/** The colour family of a pill, shared by every page (style.css has one rule per tone). */
export type Tone = 'good' | 'busy' | 'warn' | 'bad' | 'off'

/** How a state shows: a word and a symbol as well as a colour, so it never rests on colour alone. */
export interface StateLook {
  label: string
  /** A symbol DejaVu Sans has, so it renders without emoji fonts; always paired with the label. */
  icon: string
  tone: Tone
}

const LOOKS: Record<CardState, StateLook> = {
  up: { label: 'Up', icon: '✓', tone: 'good' },
  busy: { label: 'Busy', icon: '◐', tone: 'busy' },
  degraded: { label: 'Degraded', icon: '⚠', tone: 'warn' },
  down: { label: 'Down', icon: '✕', tone: 'bad' },
  // Down on purpose (someone stopped it): not a fault, so not red.
  stopped: { label: 'Stopped', icon: '○', tone: 'off' },
  not_configured: { label: 'Not configured', icon: '○', tone: 'off' },
  disabled: { label: 'Disabled', icon: '⊘', tone: 'off' },
  // Not written yet in this version: neither a fault nor working, so neutral.
  not_built: { label: 'Not built yet', icon: '○', tone: 'off' },
  unknown: { label: 'Unknown', icon: '?', tone: 'off' },
}

export const lookOf = (state: string): StateLook => LOOKS[state as CardState] ?? LOOKS.unknown

const OVERALL: Record<ClusterStatus['overall'], StateLook> = {
  ok: { label: 'All good', icon: '✓', tone: 'good' },
  degraded: { label: 'Needs attention', icon: '⚠', tone: 'warn' },
  down: { label: 'Not working', icon: '✕', tone: 'bad' },
}

export const overallLook = (overall: string) => OVERALL[overall as ClusterStatus['overall']] ?? OVERALL.down

/** What each of our services does, in the owner's words; the technical name is shown beside it. */
const SERVICE_TITLES: Record<string, string> = {
  gateway: 'Gateway',
  'swap-controller': 'Model switching',
  'speech-proxy': 'Speech',
  'vector-search': 'Search',
  'redaction-gateway': 'Redaction',
  'connectivity-monitor': 'Connectivity monitor',
}

const UPSTREAM_TITLES: Record<string, string> = {
  vllm: 'Chat model server (vLLM)',
  parakeet: 'Speech to text (Parakeet)',
  kokoro: 'Text to speech (Kokoro)',
  embeddings: 'Embeddings',
  qdrant: 'Search database (Qdrant)',
}

export const serviceTitle = (name: string) => SERVICE_TITLES[name] ?? name
export const upstreamTitle = (name: string) => UPSTREAM_TITLES[name] ?? name

/**
 * "just now", "12 s ago", "3 min ago", "5 h ago", "2 days ago". Relative on purpose: the server's
 * clock zone is not the owner's, and the exact time is in the element's title.
 */
export function ago(iso: string, now: Date): string {
  const at = new Date(iso)
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000)
  if (!Number.isFinite(seconds)) return 'at an unknown time'
  // Slightly negative means clocks a little apart, not a check from the future.
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`
  return `${Math.floor(seconds / 86400)} days ago`
}

/** A check older than this is flagged: the numbers on screen may no longer be true. */
export const STALE_AFTER_S = 30

export const isStale = (iso: string, now: Date) => {
  const age = (now.getTime() - new Date(iso).getTime()) / 1000
  return !Number.isFinite(age) || age > STALE_AFTER_S
}
