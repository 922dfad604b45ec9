/**
 * The benchmark's child processes: forked helpers (upstream, load generator) that talk over IPC,
 * a cleanup list run in reverse on the way out (also on error and on Ctrl-C), and what the kernel
 * says a process used: resident memory, CPU time.
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

export type Cleanup = () => Promise<unknown> | unknown

export class Cleanups {
  private readonly steps: Array<{ name: string; run: Cleanup }> = []
  /** Callers (the normal exit and a signal handler) wait for the same run, never cut it short. */
  private running: Promise<void> = Promise.resolve()

  add(name: string, run: Cleanup) {
    this.steps.push({ name, run })
  }

  runAll(): Promise<void> {
    this.running = this.running.then(async () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.run()
        } catch (err) {
          console.error(`bench: cleanup of ${step.name} failed: ${(err as Error).message}`)
        }
      }
    })
    return this.running
  }
}

export interface Forked {
  child: ChildProcess
  hello: Record<string, unknown>
  call<T>(job: unknown): Promise<T>
  stop(): Promise<void>
}

/** Forks a TypeScript file (tsx is inherited from our own execArgv) and waits for its `ready`. */
export async function forkReady(file: URL, args: string[] = [], timeoutMs = 15_000): Promise<Forked> {
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextId = 1
  const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file.pathname} did not start`)), timeoutMs)
    child.once('exit', (code) => reject(new Error(`${file.pathname} exited (${code}) before it was ready`)))
    child.once('message', (msg: Record<string, unknown>) => {
      clearTimeout(timer)
      resolve(msg)
    })
  })
  child.on('message', (msg: { id?: number; result?: unknown; error?: string }) => {
    const w = msg.id === undefined ? undefined : waiting.get(msg.id)
    if (!w) return
    waiting.delete(msg.id!)
    if (msg.error !== undefined) w.reject(new Error(msg.error))
    else w.resolve(msg.result)
  })
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`${file.pathname} exited (${code})`))
    waiting.clear()
  })
  return {
    child,
    hello,
    call<T>(job: unknown) {
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
        child.send({ id, job })
      })
    },
    stop: () => stopChild(child),
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Resident and peak resident memory of a live process, in MiB (Linux `/proc`). */
export async function memoryOf(pid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 }
}

let ticksPerSecond: number | null = null

/** CPU time (user + system, all threads) used so far by these processes, in seconds (Linux `/proc`). */
export async function cpuSecondsOf(pids: number[]): Promise<number> {
  if (ticksPerSecond === null) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()
    ticksPerSecond = Number(out) > 0 ? Number(out) : 100
  }
  let ticks = 0
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself contain spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / ticksPerSecond
}

/** A process and its direct children (nginx: the master and its worker). */
export async function withChildren(pid: number): Promise<number[]> {
  const pids = [pid]
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (ppid === pid) pids.push(Number(entry))
  }
  return pids
}
