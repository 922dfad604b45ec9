/** `ls`, `cat`, `df` and the line filters (`grep`, `head`, `tail`, `wc`) used in pipelines. */

import { KIB_PER_GIB } from './resources.ts'
import type { CommandContext } from './shell-exec.ts'
import { resolvePath } from './shell-exec.ts'
import { listDir, lookup } from './vfs.ts'

export function ls(ctx: CommandContext): number {
  const flags = ctx.argv
    .slice(1)
    .filter((a) => a.startsWith('-') && a.length > 1)
    .join('')
  const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-') || a === '-')
  const all = flags.includes('a')
  const long = flags.includes('l')
  let status = 0
  const targets = paths.length > 0 ? paths : ['.']
  targets.forEach((p, idx) => {
    const abs = resolvePath(ctx.session, p)
    const e = lookup(ctx.session, abs)
    if (!e) {
      ctx.stderr(`ls: cannot access '${p}': No such file or directory\n`)
      status = 2
      return
    }
    if (targets.length > 1 && e.kind === 'dir') ctx.stdout(`${idx > 0 ? '\n' : ''}${p}:\n`)
    const names = e.kind === 'dir' ? listDir(ctx.session, abs, all) : [p]
    for (const name of names) {
      if (!long) {
        ctx.stdout(`${name}\n`)
        continue
      }
      const child = e.kind === 'dir' ? lookup(ctx.session, `${abs === '/' ? '' : abs}/${name}`) : e
      const mode =
        child?.kind === 'dir'
          ? 'drwxr-xr-x'
          : ((child as { mode?: string } | undefined)?.mode ?? '-rw-r--r--')
      const size = child?.kind === 'file' ? (child.size ?? child.content().length) : 4096
      const u = ctx.session.user
      ctx.stdout(`${mode} 1 ${u} ${u} ${String(size).padStart(6)} Apr 18 10:00 ${name}\n`)
    }
  })
  return status
}

export async function cat(ctx: CommandContext): Promise<number> {
  const paths = ctx.argv.slice(1).filter((a) => a !== '--')
  if (paths.length === 0 || (paths.length === 1 && paths[0] === '-')) {
    for await (const chunk of ctx.stdin) ctx.stdout(chunk)
    return 0
  }
  let status = 0
  for (const p of paths) {
    const e = lookup(ctx.session, resolvePath(ctx.session, p))
    if (!e) {
      ctx.stderr(`cat: ${p}: No such file or directory\n`)
      status = 1
    } else if (e.kind === 'dir') {
      ctx.stderr(`cat: ${p}: Is a directory\n`)
      status = 1
    } else ctx.stdout(e.content())
  }
  return status
}

const DISK_BYTES = 3_936_818_806_784

/** Root NVMe: base usage plus the weights of every recipe's model in the HF cache. */
function rootUsage(ctx: CommandContext): { size: number; used: number; avail: number } {
  const models = Object.values(ctx.session.cluster.settings.recipes)
  const weights = models.reduce((sum, r) => sum + (r.memGiB ?? 20) * 0.62 * KIB_PER_GIB * 1024, 0)
  const used = Math.round(412_000_000_000 + weights)
  const avail = Math.round((DISK_BYTES - used) * 0.95)
  return { size: DISK_BYTES, used, avail }
}

export function df(ctx: CommandContext): number {
  let block = 1024
  let human = false
  let posix = false
  let output: string[] | undefined
  const paths: string[] = []
  const args = ctx.argv.slice(1)
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-B' || a.startsWith('-B') || a.startsWith('--block-size=')) {
      const v = a === '-B' ? args[++i] : a.startsWith('-B') ? a.slice(2) : a.slice(13)
      const m = /^(\d*)([KMG]?)$/.exec(v ?? '')
      if (!m) {
        ctx.stderr(`df: invalid -B argument '${v}'\n`)
        return 1
      }
      block = Number(m[1] || 1) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] ?? ''] ?? 1)
    } else if (a === '-P' || a === '--portability') posix = true
    else if (a === '-k') block = 1024
    else if (a === '-h' || a === '--human-readable') human = true
    else if (a.startsWith('--output'))
      output = (a.split('=')[1] ?? 'source,size,used,avail,pcent,target').split(',')
    else if (a === '-T' || a === '--print-type')
      output = ['source', 'fstype', 'size', 'used', 'avail', 'pcent', 'target']
    else if (a.startsWith('-') && a !== '-') {
      ctx.stderr(`df: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'df --help' for more information.\n`)
      return 1
    } else paths.push(a)
  }
  const rows: Array<Record<string, string>> = []
  const root = rootUsage(ctx)
  const fmt = (bytes: number) => (human ? humanBytes(bytes) : String(Math.ceil(bytes / block)))
  const pct = (u: number, a: number) => `${Math.ceil((u * 100) / (u + a))}%`
  let status = 0
  for (const p of paths.length > 0 ? paths : ['/']) {
    const abs = resolvePath(ctx.session, p)
    if (!lookup(ctx.session, abs)) {
      ctx.stderr(`df: ${p}: No such file or directory\n`)
      status = 1
      continue
    }
    if (abs === '/proc' || abs.startsWith('/proc/')) {
      rows.push({
        source: 'proc',
        fstype: 'proc',
        size: '0',
        used: '0',
        avail: '0',
        pcent: '-',
        target: '/proc',
        file: p,
      })
      continue
    }
    rows.push({
      source: '/dev/nvme0n1p2',
      fstype: 'ext4',
      size: fmt(root.size),
      used: fmt(root.used),
      avail: fmt(root.avail),
      pcent: pct(root.used, root.avail),
      target: '/',
      file: p,
      itotal: '244187136',
      iused: '1204551',
      iavail: '242982585',
      ipcent: '1%',
    })
  }
  const sizeHead = human
    ? 'Size'
    : block === 1
      ? '1B-blocks'
      : block === 1024
        ? posix
          ? '1024-blocks'
          : '1K-blocks'
        : `${block}B-blocks`
  const heads: Record<string, string> = {
    source: 'Filesystem',
    fstype: 'Type',
    size: sizeHead,
    used: 'Used',
    avail: human ? 'Avail' : 'Available',
    pcent: posix ? 'Capacity' : 'Use%',
    target: 'Mounted on',
    file: 'File',
    itotal: 'Inodes',
    iused: 'IUsed',
    iavail: 'IFree',
    ipcent: 'IUse%',
  }
  if (output) heads.avail = 'Avail'
  const cols = output ?? ['source', 'size', 'used', 'avail', 'pcent', 'target']
  const bad = cols.find((c) => !heads[c])
  if (bad) {
    ctx.stderr(`df: option --output: field '${bad}' unknown\n`)
    return 1
  }
  const table = [cols.map((c) => heads[c] ?? ''), ...rows.map((r) => cols.map((c) => r[c] ?? '-'))]
  const widths = cols.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
  const left = new Set(['source', 'fstype', 'target', 'file'])
  for (const r of table) {
    const line = r.map((cell, i) => {
      const last = i === cols.length - 1
      return left.has(cols[i] as string)
        ? last
          ? cell
          : cell.padEnd(widths[i] ?? 0)
        : cell.padStart(widths[i] ?? 0)
    })
    ctx.stdout(`${line.join(' ')}\n`)
  }
  return status
}

function humanBytes(b: number): string {
  const units = ['', 'K', 'M', 'G', 'T']
  let v = b
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 10 ? Math.ceil(v) : v.toFixed(1)}${units[i]}`
}

/** The files named on the command line, or stdin when there are none (`-` is stdin too). */
function inputOf(
  ctx: CommandContext,
  files: string[],
  tool: string,
): { input: AsyncIterable<string>; missing: boolean } {
  if (files.length === 0) return { input: ctx.stdin, missing: false }
  let missing = false
  const chunks: string[] = []
  for (const f of files) {
    const e = lookup(ctx.session, resolvePath(ctx.session, f))
    if (e?.kind === 'file') chunks.push(e.content())
    else {
      ctx.stderr(`${tool}: ${f}: ${e ? 'Is a directory' : 'No such file or directory'}\n`)
      missing = true
    }
  }
  return {
    input: (async function* () {
      yield* chunks
    })(),
    missing,
  }
}

async function* lines(input: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of input) {
    rest += chunk
    let nl = rest.indexOf('\n')
    while (nl >= 0) {
      yield rest.slice(0, nl)
      rest = rest.slice(nl + 1)
      nl = rest.indexOf('\n')
    }
  }
  if (rest) yield rest
}

/** `grep [-q] [-v] [-i] [-c] [-E|-F] [-m N] PATTERN` over stdin (what pipelines need). */
export async function grep(ctx: CommandContext): Promise<number> {
  const opts = { q: false, v: false, i: false, c: false, F: false, E: false, max: Infinity }
  const args = ctx.argv.slice(1)
  let pattern: string | undefined
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-m') opts.max = Number(args[++i])
    else if (/^-[qvicEFw]+$/.test(a)) for (const f of a.slice(1)) (opts as Record<string, unknown>)[f] = true
    else if (a === '-e') pattern = args[++i]
    else if (pattern === undefined) pattern = a
    else files.push(a)
  }
  if (pattern === undefined) {
    ctx.stderr('Usage: grep [OPTION]... PATTERNS [FILE]...\n')
    return 2
  }
  // Basic regular expressions spell alternation and groups with a backslash; JS wants them bare.
  const source = opts.F
    ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    : opts.E
      ? pattern
      : pattern.replace(/\\([|()+?{}])/g, '$1')
  let re: RegExp
  try {
    re = new RegExp(source, opts.i ? 'i' : '')
  } catch {
    ctx.stderr('grep: Invalid regular expression\n')
    return 2
  }
  let count = 0
  const src = inputOf(ctx, files, 'grep')
  for await (const line of lines(src.input)) {
    if (re.test(line) === opts.v) continue
    count++
    if (opts.q) return 0
    if (!opts.c) ctx.stdout(`${line}\n`)
    if (count >= opts.max) break
  }
  if (opts.c) ctx.stdout(`${count}\n`)
  return src.missing ? 2 : count > 0 ? 0 : 1
}

/** `-n N`, `-nN`, `-N` and the file operands of head/tail. */
function countArgs(argv: string[]): { n: number; files: string[] } {
  let n = 10
  const files: string[] = []
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '-n') n = Number(argv[++i])
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2))
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1))
    else if (a !== '-q') files.push(a)
  }
  return { n, files }
}

export async function head(ctx: CommandContext): Promise<number> {
  const { n, files } = countArgs(ctx.argv)
  const src = inputOf(ctx, files, 'head')
  let i = 0
  if (n > 0) {
    for await (const line of lines(src.input)) {
      ctx.stdout(`${line}\n`)
      if (++i >= n) break
    }
  }
  return src.missing ? 1 : 0
}

export async function tail(ctx: CommandContext): Promise<number> {
  const { n, files } = countArgs(ctx.argv)
  const src = inputOf(ctx, files, 'tail')
  const keep: string[] = []
  for await (const line of lines(src.input)) {
    keep.push(line)
    if (keep.length > n) keep.shift()
  }
  for (const l of keep) ctx.stdout(`${l}\n`)
  return src.missing ? 1 : 0
}

export async function wc(ctx: CommandContext): Promise<number> {
  let l = 0
  let w = 0
  let c = 0
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'))
  const src = inputOf(ctx, files, 'wc')
  for await (const chunk of src.input) {
    c += chunk.length
    l += chunk.split('\n').length - 1
    w += chunk.split(/\s+/).filter(Boolean).length
  }
  const flag = ctx.argv.slice(1).find((a) => a.startsWith('-'))
  const suffix = files.length === 1 ? ` ${files[0]}` : ''
  const one: Record<string, number> = { '-l': l, '-w': w, '-c': c }
  const all = `${String(l).padStart(7)} ${String(w).padStart(7)} ${String(c).padStart(7)}`
  ctx.stdout(`${flag && one[flag] !== undefined ? one[flag] : all}${suffix}\n`)
  return src.missing ? 1 : 0
}
