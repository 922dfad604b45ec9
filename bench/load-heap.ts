/**
 * A service's heap after a full garbage collection, read through its inspector. Heap used without
 * one is mostly garbage waiting for the next mark-compact (under load V8 lets old space grow to
 * ~100 MiB before collecting it), so only a collected heap tells a leak from a high-water mark.
 * The service must run with `NODE_OPTIONS=--inspect=127.0.0.1:0` (`INSPECT_ENV`): a free port,
 * announced on its stderr, which the stack launcher keeps.
 */
import { WebSocket } from 'undici'
import type { RunningService } from '../tools/stack/launch.ts'

export const INSPECT_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0' }

export interface HeapFigures {
  heapUsedMiB: number
  rssMiB: number
}

const MIB = 2 ** 20
const TIMEOUT_MS = 15_000

function inspectorUrl(service: RunningService): string {
  for (const line of service.output) {
    const url = line.match(/Debugger listening on (ws:\/\/\S+)/)?.[1]
    if (url) return url
  }
  throw new Error(`${service.name} was not started with its inspector (INSPECT_ENV)`)
}

/** Full GC in the service, then its `process.memoryUsage()`. */
export function heapAfterGc(service: RunningService): Promise<HeapFigures> {
  const ws = new WebSocket(inspectorUrl(service))
  const calls = [
    { id: 1, method: 'HeapProfiler.collectGarbage' },
    {
      id: 2,
      method: 'Runtime.evaluate',
      params: { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true },
    },
  ]
  return new Promise<HeapFigures>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${service.name}: inspector did not answer`)), TIMEOUT_MS)
    const done = (fn: () => void) => {
      clearTimeout(timer)
      ws.close()
      fn()
    }
    ws.onerror = () => done(() => reject(new Error(`${service.name}: inspector connection failed`)))
    ws.onopen = () => ws.send(JSON.stringify(calls[0]))
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number
        result?: { result?: { value?: string } }
      }
      if (message.id === 1) ws.send(JSON.stringify(calls[1]))
      if (message.id !== 2) return
      const usage = JSON.parse(message.result?.result?.value ?? '{}') as NodeJS.MemoryUsage
      done(() => resolve({ heapUsedMiB: usage.heapUsed / MIB, rssMiB: usage.rss / MIB }))
    }
  })
}

export type MemoryAfterGc = Record<string, HeapFigures>

/** Every service's heap and RSS after a full GC in each. */
export async function memoryAfterGc(services: RunningService[]): Promise<MemoryAfterGc> {
  return Object.fromEntries(await Promise.all(services.map(async (s) => [s.name, await heapAfterGc(s)])))
}

/** A Markdown table: one column per stage ("warmed up", "after the run", …), heap used / RSS. */
export function formatMemory(stages: Record<string, MemoryAfterGc>): string {
  const mib = (f: HeapFigures) => `${f.heapUsedMiB.toFixed(1)} / ${f.rssMiB.toFixed(1)}`
  const columns = Object.keys(stages)
  const names = Object.keys(Object.values(stages)[0]!)
  return [
    `| service (heap used / RSS MiB, after a full GC) | ${columns.join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    ...names.map(
      (n) =>
        `| ${n} | ${Object.values(stages)
          .map((m) => mib(m[n]!))
          .join(' | ')} |`,
    ),
  ].join('\n')
}
