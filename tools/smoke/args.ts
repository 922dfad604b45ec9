/**
 * The command line of `npm run smoke`: what to check (the gateway's address, the audio file, the
 * key) and how (timeout, a subset of checks, JSON output). Bad arguments are a `UsageError`; the
 * CLI prints the usage and exits 2 for them.
 */
import { apiKeyFlag, httpUrlFlag, parseFlags, UsageError } from '../cli/args.ts'

export { UsageError }

/** The checks, in the order they run. */
export const CHECK_NAMES = [
  'status',
  'chat',
  'transcription',
  'tts',
  'embeddings',
  'search',
  'scrub',
] as const
export type CheckName = (typeof CHECK_NAMES)[number]

export const DEFAULT_TIMEOUT_S = 60

export interface SmokeOptions {
  /** The gateway's base URL, without a trailing slash. */
  base: string
  /** Absent: the built-in speech sample (audio.ts). */
  audio?: string
  key?: string
  insecure: boolean
  timeoutMs: number
  only: CheckName[]
  json: boolean
  help: boolean
}

export const USAGE = `usage: npm run smoke -- --base <gateway-url> [options]

Checks a running Spark Control end to end through its gateway, one line per check:
${CHECK_NAMES.join(', ')}.

  --base <url>       the gateway, e.g. http://<spark-control-host>:9999 (required)
  --audio <file>     speech to transcribe (default: the repository's built-in speech sample)
  --key <api-key>    sent as "Authorization: Bearer <key>" (default: $SPARK_CONTROL_KEY)
  --insecure         accept a self-signed HTTPS certificate
  --timeout-s <N>    seconds each request may take (default ${DEFAULT_TIMEOUT_S})
  --only <a,b>       run only these checks
  --json             print one JSON document instead of lines
  --help             this text

Exit code: 0 when no check failed, 1 when one did, 2 for bad arguments.`

export function parseSmokeArgs(argv: string[], env: Record<string, string | undefined>): SmokeOptions {
  const v = parseFlags(argv, {
    base: { type: 'string' },
    audio: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    'timeout-s': { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (v.help) return { ...defaults(), help: true }
  if (!v.base?.trim()) throw new UsageError('--base <gateway-url> is required')
  return {
    base: httpUrlFlag('--base', v.base),
    audio: v.audio?.trim() || undefined,
    key: apiKeyFlag(v.key, env),
    insecure: v.insecure ?? false,
    timeoutMs: timeoutMs(v['timeout-s']),
    only: onlyChecks(v.only),
    json: v.json ?? false,
    help: false,
  }
}

const defaults = (): SmokeOptions => ({
  base: '',
  insecure: false,
  timeoutMs: DEFAULT_TIMEOUT_S * 1000,
  only: [...CHECK_NAMES],
  json: false,
  help: false,
})

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S * 1000
  const seconds = Number(value)
  if (!value.trim() || !Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout-s: a number of seconds above 0, not ${JSON.stringify(value)}`)
  return Math.round(seconds * 1000)
}

function onlyChecks(value: string | undefined): CheckName[] {
  if (value === undefined) return [...CHECK_NAMES]
  const asked = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = asked.filter((name) => !(CHECK_NAMES as readonly string[]).includes(name))
  if (unknown.length > 0)
    throw new UsageError(
      `--only: no check named ${unknown.join(', ')}; the checks are ${CHECK_NAMES.join(', ')}`,
    )
  if (asked.length === 0) throw new UsageError('--only: name at least one check')
  return CHECK_NAMES.filter((name) => asked.includes(name))
}
