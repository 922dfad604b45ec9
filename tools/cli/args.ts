/**
 * What the repository's command-line tools (`npm run smoke`, `npm run sweep`) share in reading their
 * arguments: strict flags, no stray words, http(s) addresses, the API key from a flag or
 * `SPARK_CONTROL_KEY`. Bad arguments are a `UsageError`; each CLI prints its usage and exits 2.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'

type FlagSpecs = NonNullable<ParseArgsConfig['options']>

export class UsageError extends Error {}

/** `node:util` parseArgs, strict; its errors and any positional argument become a UsageError. */
export function parseFlags<const T extends FlagSpecs>(argv: string[], options: T) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; strict: true; allowPositionals: true; options: T }>
  >
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument: ${parsed.positionals[0]}`)
  return parsed.values
}

/** An http(s) base address without its trailing slash. */
export function httpUrlFlag(flag: string, value: string | undefined): string {
  if (!value?.trim()) throw new UsageError(`${flag} <url> is required`)
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new UsageError(`${flag}: not a URL: ${value}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag}: use an http:// or https:// address, not ${url.protocol}`)
  return url.href.replace(/\/+$/, '')
}

/** `--key`, else `SPARK_CONTROL_KEY`; blank is none. */
export const apiKeyFlag = (value: string | undefined, env: Record<string, string | undefined>) =>
  value?.trim() || env.SPARK_CONTROL_KEY?.trim() || undefined
