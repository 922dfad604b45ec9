/**
 * The simulated cluster's ports when it runs as a process of its own (`tools/spark-sim/main.ts`,
 * the compose profile `sim`): fixed, so an env file can point the services at it. The upstream
 * ports are the real ones (shared/topology.ts); the two SSH servers share one address, so each
 * node has its own port (above 1024: the image runs as a non-root user).
 */
import { UPSTREAMS } from '../../shared/topology.ts'
import type { SimPorts } from './index.ts'

export const SIM_FIXED_PORTS = {
  spark1Ssh: 2201,
  spark2Ssh: 2202,
  vllm: UPSTREAMS.vllm.port,
  parakeet: UPSTREAMS.parakeet.port,
  kokoro: UPSTREAMS.kokoro.port,
  embeddings: UPSTREAMS.embeddings.port,
} as const satisfies SimPorts
