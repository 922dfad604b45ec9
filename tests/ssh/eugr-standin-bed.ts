/**
 * The swap-controller as a user runs it (main.ts as a child process, configured by environment)
 * against two real OpenSSH "Sparks" whose eugr scripts, docker and vLLM are the shell-script
 * stand-ins of tests/fixtures/eugr-standin. Each node has its own state folder, eugr checkout and
 * PATH (shims first, through sshd's SetEnv); the head's run-recipe.sh reaches the worker over SSH.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { vi } from 'vitest'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { comeAndGoPort } from '../../tools/stack/ports.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'
import { type OpenSshBed, SETUP_HINT, startOpenSsh } from '../support/openssh.ts'

export const FIXTURES = join(REPO_ROOT, 'tests/fixtures/eugr-standin')
export const IMAGE = 'standin-vllm-node'
export const NODES = ['spark-1', 'spark-2'] as const
export type NodeName = (typeof NODES)[number]

export interface StandinOptions {
  /** Recipe files by key, given to the controller and to every node's checkout. */
  recipes: Record<string, string>
  /** Extra controller environment (policies, timeouts). */
  env?: Record<string, string>
}

export interface StandinNode {
  name: NodeName
  state: string
  dockerDir: string
}

export interface StandinCluster {
  url: string
  /** `fetch` to the controller, proving the installation's secret as the gateway does. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>
  vllmPort: number
  controllerRecipes: string
  node(name: NodeName): StandinNode
  ssh: OpenSshBed
  /** The controller's log lines (JSON), for failure messages. */
  output: string[]
  /** What the head's vLLM stand-in was started with last. */
  vllmArgv(): string[] | null
  /** Every docker and run-recipe.sh call the node received, oldest first. */
  commands(name: NodeName): string[]
  /** Runs the docker stand-in on a node directly (not over SSH), for setup and checks. */
  docker(name: NodeName, args: string[]): { code: number | null; stdout: string; stderr: string }
  /** Restarts the controller with more environment (a policy); the nodes and what they serve stay. */
  restartController(env: Record<string, string>): Promise<void>
  close(): Promise<void>
}

async function writeNodeFiles(root: string, name: NodeName, recipes: Record<string, string>) {
  const base = join(root, name)
  const state = join(base, 'state')
  const dockerDir = join(base, 'spark-vllm-docker')
  await mkdir(state, { recursive: true })
  await mkdir(join(dockerDir, 'recipes'), { recursive: true })
  await writeFile(join(state, 'images'), `${IMAGE}\n`)
  await symlink(join(FIXTURES, 'run-recipe.sh'), join(dockerDir, 'run-recipe.sh'))
  for (const [key, text] of Object.entries(recipes))
    await writeFile(join(dockerDir, 'recipes', `${key}.yaml`), text)
  return { name, state, dockerDir }
}

/** Starts main.ts and resolves with its port once it logs `listening`. */
function startController(env: Record<string, string>, output: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/swap-controller/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${output.join('\n')}`)), 45_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line)
      if (output.length > 3000) output.shift()
      const entry = JSON.parse(line) as { msg?: string; port?: number }
      if (entry.msg === 'listening') {
        clearTimeout(timer)
        resolve(entry.port!)
      }
    })
    child.once('exit', (code) => reject(new Error(`swap-controller exited ${code}:\n${output.join('\n')}`)))
  })
  return { child, port }
}

function stopController(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** The stand-ins need the OpenSSH client (head → worker) and util-linux's setsid: fail loudly without them. */
function requireTools() {
  for (const tool of ['ssh', 'setsid']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' })
    if (found.status !== 0) throw new Error(`${tool} not found — ${SETUP_HINT}`)
  }
}

export async function startStandinCluster(options: StandinOptions): Promise<StandinCluster> {
  requireTools()
  const root = await mkdtemp(join(tmpdir(), 'eugr-standin-'))
  const nodes = await Promise.all(NODES.map((n) => writeNodeFiles(root, n, options.recipes)))
  const path = [join(FIXTURES, 'bin'), dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(
    ':',
  )
  const ssh = await startOpenSsh(
    nodes.map((n) => ({
      name: n.name,
      env: { PATH: path, STANDIN_NODE: n.name, STANDIN_STATE: n.state, STANDIN_LOAD_MS: '300' },
    })),
  )
  const cluster = NODES.map((n) => `127.0.0.1:${ssh.node(n).port}`).join(',')
  for (const n of nodes)
    await writeFile(
      join(n.dockerDir, '.env'),
      `CLUSTER_NODES="${cluster}"\nSTANDIN_SSH_KEY="${ssh.clientKey}"\n`,
    )

  const controllerRecipes = join(root, 'controller-recipes')
  await mkdir(controllerRecipes)
  for (const [key, text] of Object.entries(options.recipes))
    await writeFile(join(controllerRecipes, `${key}.yaml`), text)
  const vllmPort = await comeAndGoPort()
  const user = userInfo().username
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? root,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: join(root, 'data'),
    // The controller answers only proven requests (shared/internal-auth/): the tests prove this one.
    INTERNAL_SECRET: randomBytes(32).toString('hex'),
    SPARK_NODES: JSON.stringify(
      NODES.map((n, i) => ({
        name: n,
        host: '127.0.0.1',
        user,
        ssh_port: ssh.node(n).port,
        role: i === 0 ? 'head' : 'worker',
      })),
    ),
    SSH_KEY_PATH: ssh.clientKey,
    SSH_KNOWN_HOSTS: join(root, 'known_hosts'),
    VLLM_HOST: '127.0.0.1',
    VLLM_PORT: String(vllmPort),
    SPARK_VLLM_DOCKER_DIR: nodes[0]!.dockerDir,
    RECIPES_DIR: controllerRecipes,
    MODEL_CACHE_DIR: join(root, 'hf-cache'),
    SWAP_STOP_GRACE_S: '1',
    // Teardown waits for MemAvailable to settle; suites running beside this one make it churn.
    SWAP_VERIFY_TIMEOUT_S: '40',
    SWAP_READY_TIMEOUT_S: '60',
    CHAT_DRAIN_TIMEOUT_MS: '1000',
    ...options.env,
  }
  await mkdir(env.DATA_DIR!, { recursive: true })
  // The weights are "in the Hugging Face cache" (both nodes share this machine's), so pre-flight has no warning.
  for (const text of Object.values(options.recipes)) {
    const model = /^model: (\S+)$/m.exec(text)?.[1]
    if (model)
      await mkdir(join(env.MODEL_CACHE_DIR!, 'hub', `models--${model.replace('/', '--')}`, 'snapshots'), {
        recursive: true,
      })
  }
  const output: string[] = []
  const node = (name: NodeName) => nodes.find((n) => n.name === name)!
  const docker = (name: NodeName, args: string[]) => {
    const r = spawnSync(join(FIXTURES, 'bin/docker'), args, {
      encoding: 'utf8',
      env: { ...process.env, PATH: path, STANDIN_STATE: node(name).state },
    })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }
  const close = async (child?: ChildProcess) => {
    if (child) await stopController(child)
    // The stand-in containers are detached processes: remove them so none outlives the test.
    for (const n of NODES) for (const c of ['vllm_node']) docker(n, ['rm', '-f', c])
    await ssh.close()
    await rm(root, { recursive: true, force: true })
  }
  let started = startController(env, output)
  try {
    const port = await started.port
    await nodesUp(`http://127.0.0.1:${port}`)
    const result: StandinCluster = {
      url: `http://127.0.0.1:${port}`,
      fetch: provenFetch(internalProver({ dataDir: env.DATA_DIR!, internalSecret: env.INTERNAL_SECRET })),
      vllmPort,
      controllerRecipes,
      node,
      ssh,
      output,
      vllmArgv: () => {
        const file = join(node('spark-1').state, 'vllm-argv.json')
        return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : null
      },
      commands: (name) => {
        const file = join(node(name).state, 'commands.log')
        return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
      },
      docker,
      async restartController(more) {
        await stopController(started.child)
        started = startController({ ...env, ...more }, output)
        result.url = `http://127.0.0.1:${await started.port}`
        await nodesUp(result.url)
      },
      close: () => close(started.child),
    }
    return result
  } catch (err) {
    await close(started.child)
    throw err
  }
}

/** What the controller's readiness says of a node: `up` once its SSH connection is made. */
export async function nodeState(url: string, name: NodeName): Promise<string | undefined> {
  const ready = (await (await fetch(`${url}/ready`)).json()) as {
    dependencies?: Record<string, { state?: string }>
  }
  return ready.dependencies?.[`node:${name}`]?.state
}

/** Waits until the controller has its SSH connection to every node, as a user would before a swap. */
export async function nodesUp(url: string): Promise<void> {
  for (const name of NODES)
    await until(
      () => nodeState(url, name),
      (s) => s === 'up',
      40_000,
    )
}

/** The last value of a flag in an argv, as vLLM's parser (last wins) reads it. */
export function lastFlag(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined
  argv.forEach((arg, i) => {
    if (arg === flag) value = argv[i + 1]
  })
  return value
}

/** Reads until `check` accepts the value (every 100 ms), or throws with the last value seen. */
export function until<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read()
      if (!check(value)) throw new Error(`not yet: ${JSON.stringify(value).slice(0, 2000)}`)
      return value
    },
    { timeout: timeoutMs, interval: 100 },
  )
}
