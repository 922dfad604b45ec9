/**
 * What the engine knows about one target, turned into the contract's `TargetView`: the classifier's
 * state, the last reading of each probe layer, and the real traffic of the last minute.
 */
import type { TargetView } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { Evidence, ProbingMode, Target, TargetClassifier } from '../ports.ts'
import { WindowCounter } from './counter.ts'

const PASSIVE_WINDOW_S = 60

export const iso = (ms: number) => new Date(ms).toISOString()

/** The last probe result per layer and the passive counts of one target. */
export class TargetReadings {
  readonly layers = new Map<string, Evidence>()
  /** When each probed layer last answered ok (sent time). */
  readonly #okAt = new Map<string, number>()
  readonly #ok = new WindowCounter(PASSIVE_WINDOW_S)
  readonly #failed = new WindowCounter(PASSIVE_WINDOW_S)
  #lastPassiveAt: number | null = null

  record(evidence: Evidence): void {
    if (evidence.layer !== 'passive') {
      this.layers.set(evidence.layer, evidence)
      if (evidence.ok)
        this.#okAt.set(evidence.layer, Math.max(this.#okAt.get(evidence.layer) ?? 0, evidence.at))
      return
    }
    ;(evidence.ok ? this.#ok : this.#failed).add(evidence.at)
    this.#lastPassiveAt = Math.max(this.#lastPassiveAt ?? 0, evidence.at)
  }

  lastOkAt(layer: string): number | null {
    return this.#okAt.get(layer) ?? null
  }

  passive(now: number): TargetView['passive'] {
    return {
      ok: this.#ok.total(now),
      failed: this.#failed.total(now),
      last_at: this.#lastPassiveAt === null ? null : iso(this.#lastPassiveAt),
    }
  }
}

export interface ViewParts {
  target: Target
  classifier: TargetClassifier
  reason: string
  readings: TargetReadings
  maintenance: { reason: string; until: number | null } | null
  probing: ProbingMode
}

export function targetView(parts: ViewParts, now: number): TargetView {
  const { target, classifier, readings, maintenance } = parts
  const layers: TargetView['layers'] = {}
  for (const [layer, e] of readings.layers)
    layers[layer] = {
      ok: e.ok,
      at: iso(e.at),
      latency_ms: e.latencyMs,
      ...(e.kind ? { kind: e.kind } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
    }
  return {
    id: target.id,
    kind: target.kind,
    title: target.title,
    host: target.host,
    address: addressOf(target),
    state: classifier.state,
    since: iso(classifier.since),
    reason: parts.reason,
    maintenance: maintenance && {
      reason: maintenance.reason,
      until: maintenance.until === null ? null : iso(maintenance.until),
    },
    layers,
    passive: readings.passive(now),
    probing: parts.probing,
  }
}

/** Where a target is probed, for the owner: never a URL's user, password or query (they may hold secrets). */
export function addressOf(target: Target): string {
  if (target.http) return bareUrl(target.http.url)
  if (target.tcp) return `${target.tcp.host}:${target.tcp.port}`
  if (target.ssh) return `${target.ssh.host}:${target.ssh.port}`
  return target.origins[0] ? bareUrl(target.origins[0]) : ''
}

function bareUrl(raw: string): string {
  try {
    const url = new URL(raw)
    return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`
  } catch {
    return ''
  }
}
