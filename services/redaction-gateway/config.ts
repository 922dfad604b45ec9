import { join } from 'node:path'
import { z } from '@hono/zod-openapi'
import {
  baseConfig,
  blankIsUnset,
  ConfigError,
  type EnvSource,
  env,
  loadConfig,
} from '../../shared/config.ts'
import { Secret } from '../../shared/secret.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { defaultServiceUrl, SERVICES } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['redaction-gateway'].port
export const MAP_DB_FILE = 'redaction_maps.db'
export const DEFAULT_MAP_TTL_S = 24 * 3600
export const MAP_KEY_BYTES = 32
/** The name pass of one `/scrub` at most (tests/architecture/deadlines.test.ts keeps the callers longer). */
export const DEFAULT_NER_DEADLINE_MS = 240_000
export const DEFAULT_MAX_ITEMS = 1000
/** About 40,000 words: a two-hour transcript fits in one item. */
export const DEFAULT_MAX_ITEM_CHARS = 250_000

/** 32 bytes written as 64 hex digits or base64 (standard or URL-safe); anything else is undefined. */
export function decodeMapKey(text: string): Buffer | undefined {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  return bytes.length === MAP_KEY_BYTES ? bytes : undefined
}

function mapKeySchema() {
  return z
    .preprocess(blankIsUnset, z.string().optional())
    .refine((v) => v === undefined || decodeMapKey(v) !== undefined, {
      message: 'expected 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
    })
    .transform((v) => (v === undefined ? undefined : new Secret(v)))
}

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** The earlier version's map database; blank ⇒ `<DATA_DIR>/redaction_maps.db`. */
  REDACTION_MAP_DB: env.optionalString().refine((v) => v === undefined || !/[/\\]$|\0/.test(v), {
    message: 'expected a file path (it ends with a slash or contains a NUL byte)',
  }),
  /** AES-256 key for the stored values: 32 bytes as base64 or hex. Required unless the dev flag is set. */
  REDACTION_MAP_KEY: mapKeySchema(),
  /** Runs with a fixed, publicly known key when REDACTION_MAP_KEY is unset: for development only. */
  REDACTION_INSECURE_DEV_KEY: env.bool(false),
  /** How long a map lives after its last use (create or extend); the sweep deletes it after that. */
  REDACTION_MAP_TTL_S: env.int(DEFAULT_MAP_TTL_S, 60),
  /** The most items one `/scrub` takes; more is a 413 (nothing scrubbed). */
  REDACTION_MAX_ITEMS: env.int(DEFAULT_MAX_ITEMS, 1),
  /** The longest item text `/scrub` takes, in UTF-16 characters; longer is a 413 (nothing scrubbed). */
  REDACTION_MAX_ITEM_CHARS: env.int(DEFAULT_MAX_ITEM_CHARS, 1),
  /** Upstream names to leave alone (case-insensitive); `vllm` turns the local-LLM name pass off. */
  DISABLED_SERVICES: env.nameSet(),
  /** The swap-controller, whose chat proxy serves the local-LLM name pass (`ner: auto|qwen`). */
  SWAP_CONTROLLER_URL: env.urlWithDefault(defaultServiceUrl('swap-controller')),
  /** One chat call of the name pass (a chat request held during a swap waits within it too). */
  REDACTION_NER_TIMEOUT_MS: env.int(60_000, 100),
  /** The whole name pass of one `/scrub`; under the gateway's 300 s so the client gets the 422. */
  REDACTION_NER_DEADLINE_MS: env.int(DEFAULT_NER_DEADLINE_MS, 100),
  /** Chat calls of the name pass at once, across all `/scrub` calls (the Spark serves chat too). */
  REDACTION_NER_CONCURRENCY: env.int(4, 1, 64),
  /** The longest piece of an item one chat call carries (UTF-16 characters); longer items are cut. */
  REDACTION_NER_CHUNK_CHARS: env.int(6000, 200),
  /** The scrub-proxy's OpenAI-compatible API, its base URL (`…/v1`); blank ⇒ the scrub-proxy is off. */
  REDACTION_CLOUD_URL: KNOBS.REDACTION_CLOUD_URL.schema,
  /** Sent to that API as `Authorization: Bearer …`; never logged. */
  REDACTION_CLOUD_API_KEY: KNOBS.REDACTION_CLOUD_API_KEY.schema,
  /** Idle budget for the cloud's answer: its headers, then each gap between streamed chunks. */
  REDACTION_CLOUD_TIMEOUT_MS: env.int(300_000, 1000),
  /** Scrub-proxy requests at once; past it 503 `scrub_proxy_busy` (nothing waits in a queue). */
  REDACTION_CLOUD_MAX_IN_FLIGHT: env.int(32, 1, 1024),
  /** The scrub-proxy's name pass: `rules_only`, or `auto` to add the local-LLM pass (422 when it cannot run). */
  REDACTION_PROXY_NER: KNOBS.REDACTION_PROXY_NER.schema,
}

type RawConfig = ReturnType<typeof loadRaw>
export type RedactionConfig = Omit<RawConfig, 'REDACTION_MAP_DB'> & { REDACTION_MAP_DB: string }

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

/** Refuses to start without a map key: values stored under no real key are as good as plain text. */
export function loadRedactionConfig(source: EnvSource): RedactionConfig {
  const raw = loadRaw(source)
  if (!raw.REDACTION_MAP_KEY && !raw.REDACTION_INSECURE_DEV_KEY)
    throw new ConfigError([
      'REDACTION_MAP_KEY: required (32 bytes, base64 or hex, e.g. `openssl rand -base64 32`); ' +
        'set REDACTION_INSECURE_DEV_KEY=1 to run with a known development key instead',
    ])
  return { ...raw, REDACTION_MAP_DB: raw.REDACTION_MAP_DB ?? join(raw.DATA_DIR, MAP_DB_FILE) }
}
