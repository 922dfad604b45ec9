/**
 * Whether search works right now, read from the cluster status the gateway builds out of
 * vector-search's `/ready`: the search capability (working only when its routes are built and every
 * upstream it needs answers), the embeddings server and the store. Never "working" on a guess: a
 * status that cannot be read says so.
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'

type Capability = ClusterStatus['capabilities'][number]
type Dependency = ClusterStatus['services'][number]['dependencies'][string]

export interface SearchHealth {
  /** True only when the search capability says it is up and ready. */
  working: boolean
  lines: { what: string; state: string; text: string }[]
}

const SERVICE = 'vector-search'
const STATE_WORDS: Record<string, string> = {
  up: 'working',
  busy: 'busy',
  down: 'down',
  not_configured: 'not configured',
  disabled: 'turned off',
  not_built: 'not built yet',
  unknown: 'unknown',
}

const words = (state: string) => STATE_WORDS[state] ?? state

function capabilityLine(cap: Capability | undefined, what: string) {
  if (!cap) return { what, state: 'unknown', text: `${what}: not reported by vector-search.` }
  const state = cap.ready ? 'up' : cap.state === 'up' ? 'unknown' : cap.state
  return {
    what,
    state,
    text: `${what}: ${words(state)}${cap.detail && !cap.ready ? ` — ${cap.detail}` : ''}`,
  }
}

function dependencyLine(dep: Dependency | undefined, what: string) {
  if (!dep) return null
  return {
    what,
    state: dep.state,
    text: `${what}: ${words(dep.state)}${dep.detail ? ` — ${dep.detail}` : ''}`,
  }
}

/** The store in use is the one the search capability needs: Qdrant, or the embedded store. */
function storeOf(
  cap: Capability | undefined,
  deps: Record<string, Dependency>,
): [string, Dependency] | undefined {
  const name = cap?.needs.find((n) => n !== 'embeddings')
  const dep = name ? deps[name] : undefined
  return name && dep ? [name, dep] : undefined
}

export function searchHealth(status: ClusterStatus | null): SearchHealth | null {
  if (!status) return null
  const caps = status.capabilities.filter((c) => c.service === SERVICE)
  const service = status.services.find((s) => s.name === SERVICE)
  const searchCap = caps.find((c) => c.name === 'search')
  const search = capabilityLine(searchCap, 'Search')
  const lines = [search]
  const deps = service?.dependencies ?? {}
  const embeddings = dependencyLine(deps.embeddings, 'Embeddings server (bge-m3)')
  if (embeddings) lines.push(embeddings)
  const store = storeOf(searchCap, deps)
  const storeLine = store
    ? dependencyLine(store[1], store[0] === 'qdrant' ? 'Store (Qdrant)' : 'Store (embedded)')
    : null
  if (storeLine) lines.push(storeLine)
  if (!service || service.state === 'down')
    lines.push({ what: 'vector-search', state: 'down', text: 'The vector-search service does not answer.' })
  return { working: search.state === 'up' && service?.state !== 'down', lines }
}

export function HealthPanel({ health }: { health: SearchHealth | null }) {
  return (
    <div id="search-health" aria-live="polite" data-working={health ? String(health.working) : 'unknown'}>
      {health === null ? (
        <p class="notice notice-warn">The status of search cannot be read right now.</p>
      ) : (
        <>
          {health.working ? null : (
            <p class="notice notice-warn" data-search-down="">
              Search is not working right now; what fails is below.
            </p>
          )}
          <ul class="search-health">
            {health.lines.map((l) => (
              <li data-health={l.what} data-state={l.state}>
                {l.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
