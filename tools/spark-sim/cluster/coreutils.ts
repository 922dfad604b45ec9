/**
 * The small shell builtins and coreutils a controller's probes lean on. `printf` and `echo` follow
 * bash closely because tests round-trip hostile strings through them to prove quoting is intact.
 */
import { sleep } from '../../../shared/abort.ts'
import { type CommandContext, resolvePath } from './shell-exec.ts'
import { lookup } from './vfs.ts'

/** Backslash escapes of `printf` formats, `%b` and `echo -e`. `stop` is set by `\c`. */
export function unescapeBackslashes(s: string, forB: boolean): { text: string; stop: boolean } {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c !== '\\' || i === s.length - 1) {
      out += c
      continue
    }
    const n = s[++i] as string
    const simple: Record<string, string> = {
      '\\': '\\',
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '"': '"',
      "'": "'",
      '?': '?',
    }
    if (simple[n] !== undefined && !(forB && (n === '"' || n === "'" || n === '?'))) out += simple[n]
    else if (n === 'c' && forB) return { text: out, stop: true }
    else if (/[0-7]/.test(n) || (forB && n === '0')) {
      // `%b` takes \0NNN, the format takes \NNN.
      const m = (forB && n === '0' ? /^[0-7]{0,3}/ : /^[0-7]{1,3}/).exec(
        s.slice(forB && n === '0' ? i + 1 : i),
      ) as RegExpExecArray
      out += String.fromCharCode(parseInt(m[0] || '0', 8))
      i += m[0].length - (forB && n === '0' ? 0 : 1)
    } else if (n === 'x' && /^[0-9a-fA-F]/.test(s.slice(i + 1))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1)) as RegExpExecArray
      out += String.fromCharCode(parseInt(m[0], 16))
      i += m[0].length
    } else out += `\\${n}`
  }
  return { text: out, stop: false }
}

function toNumber(arg: string | undefined, ctx: CommandContext): number {
  if (arg === undefined || arg === '') return 0
  if (/^['"]/.test(arg)) return arg.length > 1 ? (arg.codePointAt(1) ?? 0) : 0
  const n = /^[-+]?0x[0-9a-f]+$/i.test(arg)
    ? parseInt(arg, 16)
    : /^[-+]?0[0-7]+$/.test(arg)
      ? parseInt(arg, 8)
      : Number(arg.trim())
  if (Number.isNaN(n)) {
    ctx.stderr(`bash: printf: ${arg}: invalid number\n`)
    return 0
  }
  return n
}

/** bash's `%q`: backslash-escape what the shell would interpret; control characters as $'…'. */
function shellQuote(s: string): string {
  if (s === '') return "''"
  if (!/[\n\t\r]/.test(s)) return s.replace(/[^A-Za-z0-9_\-.,:/@%+=]/g, (c) => `\\${c}`)
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
  return `$'${escaped}'`
}

export function printf(ctx: CommandContext): number {
  let args = ctx.argv.slice(1)
  if (args[0] === '--') args = args.slice(1)
  const format = args.shift()
  if (format === undefined) {
    ctx.stderr('bash: printf: usage: printf [-v var] format [arguments]\n')
    return 2
  }
  let out = ''
  let status = 0
  const spec = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([%sbcdiouxXeEfFgGq])/g
  for (let pass = 0; pass === 0 || args.length > 0; pass++) {
    let consumed = false
    let stop = false
    let last = 0
    const takeArg = () => {
      consumed = true
      return args.shift()
    }
    for (const m of format.matchAll(spec)) {
      out += unescapeBackslashes(format.slice(last, m.index), false).text
      last = (m.index ?? 0) + m[0].length
      const [, flags = '', w, p, conv] = m
      if (conv === '%') {
        out += '%'
        continue
      }
      const width = w === '*' ? toNumber(takeArg(), ctx) : w ? Number(w) : 0
      const prec = p === '*' ? toNumber(takeArg(), ctx) : p !== undefined ? Number(p || 0) : undefined
      const arg = takeArg()
      let body: string
      if (conv === 's') body = prec !== undefined ? (arg ?? '').slice(0, prec) : (arg ?? '')
      else if (conv === 'b') {
        const r = unescapeBackslashes(arg ?? '', true)
        body = r.text
        stop = r.stop
      } else if (conv === 'q') body = shellQuote(arg ?? '')
      else if (conv === 'c') body = (arg ?? '').charAt(0)
      else {
        const n = toNumber(arg, ctx)
        if (arg !== undefined && Number.isNaN(Number(arg)) && !/^['"]|^[-+]?0x/i.test(arg)) status = 1
        const int = Math.trunc(n)
        if (conv === 'd' || conv === 'i') body = String(int)
        else if (conv === 'u') body = String(int < 0 ? 2 ** 64 + int : int)
        else if (conv === 'o') body = (int >>> 0).toString(8)
        else if (conv === 'x') body = (int >>> 0).toString(16)
        else if (conv === 'X') body = (int >>> 0).toString(16).toUpperCase()
        else if (conv === 'e' || conv === 'E')
          body = n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
        else if (conv === 'g' || conv === 'G') body = String(Number(n.toPrecision(prec || 6)))
        else body = n.toFixed(prec ?? 6)
        if (flags.includes('+') && n >= 0) body = `+${body}`
        if (conv === 'E' || conv === 'G') body = body.toUpperCase()
        if (flags.includes('0') && !flags.includes('-')) body = body.padStart(width, '0')
      }
      out += flags.includes('-') ? body.padEnd(width) : body.padStart(width)
      if (stop) break
    }
    if (stop) break
    out += unescapeBackslashes(format.slice(last), false).text
    if (!consumed) break
  }
  ctx.stdout(out)
  return status
}

export function echo(ctx: CommandContext): number {
  const args = ctx.argv.slice(1)
  let newline = true
  let escapes = false
  while (args.length > 0 && /^-[neE]+$/.test(args[0] as string)) {
    const f = args.shift() as string
    if (f.includes('n')) newline = false
    if (f.includes('e')) escapes = true
    if (f.includes('E')) escapes = false
  }
  const text = args.join(' ')
  if (!escapes) ctx.stdout(text + (newline ? '\n' : ''))
  else {
    const r = unescapeBackslashes(text, true)
    ctx.stdout(r.text + (newline && !r.stop ? '\n' : ''))
  }
  return 0
}

/** `test` / `[`: the unary file and string tests, binary string and integer comparisons, `!`, -a, -o. */
export function test(ctx: CommandContext): number {
  let args = ctx.argv.slice(1)
  const name = ctx.argv[0] === '[' ? '[' : 'test'
  if (name === '[') {
    if (args.at(-1) !== ']') {
      ctx.stderr("bash: [: missing `]'\n")
      return 2
    }
    args = args.slice(0, -1)
  }
  const file = (p: string) => lookup(ctx.session, resolvePath(ctx.session, p))
  const unary: Record<string, (a: string) => boolean> = {
    '-e': (a) => file(a) !== undefined,
    '-a': (a) => file(a) !== undefined,
    '-f': (a) => file(a)?.kind === 'file',
    '-d': (a) => file(a)?.kind === 'dir',
    '-s': (a) => {
      const e = file(a)
      return e?.kind === 'dir' || (e?.kind === 'file' && e.content().length > 0)
    },
    '-r': (a) => file(a) !== undefined,
    '-w': (a) => file(a) !== undefined && !resolvePath(ctx.session, a).startsWith('/proc'),
    '-x': (a) =>
      file(a)?.kind === 'dir' || (file(a) as { mode?: string } | undefined)?.mode?.includes('x') === true,
    '-L': () => false,
    '-h': () => false,
    '-n': (a) => a.length > 0,
    '-z': (a) => a.length === 0,
  }
  const ints: Record<string, (a: number, b: number) => boolean> = {
    '-eq': (a, b) => a === b,
    '-ne': (a, b) => a !== b,
    '-lt': (a, b) => a < b,
    '-le': (a, b) => a <= b,
    '-gt': (a, b) => a > b,
    '-ge': (a, b) => a >= b,
  }
  const evaluate = (a: string[]): boolean => {
    const or = a.lastIndexOf('-o')
    if (or > 0 && a.length > 3) return evaluate(a.slice(0, or)) || evaluate(a.slice(or + 1))
    const and = a.lastIndexOf('-a')
    if (and > 0 && a.length > 3) return evaluate(a.slice(0, and)) && evaluate(a.slice(and + 1))
    if (a.length === 0) return false
    if (a.length === 1) return (a[0] as string).length > 0
    if (a[0] === '!') return !evaluate(a.slice(1))
    if (a.length === 2) {
      const fn = unary[a[0] as string]
      if (!fn) throw new Error(`${a[0]}: unary operator expected`)
      return fn(a[1] as string)
    }
    if (a.length === 3) {
      const [l, op, r] = a as [string, string, string]
      if (op === '=' || op === '==') return l === r
      if (op === '!=') return l !== r
      if (op === '<') return l < r
      if (op === '>') return l > r
      const fn = ints[op]
      if (!fn) throw new Error(`${op}: binary operator expected`)
      if (!/^\s*-?\d+\s*$/.test(l)) throw new Error(`${l}: integer expression expected`)
      if (!/^\s*-?\d+\s*$/.test(r)) throw new Error(`${r}: integer expression expected`)
      return fn(Number(l), Number(r))
    }
    throw new Error('too many arguments')
  }
  try {
    return evaluate(args) ? 0 : 1
  } catch (err) {
    ctx.stderr(`bash: ${name}: ${(err as Error).message}\n`)
    return 2
  }
}

const KERNEL = '6.11.0-1016-nvidia'

export function uname(ctx: CommandContext): number {
  const node = ctx.session.node
  const parts: Record<string, string> = {
    s: 'Linux',
    n: node.name,
    r: KERNEL,
    v: '#16-Ubuntu SMP PREEMPT_DYNAMIC Mon Sep 29 12:00:00 UTC 2025',
    m: 'aarch64',
    p: 'aarch64',
    i: 'aarch64',
    o: 'GNU/Linux',
  }
  const long: Record<string, string> = {
    '--kernel-name': 's',
    '--nodename': 'n',
    '--kernel-release': 'r',
    '--machine': 'm',
    '--operating-system': 'o',
  }
  let want = new Set<string>()
  for (const a of ctx.argv.slice(1)) {
    if (a === '-a' || a === '--all') want = new Set('snrvmpio')
    else if (long[a]) want.add(long[a] as string)
    else if (/^-[snrvmpio]+$/.test(a)) for (const c of a.slice(1)) want.add(c)
    else {
      ctx.stderr(
        `uname: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'uname --help' for more information.\n`,
      )
      return 1
    }
  }
  if (want.size === 0) want.add('s')
  ctx.stdout(
    `${[...'snrvmpio']
      .filter((c) => want.has(c))
      .map((c) => parts[c])
      .join(' ')}\n`,
  )
  return 0
}

export function hostname(ctx: CommandContext): number {
  const flag = ctx.argv[1]
  const node = ctx.session.node
  if (flag === '-I' || flag === '--all-ip-addresses') ctx.stdout(`${node.host} \n`)
  else if (flag === '-i' || flag === '--ip-address') ctx.stdout(`${node.host}\n`)
  else ctx.stdout(`${node.name}\n`)
  return 0
}

export function cd(ctx: CommandContext): number {
  const target = ctx.argv[1] ?? ctx.session.home
  const abs = resolvePath(ctx.session, target)
  const e = lookup(ctx.session, abs)
  if (!e) {
    ctx.stderr(`bash: cd: ${target}: No such file or directory\n`)
    return 1
  }
  if (e.kind !== 'dir') {
    ctx.stderr(`bash: cd: ${target}: Not a directory\n`)
    return 1
  }
  ctx.session.cwd = abs
  return 0
}

export async function sleepCmd(ctx: CommandContext): Promise<number> {
  const total = ctx.argv.slice(1).reduce((sum, a) => {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a)
    const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m?.[2] ?? ''] ?? 1
    return sum + (m ? Number(m[1]) * mult : NaN)
  }, 0)
  if (ctx.argv.length < 2 || Number.isNaN(total)) {
    ctx.stderr(`sleep: invalid time interval '${ctx.argv[1] ?? ''}'\n`)
    return 1
  }
  return sleep(total * 1000, { signal: ctx.signal }).then(
    () => 0,
    () => 130,
  )
}
