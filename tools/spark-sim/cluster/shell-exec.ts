/**
 * Runs a parsed command line the way `bash -c` would for the parts the simulator supports:
 * `&&`/`||`/`;` short-circuiting, background `&`, pipelines (streamed, bounded), and redirections
 * applied left to right (`>/dev/null 2>&1` and `2>&1 >/dev/null` differ, as in bash).
 */
import type { SimCluster } from './cluster.ts'
import type { SimNode } from './node-state.ts'
import {
  type CommandList,
  type Pipeline,
  parseCommandLine,
  ShellSyntaxError,
  type SimpleCommand,
} from './shell-words.ts'
import { lookup } from './vfs.ts'

export type Write = (s: string) => void

/** One SSH session's shell: where it runs, who it is, and its working directory. */
export interface Session {
  node: SimNode
  cluster: SimCluster
  user: string
  home: string
  cwd: string
  env: Record<string, string>
}

export interface CommandContext {
  argv: string[]
  env: Record<string, string>
  stdout: Write
  stderr: Write
  stdin: AsyncIterable<string>
  /** Aborted when the SSH channel closes (or a downstream pipe stage exits). */
  signal: AbortSignal
  session: Session
}

export type CommandHandler = (ctx: CommandContext) => Promise<number> | number
export type Resolve = (
  name: string,
  session: Session,
) => { handler: CommandHandler } | { code: number; message: string }

const PIPE_MAX_BYTES = 8 * 1024 * 1024

/** A stream between two pipeline stages; writes after the reader left are dropped (SIGPIPE-ish). */
export class Pipe implements AsyncIterable<string> {
  private chunks: string[] = []
  private bytes = 0
  private wake: (() => void) | undefined
  private closed = false
  readerGone = false

  write = (s: string): void => {
    if (this.readerGone || this.closed || this.bytes > PIPE_MAX_BYTES) return
    this.chunks.push(s)
    this.bytes += s.length
    this.wake?.()
  }

  close(): void {
    this.closed = true
    this.wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const next = this.chunks.shift()
      if (next !== undefined) {
        this.bytes -= next.length
        yield next
      } else if (this.closed) return
      else await new Promise<void>((r) => (this.wake = r))
      this.wake = undefined
    }
  }
}

export const emptyInput: AsyncIterable<string> = { async *[Symbol.asyncIterator]() {} }

export interface ExecIo {
  stdout: Write
  stderr: Write
  stdin?: AsyncIterable<string>
}

/** `record` is false for nested shells (`bash -c …`): the command log keeps what arrived over SSH. */
export async function runCommandLine(
  line: string,
  session: Session,
  io: ExecIo,
  signal: AbortSignal,
  resolve: Resolve,
  record = true,
): Promise<number> {
  let list: CommandList
  try {
    list = parseCommandLine(line, session.home)
  } catch (err) {
    if (record) session.node.record(line, [])
    if (err instanceof ShellSyntaxError) {
      io.stderr(`bash: -c: line 1: ${err.message}\n`)
      return 2
    }
    throw err
  }
  if (record)
    session.node.record(
      line,
      list.pipelines.flatMap((p) => p.commands.map((c) => [...c.argv])),
    )
  return runList(list, session, io, signal, resolve)
}

export async function runList(
  list: CommandList,
  session: Session,
  io: ExecIo,
  signal: AbortSignal,
  resolve: Resolve,
): Promise<number> {
  let status = 0
  const background: Promise<number>[] = []
  for (let i = 0; i < list.pipelines.length; i++) {
    const before = list.connectors[i - 1]
    if (before === '&&' && status !== 0) continue
    if (before === '||' && status === 0) continue
    if (signal.aborted) return 130
    const pipeline = list.pipelines[i] as Pipeline
    if (list.connectors[i] === '&') {
      background.push(runPipeline(pipeline, session, io, signal, resolve))
      status = 0
      continue
    }
    status = await runPipeline(pipeline, session, io, signal, resolve)
  }
  // sshd keeps the channel until every writer of its stdout is gone, background jobs included.
  await Promise.all(background)
  return status
}

async function runPipeline(
  p: Pipeline,
  session: Session,
  io: ExecIo,
  signal: AbortSignal,
  resolve: Resolve,
): Promise<number> {
  const n = p.commands.length
  if (n === 1) return runSimple(p.commands[0] as SimpleCommand, session, io, signal, resolve)
  const pipes = Array.from({ length: n - 1 }, () => new Pipe())
  const aborts = p.commands.map(() => new AbortController())
  const onAbort = () => {
    for (const a of aborts) a.abort()
  }
  signal.addEventListener('abort', onAbort, { once: true })
  const stages = p.commands.map((cmd, i) => {
    const out = pipes[i]
    const stageIo: ExecIo = {
      stdout: out ? out.write : io.stdout,
      stderr: io.stderr,
      stdin: pipes[i - 1] ?? io.stdin ?? emptyInput,
    }
    return runSimple(cmd, session, stageIo, (aborts[i] as AbortController).signal, resolve).finally(() => {
      out?.close()
      // The reader is done: the writer before it gets SIGPIPE on its next write.
      const before = pipes[i - 1]
      if (before) before.readerGone = true
      aborts[i - 1]?.abort()
    })
  })
  const codes = await Promise.all(stages)
  signal.removeEventListener('abort', onAbort)
  return codes.at(-1) ?? 0
}

async function runSimple(
  cmd: SimpleCommand,
  session: Session,
  io: ExecIo,
  signal: AbortSignal,
  resolve: Resolve,
): Promise<number> {
  const fds: Record<number, Write> = { 1: io.stdout, 2: io.stderr }
  let stdin = io.stdin ?? emptyInput
  for (const r of cmd.redirects) {
    if (r.op === '>&') {
      const target = fds[r.toFd]
      if (!target) {
        io.stderr(`bash: ${r.toFd}: Bad file descriptor\n`)
        return 1
      }
      fds[r.fd] = target
    } else if (r.op === '<') {
      const content = readFileForRedirect(session, r.path)
      if (content === null) {
        io.stderr(`bash: ${r.path}: No such file or directory\n`)
        return 1
      }
      stdin = {
        async *[Symbol.asyncIterator]() {
          yield content
        },
      }
    } else {
      const sink = sinkFor(session, r.path, r.op === '>>', io)
      if (typeof sink === 'string') {
        io.stderr(sink)
        return 1
      }
      fds[r.fd] = sink
    }
  }
  const [name, ...rest] = cmd.argv
  if (name === undefined) return 0
  const found = resolve(name, session)
  if ('code' in found) {
    const err = fds[2] ?? io.stderr
    err(found.message)
    return found.code
  }
  const ctx: CommandContext = {
    argv: [name, ...rest],
    env: { ...session.env, ...cmd.assigns },
    stdout: fds[1] ?? io.stdout,
    stderr: fds[2] ?? io.stderr,
    stdin,
    signal,
    session,
  }
  try {
    return await found.handler(ctx)
  } catch (err) {
    ctx.stderr(`${name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

/** Resolves `path` against the session's working directory, normalising `.` and `..`. */
export function resolvePath(session: Pick<Session, 'cwd'>, path: string): string {
  const parts = (path.startsWith('/') ? path : `${session.cwd}/${path}`).split('/')
  const out: string[] = []
  for (const p of parts) {
    if (p === '' || p === '.') continue
    if (p === '..') out.pop()
    else out.push(p)
  }
  return `/${out.join('/')}`
}

const FILE_MAX_BYTES = 1024 * 1024

function sinkFor(session: Session, path: string, append: boolean, io: ExecIo): Write | string {
  const abs = resolvePath(session, path)
  if (abs === '/dev/null') return () => undefined
  if (abs === '/dev/stdout') return io.stdout
  if (abs === '/dev/stderr') return io.stderr
  if (
    abs.startsWith('/proc/') ||
    abs.startsWith('/sys/') ||
    abs.startsWith('/etc/') ||
    abs.startsWith('/usr/')
  ) {
    return `bash: ${path}: Permission denied\n`
  }
  const files = session.node.files
  if (!append || !files.has(abs)) files.set(abs, '')
  return (s) => {
    const prev = files.get(abs) ?? ''
    if (prev.length + s.length <= FILE_MAX_BYTES) files.set(abs, prev + s)
  }
}

function readFileForRedirect(session: Session, path: string): string | null {
  const entry = lookup(session, resolvePath(session, path))
  return entry?.kind === 'file' ? entry.content() : null
}
