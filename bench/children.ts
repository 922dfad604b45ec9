/**
 * The benchmark's child processes: forked helpers (upstream, load generator) that talk over IPC,
 * a cleanup list run in reverse on the way out (also on error and on Ctrl-C), and the resident
 * memory of a process as the kernel reports it.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { readFile } from 'node:fs/promises'

export type Cleanup = () => Promise<unknown> | unknown

export class Cleanups {
  private readonly steps: Array<{ name: string; run: Cleanup }> = []

  add(name: string, run: Cleanup) {
    this.steps.push({ name, run })
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run()
      } catch (err) {
        console.error(`bench: cleanup of ${step.name} failed: ${(err as Error).message}`)
      }
    }
  }
}

export interface Forked {
  child: ChildProcess
  hello: Record<string, unknown>
  call<T>(job: unknown): Promise<T>
  stop(): Promise<void>
}

/** Forks a TypeScript file (tsx is inherited from our own execArgv) and waits for its `ready`. */
export async function forkReady(file: URL, timeoutMs = 15_000): Promise<Forked> {
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
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
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 }
}
