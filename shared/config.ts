/**
 * Environment configuration: one zod schema per service, parsed once at start.
 *
 * Blank values count as unset (the StartOS action and compose `.env` files hand over `""` for
 * optional fields, and the earlier version fell back to defaults for them). A value that is set
 * but wrong stops the process with a message naming every bad key.
 */
import { z } from 'zod'

export type EnvSource = Record<string, string | undefined>

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/** Builders for env values; each treats a blank string as "use the default". */
export const env = {
  string: (fallback: string) => z.preprocess(blankIsUnset, z.string().trim().default(fallback)),
  optionalString: () => z.preprocess(blankIsUnset, z.string().trim().optional()),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.preprocess(blankIsUnset, z.coerce.number().int().min(min).max(max).default(fallback)),
  port: (fallback: number) => z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65535).default(fallback)),
  number: (fallback: number, min = 0) => z.preprocess(blankIsUnset, z.coerce.number().min(min).default(fallback)),
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
  urlWithDefault: (fallback: string) => z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).default(fallback)),
  logLevel: () =>
    z.preprocess(blankIsUnset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
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
    const shown = raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`
    return `${key}: ${issue.message}${shown}`
  })
  throw new ConfigError(problems)
}

/** Reads the process environment on Node and Deno alike. */
export function processEnv(): EnvSource {
  const deno = (globalThis as { Deno?: { env: { toObject(): EnvSource } } }).Deno
  return deno ? deno.env.toObject() : { ...process.env }
}
