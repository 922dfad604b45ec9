/**
 * The schedule registry's cron expressions, read by croner: the same parser validates an entry and
 * computes when it next comes due, so whatever is accepted can be computed and nothing that never
 * fires (`0 0 31 2 *`) gets in. Five fields — minute, hour, day of month, month, day of week — read
 * in UTC, as every time of this API is; or a nickname such as `@daily`.
 */
import { Cron } from 'croner'

// paused and without a callback: croner only parses and computes, it never starts a timer.
const OPTIONS = { paused: true, mode: '5-part', timezone: 'UTC' } as const

const FIELDS = [
  { name: 'minute', range: '0-59' },
  { name: 'hour', range: '0-23' },
  { name: 'day of month', range: '1-31' },
  { name: 'month', range: '1-12 or JAN-DEC' },
  { name: 'day of week', range: '0-7 or SUN-SAT' },
] as const
const NICKNAMES = '@hourly, @daily, @weekly, @monthly, @yearly'
const SHAPE = 'must be a five-field cron expression (minute hour day month weekday) or @daily-style macro'

const normalise = (expression: string) => expression.trim().replace(/\s+/g, ' ')
const quoted = (text: string) => `\`${text.slice(0, 20)}\``

function parse(expression: string): Cron | Error {
  try {
    // A copy each time: croner writes its defaults into the options object it is given.
    return new Cron(normalise(expression), { ...OPTIONS })
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err))
  }
}

/** Which part is wrong, in our words: croner says what broke, but counts days and months from 0. */
function syntaxProblem(expression: string, err: Error): string {
  const v = normalise(expression)
  if (v.startsWith('@')) return `${quoted(v)} is not a known macro (${NICKNAMES})`
  const fields = v.split(' ')
  if (fields.length !== 5) return `needs five fields (minute hour day month weekday), not ${fields.length}`
  for (const [i, text] of fields.entries()) {
    const alone = fields.map((f, j) => (j === i ? f : '*')).join(' ')
    if (parse(alone) instanceof Error)
      return `${quoted(text)} is not a valid ${FIELDS[i]!.name} (${FIELDS[i]!.range})`
  }
  return err.message.replace(/^CronPattern: /, '')
}

/**
 * Why `expression` is not a schedule this registry takes, as the 422 message for `cron`; null when
 * it is. A well-formed expression that no date satisfies is refused too: it would never come due.
 */
export function cronProblem(expression: string): string | null {
  const cron = parse(expression)
  if (cron instanceof Error) return `${SHAPE}: ${syntaxProblem(expression, cron)}`
  // Years are not a field and the calendar repeats, so asking from 1970 is as good as from now.
  if (cron.nextRun(new Date(0)) === null)
    return `${quoted(normalise(expression))} never fires: no date matches all its fields (like day 31 in February)`
  return null
}

/** When `expression` next fires strictly after `afterMs` (UTC, whole seconds); null if never or invalid. */
export function nextCronRunMs(expression: string, afterMs: number): number | null {
  const cron = parse(expression)
  if (cron instanceof Error) return null
  return cron.nextRun(new Date(afterMs))?.getTime() ?? null
}
