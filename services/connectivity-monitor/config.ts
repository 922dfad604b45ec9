/**
 * The connectivity monitor's environment. Targets come from the same keys the other services read
 * (service URLs, `SPARK1_HOST`/`SPARK2_HOST` or `SPARK_NODES`, the upstream URLs), so nothing is
 * configured twice; `MONITOR_TARGETS` adds targets of the owner's own. Defaults are the ones the
 * tests and the benchmark prove: a 1 s health probe (a 1 s TCP probe for targets with nothing
 * else; bare connects otherwise only in bursts), 250 ms bursts after a failure, two failures to
 * call a target down and two successes to call it back.
 */
import { join } from 'node:path'
import { z } from '@hono/zod-openapi'
import { baseConfig, blankIsUnset, type EnvSource, env, loadConfig } from '../../shared/config.ts'
import { sparkNodesEnv } from '../../shared/inventory-nodes.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { defaultServiceUrl, SERVICE_NAMES, SERVICES, type ServiceName } from '../../shared/topology.ts'

export const DEFAULT_PORT = 9105
export const CONNECTIVITY_FILE = 'connectivity.json'
export const MONITOR_DB_FILE = 'connectivity-monitor.db'

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** The earlier version's connectivity log, kept up to date for its readers; blank ⇒ `<DATA_DIR>/connectivity.json`. */
  CONNECTIVITY_LOG: env.optionalString(),
  /** Outage log, state spans and uptime; blank ⇒ `<DATA_DIR>/connectivity-monitor.db`. */
  MONITOR_DB: env.optionalString(),

  // Where targets are (read, not owned, by the monitor: the same keys the other services read).
  SPARK1_HOST: env.host(),
  SPARK1_SSH_PORT: env.int(22, 1, 65535),
  SPARK2_HOST: env.host(),
  SPARK2_SSH_PORT: env.int(22, 1, 65535),
  /** JSON inventory for any number of nodes, the swap-controller's schema (shared/inventory-nodes.ts); overrides SPARK1/SPARK2. */
  SPARK_NODES: sparkNodesEnv(),
  VLLM_HOST: env.host(),
  VLLM_PORT: KNOBS.VLLM_PORT.schema,
  PARAKEET_URL: KNOBS.PARAKEET_URL.schema,
  PARAKEET_HOST: env.host(),
  PARAKEET_PORT: KNOBS.PARAKEET_PORT.schema,
  KOKORO_URL: KNOBS.KOKORO_URL.schema,
  KOKORO_HOST: env.host(),
  KOKORO_PORT: KNOBS.KOKORO_PORT.schema,
  EMBED_URL: KNOBS.EMBED_URL.schema,
  QDRANT_URL: KNOBS.QDRANT_URL.schema,
  /** Sent (as `api-key`) only to QDRANT_URL's origin, for its health route and `GET /collections`. Never logged. */
  QDRANT_API_KEY: KNOBS.QDRANT_API_KEY.schema,
  /** `embedded` means no Qdrant to watch. */
  VECTOR_STORE: z.preprocess(blankIsUnset, z.enum(['auto', 'qdrant', 'embedded']).default('auto')),
  /** Upstreams switched off (earlier names: vllm, parakeet, kokoro, embeddings, qdrant): listed, never probed. */
  DISABLED_SERVICES: env.nameSet(),
  /** JSON list of extra targets: `[{"id","title"?,"kind"?,"tcp"?:"host:port","http"?:url,"functional"?:{"method","url","body"?},"host"?:node}]`; an id of a built-in target replaces its probes. */
  MONITOR_TARGETS: env.optionalString(),

  // Probing.
  /** False: no active probes at all, only what real traffic reports (the tests prove passive detection with it). */
  MONITOR_PROBING: env.bool(true),
  /** For targets with only a port to probe; others get a TCP connect only in a burst after a failure. */
  MONITOR_TCP_INTERVAL_MS: env.int(1000, 100, 600_000),
  MONITOR_HTTP_INTERVAL_MS: env.int(1000, 100, 600_000),
  /**
   * The health interval of an idle target (no real traffic lately) with nothing failing or slow: its
   * outages must be seen within 3 s rather than 2 s, so it is checked less often — a third of the
   * monitor's checks for a third less CPU. A failure or a slow answer brings the burst as before.
   */
  MONITOR_HTTP_IDLE_INTERVAL_MS: env.int(1500, 100, 600_000),
  MONITOR_FUNCTIONAL_INTERVAL_MS: env.int(60_000, 1000, 3_600_000),
  MONITOR_SSH_INTERVAL_MS: env.int(10_000, 500, 3_600_000),
  /** The burst interval right after a failure or a slow answer, until the state is settled. */
  MONITOR_FAST_INTERVAL_MS: env.int(250, 50, 10_000),
  /**
   * While real traffic to a target succeeds, its probes run this many times less often. 1 (off) by
   * default: traffic cannot see a hang until its own requests time out, so a slower health check
   * is a slower hang detection, and a kept-alive check costs little.
   */
  MONITOR_QUIET_FACTOR: env.int(1, 1, 100),
  /**
   * Probe and housekeeping timers are rounded to the nearest point of this grid, so those due close
   * together share one wake-up of the process (each costs CPU of its own); 1 gives every timer its
   * own. The default divides the burst (250 ms) and steady intervals, so they keep their length.
   */
  MONITOR_SLOT_MS: env.int(125, 1, 250),
  /** Share of each interval drawn at random and added or taken away, so probes do not line up. */
  MONITOR_JITTER: env.number(0.1, 0),
  MONITOR_TCP_TIMEOUT_MS: env.int(1000, 50, 60_000),
  MONITOR_HTTP_TIMEOUT_MS: env.int(1500, 50, 60_000),
  /** A health answer slower than this counts as slow (busy GPU), not failed. */
  MONITOR_HTTP_SLOW_MS: env.int(500, 10, 60_000),
  /**
   * A health check unanswered past MONITOR_HANG_FACTOR × the target's usual latency, and never less
   * than this, is a suspected hang: a second check on a fresh connection goes at once with that
   * wait, and both unanswered count as two failures. 0 turns it off.
   */
  MONITOR_HANG_SUSPECT_MS: env.int(300, 0, 60_000),
  MONITOR_HANG_FACTOR: env.int(4, 1, 100),
  MONITOR_FUNCTIONAL_TIMEOUT_MS: env.int(10_000, 100, 300_000),
  MONITOR_SSH_TIMEOUT_MS: env.int(3000, 100, 60_000),
  /** Probes per second over all targets at most; beyond it the slow layers wait (bursts go first). */
  MONITOR_PROBE_BUDGET_PER_S: env.int(60, 1, 1000),
  /** Failures in a row (within a few seconds) before a target is called down. */
  MONITOR_DOWN_AFTER: env.int(2, 1, 20),
  /** … sent at least this far apart, first to last, so a blip shorter than it is never an outage. */
  MONITOR_CONFIRM_MS: env.int(200, 0, 10_000),
  /** Successes in a row before a down target is called up again. */
  MONITOR_UP_AFTER: env.int(2, 1, 20),
  /** Spark Control's own services that do not answer in the monitor's first this-long are starting, not down. */
  MONITOR_STARTUP_GRACE_MS: env.int(30_000, 0, 600_000),
  /** With no evidence at all for this long a target's state is unknown. */
  MONITOR_STALE_AFTER_MS: env.int(60_000, 1000, 3_600_000),

  // History.
  /** Outages and state changes older than this are deleted. */
  MONITOR_RETENTION_DAYS: env.int(400, 1, 36_500),
  /** Events kept in connectivity.json's rolling `events` (the earlier version kept 200). */
  CONNECTIVITY_LOG_EVENTS: env.int(200, 10, 10_000),

  // Alerts.
  /** POSTed a JSON body on every alert and resolve; unset sends none. */
  ALERT_WEBHOOK_URL: KNOBS.ALERT_WEBHOOK_URL.schema,
  /** Signs each webhook body: `X-Spark-Signature: sha256=<hex HMAC-SHA256>`. Never logged. */
  ALERT_WEBHOOK_SECRET: KNOBS.ALERT_WEBHOOK_SECRET.schema,
  /** ntfy topic URL (`https://ntfy.sh/<topic>` or a self-hosted one); unset sends none. */
  ALERT_NTFY_URL: KNOBS.ALERT_NTFY_URL.schema,
  ALERT_NTFY_TOKEN: KNOBS.ALERT_NTFY_TOKEN.schema,
  /** A down target is alerted only when it has stayed down this long (a short blip is logged, not paged). */
  ALERT_DEBOUNCE_S: KNOBS.ALERT_DEBOUNCE_S.schema,
  /** Repeat the alert while the outage lasts, every this many minutes (0: never). */
  ALERT_REMIND_MIN: KNOBS.ALERT_REMIND_MIN.schema,
  ALERT_TIMEOUT_MS: env.int(5000, 100, 60_000),
  /** Where the swap-controller answers; a swap in progress is a maintenance window for vLLM. */
  SWAP_CONTROLLER_URL: env.url(),
}

type RawConfig = ReturnType<typeof loadRaw>
const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export type MonitorConfig = Omit<RawConfig, 'CONNECTIVITY_LOG' | 'MONITOR_DB'> & {
  CONNECTIVITY_LOG: string
  MONITOR_DB: string
  /** Where each Spark Control service listens (`SPEECH_PROXY_URL`, …, default its usual port), read for targets. */
  serviceUrls: Record<ServiceName, string>
}

export function loadMonitorConfig(source: EnvSource): MonitorConfig {
  const raw = loadRaw(source)
  return {
    ...raw,
    CONNECTIVITY_LOG: raw.CONNECTIVITY_LOG ?? join(raw.DATA_DIR, CONNECTIVITY_FILE),
    MONITOR_DB: raw.MONITOR_DB ?? join(raw.DATA_DIR, MONITOR_DB_FILE),
    serviceUrls: Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, source[SERVICES[name].urlEnv]?.trim() || defaultServiceUrl(name)]),
    ) as Record<ServiceName, string>,
  }
}
