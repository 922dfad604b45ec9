/**
 * The swap-controller's environment. The earlier version's names are kept (`SPARK1_HOST`, …,
 * `VLLM_PORT`, `VLLM_CONTAINER`, `DISABLED_SERVICES`) and blank values still mean "default", as
 * the StartOS action hands over `""` for fields the owner left empty. `SPARK_NODES` is the
 * addition for inventories beyond two nodes; when set it replaces the SPARK1/SPARK2 pair.
 */
import { join } from 'node:path'
import { z } from '@hono/zod-openapi'
import { baseConfig, blankIsUnset, type EnvSource, env, hostSchema, loadConfig } from '../../shared/config.ts'
import { sparkNodesEnv, unixUser } from '../../shared/inventory-nodes.ts'
import { safeName } from '../../shared/names.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { absolutePathProblem } from '../../shared/ssh/quote.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'
import { sparkServicesEnv } from './domain/ops/inventory-schema.ts'

export const DEFAULT_PORT = SERVICES['swap-controller'].port

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional())

/** `~/…` (resolved per SSH user) or an absolute path; it reaches commands, so it is checked strictly. */
const homePath = (fallback: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .default(fallback)
      .superRefine((v, ctx) => {
        const problem = absolutePathProblem(v.startsWith('~/') ? `/home/user/${v.slice(2)}` : v)
        if (problem)
          ctx.addIssue({ code: 'custom', message: `must be ~/<dir> or an absolute path: ${problem}` })
      }),
  )

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  SPARK1_HOST: optional(hostSchema()),
  SPARK1_USER: optional(unixUser()),
  SPARK1_SSH_PORT: env.int(22, 1, 65535),
  SPARK2_HOST: optional(hostSchema()),
  SPARK2_USER: optional(unixUser()),
  SPARK2_SSH_PORT: env.int(22, 1, 65535),
  /** JSON inventory for any number of nodes; overrides SPARK1_* and SPARK2_* when set. */
  SPARK_NODES: sparkNodesEnv(),
  /** Private key for every node; default `<DATA_DIR>/ssh/id_ed25519`. */
  SSH_KEY_PATH: env.optionalString(),
  /** known_hosts file; unset pins host keys in memory only (see shared/ssh/known-hosts.ts). */
  SSH_KNOWN_HOSTS: env.optionalString(),
  /** Refuse nodes whose host key is not in SSH_KNOWN_HOSTS instead of recording it on first use. */
  SSH_STRICT_HOST_KEYS: env.bool(false),
  /** Where vLLM answers; default the head node's host. */
  VLLM_HOST: optional(hostSchema()),
  VLLM_PORT: KNOBS.VLLM_PORT.schema,
  VLLM_CONTAINER: KNOBS.VLLM_CONTAINER.schema,
  /** eugr/spark-vllm-docker checkout on the Sparks. */
  SPARK_VLLM_DOCKER_DIR: homePath('~/spark-vllm-docker'),
  RECIPES_DIR: env.string('./recipes'),
  /** The container patches (`<id>.yaml` each), read on each look; relative like RECIPES_DIR. */
  PATCHES_DIR: env.string('./patches'),
  /** The earlier version's catalog files, read as model cards (docs/COMPATIBILITY.md); unset: none. */
  MODELS_YAML: env.optionalString(),
  MODELS_OVERRIDES: env.optionalString(),
  DISABLED_SERVICES: env.list(),
  /** How often each node and vLLM's /metrics are polled for telemetry. */
  // 1.5 s keeps every reading under the 2 s freshness target (a reading ages up to one interval).
  TELEMETRY_INTERVAL_MS: env.int(1500, 250, 60_000),
  /** Points kept per telemetry series for sparklines (300 × 2 s = 10 min). */
  TELEMETRY_HISTORY: env.int(300, 10, 10_000),
  /** Hugging Face cache on the Sparks, whose disk the telemetry reports. */
  MODEL_CACHE_DIR: homePath('~/.cache/huggingface'),
  /** The Hugging Face CLI on the Sparks: `hf` (huggingface_hub ≥ 0.34), `huggingface-cli` (older), or `uvx` (`uvx hf`, as eugr's hf-download.sh). */
  MODEL_DOWNLOAD_TOOL: z.preprocess(blankIsUnset, z.enum(['hf', 'huggingface-cli', 'uvx']).default('hf')),
  /** How long one node's download may run before it is stopped (big models take hours on a slow line). */
  MODEL_DOWNLOAD_TIMEOUT_S: env.int(21_600, 60, 172_800),
  /** Downloads running at once (each fetches to every node); one more is refused with 429. */
  MODEL_DOWNLOADS_MAX: env.int(2, 1, 8),
  /** Container log lines kept per node for replay on `/api/swap/logs`. */
  LOG_REPLAY_LINES: env.int(500, 10, 5000),
  /** Where `swap_complete` / `swap_failed` events are POSTed; unset sends none. */
  SWAP_WEBHOOK_URL: KNOBS.SWAP_WEBHOOK_URL.schema,
  /** Signs each event body: `X-Spark-Signature: sha256=<hex HMAC-SHA256>`. Never logged. */
  SWAP_WEBHOOK_SECRET: KNOBS.SWAP_WEBHOOK_SECRET.schema,
  SWAP_WEBHOOK_TIMEOUT_MS: KNOBS.SWAP_WEBHOOK_TIMEOUT_MS.schema,
  /** Audit rows kept in `<DATA_DIR>/swap-controller.db`; the oldest go first. */
  AUDIT_MAX_ROWS: env.int(10_000, 100, 10_000_000),
  /** A swap whose estimated memory need does not fit: `refuse` it, or `warn` and go ahead. */
  SWAP_FIT_POLICY: KNOBS.SWAP_FIT_POLICY.schema,
  /**
   * The head's recipe file missing or different from ours: `copy` ours there before the swap
   * (audited), or `refuse` the swap. run-recipe.sh reads the head's file, so they must agree.
   */
  SWAP_RECIPE_SYNC: z.preprocess(blankIsUnset, z.enum(['copy', 'refuse']).default('copy')),
  /** `docker stop -t`: seconds before SIGKILL (eugr's PID 1 ignores SIGTERM, so this is always waited). */
  SWAP_STOP_GRACE_S: env.int(10, 0, 600),
  /** How long teardown may take to show the container gone, the port closed and memory settled. */
  SWAP_VERIFY_TIMEOUT_S: env.int(60, 5, 3600),
  /** How long a launched model may take to answer a streamed token (cold compile caches take long). */
  SWAP_READY_TIMEOUT_S: env.int(1800, 10, 14_400),
  /** NVIDIA NGC API key (`nvapi-…`) for `POST /api/nim/install`; only ever written to a command's stdin. */
  NGC_API_KEY: env.secret(),
  /** Where the Spark services answer, named as the speech-proxy and vector-search name them; blank: SPARK2_HOST on the usual port. */
  PARAKEET_URL: env.url(),
  KOKORO_URL: env.url(),
  EMBED_URL: env.url(),
  /** Concurrency sweep (`/api/ops/sweeps`, `npm run sweep`): seconds measured at each level, and the warm-up before. */
  SWEEP_CELL_S: env.int(60, 1, 3600),
  SWEEP_WARMUP_S: env.int(10, 0, 600),
  /** Idle budget of a chat request to vLLM (headers, then between chunks); the earlier proxy allowed 30 min. */
  CHAT_TIMEOUT_MS: env.int(1_800_000, 1000, 14_400_000),
  /** How long a chat request is held during a swap before it gets 503 + Retry-After. */
  CHAT_WAIT_DURING_SWAP_MS: KNOBS.CHAT_WAIT_DURING_SWAP_MS.schema,
  /** How long a swap waits for in-flight generations before it stops the model they run on. */
  CHAT_DRAIN_TIMEOUT_MS: env.int(30_000, 0, 600_000),
  /** The Spark services' containers as the earlier version named them (PARAKEET_URL & co. are above). */
  PARAKEET_HOST: env.host(),
  PARAKEET_PORT: env.port(UPSTREAMS.parakeet.port),
  PARAKEET_CONTAINER: z.preprocess(
    blankIsUnset,
    safeName('a container name', { trim: true }).default('parakeet-asr'),
  ),
  /** Accepted for the earlier version's settings; the node's SSH user is the one used. */
  PARAKEET_USER: env.optionalString(),
  KOKORO_HOST: env.host(),
  KOKORO_PORT: env.port(UPSTREAMS.kokoro.port),
  KOKORO_CONTAINER: z.preprocess(
    blankIsUnset,
    safeName('a container name', { trim: true }).default('kokoro-tts'),
  ),
  QDRANT_URL: env.url(),
  /** JSON array of service container specs replacing (same name) or extending the default four. */
  SPARK_SERVICES: sparkServicesEnv(),
  /** Restart a wedged service by itself (only services whose spec says auto_restart). */
  OPS_AUTO_RESTART: KNOBS.OPS_AUTO_RESTART.schema,
  /** At most this many automatic restarts of one service in OPS_AUTO_RESTART_WINDOW_S. */
  OPS_AUTO_RESTART_MAX: KNOBS.OPS_AUTO_RESTART_MAX.schema,
  OPS_AUTO_RESTART_WINDOW_S: env.int(1800, 10, 86_400),
  /** How often the services' health is checked for auto-restart. */
  OPS_HEALTH_INTERVAL_MS: env.int(10_000, 100, 600_000),
  /** Health failures in a row (timeouts or 5xx, container running) that make a service wedged. */
  OPS_WEDGE_FAILURES: env.int(3, 1, 100),
  /** Budget of one service health check (a wedged server never answers). */
  OPS_HEALTH_TIMEOUT_MS: env.int(3000, 100, 60_000),
  /** `docker restart -t`: seconds before docker kills a service that does not stop. */
  OPS_RESTART_GRACE_S: env.int(20, 0, 600),
  /** How long a restart waits for the service's health to answer again before it reports failure. */
  OPS_RESTART_HEALTH_WAIT_S: env.int(120, 1, 3600),
}

export type SwapControllerConfig = ReturnType<typeof loadSwapControllerConfig>
export const loadSwapControllerConfig = (source: EnvSource) => loadConfig(configShape, source)

export const sshKeyPath = (config: Pick<SwapControllerConfig, 'SSH_KEY_PATH' | 'DATA_DIR'>) =>
  config.SSH_KEY_PATH ?? join(config.DATA_DIR, 'ssh', 'id_ed25519')
