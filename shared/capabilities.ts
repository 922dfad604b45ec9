/**
 * What each service offers, and whether it is built yet.
 *
 * The gateway routes every path of the earlier version (and the planned ones) to the service that
 * will own it, before that service has a handler for all of them. Each service declares its
 * capabilities once: the routes that answer today (`built`) and the routes still to be written
 * (`planned`). The planned ones answer `501 Not Implemented` saying what is not built yet — never
 * a 404 that reads as a wrong URL — and the readiness report says, per capability, whether it
 * works: `up` only when it is built and every upstream it needs is up, `not_built` otherwise,
 * whatever its upstream says. A later issue that builds a route moves it from `planned` to `built`.
 */
import { notImplemented } from './errors.ts'
import type { DependencyReport, DependencyState } from './readiness.ts'
import type { ServiceApp } from './service.ts'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ALL'

/** `POST /v1/audio/transcriptions`; the path in Hono's syntax (`:name`, a trailing `*`). */
export type RouteRef = `${Method} /${string}`

export interface Capability {
  /** Stable id (`transcription`); the key in readiness reports and `/api/status`. */
  name: string
  /** What the owner calls it ("Transcription"); the 501 message and the dashboard say it. */
  title: string
  /** Readiness dependencies it cannot work without; `node:*` means every Spark node the service checks. */
  needs: readonly string[]
  /** Routes that answer today. */
  built: readonly RouteRef[]
  /** Routes the gateway already sends here that have no handler yet: they answer 501. */
  planned: readonly RouteRef[]
}

export type CapabilityState = DependencyState | 'not_built'

export interface CapabilityReport {
  title: string
  state: CapabilityState
  /** Plain words: "Working.", "parakeet is down (connection refused)", "Not built yet …". */
  detail: string
  needs: string[]
  built: string[]
  planned: string[]
}

export const isBuilt = (capability: Capability) => capability.built.length > 0

export const notBuiltMessage = (title: string) =>
  `${title} is not built yet in this version of Spark Control.`

/** Worst first: a switched-off upstream explains more than a down one, a down one more than busy. */
const SEVERITY: DependencyState[] = ['disabled', 'not_configured', 'down', 'busy', 'up']

/** Each capability's state from the service's dependency reports (the same run of `/ready`). */
export function assessCapabilities(
  capabilities: readonly Capability[],
  dependencies: Record<string, DependencyReport>,
): Record<string, CapabilityReport> {
  const reports: Record<string, CapabilityReport> = {}
  for (const capability of capabilities) {
    const base = {
      title: capability.title,
      needs: [...capability.needs],
      built: [...capability.built],
      planned: [...capability.planned],
    }
    reports[capability.name] = isBuilt(capability)
      ? { ...base, ...assessNeeds(capability.needs, dependencies) }
      : { ...base, state: 'not_built', detail: 'Not built yet in this version of Spark Control.' }
  }
  return reports
}

function assessNeeds(needs: readonly string[], dependencies: Record<string, DependencyReport>) {
  const found = needs.flatMap((need) => resolveNeed(need, dependencies))
  const state = SEVERITY.find((s) => found.some((f) => f.report.state === s)) ?? 'up'
  if (state === 'up') return { state, detail: 'Working.' }
  const why = found
    .filter((f) => f.report.state === state)
    .map((f) => `${f.name} is ${words(f.report.state)}${f.report.detail ? ` (${f.report.detail})` : ''}`)
  return { state, detail: why.join('; ') }
}

function resolveNeed(need: string, dependencies: Record<string, DependencyReport>) {
  if (need.endsWith('*')) {
    const prefix = need.slice(0, -1)
    const matched = Object.entries(dependencies).filter(([name]) => name.startsWith(prefix))
    if (matched.length > 0) return matched.map(([name, report]) => ({ name, report }))
    const none: DependencyReport = { state: 'not_configured', detail: 'none is set up' }
    return [{ name: need, report: none }]
  }
  const report = dependencies[need] ?? { state: 'down' as const, detail: 'not checked by this service' }
  return [{ name: need, report }]
}

const words = (state: DependencyState) => (state === 'not_configured' ? 'not configured' : state)

/**
 * Answers every planned route with 501 in the path's error style (the service's error mapper
 * renders the thrown error). Mounted by `createService` before the service's own routes.
 */
export function mountNotBuilt(app: ServiceApp, capabilities: readonly Capability[]): void {
  for (const capability of capabilities) {
    const refuse = () => {
      throw notImplemented(notBuiltMessage(capability.title), { extra: { capability: capability.name } })
    }
    for (const ref of capability.planned) {
      const { method, path } = splitRoute(ref)
      if (method === 'ALL') app.all(path, refuse)
      else app.on(method, path, refuse)
    }
  }
}

export function splitRoute(ref: RouteRef): { method: Method; path: string } {
  const space = ref.indexOf(' ')
  return { method: ref.slice(0, space) as Method, path: ref.slice(space + 1) }
}

/** A concrete path for a route pattern (`:name` and `*` filled in), for tests and examples. */
export const samplePath = (path: string, filler = 'x') =>
  path.replace(/:[^/]+/g, filler).replace(/\*$/, filler)
