/**
 * `npm run sweep -- --target <asr|tts|embeddings> --url <backend-url> …` (or `--gateway <url>`):
 * the concurrency sweep from a terminal. Prints each level as it ends, then the table and the
 * recommended lane limit; a direct run writes its JSON to `.data/sweeps/`. Exit code 0 when the
 * sweep ran, 1 when it could not, 2 for bad arguments or a live backend without `--yes-live`.
 */
import { pathToFileURL } from 'node:url'
import { parseSweepArgs, type SweepCliOptions, USAGE, UsageError } from './args.ts'
import { RefusedLive, sweepDirect } from './direct.ts'
import { GatewayError, sweepThroughGateway } from './gateway.ts'
import { report } from './output.ts'

interface Io {
  out(line: string): void
  err(line: string): void
}

export async function runSweepCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: Io,
  signal?: AbortSignal,
): Promise<number> {
  let options: SweepCliOptions
  try {
    options = parseSweepArgs(argv, env)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.err(`sweep: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    io.out(USAGE)
    return 0
  }
  const where = options.url ?? `${options.gateway} (through Spark Control)`
  io.out(
    `Sweeping ${options.target} at ${where}: concurrency ${options.levels.join(', ')}, ` +
      `${options.warmupS} s warm-up + ${options.cellS} s each`,
  )
  try {
    if (options.url) {
      const { result, file } = await sweepDirect({ ...options, url: options.url }, io.out, signal)
      io.out(`\n${report(result)}\n\nSaved to ${file}`)
    } else {
      const result = await sweepThroughGateway(options, io.out)
      io.out(`\n${report(result)}\n\nSaved in Spark Control as ${result.id} (dashboard: ops page).`)
    }
    return 0
  } catch (err) {
    if (err instanceof RefusedLive) {
      io.err(`sweep: refused — ${err.message}`)
      return 2
    }
    if (err instanceof GatewayError) {
      io.err(`sweep: ${err.message}`)
      return 1
    }
    throw err
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  const code = await runSweepCli(
    process.argv.slice(2),
    process.env,
    { out: (line) => console.log(line), err: (line) => console.error(line) },
    stop.signal,
  ).catch((err: Error) => {
    console.error(`sweep: ${err.stack ?? err.message}`)
    return 1
  })
  process.exit(code)
}
