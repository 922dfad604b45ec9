/**
 * What works, capability by capability (chat, transcription, search, …), as the services declare
 * it. A capability that is not built yet reads "Not built yet" in a neutral tone: neither a fault
 * (red) nor working (green), whatever the health of the server it will use.
 */
import type { CapabilityStatus, ClusterStatus } from '../../shared/contracts/gateway.ts'
import { lookOf } from './labels.ts'

const notBuilt = (c: CapabilityStatus) => c.state === 'not_built'

/** A service that answers but of which nothing is built yet; its card says so rather than "Up". */
export function servesNothingYet(status: ClusterStatus, service: string): boolean {
  const own = status.capabilities.filter((c) => c.service === service)
  return own.length > 0 && own.every(notBuilt)
}

/** For an upstream card: "Not used yet: Transcription is not built yet." when nothing built uses it. */
export function unusedUpstreamNote(status: ClusterStatus, upstream: string): string | null {
  const users = status.capabilities.filter((c) => c.needs.includes(upstream))
  if (users.length === 0 || !users.every(notBuilt)) return null
  const names = users.map((c) => c.title).join(', ')
  return `Not used yet: ${names} ${users.length > 1 ? 'are' : 'is'} not built yet.`
}

/**
 * Why the chat model is away on purpose, when it is: a switch to `switchingTo`, or a stop. Then a
 * capability that is down only for want of vLLM says that, like the chat model server's card,
 * instead of a red "Down" beside a planned switch.
 */
export interface ModelAway {
  switchingTo?: string | null
}

const awayLook = (c: CapabilityStatus, away: ModelAway | null) => {
  if (!away || c.state !== 'down' || !c.needs.includes('vllm')) return null
  return away.switchingTo
    ? { state: 'busy', detail: `Switching to ${away.switchingTo}; it works again once that model is loaded.` }
    : { state: 'stopped', detail: 'No chat model is loaded (stopped on purpose).' }
}

export function CapabilityList({ status, away = null }: { status: ClusterStatus; away?: ModelAway | null }) {
  if (status.capabilities.length === 0) return null
  return (
    <section class="group" aria-labelledby="g-capabilities">
      <h2 id="g-capabilities">What Spark Control can do</h2>
      <ul class="capabilities">
        {status.capabilities.map((c) => {
          const off = awayLook(c, away)
          const state = off?.state ?? c.state
          const look = lookOf(state)
          // "Not built yet" and "Working." say all there is; other details say what is wrong.
          const detail = off ? off.detail : notBuilt(c) || c.detail === 'Working.' ? '' : c.detail
          return (
            <li class={`capability tone-${look.tone}`} data-capability={c.name} data-state={state}>
              <span class="capability-title">{c.title}</span>
              <span class="badge">
                <span aria-hidden="true">{look.icon}</span> {look.label}
              </span>
              {detail ? <span class="capability-detail">{detail}</span> : null}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** Under the summary: plainly, what this version does not do yet. */
export function NotBuiltLine({ status }: { status: ClusterStatus }) {
  const missing = status.capabilities.filter(notBuilt)
  if (missing.length === 0) return null
  return (
    <p class="not-built-line" data-not-built={missing.map((c) => c.name).join(' ')}>
      Not built yet in this version: {missing.map((c) => c.title).join(', ')}.
    </p>
  )
}
