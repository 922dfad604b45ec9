/**
 * `docker ps -a` for one container name, in a tab-separated format we choose (stable across Docker
 * versions, unlike the table). `-a` matters: a stopped `vllm_node` still blocks eugr's launcher,
 * which reuses a container of that name instead of starting a new one.
 */
export interface ContainerStatus {
  id: string
  name: string
  image: string
  /** Docker's state word: running, exited, created, restarting, paused, dead. */
  state: string
  /** Docker's human status, e.g. "Up 3 hours", "Exited (137) 2 minutes ago". */
  status: string
  running: boolean
}

export const DOCKER_PS_FORMAT = '{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.State}}\t{{.Status}}'

/** The name is validated by the caller (assertSafeName); the regex anchors make the filter exact-ish. */
export const dockerPsArgv = (name: string): string[] => [
  'docker',
  'ps',
  '-a',
  '--no-trunc',
  '--filter',
  `name=^${name.replaceAll('.', '\\.')}$`,
  '--format',
  DOCKER_PS_FORMAT,
]

/** Only the container with exactly `name` (Docker's name filter is a regex and a substring match). */
export function parseDockerPs(text: string, name: string): ContainerStatus | null {
  for (const line of text.split('\n')) {
    const [id, names, image, state, status] = line.split('\t')
    if (!id || names === undefined || state === undefined) continue
    if (!names.split(',').includes(name)) continue
    return {
      id: id.slice(0, 12),
      name,
      image: image ?? '',
      state,
      status: status ?? '',
      running: state === 'running',
    }
  }
  return null
}
