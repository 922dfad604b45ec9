/**
 * What works, capability by capability, as each backend's `/ready` says it (shared/capabilities.ts).
 * Discovery and the dashboard read this, never an upstream's health alone: Parakeet answering its
 * health check does not make transcription usable while transcription is not built. Pure.
 */
import type { CapabilityState } from '../../../shared/capabilities.ts'
import type { BackendName } from './route-table.ts'

export interface CapabilityStatus {
  name: string
  /** What the owner calls it ("Transcription"). */
  title: string
  /** Which of our services serves it. */
  service: BackendName
  state: CapabilityState | 'unknown'
  /** Usable now: built, and every upstream it needs is up (or busy, but answering). */
  ready: boolean
  detail: string
  /** Readiness dependencies it needs (`parakeet`, `node:*`). */
  needs: string[]
  /** Routes that answer today, and routes that answer 501 until built (`POST /v1/audio/speech`). */
  built: string[]
  planned: string[]
}

/** The part of a probe this reads; `capabilities` is whatever the backend sent, checked here. */
interface Reported {
  name: BackendName
  report: { capabilities?: unknown } | null
}

const STATES = new Set<string>(['up', 'busy', 'down', 'not_configured', 'disabled', 'not_built'])

/** Every capability every answering backend declares, in the backends' order. */
export function capabilityStatuses(probes: readonly Reported[]): CapabilityStatus[] {
  const out: CapabilityStatus[] = []
  for (const probe of probes) {
    const declared = probe.report?.capabilities
    if (!declared || typeof declared !== 'object') continue
    for (const [name, raw] of Object.entries(declared as Record<string, unknown>)) {
      out.push(readCapability(probe.name, name, raw))
    }
  }
  return out
}

/** Only trusted fields are read; a backend sending something odd cannot break the view. */
function readCapability(service: BackendName, name: string, raw: unknown): CapabilityStatus {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const state = typeof c.state === 'string' && STATES.has(c.state) ? (c.state as CapabilityState) : 'unknown'
  return {
    name,
    title: typeof c.title === 'string' && c.title !== '' ? c.title : name,
    service,
    state,
    ready: state === 'up' || state === 'busy',
    detail: typeof c.detail === 'string' ? c.detail : '',
    needs: strings(c.needs),
    built: strings(c.built),
    planned: strings(c.planned),
  }
}

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [])

/** The capabilities that need `upstream`, by name and state (what `/api/endpoints` adds per entry). */
export function capabilitiesNeeding(capabilities: readonly CapabilityStatus[], upstream: string) {
  return capabilities.filter((c) => c.needs.includes(upstream))
}

/** A service's sentence when some of what it serves is not built yet; null when all of it is built. */
export function notBuiltNote(capabilities: readonly CapabilityStatus[], service: BackendName): string | null {
  const own = capabilities.filter((c) => c.service === service)
  const missing = own.filter((c) => c.state === 'not_built')
  if (missing.length === 0) return null
  if (missing.length === own.length) return 'Answering; nothing it serves is built yet.'
  return `Working; not built yet: ${missing.map((c) => c.title).join(', ')}.`
}
