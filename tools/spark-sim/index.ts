/**
 * The simulated cluster in one call: two Spark nodes behind real SSH servers (spark-1 the head
 * running vLLM, spark-2 the worker that also hosts speech and embeddings), the Parakeet, Kokoro
 * and bge-m3 emulators (each behind its service container on spark-2: `docker stop parakeet-asr`
 * takes the Parakeet emulator down), and the environment Spark Control's services need to reach
 * all of it.
 * A test tool, labelled as simulated everywhere it shows up.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Logger, silentLogger } from '../../shared/logger.ts'
import { generateEd25519KeyPair } from '../../shared/ssh/keygen.ts'
import { SIM_UNRECIPED_MODEL } from './cluster/hf-hub.ts'
import { type SimNodesHandle, startSimNodes } from './cluster/index.ts'
import { startBgeM3 } from './embeddings/bge-m3.ts'
import { loadSimRecipes, SIM_DEFAULT_RECIPE, SIM_RECIPES_DIR } from './recipes.ts'
import type { EmulatorHandle } from './speech/emulator-server.ts'
import { startKokoro } from './speech/kokoro.ts'
import { startParakeet } from './speech/parakeet.ts'
import { runOverSsh } from './ssh-exec.ts'

export const SIM_USER = 'sim'
export const SIM_VLLM_DIR = `/home/${SIM_USER}/spark-vllm-docker`

export interface SimPorts {
  spark1Ssh: number
  spark2Ssh: number
  vllm: number
  parakeet: number
  kokoro: number
  embeddings: number
}

export interface SimulatedClusterOptions {
  /** Loopback address every simulated node listens on. */
  host?: string
  /** 0 (the default for each) picks a free port; the demo passes the usual production ports. */
  ports?: Partial<SimPorts>
  /** Where the controller's SSH key pair is written. */
  dataDir: string
  loadTimeMs?: number
  /** Recipe to load at start-up so the cluster has a chat model; null starts empty. */
  preload?: string | null
  /** The Sparks' copy of the recipe files; default the repo's `recipes/`, which the controller reads too. */
  recipesDir?: string
  /** How long a simulated `hf download` takes (default 2 s). */
  downloadTimeMs?: number
  /** The nodes' SSH host key; a new one each start when absent (tools/spark-sim/main.ts keeps one). */
  hostKey?: string
  logger?: Logger
}

export interface SimulatedCluster {
  nodes: SimNodesHandle
  parakeet: EmulatorHandle
  kokoro: EmulatorHandle
  embeddings: EmulatorHandle
  /** The environment that points Spark Control's services at this cluster. */
  env: Record<string, string>
  keyPath: string
  vllmPort: number
  close(): Promise<void>
}

export async function startSimulatedCluster(options: SimulatedClusterOptions): Promise<SimulatedCluster> {
  const host = options.host ?? '127.0.0.1'
  const logger = options.logger ?? silentLogger()
  const ports = options.ports ?? {}
  const recipesDir = resolve(options.recipesDir ?? SIM_RECIPES_DIR)
  const recipeSet = loadSimRecipes(recipesDir)
  for (const problem of recipeSet.problems) logger.warn({ problem }, 'sim: recipe skipped')
  const preload = options.preload === undefined ? SIM_DEFAULT_RECIPE : options.preload
  if (preload && !recipeSet.recipes[preload])
    throw new Error(`simulator: no recipe ${preload} in ${recipesDir}`)
  const { keyPath, publicLine, privateKey } = await writeClientKey(options.dataDir)
  const vllmPort = ports.vllm ?? 0

  const closers: Array<() => Promise<void>> = []
  try {
    const nodes = await startSimNodes({
      nodes: [
        { name: 'spark-1', host, sshPort: ports.spark1Ssh ?? 0, role: 'head' },
        { name: 'spark-2', host, sshPort: ports.spark2Ssh ?? 0, role: 'worker' },
      ],
      authorizedKeys: [publicLine],
      vllmDir: SIM_VLLM_DIR,
      recipes: recipeSet.recipes,
      defaultLoadTimeMs: options.loadTimeMs ?? 6000,
      // Every recipe's weights, plus one model no recipe launches (the menu lists it as needs_setup).
      hfCacheModels: [
        ...new Set([...Object.values(recipeSet.recipes).map((r) => r.model), SIM_UNRECIPED_MODEL]),
      ],
      downloadTimeMs: options.downloadTimeMs,
      hostKey: options.hostKey,
      logger,
    })
    closers.push(() => nodes.close())
    const parakeet = await startParakeet({ host, port: ports.parakeet ?? 0, logger })
    closers.push(() => parakeet.close())
    const kokoro = await startKokoro({ host, port: ports.kokoro ?? 0, logger })
    closers.push(() => kokoro.close())
    const embeddings = await startBgeM3({ host, port: ports.embeddings ?? 0, logger })
    closers.push(() => embeddings.close())
    addServiceContainers(nodes, { parakeet, kokoro, embeddings })

    const chosenVllmPort = vllmPort || (await import('../stack/ports.ts').then((m) => m.comeAndGoPort(host)))
    const head = nodes.node('spark-1')
    const worker = nodes.node('spark-2')
    const env: Record<string, string> = {
      SIMULATED_CLUSTER: 'true',
      SPARK1_HOST: host,
      SPARK1_USER: SIM_USER,
      SPARK1_SSH_PORT: String(head.sshPort),
      SPARK2_HOST: host,
      SPARK2_USER: SIM_USER,
      SPARK2_SSH_PORT: String(worker.sshPort),
      SSH_KEY_PATH: keyPath,
      SSH_KNOWN_HOSTS: join(options.dataDir, 'known_hosts'),
      SPARK_VLLM_DOCKER_DIR: SIM_VLLM_DIR,
      // The controller's catalog reads the very files the simulated Sparks launch from.
      RECIPES_DIR: recipesDir,
      VLLM_PORT: String(chosenVllmPort),
      PARAKEET_URL: parakeet.url,
      KOKORO_URL: kokoro.url,
      EMBED_URL: embeddings.url,
      // No Qdrant in the simulator: vector-search uses its embedded store.
      VECTOR_STORE: 'embedded',
      REDACTION_MAP_KEY: await mapKeyOf(options.dataDir),
    }

    if (preload) {
      const argv = [
        `${SIM_VLLM_DIR}/run-recipe.sh`,
        preload,
        '--solo',
        '-d',
        '--port',
        String(chosenVllmPort),
      ]
      const result = await runOverSsh({ host, port: head.sshPort, privateKey, user: SIM_USER, command: argv })
      if (result.code !== 0)
        throw new Error(`simulator preload of ${preload} failed: ${result.stderr || result.stdout}`)
    }

    return {
      nodes,
      parakeet,
      kokoro,
      embeddings,
      env,
      keyPath,
      vllmPort: chosenVllmPort,
      close: () => closeAll(closers),
    }
  } catch (err) {
    await closeAll(closers)
    throw err
  }
}

/** The speech and embedding containers on spark-2, as the earlier layout runs them (no Qdrant here). */
export const SIM_SERVICE_CONTAINERS = {
  parakeet: { name: 'parakeet-asr', image: 'parakeet-asr:latest', port: 8000, residentGiB: 6.4 },
  kokoro: {
    name: 'kokoro-tts',
    image: 'ghcr.io/remsky/kokoro-fastapi-gpu:latest',
    port: 8880,
    residentGiB: 2.1,
  },
  embeddings: { name: 'bge-m3', image: 'spark-embed:latest', port: 8088, residentGiB: 3.3 },
} as const

function addServiceContainers(
  nodes: SimNodesHandle,
  servers: Record<keyof typeof SIM_SERVICE_CONTAINERS, EmulatorHandle>,
) {
  const worker = nodes.node('spark-2')
  for (const [key, c] of Object.entries(SIM_SERVICE_CONTAINERS)) {
    worker.addServiceContainer({
      name: c.name,
      image: c.image,
      port: c.port,
      residentBytes: Math.round(c.residentGiB * 1024 ** 3),
      process: servers[key as keyof typeof SIM_SERVICE_CONTAINERS],
    })
  }
}

async function closeAll(closers: Array<() => Promise<void>>) {
  for (const close of closers.reverse()) await close().catch(() => undefined)
}

async function writeClientKey(dataDir: string) {
  const dir = resolve(dataDir, 'ssh')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const pair = generateEd25519KeyPair('spark-control-sim')
  const keyPath = join(dir, 'id_ed25519')
  await writeFile(keyPath, pair.private, { mode: 0o600 })
  await writeFile(`${keyPath}.pub`, `${pair.public}\n`, { mode: 0o644 })
  return { keyPath, publicLine: pair.public, privateKey: pair.private }
}

/**
 * The redaction map key of this data directory: made once (32 random bytes, file 0600) and read
 * again on the next start, so a demo's maps stay readable across restarts like a real install's.
 */
async function mapKeyOf(dataDir: string): Promise<string> {
  const path = resolve(dataDir, 'redaction-map.key')
  const existing = await readFile(path, 'utf8').catch(() => null)
  if (existing?.trim()) return existing.trim()
  const key = randomBytes(32).toString('hex')
  await mkdir(resolve(dataDir), { recursive: true, mode: 0o700 })
  await writeFile(path, `${key}\n`, { mode: 0o600 })
  return key
}
