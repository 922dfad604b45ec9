/**
 * The one sentence the owner reads first ("Everything is working", "Spark 2 is unreachable") and
 * the overall verdict. The owner is not technical: every phrase names a thing they know (Speech,
 * Search, a Spark), never a container or a port. Pure.
 */
import type { ClusterStatus, NodeStatus, ServiceStatus, UpstreamStatus } from './cluster-status.ts'

const SERVICE_TITLES: Record<string, string> = {
  'swap-controller': 'Model switching',
  'speech-proxy': 'Speech',
  'vector-search': 'Search',
  'redaction-gateway': 'Redaction',
  'connectivity-monitor': 'The connectivity monitor',
}

const UPSTREAM_TITLES: Record<string, string> = {
  vllm: 'The chat model server',
  parakeet: 'Speech to text',
  kokoro: 'Text to speech',
  embeddings: 'Embeddings',
  qdrant: 'The search database',
}

/** What a service relies on that is not an upstream, in the owner's words. */
const DEPENDENCY_TITLES: Record<string, string> = {
  map_store: 'its encrypted map store',
  cloud_chat: 'the cloud chat service it forwards to',
}

/**
 * Dependencies another sentence already covers: the redaction name pass's `local_llm` is the chat
 * model, which "Chat model: none loaded" or "Model switching is not answering" already names.
 */
const SAID_ELSEWHERE = new Set(['local_llm'])

/** What an owner calls the thing an upstream serves, for "… is busy". */
const UPSTREAM_AREAS: Record<string, string> = {
  vllm: 'Chat',
  parakeet: 'Speech',
  kokoro: 'Speech',
  embeddings: 'Search',
  qdrant: 'Search',
}

/** `spark-2` → "Spark 2"; other inventory names are shown as written, capitalised. */
export function nodeTitle(name: string): string {
  const spark = /^spark[-_ ]?(\d+)$/i.exec(name)
  if (spark) return `Spark ${spark[1]}`
  return name.charAt(0).toUpperCase() + name.slice(1)
}

export function dependencyTitle(name: string): string {
  if (name.startsWith('node:')) return nodeTitle(name.slice(5))
  return UPSTREAM_TITLES[name] ?? name
}

export const serviceTitle = (name: string) => SERVICE_TITLES[name] ?? name

type Parts = Pick<ClusterStatus, 'services' | 'upstreams' | 'nodes' | 'loaded_model' | 'switching'>

export function summarize(parts: Parts): Pick<ClusterStatus, 'overall' | 'summary'> {
  const active = parts.services.filter((s) => s.state !== 'not_configured')
  if (active.length > 0 && active.every((s) => s.state === 'down')) {
    return { overall: 'down', summary: "None of Spark Control's services is answering" }
  }
  // During a planned switch the chat model is away on purpose: that is the switch, not a problem.
  const upstreams = parts.switching ? parts.upstreams.filter((u) => u.name !== 'vllm') : parts.upstreams
  const problems = [
    ...nodeProblems(parts.nodes),
    ...serviceProblems(parts.services),
    ...upstreamProblems(upstreams, parts.nodes),
    ...modelProblems(upstreams, parts.loaded_model),
  ]
  const switchLine = parts.switching ? switchingSentence(parts.switching) : null
  if (problems.length > 0) {
    return { overall: 'degraded', summary: [switchLine, sentence(problems)].filter(Boolean).join('; ') }
  }
  if (switchLine) return { overall: 'ok', summary: switchLine }
  const busy = busyAreas(parts.upstreams, parts.nodes)
  if (busy.length > 0) {
    return { overall: 'ok', summary: `${joinNames(busy)} ${busy.length > 1 ? 'are' : 'is'} busy` }
  }
  return { overall: 'ok', summary: 'Everything is working' }
}

/** "Switching the chat model to X (about 40 s left)": the whole truth while a switch runs. */
function switchingSentence(switching: NonNullable<ClusterStatus['switching']>): string {
  const back = switching.status === 'rolling-back' ? 'Going back from' : 'Switching the chat model to'
  const left =
    switching.eta_s !== null && switching.eta_s > 0 ? ` (about ${Math.ceil(switching.eta_s)} s left)` : ''
  return `${back} ${switching.model}${switching.status === 'rolling-back' ? '' : left}`
}

function sentence(problems: string[]): string {
  const shown = problems.slice(0, 2).join('; ')
  const more = problems.length - 2
  return more > 0 ? `${shown}; and ${more} more problem${more > 1 ? 's' : ''}` : shown
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

const unreachableNodes = (nodes: NodeStatus[]) =>
  nodes.filter((n) => !n.reachable && n.state !== 'not_configured' && n.state !== 'disabled')

function nodeProblems(nodes: NodeStatus[]): string[] {
  const names = unreachableNodes(nodes).map((n) => nodeTitle(n.name))
  if (names.length === 0) return []
  return [`${joinNames(names)} ${names.length > 1 ? 'are' : 'is'} unreachable`]
}

function serviceProblems(services: ServiceStatus[]): string[] {
  const problems: string[] = []
  for (const s of services) {
    if (s.state === 'down') problems.push(`${serviceTitle(s.name)} is not answering`)
    if (s.state !== 'degraded') continue
    // Upstreams and nodes get their own sentences; anything else a service depends on is named here.
    for (const [dep, report] of Object.entries(s.dependencies)) {
      if (report.state !== 'down' || dep in UPSTREAM_TITLES || dep.startsWith('node:')) continue
      if (SAID_ELSEWHERE.has(dep)) continue
      problems.push(`${serviceTitle(s.name)} has trouble: ${DEPENDENCY_TITLES[dep] ?? dep} is down`)
    }
  }
  return problems
}

function upstreamProblems(upstreams: UpstreamStatus[], nodes: NodeStatus[]): string[] {
  // An upstream on a Spark that is unreachable is down because of it; one sentence says it all.
  const lostHosts = new Set(
    unreachableNodes(nodes)
      .map((n) => n.host)
      .filter((h) => h !== ''),
  )
  return upstreams
    .filter((u) => !u.disabled && u.state === 'down' && !lostHosts.has(hostOf(u.base_url)))
    .map((u) => `${UPSTREAM_TITLES[u.name] ?? u.name} is down`)
}

function modelProblems(upstreams: UpstreamStatus[], loaded: string | null): string[] {
  const vllm = upstreams.find((u) => u.name === 'vllm')
  if (!vllm?.ready || loaded !== null) return []
  return ['Chat model: none loaded']
}

function busyAreas(upstreams: UpstreamStatus[], nodes: NodeStatus[]): string[] {
  const areas = upstreams
    .filter((u) => u.state === 'busy' && !u.disabled)
    .map((u) => UPSTREAM_AREAS[u.name] ?? u.name)
  const busyNodes = nodes.filter((n) => n.state === 'busy').map((n) => nodeTitle(n.name))
  return [...new Set([...areas, ...busyNodes])]
}

function hostOf(url: string | null): string {
  if (!url) return ''
  try {
    return new URL(url).hostname
  } catch {
    return ''
  }
}
