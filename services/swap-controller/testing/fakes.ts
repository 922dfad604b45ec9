/**
 * Test doubles for swap-controller: a scripted SSH node set (no network) and a fake vLLM served by
 * a real HTTP listener on 127.0.0.1:0, so the undici client path is exercised as in production.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { SshError } from '../../../shared/ssh/errors.ts'
import type {
  ExecOptions,
  ExecResult,
  SshConnectionState,
  SshNode,
  SshNodes,
} from '../../../shared/ssh/types.ts'

export type Script = (argv: readonly string[]) => Partial<ExecResult> | Error

export class FakeSshNode implements SshNode {
  readonly calls: string[][] = []
  readonly options: ExecOptions[] = []
  connection: SshConnectionState['state'] = 'connected'

  constructor(
    readonly name: string,
    public script: Script,
  ) {}

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.calls.push([...argv])
    this.options.push(options)
    if (options.signal?.aborted) throw new SshError('aborted', this.name, 'aborted')
    const out = this.script(argv)
    if (out instanceof Error) throw out
    return { code: 0, signal: null, stdout: '', stderr: '', durationMs: 1, ...out }
  }

  async stream(): Promise<never> {
    throw new Error('not used by these tests')
  }

  state(): SshConnectionState {
    const down = this.connection === 'down'
    return {
      state: this.connection,
      since: '2026-01-01T00:00:00.000Z',
      lastError: down ? 'ECONNREFUSED' : null,
      failures: down ? 1 : 0,
      nextAttemptAt: null,
    }
  }
}

export class FakeSshNodes implements SshNodes {
  readonly nodes = new Map<string, FakeSshNode>()
  closed = false

  add(node: FakeSshNode) {
    this.nodes.set(node.name, node)
    return this
  }

  get(name: string) {
    return this.nodes.get(name)
  }

  async close() {
    this.closed = true
  }
}

export const GB10_MEMINFO =
  'MemTotal:       127601952 kB\nMemFree:         2409444 kB\nMemAvailable:   31250616 kB\n'
export const GB10_GPU = '96, 71, 48.27, 2405, [N/A], [N/A]\n'
export const VLLM_PS = '0123456789abcdef\tvllm_node\tvllm-node:latest\trunning\tUp 2 hours\n'

/** A healthy Spark: meminfo, nvidia-smi and docker ps answer like a GB10 with vLLM running. */
export const healthySpark: Script = (argv) => {
  const joined = argv.join(' ')
  if (joined === 'true') return {}
  if (joined === 'cat /proc/meminfo') return { stdout: GB10_MEMINFO }
  if (argv.includes('nvidia-smi')) return { stdout: GB10_GPU }
  if (argv[0] === 'docker' && argv[1] === 'ps') return { stdout: VLLM_PS }
  return { code: 127, stderr: `${argv[0]}: not found` }
}

export interface FakeVllm {
  baseUrl: string
  models: string[]
  status: number
  close(): Promise<void>
}

export async function startFakeVllm(models: string[]): Promise<FakeVllm> {
  const state = { models, status: 200 }
  const app = new Hono()
  app.get('/v1/models', (c) => {
    if (state.status !== 200) return c.json({ error: 'engine dead' }, state.status as 500)
    return c.json({
      object: 'list',
      data: state.models.map((id) => ({ id, object: 'model', owned_by: 'vllm' })),
    })
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get models() {
      return state.models
    },
    set models(m) {
      state.models = m
    },
    get status() {
      return state.status
    },
    set status(s) {
      state.status = s
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
