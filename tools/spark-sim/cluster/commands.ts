/**
 * The command table of a simulated node and how a name resolves: shell builtins, PATH commands
 * (`docker`, `nvidia-smi`, coreutils…) and eugr's scripts, found by path (`./run-recipe.sh`,
 * `/home/<user>/spark-vllm-docker/launch-cluster.sh`, `bash run-recipe.sh`). Anything else is
 * "command not found" (127), as bash says it.
 */
import { cd, echo, hostname, printf, sleepCmd, test, uname } from './coreutils.ts'
import { docker } from './docker.ts'
import { launchClusterScript, runRecipeScript } from './eugr-scripts.ts'
import { tee } from './file-writes.ts'
import { cat, df, grep, head, ls, tail, wc } from './files.ts'
import { find, hfCli, rm } from './hf-tools.ts'
import { nvidiaSmi } from './nvidia-smi.ts'
import {
  type CommandContext,
  type CommandHandler,
  type Resolve,
  resolvePath,
  runCommandLine,
  type Session,
} from './shell-exec.ts'
import { free } from './telemetry.ts'
import { lookup } from './vfs.ts'

const SCRIPTS: Record<string, CommandHandler> = {
  'run-recipe.sh': runRecipeScript,
  'launch-cluster.sh': launchClusterScript,
}

/** `bash -c STRING` / `sh -c`, and `bash SCRIPT args` for eugr's scripts. */
async function bash(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1)
  while (args[0] === '-l' || args[0] === '-e' || args[0] === '--login' || args[0] === '-x') args.shift()
  if (args[0] === '-c' || args[0] === '-lc' || args[0] === '-ec') {
    if (args[1] === undefined) {
      ctx.stderr(`${ctx.argv[0]}: -c: option requires an argument\n`)
      return 2
    }
    const io = { stdout: ctx.stdout, stderr: ctx.stderr, stdin: ctx.stdin }
    return runCommandLine(args[1], { ...ctx.session }, io, ctx.signal, resolveCommand, false)
  }
  if (args[0] === undefined) return 0
  const abs = resolvePath(ctx.session, args[0])
  const script = scriptAt(ctx.session, abs)
  if (script) return script({ ...ctx, argv: args })
  if (!lookup(ctx.session, abs)) {
    ctx.stderr(`${ctx.argv[0]}: ${args[0]}: No such file or directory\n`)
    return 127
  }
  return 0
}

function scriptAt(session: Session, abs: string): CommandHandler | undefined {
  const dir = session.cluster.settings.vllmDir.replace(/\/+$/, '')
  const base = abs.slice(dir.length + 1)
  return abs.startsWith(`${dir}/`) ? SCRIPTS[base] : undefined
}

function commandV(ctx: CommandContext): number {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'))
  let status = 0
  for (const n of names) {
    if (BUILTINS.has(n)) ctx.stdout(`${n}\n`)
    else if (PATH_COMMANDS[n]) ctx.stdout(`/usr/bin/${n}\n`)
    else status = 1
  }
  return status
}

/** `env [NAME=value]... [cmd args...]`: prints the environment or runs cmd with additions. */
async function env(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1)
  const extra: Record<string, string> = {}
  while (args[0]?.includes('=') && /^[A-Za-z_]/.test(args[0])) {
    const a = args.shift() as string
    extra[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1)
  }
  if (args.length === 0) {
    for (const [k, v] of Object.entries({ ...ctx.env, ...extra })) ctx.stdout(`${k}=${v}\n`)
    return 0
  }
  return runArgv({ ...ctx, env: { ...ctx.env, ...extra } }, args)
}

async function runArgv(ctx: CommandContext, argv: string[]): Promise<number> {
  const found = resolveCommand(argv[0] as string, ctx.session)
  if ('code' in found) {
    ctx.stderr(found.message.replace(/^bash: /, `${ctx.argv[0]}: `))
    return found.code
  }
  return found.handler({ ...ctx, argv })
}

/** Options of coreutils `timeout` before DURATION; `-s`/`-k` take a value. */
function timeoutOperands(argv: string[]): string[] {
  let i = 0
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    const opt = argv[i]!
    i += opt === '-s' || opt === '-k' || opt === '--signal' || opt === '--kill-after' ? 2 : 1
  }
  if (argv[i] === '--') i++
  return argv.slice(i)
}

/** `timeout [-s SIG] [-k DUR] DURATION cmd…`: 124 when the command outlives the duration. */
async function timeout(ctx: CommandContext): Promise<number> {
  const args = timeoutOperands(ctx.argv.slice(1))
  const secs = Number(String(args[0] ?? '').replace(/s$/, ''))
  if (Number.isNaN(secs) || args.length < 2) {
    ctx.stderr("timeout: invalid time interval\nTry 'timeout --help' for more information.\n")
    return 125
  }
  const ac = new AbortController()
  const onParent = () => ac.abort()
  ctx.signal.addEventListener('abort', onParent, { once: true })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    ac.abort()
  }, secs * 1000)
  try {
    const code = await runArgv({ ...ctx, signal: ac.signal }, args.slice(1))
    return timedOut ? 124 : code
  } finally {
    clearTimeout(timer)
    ctx.signal.removeEventListener('abort', onParent)
  }
}

/** Non-interactive SSH has no terminal for a password prompt. */
function sudo(ctx: CommandContext): number {
  ctx.stderr(
    'sudo: a terminal is required to read the password; either use the -S option to read from standard input ' +
      'or configure an askpass helper\nsudo: a password is required\n',
  )
  return 1
}

/** `ss -ltn[p][H]`: listening TCP sockets (sshd and any vLLM bound on this node). */
function ss(ctx: CommandContext): number {
  const flags = ctx.argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('')
  const filter = /sport\s*=\s*:(\d+)/.exec(ctx.argv.slice(1).join(' '))?.[1]
  const rows: Array<[string, number]> = [['0.0.0.0', 22]]
  for (const n of ctx.session.cluster.nodes) {
    if (n.host !== ctx.session.node.host) continue
    for (const c of n.containers.values())
      for (const p of c.processes) if (p.emulator.url()) rows.push(['0.0.0.0', p.nominalPort])
  }
  if (!flags.includes('H')) ctx.stdout('State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n')
  for (const [addr, port] of rows) {
    if (filter && String(port) !== filter) continue
    ctx.stdout(`LISTEN 0      4096       ${`${addr}:${port}`.padEnd(20)}    0.0.0.0:*\n`)
  }
  return 0
}

/** A command whose whole work is one line of output; it succeeds. */
function printed(ctx: CommandContext, text: string): number {
  ctx.stdout(text)
  return 0
}

const PATH_COMMANDS: Record<string, CommandHandler> = {
  docker,
  'nvidia-smi': nvidiaSmi,
  cat,
  df,
  free,
  ls,
  grep,
  head,
  tail,
  wc,
  hostname,
  uname,
  sleep: sleepCmd,
  env,
  timeout,
  sudo,
  ss,
  bash,
  sh: bash,
  nproc: (ctx) => printed(ctx, '20\n'),
  sync: () => 0,
  whoami: (ctx) => printed(ctx, `${ctx.session.user}\n`),
  date: (ctx) =>
    printed(ctx, `${ctx.argv[1] === '+%s' ? Math.floor(Date.now() / 1000) : new Date().toUTCString()}\n`),
  which: commandV,
  test,
  '[': test,
  printf,
  echo,
  true: () => 0,
  false: () => 1,
  find,
  rm,
  tee,
  hf: hfCli,
  'huggingface-cli': hfCli,
  uvx: hfCli,
}

/** Shell builtins shadow PATH commands, as in bash. */
const BUILTIN_TABLE: Record<string, CommandHandler> = {
  cd,
  pwd: (ctx) => printed(ctx, `${ctx.session.cwd}\n`),
  echo,
  printf,
  test,
  '[': test,
  true: () => 0,
  false: () => 1,
  command: (ctx) =>
    ctx.argv[1] === '-v' || ctx.argv[1] === '-V' ? commandV(ctx) : runArgv(ctx, ctx.argv.slice(1)),
  exit: (ctx) => Number(ctx.argv[1] ?? 0),
  export: () => 0,
  exec: (ctx) => (ctx.argv.length > 1 ? runArgv(ctx, ctx.argv.slice(1)) : 0),
}
const BUILTINS = new Set(Object.keys(BUILTIN_TABLE))

export const resolveCommand: Resolve = (name, session) => {
  const builtin = BUILTIN_TABLE[name]
  if (builtin) return { handler: builtin }
  if (!name.includes('/')) {
    const cmd = PATH_COMMANDS[name]
    return cmd ? { handler: cmd } : { code: 127, message: `bash: ${name}: command not found\n` }
  }
  const abs = resolvePath(session, name)
  const script = scriptAt(session, abs)
  if (script) return { handler: script }
  const bin = /^\/(?:usr\/)?(?:local\/)?s?bin\/([^/]+)$/.exec(abs)?.[1]
  if (bin && PATH_COMMANDS[bin]) return { handler: PATH_COMMANDS[bin] as CommandHandler }
  const entry = lookup(session, abs)
  if (!entry) return { code: 127, message: `bash: ${name}: No such file or directory\n` }
  if (entry.kind === 'dir') return { code: 126, message: `bash: ${name}: Is a directory\n` }
  return { code: 126, message: `bash: ${name}: Permission denied\n` }
}
