/**
 * The read-only probes the controller runs on a Spark, over that node's persistent SSH connection.
 * Each is one argv (quoted by shared/ssh) and one parser from domain/; nothing here mutates a node.
 * Errors carry the exit status, never the command's output.
 */
import { upstreamFailed } from '../../../shared/errors.ts'
import { assertSafeName } from '../../../shared/ssh/quote.ts'
import type { ExecResult, SshNode } from '../../../shared/ssh/types.ts'
import { type ContainerStatus, dockerPsArgv, parseDockerPs } from '../domain/docker-ps.ts'
import { type MemorySnapshot, parseMeminfo } from '../domain/meminfo.ts'
import { type GpuSnapshot, gpuQueryArgv, parseGpuCsv } from '../domain/nvidia-smi.ts'
import { MEMINFO_ARGV } from '../domain/swap/steps.ts'

export interface NodeShell {
  readonly node: string
  /** Resolves when a trivial command (`true`) ran; the cheapest proof the node answers. */
  ping(timeoutMs?: number, signal?: AbortSignal): Promise<void>
  memory(signal?: AbortSignal): Promise<MemorySnapshot>
  /** One entry per GPU (a Spark has one GB10); empty when nvidia-smi reports none. */
  gpus(signal?: AbortSignal): Promise<GpuSnapshot[]>
  /** The named container (running or not), or null when there is none. */
  container(name: string, signal?: AbortSignal): Promise<ContainerStatus | null>
}

export interface NodeShellOptions {
  timeoutMs?: number
}

export function createNodeShell(ssh: SshNode, { timeoutMs = 5000 }: NodeShellOptions = {}): NodeShell {
  const run = (argv: readonly string[], signal?: AbortSignal) =>
    ssh.exec(argv, { timeoutMs, signal, maxOutputBytes: 256 * 1024 })
  const failed = (what: string, res: ExecResult, hint = '') =>
    upstreamFailed(`${ssh.name}`, `${what} exited with ${res.code ?? res.signal ?? 'no status'}${hint}`)

  return {
    node: ssh.name,
    async ping(pingTimeoutMs = 2000, signal) {
      const res = await ssh.exec(['true'], { timeoutMs: pingTimeoutMs, signal, remoteDeadline: false })
      if (res.code !== 0) throw failed('true', res)
    },
    async memory(signal) {
      const res = await run(MEMINFO_ARGV, signal)
      if (res.code !== 0) throw failed('cat /proc/meminfo', res)
      const mem = parseMeminfo(res.stdout)
      if (!mem) throw upstreamFailed(ssh.name, '/proc/meminfo had no MemTotal')
      return mem
    },
    async gpus(signal) {
      const res = await run(gpuQueryArgv(), signal)
      if (res.code === 127) throw failed('nvidia-smi', res, ' (not installed on this node)')
      if (res.code !== 0) throw failed('nvidia-smi', res)
      return parseGpuCsv(res.stdout)
    },
    async container(name, signal) {
      assertSafeName(name, 'container')
      const res = await run(dockerPsArgv(name), signal)
      // The usual first-day problem: the SSH user is not in the docker group.
      const denied = /permission denied/i.test(res.stderr)
        ? ' (the SSH user cannot use docker; add it to the docker group)'
        : ''
      if (res.code !== 0) throw failed('docker ps', res, denied)
      return parseDockerPs(res.stdout, name)
    },
  }
}
