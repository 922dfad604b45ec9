/**
 * eugr/spark-vllm-docker's `launch-cluster.sh`: containers named `vllm_node` on the head (the node
 * the script runs on) and its peers, Ray start-up, exec of the serve command, `stop` and `status`.
 * The traps are reproduced on purpose: a running `vllm_node` anywhere is silently "reused" (the new
 * command is exec'd into the old container and never serves); without `-d` the launch stays attached
 * and its EXIT/HUP trap stops the whole cluster when the SSH session goes away.
 */
import { sleep } from '../../../shared/abort.ts'
import type { ServeParams } from './cluster.ts'
import { launchImageCheck } from './eugr-images.ts'
import type { SimContainer, SimNode, VllmProcess } from './node-state.ts'
import type { CommandContext } from './shell-exec.ts'

export interface LaunchRequest {
  image: string
  name: string
  /** `-n` entries (names or IPs) or undefined for `.env`'s CLUSTER_NODES. */
  nodeList?: string[]
  solo: boolean
  noRay: boolean
  daemon: boolean
  action: 'start' | 'stop' | 'status' | 'exec'
  /** The command to exec on the head (argv), e.g. `vllm serve …`. */
  command?: string[]
  /** Text of the launch script (copied to /workspace/exec-script.sh). */
  script?: string
  mods: string[]
}

/** `vllm serve MODEL --flag value …` → what the emulator needs plus the log's `non-default args`. */
export function parseServe(argv: string[]): (ServeParams & { tp: number }) | undefined {
  if (argv[0] !== 'vllm' || argv[1] !== 'serve') return undefined
  const args: Record<string, unknown> = {}
  let model: string | undefined
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] as string
    if (!a.startsWith('-')) {
      model ??= a
      continue
    }
    const key = (a === '-tp' ? 'tensor_parallel_size' : (a.replace(/^-+/, '').split('=')[0] ?? '')).replace(
      /-/g,
      '_',
    )
    let value: unknown = true
    if (a.includes('=')) value = a.slice(a.indexOf('=') + 1)
    else if (argv[i + 1] !== undefined && !/^-[^\d]/.test(argv[i + 1] as string)) value = argv[++i]
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) value = Number(value)
    args[key] = key === 'served_model_name' ? [value] : value
  }
  model ??= typeof args.model === 'string' ? args.model : undefined
  if (!model) return undefined
  const served = (args.served_model_name as unknown[] | undefined)?.[0]
  return {
    model,
    servedModelName: typeof served === 'string' ? served : model,
    nominalPort: typeof args.port === 'number' ? args.port : 8000,
    host: typeof args.host === 'string' ? args.host : '0.0.0.0',
    maxModelLen: typeof args.max_model_len === 'number' ? args.max_model_len : undefined,
    gpuMemoryUtilization:
      typeof args.gpu_memory_utilization === 'number' ? args.gpu_memory_utilization : undefined,
    nonDefaultArgs: args,
    tp: typeof args.tensor_parallel_size === 'number' ? args.tensor_parallel_size : 1,
  }
}

/** Maps `-n` entries to nodes; the local node is the head, as upstream requires. */
function resolveNodes(ctx: CommandContext, list: string[] | undefined): SimNode[] | string {
  const { node: local, cluster } = ctx.session
  if (!list) return [local, ...cluster.envOrder().filter((n) => n !== local)]
  const used = new Set<SimNode>()
  for (const entry of list) {
    if (!used.has(local) && (entry === local.host || entry === local.name)) {
      used.add(local)
      continue
    }
    const n = cluster.nodes.find((x) => !used.has(x) && x !== local && (x.name === entry || x.host === entry))
    if (!n) return `Error: Node ${entry} is not reachable or not part of this cluster.\n`
    used.add(n)
  }
  if (!used.has(local))
    return `Error: Local IP (${local.host}) is not in the list of nodes (${list.join(',')}).\n`
  return [local, ...[...used].filter((n) => n !== local)]
}

const RAY_HEAD = (ip: string) => [
  `Local node IP: ${ip}`,
  '2026-04-18 10:00:00,000\tINFO usage_lib.py:441 -- Usage stats collection is disabled.',
  '--------------------',
  'Ray runtime started.',
  '--------------------',
  'Next steps',
  '  To add another node to this Ray cluster, run',
  `    ray start --address='${ip}:29501'`,
]
const RAY_WORKER = (ip: string, head: string) => [
  `Local node IP: ${ip}`,
  '--------------------',
  'Ray runtime started.',
  '--------------------',
  `Connected to Ray cluster at ${head}:29501.`,
  'To terminate the Ray runtime, run',
  '  ray stop',
]

export async function launch(ctx: CommandContext, req: LaunchRequest): Promise<number> {
  const out = (s: string) => ctx.stdout(`${s}\n`)
  const { cluster } = ctx.session
  const resolved = resolveNodes(ctx, req.nodeList)
  if (typeof resolved === 'string') {
    ctx.stdout(resolved)
    return 1
  }
  const serve = req.command ? parseServe(req.command) : undefined
  let nodes = req.solo ? resolved.slice(0, 1) : resolved
  if (serve && !req.solo) {
    if (serve.tp > nodes.length) {
      out(
        `Error: tensor parallel size ${serve.tp} needs ${serve.tp} nodes, but only ${nodes.length} are configured.`,
      )
      return 1
    }
    // Parallelism-aware trimming: only the nodes the model needs get a container.
    nodes = nodes.slice(0, Math.max(1, serve.tp))
  }
  const [head, ...workers] = nodes as [SimNode, ...SimNode[]]
  out(`Head Node: ${head.host}`)
  out(`Worker Nodes: ${workers.map((w) => w.host).join(' ')}`)
  out(`Container Name: ${req.name}`)
  out(`Image Name: ${req.image}`)
  out(`Action: ${req.action}`)

  if (req.action === 'stop') return stopCluster(ctx, head, workers, req.name, false)
  if (req.action === 'status') return status(ctx, head, workers, req.name)

  if (workers.length > 0) {
    out('Checking SSH connectivity to worker nodes...')
    for (const w of workers) {
      if (w.unreachable) {
        out(`Error: Passwordless SSH to ${w.host} failed.`)
        out('  Please ensure SSH keys are configured and the host is reachable.')
        return 1
      }
      out(`  SSH to ${w.host}: OK`)
    }
  }
  // Upstream checks `docker ps` (running only); a stopped leftover makes `docker run` fail instead.
  let wasRunning = false
  for (const n of nodes) {
    const c = n.containers.get(req.name)
    if (c?.running) {
      out(
        `Warning: Container '${req.name}' is already running on ${n === head ? 'head' : 'worker'} node (${n.host}).`,
      )
      wasRunning = true
    }
  }
  if (wasRunning) out('Cluster containers are already running. Skipping launch.')
  else {
    const imageFailure = launchImageCheck(ctx, req.image, head, workers)
    if (imageFailure !== undefined) return imageFailure
    const leftover = nodes.find((n) => n.containers.get(req.name))
    if (leftover) {
      const c = leftover.containers.get(req.name) as SimContainer
      ctx.stderr(
        `docker: Error response from daemon: Conflict. The container name "/${req.name}" is already in use by container ` +
          `"${c.id}". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.\n`,
      )
      return 125
    }
    out(`Starting Head Node on ${head.host}...`)
    const hc = cluster.createContainer(head, req.name, req.image, workers.length > 0 ? 'head' : 'solo')
    for (const w of workers) {
      out(`Starting Worker Node on ${w.host}...`)
      cluster.createContainer(w, req.name, req.image, 'worker')
    }
    for (const mod of req.mods)
      for (const n of nodes) out(`Applying mod '${mod.split('/').pop()}' to ${n.host}...`)
    if (workers.length > 0 && !req.noRay) {
      hc.log.append(RAY_HEAD(head.host).join('\n'))
      for (const w of workers)
        w.containers.get(req.name)?.log.append(RAY_WORKER(w.host, head.host).join('\n'))
      out('Waiting for cluster to be ready...')
      await sleep(20)
      out('Cluster head is responsive.')
    }
  }
  const hc = head.containers.get(req.name) as SimContainer
  let proc: VllmProcess | undefined
  if (req.command) {
    hc.execScript = req.script ?? `#!/bin/bash\n${req.command.join(' ')}\n`
    out(`Executing command on head node: ${req.command.join(' ')}`)
    if (serve) {
      const workerPairs = workers
        .map((w) => ({ node: w, container: w.containers.get(req.name) }))
        .filter((p): p is { node: SimNode; container: SimContainer } => p.container?.running === true)
      if (req.noRay) {
        for (const p of workerPairs) {
          p.container.log.append(
            `INFO: vllm serve ${serve.model} --headless --node-rank 1 (waiting for rank 0 at ${head.host})`,
          )
        }
      }
      proc = cluster.startVllm(
        { node: head, container: hc },
        req.noRay ? [] : workerPairs,
        serve,
        !wasRunning,
      )
      if (req.noRay) for (const p of workerPairs) p.container.servedBy = proc
    }
  }
  if (req.daemon) {
    out(
      req.command
        ? `Command started in background (Daemon mode). Follow the logs with: docker logs -f ${req.name}`
        : 'Cluster started in background (Daemon mode).',
    )
    return 0
  }
  out('Cluster started. Tailing logs from head node...')
  out('Press Ctrl+C to stop the cluster.')
  const code = await attach(ctx, hc, proc)
  // The EXIT/HUP trap: whatever ended the attached run also takes the cluster down.
  await stopCluster(ctx, head, workers, req.name, wasRunning)
  return code
}

/** Streams the head's log until vLLM exits or the SSH channel closes (→ SIGHUP, 129). */
async function attach(ctx: CommandContext, c: SimContainer, proc: VllmProcess | undefined): Promise<number> {
  const show = (text: string) => ctx.stdout(`${text}\n`)
  const from = c.log.lines.length
  for (const l of c.log.lines.slice(Math.max(0, from - 200))) show(l.text)
  return new Promise<number>((resolve) => {
    let settled = false
    const done = (code: number) => {
      if (settled) return
      settled = true
      unsubscribe()
      ctx.signal.removeEventListener('abort', onAbort)
      resolve(code)
    }
    const onAbort = () => done(129)
    const unsubscribe = c.log.follow({ line: (l) => show(l.text), end: () => done(c.exitCode) })
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    void proc?.emulator.exited.then((code) => done(code))
    if (ctx.signal.aborted) onAbort()
  })
}

export async function stopCluster(
  ctx: CommandContext,
  head: SimNode,
  workers: SimNode[],
  name: string,
  wasRunning: boolean,
): Promise<number> {
  const out = (s: string) => ctx.stdout(`${s}\n`)
  if (wasRunning) {
    out('Cluster was already running when script started. Skipping cleanup.')
    return 0
  }
  out('')
  out('Stopping cluster...')
  const stopOn = async (n: SimNode) => {
    const c = n.containers.get(name)
    // `docker stop … || true`: failures are ignored, and an unreachable worker is simply skipped.
    if (c && !(n !== head && n.unreachable)) await ctx.session.cluster.stopContainer(n, c)
  }
  out(`Stopping head node (${head.host})...`)
  await stopOn(head)
  for (const w of workers) {
    out(`Stopping worker node (${w.host})...`)
    await stopOn(w)
  }
  out('Cluster stopped.')
  return 0
}

function status(ctx: CommandContext, head: SimNode, workers: SimNode[], name: string): number {
  const out = (s: string) => ctx.stdout(`${s}\n`)
  out('Checking status...')
  const hc = head.containers.get(name)
  if (hc?.running) {
    out(`[HEAD] ${head.host}: Container '${name}' is RUNNING.`)
    out('--- Ray Status ---')
    if (hc.role === 'solo') out('Failed to get ray status.')
    else out(`Active:\n ${1 + workers.filter((w) => w.containers.get(name)?.running).length} node(s)`)
    out('------------------')
  } else out(`[HEAD] ${head.host}: Container '${name}' is NOT running.`)
  for (const w of workers) {
    out(
      `[WORKER] ${w.host}: Container '${name}' is ${w.containers.get(name)?.running ? 'RUNNING' : 'NOT running'}.`,
    )
  }
  return 0
}
