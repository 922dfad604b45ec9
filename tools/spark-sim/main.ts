/**
 * The simulated cluster as a process of its own: `node dist/tools/spark-sim/main.js` (the compose
 * profile `sim`) or `node --import tsx tools/spark-sim/main.ts`. Both simulated Sparks, their vLLM
 * and the speech and embedding emulators listen on the fixed ports of `fixed-ports.ts`; the services
 * are pointed at them by an env file (compose.sim.env) and run with SIMULATED_CLUSTER=true, so
 * everything they show is labelled as the simulator. Runs until SIGTERM or SIGINT.
 *
 * Environment: SIM_HOST (address to listen on, default 127.0.0.1; 0.0.0.0 in a container),
 * SIM_DATA_DIR (default <DATA_DIR>/sim: the controller's key pair `ssh/id_ed25519`, written at each
 * start, and the nodes' host key, kept so pinned host keys stay valid across restarts), RECIPES_DIR
 * (default ./recipes, the files the controller's catalog reads too), LOG_LEVEL.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createLogger } from '../../shared/logger.ts'
import { generateEd25519KeyPair } from '../../shared/ssh/keygen.ts'
import { SIM_FIXED_PORTS } from './fixed-ports.ts'
import { startSimulatedCluster } from './index.ts'

const env = process.env
const logger = createLogger({ service: 'spark-sim', level: env.LOG_LEVEL || 'info' })
const dataDir = resolve(env.SIM_DATA_DIR || join(env.DATA_DIR || './.data', 'sim'))
const host = env.SIM_HOST || '127.0.0.1'

/** A host key made once per data folder: a restarted simulator must not look like a reinstalled Spark. */
async function hostKeyOf(dir: string): Promise<string> {
  const path = join(dir, 'ssh', 'host_ed25519')
  const existing = await readFile(path, 'utf8').catch(() => null)
  if (existing) return existing
  await mkdir(join(dir, 'ssh'), { recursive: true, mode: 0o700 })
  const key = generateEd25519KeyPair('spark-sim-host').private
  await writeFile(path, key, { mode: 0o600 })
  return key
}

const sim = await startSimulatedCluster({
  host,
  ports: SIM_FIXED_PORTS,
  dataDir,
  recipesDir: resolve(env.RECIPES_DIR || './recipes'),
  hostKey: await hostKeyOf(dataDir),
  logger,
}).catch((err: Error) => {
  logger.fatal({ err: err.message }, 'the simulated cluster could not start')
  process.exit(1)
})
logger.info(
  { host, ports: SIM_FIXED_PORTS, key: sim.keyPath, simulated: true },
  'SIMULATED cluster ready (no real Sparks)',
)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  logger.info('simulated cluster stopping')
  await sim.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
