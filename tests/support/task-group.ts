/**
 * For tests/system/deno-tasks.test.ts: a documented command (`npx deno task gateway`) run the way a
 * person or a supervisor runs it. It gets its own process group, because the command is a chain
 * (npm exec → sh → deno task → deno run) and a terminal's Ctrl-C or a supervisor's SIGTERM reaches
 * the whole group, not only its first process. "Stopped" means no live process is left in the
 * group; an exited process that init has not yet reaped (a zombie) counts as gone.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { sleep } from '../../shared/abort.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'

const OUTPUT_LINES_SHOWN = 30

export interface TaskRun {
  /** The command as the docs show it, for messages. */
  label: string
  child: ChildProcess
  output: string[]
  /** Resolves when every process of the group has closed its output (the last lines are in). */
  drained: Promise<void>
}

export function startTask(argv: string[], env: Record<string, string | undefined>): TaskRun {
  const [program, ...args] = argv
  const child = spawn(program!, args, {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const closed = (stream: NodeJS.ReadableStream | null) =>
    new Promise<void>((resolve) => (stream ? stream.once('close', resolve) : resolve()))
  const drained = Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => {})
  const run: TaskRun = { label: argv.join(' '), child, output: [], drained }
  const collect = (chunk: Buffer) => {
    // deno task colours its "Task …" line even into a pipe.
    const text = chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '')
    for (const line of text.split('\n')) if (line) run.output.push(line)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  return run
}

/** An error that names the command and shows what it printed. */
export function taskFailure(run: TaskRun, why: string): Error {
  const tail = run.output.slice(-OUTPUT_LINES_SHOWN).join('\n') || '(no output)'
  return new Error(`\`${run.label}\`: ${why}\n--- its output (stdout and stderr) ---\n${tail}`)
}

export const hasExited = (run: TaskRun) => run.child.exitCode !== null || run.child.signalCode !== null

/** Live (not zombie) processes of a process group, from /proc. */
export function liveMembers(pgid: number): number[] {
  const members: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited while we looked
    }
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry))
  }
  return members
}

/**
 * SIGTERM to the whole group, then waits until none of it is alive and its output has all been
 * read. Past `timeoutMs` the group is killed and the failure names the processes that outlived it.
 */
export async function stopGroup(run: TaskRun, timeoutMs: number): Promise<void> {
  const pgid = run.child.pid!
  signalGroup(pgid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (liveMembers(pgid).length === 0) return await run.drained
    await sleep(50)
  }
  const left = liveMembers(pgid).map((pid) =>
    readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '),
  )
  signalGroup(pgid, 'SIGKILL')
  throw taskFailure(run, `still running ${timeoutMs} ms after SIGTERM:\n  ${left.join('\n  ')}`)
}

/** For cleanup after a failure: whatever of the group is left. */
export function killGroup(run: TaskRun): void {
  if (run.child.pid !== undefined && liveMembers(run.child.pid).length > 0)
    signalGroup(run.child.pid, 'SIGKILL')
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}
