/**
 * The demo profile: `docker compose -p spark-control-demo --env-file compose.sim.env --profile sim up`
 * adds the simulated cluster (tools/spark-sim/main.ts) and points every service at it, labelled as
 * the simulator. The simulator itself starts from the compiled tree in the image: the production
 * build test and docs/COMPOSE.md cover that; here the wiring between the two files is checked.
 */
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configShape as connectivity } from '../../services/connectivity-monitor/config.ts'
import { configShape as gateway } from '../../services/gateway/config.ts'
import { loadRedactionConfig, configShape as redaction } from '../../services/redaction-gateway/config.ts'
import { configShape as speech } from '../../services/speech-proxy/config.ts'
import { configShape as swap } from '../../services/swap-controller/config.ts'
import { configShape as vector } from '../../services/vector-search/config.ts'
import { loadConfig } from '../../shared/config.ts'
import { SIM_FIXED_PORTS } from '../../tools/spark-sim/fixed-ports.ts'
import { SIM_USER, SIM_VLLM_DIR } from '../../tools/spark-sim/index.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { loadCompose, readEnvFile } from './files.ts'

const compose = loadCompose()
const simEnv = readEnvFile('compose.sim.env')
const [simName, sim] = Object.entries(compose.services).find(([, s]) => s.profiles?.includes('sim'))!

describe('compose.yaml profile sim', () => {
  it('adds only the simulated cluster, and only in that profile', () => {
    const profiled = Object.entries(compose.services).filter(([, s]) => s.profiles?.length)
    expect(profiled.map(([name, s]) => [name, s.profiles])).toEqual([['spark-sim', ['sim']]])
  })

  it('runs the simulator compiled, from the same image, labelled simulated', () => {
    expect(sim.command).toEqual(['node', 'dist/tools/spark-sim/main.js'])
    expect(existsSync(`${REPO_ROOT}tools/spark-sim/main.ts`)).toBe(true)
    expect(sim.environment).toMatchObject({
      SIM_HOST: '0.0.0.0',
      SIM_DATA_DIR: '/data/sim',
      SIMULATED_CLUSTER: 'true',
    })
    expect(sim.healthcheck?.test.join(' ')).toContain(`connect(${SIM_FIXED_PORTS.spark1Ssh},`)
    expect(sim.ports).toBeUndefined()
  })
})

describe('compose.sim.env', () => {
  it('is the env file the services read while it is in use', () => {
    expect(simEnv.SPARK_CONTROL_ENV_FILE).toBe('compose.sim.env')
    expect(simEnv.SIMULATED_CLUSTER).toBe('true')
  })

  it('points the services at the simulator, on its fixed ports, with the key it writes', () => {
    expect(simEnv).toMatchObject({
      SPARK1_HOST: simName,
      SPARK1_USER: SIM_USER,
      SPARK1_SSH_PORT: String(SIM_FIXED_PORTS.spark1Ssh),
      SPARK2_HOST: simName,
      SPARK2_USER: SIM_USER,
      SPARK2_SSH_PORT: String(SIM_FIXED_PORTS.spark2Ssh),
      SSH_KEY_PATH: `${sim.environment?.SIM_DATA_DIR}/ssh/id_ed25519`,
      SPARK_VLLM_DOCKER_DIR: SIM_VLLM_DIR,
      VLLM_PORT: String(SIM_FIXED_PORTS.vllm),
      PARAKEET_URL: `http://${simName}:${SIM_FIXED_PORTS.parakeet}`,
      KOKORO_URL: `http://${simName}:${SIM_FIXED_PORTS.kokoro}`,
      EMBED_URL: `http://${simName}:${SIM_FIXED_PORTS.embeddings}`,
      VECTOR_STORE: 'embedded',
    })
    expect(simEnv.SPARK_NODES ?? '').toBe('')
  })

  it.each(Object.entries({ connectivity, gateway, redaction, speech, swap, vector }))(
    'loads as the %s configuration (no value invalid)',
    (_name, shape) => {
      expect(() => loadConfig(shape, simEnv)).not.toThrow()
    },
  )

  it('starts the redaction-gateway, which refuses to start without a map key', () => {
    expect(() => loadRedactionConfig(simEnv)).not.toThrow()
  })
})
