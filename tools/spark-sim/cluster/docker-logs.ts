/**
 * `docker logs [-f] [-n N|--tail N] [-t] [--since T] [--until T] NAME`: replay, then follow until the
 * container stops (or `--until` passes). Every line goes to stdout, ending in `\n`: eugr starts
 * `vllm_node` without `-t` (no TTY) and appends vLLM's stdout and stderr to PID 1's stdout
 * (`>> /proc/1/fd/1 2>&1`), so that is what docker stored. `-t` prefixes each line with its
 * RFC3339Nano time, the fraction padded to nine digits.
 */
import { normalise, noSuch } from './docker-format.ts'
import { dockerTimestamp, type LogLine } from './log-buffer.ts'
import type { CommandContext } from './shell-exec.ts'

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}
const GO_DURATION =
  /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/

/** A Go duration (`1h30m`, `1.5h`, `300ms`) in milliseconds, or undefined. */
function goDurationMs(v: string): number | undefined {
  if (!GO_DURATION.test(v)) return undefined
  const sign = v.startsWith('-') ? -1 : 1
  let ms = 0
  for (const [, n, unit] of v.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    ms += Number(n) * GO_UNIT_MS[unit!]!
  return sign * ms
}

/**
 * `--since`/`--until`: Unix seconds (with a fraction), a Go duration back from now, or a date: RFC
 * 3339 with or without a fraction, `2006-01-02T15:04:05`, `2006-01-02T15:04`, `2006-01-02` — in the
 * client's local time zone unless it carries `Z` or an offset, as docker reads them.
 */
export function parseLogTime(v: string, now = Date.now()): number | undefined {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000
  const back = goDurationMs(v)
  if (back !== undefined) return now - back
  const day = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v)
  // JavaScript reads a bare date as UTC; docker reads it in the local zone, like a bare date-time.
  if (day) return new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime()
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return undefined
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : t
}

interface LogsRequest {
  name: string
  follow: boolean
  timestamps: boolean
  tail: number | undefined
  since: number | undefined
  until: number | undefined
}

/** The request, or the exit code after the CLI's own error message. */
function parseArgs(ctx: CommandContext, raw: string[]): LogsRequest | number {
  // `-n5`: pflag reads the rest of a short flag's word as its value.
  const args = normalise(raw, new Set(['-n'])).flatMap((a) => (/^-n./.test(a) ? ['-n', a.slice(2)] : [a]))
  const req: Omit<LogsRequest, 'name'> & { name?: string } = {
    follow: false,
    timestamps: false,
    tail: undefined,
    since: undefined,
    until: undefined,
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-f' || a === '--follow') req.follow = true
    else if (a === '-t' || a === '--timestamps') req.timestamps = true
    else if (a === '--details') continue
    else if (a === '-n' || a === '--tail') {
      // The daemon takes anything but a whole number >= 0 (`all`, `-1`, `x`) as every line.
      const v = args[++i] ?? ''
      req.tail = /^\d+$/.test(v) ? Number(v) : undefined
    } else if (a === '--since' || a === '--until') {
      const v = args[++i] ?? ''
      const t = parseLogTime(v)
      if (t === undefined) {
        ctx.stderr(`invalid value for "${a.slice(2)}": failed to parse value as time or duration: "${v}"\n`)
        return 1
      }
      if (a === '--since') req.since = t
      else req.until = t
    } else if (a.startsWith('-')) {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker logs --help'.\n`)
      return 125
    } else if (req.name === undefined) req.name = a
    else return requiresOne(ctx)
  }
  return req.name === undefined ? requiresOne(ctx) : (req as LogsRequest)
}

function requiresOne(ctx: CommandContext): number {
  ctx.stderr(
    '"docker logs" requires exactly 1 argument.\nSee \'docker logs --help\'.\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container\n',
  )
  return 1
}

export async function logs(ctx: CommandContext, raw: string[]): Promise<number> {
  const req = parseArgs(ctx, raw)
  if (typeof req === 'number') return req
  const c = ctx.session.node.find(req.name)
  if (!c) {
    ctx.stderr(noSuch(req.name))
    return 1
  }
  const { since, until, tail } = req
  const show = (l: LogLine) => ctx.stdout(`${req.timestamps ? `${dockerTimestamp(l)} ` : ''}${l.text}\n`)
  let lines = c.log.lines.filter(
    (l) => (since === undefined || l.at >= since) && (until === undefined || l.at <= until),
  )
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail)
  for (const l of lines) show(l)
  const untilIn = until === undefined ? Number.POSITIVE_INFINITY : until - Date.now()
  if (!req.follow || untilIn <= 0 || c.log.ended) return 0
  await new Promise<void>((resolve) => {
    // `--until` in the future ends the follow when it comes, as docker does.
    const timer = Number.isFinite(untilIn) ? setTimeout(() => done(), untilIn) : undefined
    const done = () => {
      clearTimeout(timer)
      unsubscribe()
      ctx.signal.removeEventListener('abort', done)
      resolve()
    }
    const unsubscribe = c.log.follow({ line: show, end: done })
    ctx.signal.addEventListener('abort', done, { once: true })
  })
  return 0
}
