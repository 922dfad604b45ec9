/**
 * The one `NodeCommandRunner`: an argv on a node over that node's persistent SSH connection
 * (shared/ssh quotes every word; the remote `timeout` backstop stays on). Cluster operations —
 * container restarts, patches — run their commands through it and nothing else. A non-zero exit
 * is a result, not an error; a node that is not in the inventory, or does not answer, throws.
 */
import { upstreamFailed } from '../../../../shared/errors.ts'
import type { SshNodes } from '../../../../shared/ssh/types.ts'
import type { NodeCommandRunner } from '../../domain/ops/ports.ts'

export interface NodeCommandsOptions {
  ssh: Pick<SshNodes, 'get'>
  /** Budget of a command whose caller gives none. */
  defaultTimeoutMs?: number
  /** stdout + stderr together; these commands print a line or two. */
  maxOutputBytes?: number
}

export function createNodeCommands({
  ssh,
  defaultTimeoutMs = 15_000,
  maxOutputBytes = 256 * 1024,
}: NodeCommandsOptions): NodeCommandRunner {
  return {
    async run({ node, argv }, opts = {}) {
      const target = ssh.get(node)
      if (!target) throw upstreamFailed(node, 'no SSH connection is configured for this node')
      const res = await target.exec(argv, {
        timeoutMs: opts.timeoutMs ?? defaultTimeoutMs,
        signal: opts.signal,
        stdin: opts.stdin,
        maxOutputBytes: opts.maxOutputBytes ?? maxOutputBytes,
      })
      return { code: res.code, stdout: res.stdout, stderr: res.stderr }
    },
  }
}
