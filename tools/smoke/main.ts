/**
 * `npm run smoke -- --base <gateway-url> [--audio <file>] …`: the live end-to-end check of a
 * running installation, through its gateway only (never a Spark directly). Exit code 0 when no
 * check failed, 1 when one did, 2 for bad arguments. What each line means: tools/smoke/README.md.
 */
import { stat } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseSmokeArgs, type SmokeOptions, USAGE, UsageError } from './args.ts'
import { audioSource } from './audio.ts'
import type { CheckContext } from './check.ts'
import { SMOKE_CHECKS } from './checks/index.ts'
import { createClient } from './http.ts'
import { headerLine, jsonReport, resultLine, summaryLine } from './output.ts'
import { readEndpoints, runChecks } from './runner.ts'

interface Io {
  out(line: string): void
  err(line: string): void
}

export async function runSmoke(
  argv: string[],
  env: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  let options: SmokeOptions
  try {
    options = parseSmokeArgs(argv, env)
    if (options.audio) await assertReadable(options.audio)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.err(`smoke: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    io.out(USAGE)
    return 0
  }
  const client = createClient(options)
  try {
    const ctx: CheckContext = { client, endpoints: null, audio: audioSource(options.audio), facts: {} }
    if (!options.json) io.out(headerLine(options.base))
    Object.assign(ctx, await readEndpoints(ctx))
    const checks = SMOKE_CHECKS.filter((c) => options.only.includes(c.name))
    const results = await runChecks(checks, ctx, (r) => {
      if (!options.json) io.out(resultLine(r))
    })
    io.out(options.json ? jsonReport(options.base, results) : summaryLine(results))
    return results.some((r) => r.verdict === 'FAIL') ? 1 : 0
  } finally {
    await client.close()
  }
}

async function assertReadable(file: string) {
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new UsageError(`--audio: no such file: ${file}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runSmoke(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).catch((err: Error) => {
    console.error(`smoke: ${err.stack ?? err.message}`)
    return 1
  })
  process.exit(code)
}
