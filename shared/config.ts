/**
 * Environment configuration: one zod schema per service, parsed once at start.
 *
 * Blank values count as unset (the StartOS action and compose `.env` files hand over `""` for
 * optional fields, and the earlier version fell back to defaults for them). A value that is set
 * but wrong stops the process with a message naming every bad key.
 */
import { z } from '@hono/zod-openapi'
import { Secret } from './secret.ts'

export type EnvSource = Record<string, string | undefined>

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/** A bare host name or IP (v4, or v6 with or without brackets): no scheme, port or path. */
export const HOST_PATTERN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[?[0-9A-Fa-f:.]+\]?)$/

/** A host name or IP address as ssh2 and undici take it; never a URL, never anything a shell would read. */
export const hostSchema = () =>
  z
    .string()
    .trim()
    .refine((v) => HOST_PATTERN.test(v), {
      message: 'expected a host name or IP address (e.g. <spark-2-ip>), without a scheme, spaces or a path',
    })

/** Builders for env values; each treats a blank string as "use the default". */
export const env = {
  string: (fallback: string) => z.preprocess(blankIsUnset, z.string().trim().default(fallback)),
  optionalString: () => z.preprocess(blankIsUnset, z.string().trim().optional()),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.preprocess(blankIsUnset, z.coerce.number().int().min(min).max(max).default(fallback)),
  port: (fallback: number) =>
    z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65535).default(fallback)),
  number: (fallback: number, min = 0) =>
    z.preprocess(blankIsUnset, z.coerce.number().min(min).default(fallback)),
  bool: (fallback: boolean) =>
    z.preprocess(
      blankIsUnset,
      z
        .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
        .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
        .default(fallback),
    ),
  /** Comma-separated list; blank means empty. */
  list: () =>
    z.preprocess(
      blankIsUnset,
      z
        .string()
        .default('')
        .transform((s) =>
          s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
    ),
  url: () => z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).optional()),
  urlWithDefault: (fallback: string) =>
    z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).default(fallback)),
  /** A host as the earlier version took it (`SPARK2_HOST`, `PARAKEET_HOST`); URLs go in `*_URL` keys. */
  host: () => z.preprocess(blankIsUnset, hostSchema().optional()),
  /** A secret (API key, encryption key): wrapped so no log line or JSON dump can show it. */
  secret: () =>
    z
      .preprocess(blankIsUnset, z.string().optional())
      .transform((v) => (v === undefined ? undefined : new Secret(v))),
  /**
   * Names compared case-insensitively (`DISABLED_SERVICES`). Unknown names are kept, not refused:
   * the earlier version also hid custom tiles with this list, and a value it accepted must not stop us.
   */
  nameSet: () =>
    z.preprocess(blankIsUnset, z.string().default('')).transform(
      (s) =>
        new Set(
          s
            .split(',')
            .map((x) => x.trim().toLowerCase())
            .filter(Boolean),
        ),
    ),
  logLevel: () =>
    z.preprocess(
      blankIsUnset,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
}

/** Keys every service reads. `PORT` and `HOST` are per process; each service sets its default port. */
export function baseConfig(defaultPort: number, defaultHost = '127.0.0.1') {
  return {
    HOST: env.string(defaultHost),
    PORT: env.port(defaultPort),
    LOG_LEVEL: env.logLevel(),
    DATA_DIR: env.string('./.data'),
    /** Marks the whole cluster as the simulator, so every page and status says so. */
    SIMULATED_CLUSTER: env.bool(false),
    BODY_LIMIT_BYTES: env.int(10 * 1024 * 1024, 1024),
  }
}

export function loadConfig<T extends z.ZodRawShape>(shape: T, source: EnvSource): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)'
    const raw = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined
    const shown =
      raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`
    return `${key}: ${issue.message}${shown}`
  })
  throw new ConfigError(problems)
}

/** Reads the process environment on Node and Deno alike. */
export function processEnv(): EnvSource {
  const deno = (globalThis as { Deno?: { env: { toObject(): EnvSource } } }).Deno
  return deno ? deno.env.toObject() : { ...process.env }
}

export interface UpstreamLocation {
  /** An explicit URL (`PARAKEET_URL`), the most specific setting. */
  url?: string
  /** The upstream's own host key and value (`PARAKEET_HOST`). */
  hostKey?: string
  host?: string
  port: number
  /** The node it usually lives on (`SPARK2_HOST`) and that key's name, for error messages. */
  fallbackHostKey: string
  fallbackHost?: string
}

/**
 * Where an upstream lives, most specific first: its URL, then its own host (+ port), then the node
 * it usually runs on with its usual port. Null when none is set: the service runs and says so.
 */
export function resolveUpstreamUrl(location: UpstreamLocation): string | null {
  if (location.url) return location.url.replace(/\/+$/, '')
  const chosen = location.host ?? location.fallbackHost
  if (!chosen) return null
  const bracketed = chosen.includes(':') && !chosen.startsWith('[') ? `[${chosen}]` : chosen
  const built = `http://${bracketed}:${location.port}`
  if (!URL.canParse(built)) {
    const key = location.host ? (location.hostKey ?? 'host') : location.fallbackHostKey
    throw new ConfigError([`${key}: not a usable host (got ${JSON.stringify(chosen)})`])
  }
  return built
}
