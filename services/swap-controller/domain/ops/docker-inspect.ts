/**
 * Reading service containers with docker (pure): one `docker inspect` for every container of a
 * node, a Go template whose fields are JSON-encoded and tab-separated (JSON escapes tabs, so a
 * field never holds one), and one `docker stats --no-stream` for the running ones. Both formats
 * are Docker's own public fields; missing names are read from docker's stderr.
 */

export const INSPECT_FORMAT =
  '{{json .Name}}\t{{json .State}}\t{{.RestartCount}}\t{{.HostConfig.Memory}}\t{{json .Config.Image}}'

export const inspectArgv = (containers: readonly string[]): string[] => [
  'docker',
  'inspect',
  '--type',
  'container',
  '--format',
  INSPECT_FORMAT,
  ...containers,
]

export const STATS_FORMAT = '{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}'

export const statsArgv = (containers: readonly string[]): string[] => [
  'docker',
  'stats',
  '--no-stream',
  '--format',
  STATS_FORMAT,
  ...containers,
]

export type DockerState = 'running' | 'restarting' | 'exited' | 'created' | 'paused' | 'dead' | 'removing'

export interface InspectedContainer {
  name: string
  state: DockerState
  startedAt: string | null
  restartCount: number
  /** HostConfig.Memory; null when no limit (0). */
  memoryLimit: number | null
  image: string | null
}

export interface InspectResult {
  found: Map<string, InspectedContainer>
  /** Names docker said it has no container for. */
  missing: Set<string>
  /** Set when docker itself failed (not running, no permission): every container is unknown. */
  failure: string | null
}

const ZERO_TIME = '0001-01-01T00:00:00Z'
const STATES: readonly string[] = ['running', 'restarting', 'exited', 'created', 'paused', 'dead', 'removing']

function parseLine(line: string): InspectedContainer | null {
  const [name, state, restarts, memory, image] = line.split('\t')
  if (name === undefined || state === undefined) return null
  try {
    const s = JSON.parse(state) as { Status?: string; StartedAt?: string }
    const status = String(s.Status ?? '')
    if (!STATES.includes(status)) return null
    const memoryLimit = Number(memory)
    return {
      name: String(JSON.parse(name)).replace(/^\//, ''),
      state: status as DockerState,
      startedAt: s.StartedAt && s.StartedAt !== ZERO_TIME ? s.StartedAt : null,
      restartCount: Number.isFinite(Number(restarts)) ? Number(restarts) : 0,
      memoryLimit: Number.isFinite(memoryLimit) && memoryLimit > 0 ? memoryLimit : null,
      image: image ? String(JSON.parse(image)) : null,
    }
  } catch {
    return null
  }
}

/** `Error: No such object: x` (docker inspect), `Error response from daemon: No such container: x`. */
const NO_SUCH = /No such (?:object|container): (\S+)/

export function parseInspect(
  res: { code: number | null; stdout: string; stderr: string },
  asked: readonly string[],
): InspectResult {
  const found = new Map<string, InspectedContainer>()
  for (const line of res.stdout.split('\n')) {
    const c = line.trim() ? parseLine(line) : null
    if (c && asked.includes(c.name)) found.set(c.name, c)
  }
  const missing = new Set<string>()
  const other: string[] = []
  for (const line of res.stderr.split('\n').filter((l) => l.trim())) {
    const m = NO_SUCH.exec(line)
    if (m?.[1]) missing.add(m[1])
    else other.push(line.trim())
  }
  const allAccounted = asked.every((n) => found.has(n) || missing.has(n))
  const failure =
    (res.code === 0 || res.code === 1) && allAccounted ? null : dockerFailure(res.code, other.join(' '))
  return { found, missing, failure }
}

function dockerFailure(code: number | null, stderr: string): string {
  if (/permission denied/i.test(stderr)) return 'the SSH user cannot use docker (add it to the docker group)'
  if (/Cannot connect to the Docker daemon/i.test(stderr)) return 'docker is not running on the node'
  if (code === 127) return 'docker is not installed on the node'
  return `docker inspect failed (exit ${code ?? 'none'})${stderr ? `: ${stderr.slice(0, 200)}` : ''}`
}

export interface ContainerStats {
  memoryBytes: number | null
  cpuPercent: number | null
}

const UNITS: Record<string, number> = {
  B: 1,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
  TIB: 1024 ** 4,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
}

/** go-units sizes as `docker stats` prints them: `6.4GiB`, `512MiB`, `0B`, `1.2kB`. */
export function parseSize(text: string): number | null {
  const m = /^([\d.]+)\s*([a-zA-Z]+)$/.exec(text.trim())
  const unit = m?.[2] ? UNITS[m[2].toUpperCase()] : undefined
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : null
}

export function parseStats(stdout: string): Map<string, ContainerStats> {
  const out = new Map<string, ContainerStats>()
  for (const line of stdout.split('\n')) {
    const [name, mem, cpu] = line.trim().split('\t')
    if (!name || mem === undefined) continue
    const used = parseSize(mem.split('/')[0] ?? '')
    const pct = Number.parseFloat((cpu ?? '').replace('%', ''))
    out.set(name, { memoryBytes: used, cpuPercent: Number.isFinite(pct) ? pct : null })
  }
  return out
}
