/** `docker logs [-f] [-n N|--tail N] [-t] [--since T] [--until T] NAME`: replay, then follow until the container stops. */
import { normalise, noSuch } from './docker-format.ts'
import { dockerTimestamp, type LogLine } from './log-buffer.ts'
import type { CommandContext } from './shell-exec.ts'

/** `--since`/`--until`: RFC 3339, a date, Unix seconds, or a Go duration relative to now. */
export function parseLogTime(v: string, now = Date.now()): number | undefined {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000
  const dur = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(v)
  if (dur && v !== '')
    return now - ((Number(dur[1] ?? 0) * 60 + Number(dur[2] ?? 0)) * 60 + Number(dur[3] ?? 0)) * 1000
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : t
}

export async function logs(ctx: CommandContext, raw: string[]): Promise<number> {
  const args = normalise(raw, new Set(['-n']))
  let follow = false
  let timestamps = false
  let tail: number | undefined
  let since: number | undefined
  let until: number | undefined
  let name: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-f' || a === '--follow') follow = true
    else if (a === '-t' || a === '--timestamps') timestamps = true
    else if (a === '--details') continue
    else if (a === '-n' || a === '--tail') {
      const v = args[++i] ?? ''
      tail = v === 'all' ? undefined : Number(v)
      if (v !== 'all' && !/^-?\d+$/.test(v)) {
        ctx.stderr(`invalid value for --tail: ${v}\n`)
        return 1
      }
    } else if (a === '--since' || a === '--until') {
      const v = args[++i] ?? ''
      const t = parseLogTime(v)
      if (t === undefined) {
        ctx.stderr(`invalid value for "${a.slice(2)}": failed to parse value as time or duration: "${v}"\n`)
        return 1
      }
      if (a === '--since') since = t
      else until = t
    } else if (a.startsWith('-')) {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker logs --help'.\n`)
      return 125
    } else name = a
  }
  if (name === undefined) {
    ctx.stderr('"docker logs" requires exactly 1 argument.\n')
    return 1
  }
  const c = ctx.session.node.find(name)
  if (!c) {
    ctx.stderr(noSuch(name))
    return 1
  }
  const show = (l: LogLine) => ctx.stdout(`${timestamps ? `${dockerTimestamp(l)} ` : ''}${l.text}\n`)
  let lines = c.log.lines.filter(
    (l) => (since === undefined || l.at >= since) && (until === undefined || l.at <= until),
  )
  if (tail !== undefined && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail)
  for (const l of lines) show(l)
  if (!follow || until !== undefined || c.log.ended) return 0
  await new Promise<void>((resolve) => {
    const done = () => {
      unsubscribe()
      ctx.signal.removeEventListener('abort', done)
      resolve()
    }
    const unsubscribe = c.log.follow({ line: show, end: done })
    ctx.signal.addEventListener('abort', done, { once: true })
  })
  return 0
}
