/**
 * The commands a controller uses on a Spark's model cache: `find` (listing with `-printf`), `rm`
 * (only ever allowed on a model directory of the HF cache or on /tmp files, so a wrong path in the
 * controller fails loudly here), and the Hugging Face CLI's `download` (`hf`, `huggingface-cli`,
 * `uvx hf`) with tqdm-style progress on stderr, the snapshot path on stdout, a configurable
 * duration and a `network` failure mode. Unknown repos fail as the Hub's 404 does.
 */
import { sleep } from '../../../shared/abort.ts'
import { onSimHub } from './hf-hub.ts'
import { type CommandContext, resolvePath } from './shell-exec.ts'
import { entries, hfCacheDir, lookup } from './vfs.ts'

/** GNU find's `-printf` escapes and the directives the controller uses. */
function printfFind(fmt: string, v: { size: number; rel: string; path: string }): string {
  return fmt.replace(/\\(t|n|\\)|%([spPf%])/g, (_m, esc?: string, dir?: string) => {
    if (esc) return esc === 't' ? '\t' : esc === 'n' ? '\n' : '\\'
    if (dir === 's') return String(v.size)
    if (dir === 'P') return v.rel
    if (dir === 'p') return v.path
    if (dir === 'f') return v.path.split('/').pop() ?? ''
    return '%'
  })
}

export function find(ctx: CommandContext): number {
  const args = ctx.argv.slice(1)
  while (args[0] === '-L' || args[0] === '-H' || args[0] === '-P') args.shift()
  const roots: string[] = []
  while (args[0] !== undefined && !args[0].startsWith('-')) roots.push(args.shift() as string)
  let min = 0
  let max = Infinity
  let type: string | undefined
  let name: RegExp | undefined
  let format: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const v = args[i + 1]
    if (a === '-mindepth') min = Number(args[++i])
    else if (a === '-maxdepth') max = Number(args[++i])
    else if (a === '-type') type = args[++i]
    else if (a === '-name') {
      name = new RegExp(
        `^${(v ?? '')
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      )
      i++
    } else if (a === '-printf') format = args[++i]
    else if (a === '-print') format = undefined
    else {
      ctx.stderr(`find: unknown predicate \`${a}'\n`)
      return 1
    }
  }
  const all = entries(ctx.session)
  let status = 0
  for (const root of roots.length > 0 ? roots : ['.']) {
    const abs = resolvePath(ctx.session, root)
    if (!all.has(abs)) {
      ctx.stderr(`find: '${root}': No such file or directory\n`)
      status = 1
      continue
    }
    const prefix = abs === '/' ? '/' : `${abs}/`
    const paths = [abs, ...[...all.keys()].filter((p) => p.startsWith(prefix)).sort()]
    for (const p of paths) {
      const rel = p === abs ? '' : p.slice(prefix.length)
      const depth = rel === '' ? 0 : rel.split('/').length
      const e = all.get(p)!
      if (depth < min || depth > max) continue
      if (type && (type === 'f') !== (e.kind === 'file')) continue
      if (name && !name.test(p.split('/').pop() ?? '')) continue
      const size = e.kind === 'file' ? (e.size ?? e.content().length) : 4096
      const shown = root === abs ? p : `${root}${p.slice(abs.length)}`
      ctx.stdout(format === undefined ? `${shown}\n` : printfFind(format, { size, rel, path: shown }))
    }
  }
  return status
}

export function rm(ctx: CommandContext): number {
  const args = ctx.argv.slice(1)
  let recursive = false
  let force = false
  const operands: string[] = []
  let options = true
  for (const a of args) {
    if (options && a === '--') options = false
    else if (options && /^-[rRfv]+$/.test(a)) {
      recursive ||= /[rR]/.test(a)
      force ||= a.includes('f')
    } else operands.push(a)
  }
  if (operands.length === 0) {
    ctx.stderr("rm: missing operand\nTry 'rm --help' for more information.\n")
    return 1
  }
  const hub = `${ctx.session.home}/.cache/huggingface/hub`
  let status = 0
  for (const op of operands) {
    const abs = resolvePath(ctx.session, op)
    if (abs === '/' && recursive) {
      ctx.stderr(
        "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
      )
      status = 1
      continue
    }
    const model = [...ctx.session.node.hfCache.values()].find((m) => abs === `${hub}/${hfCacheDir(m.repo)}`)
    const entry = lookup(ctx.session, abs)
    if (!entry) {
      if (!force) {
        ctx.stderr(`rm: cannot remove '${op}': No such file or directory\n`)
        status = 1
      }
    } else if (model) {
      if (!recursive) {
        ctx.stderr(`rm: cannot remove '${op}': Is a directory\n`)
        status = 1
      } else ctx.session.node.hfCache.delete(model.repo)
    } else if (ctx.session.node.files.has(abs)) ctx.session.node.files.delete(abs)
    else {
      // Anything else on a simulated node is off limits: a stray path from the controller shows here.
      ctx.stderr(`rm: cannot remove '${op}': Permission denied\n`)
      status = 1
    }
  }
  return status
}

/** tqdm's format_sizeof: three significant digits, SI steps of 1000. */
function sizeof(n: number): string {
  let v = n
  for (const unit of ['', 'k', 'M', 'G', 'T']) {
    if (Math.abs(v) < 999.5)
      return `${Math.abs(v) < 9.995 ? v.toFixed(2) : Math.abs(v) < 99.95 ? v.toFixed(1) : v.toFixed(0)}${unit}`
    v /= 1000
  }
  return `${v.toFixed(1)}P`
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000))
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}
const bar = (pct: number) => `${'█'.repeat(Math.floor(pct / 10))}${' '.repeat(10 - Math.floor(pct / 10))}`

const USAGE = 'usage: hf <command> [<args>]\n'

/** `hf download REPO [--cache-dir DIR] …` (also `huggingface-cli download`, `uvx hf download`). */
export async function hfCli(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(ctx.argv[0] === 'uvx' ? 2 : 1)
  if (ctx.argv[0] === 'uvx' && ctx.argv[1] !== 'hf') {
    ctx.stderr(`error: Failed to spawn: \`${ctx.argv[1] ?? ''}\`\n`)
    return 2
  }
  if (args[0] !== 'download' || !args[1] || args[1].startsWith('-')) {
    ctx.stderr(USAGE)
    return 2
  }
  const repo = args[1]
  const cacheAt = args.indexOf('--cache-dir')
  const hub =
    cacheAt >= 0 && args[cacheAt + 1]
      ? resolvePath(ctx.session, args[cacheAt + 1] as string)
      : `${ctx.session.home}/.cache/huggingface/hub`
  const { node, cluster } = ctx.session
  const model = onSimHub(repo, cluster.settings.recipes)
  if (!model) {
    ctx.stderr(
      `huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. (Request ID: Root=1-6740a1b2-5c1e0f7d3a9b2c4e6f8a0b1c)\n\n` +
        `Repository Not Found for url: https://huggingface.co/api/models/${repo}/revision/main.\n` +
        'Please make sure you specified the correct `repo_id` and `repo_type`.\n' +
        'If you are trying to access a private or gated repo, make sure you are authenticated.\n',
    )
    return 1
  }
  const started = Date.now()
  const n = model.files.length
  const fetching = (done: number) => {
    const pct = Math.floor((done * 100) / n)
    const el = Date.now() - started
    return `Fetching ${n} files: ${String(pct).padStart(3)}%|${bar(pct)}| ${done}/${n} [${clock(el)}<${done ? clock((el / done) * (n - done)) : '?'}, ${done ? (el / 1000 / done).toFixed(2) : '?'}s/it]`
  }
  ctx.stderr(`${fetching(0)}\r`)
  const already = node.hfCache.get(repo)?.revision === model.revision
  const total = model.files.reduce((s, f) => s + f.size, 0)
  const budget = already ? 50 : cluster.settings.downloadTimeMs
  const failAt = node.downloadFailure === 'network' ? total * 0.4 : Infinity
  let fetched = 0
  for (let i = 0; i < n; i++) {
    const f = model.files[i]!
    const ticks = Math.max(1, Math.round(((f.size / total) * budget) / 100))
    for (let t = 1; t <= ticks; t++) {
      const aborted = await sleep(Math.max(1, (f.size / total) * budget) / ticks, {
        signal: ctx.signal,
      }).then(
        () => false,
        () => true,
      )
      if (aborted) return 130
      const bytes = Math.round((f.size * t) / ticks)
      if (fetched + bytes > failAt) {
        ctx.stderr(
          '\nTraceback (most recent call last):\n' +
            '  File "/usr/local/lib/python3.12/site-packages/huggingface_hub/file_download.py", line 482, in http_get\n' +
            'httpx.RemoteProtocolError: peer closed connection without sending complete message body (incomplete chunked read)\n',
        )
        return 1
      }
      const rate = bytes / Math.max(0.001, (Date.now() - started) / 1000)
      const pct = Math.floor((bytes * 100) / f.size)
      ctx.stderr(
        `${f.name}: ${String(pct).padStart(3)}%|${bar(pct)}| ${sizeof(bytes)}/${sizeof(f.size)} [${clock(Date.now() - started)}<00:00, ${sizeof(rate)}B/s]\r`,
      )
    }
    fetched += f.size
    ctx.stderr(`${fetching(i + 1)}\r`)
  }
  ctx.stderr('\n')
  node.hfCache.set(repo, model)
  ctx.stdout(`${hub}/${hfCacheDir(repo)}/snapshots/${model.revision}\n`)
  return 0
}
