/**
 * For the lifecycle tests (tests/system/lifecycle-*.test.ts): one real service process, started as
 * the demo starts it, with a temporary DATA_DIR, and a stand-in upstream served by the test.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { ServiceName } from '../../shared/topology.ts'
import { launchStack, type RunningService, type Stack } from '../../tools/stack/launch.ts'

/** A fixed secret, so a test can prove requests it sends to a service directly. */
export const TEST_INTERNAL_SECRET = 'lifecycle-test-internal-secret-0123456789abcdef'

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Milliseconds from the call of `exitOf` to the exit. */
  ms: number
}

export function exitOf(proc: ChildProcess): Promise<Exit> {
  const started = Date.now()
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null)
      return resolve({ code: proc.exitCode, signal: proc.signalCode, ms: 0 })
    proc.once('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started }))
  })
}

/** Starts `name` alone; stopped (if still running) and its data removed after the file. */
export async function startAlone(
  name: ServiceName,
  env: Record<string, string> = {},
  /** The DATA_DIR of an earlier start (a restart); a fresh one by default. */
  dataDir = mkdtempSync(join(tmpdir(), `lifecycle-${name}-`)),
): Promise<RunningService & { dataDir: string }> {
  const stack: Stack = await launchStack({
    services: [name],
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'info', INTERNAL_SECRET: TEST_INTERNAL_SECRET, ...env },
    healthTimeoutMs: 60_000,
  })
  startedAlone.push({ stack, dataDir })
  return { ...stack.services[name]!, dataDir }
}

/**
 * What startAlone started, stopped after the file by one hook registered when this module loads: a
 * hook registered inside a running test (a restart in the middle of one) would never run, and the
 * process would outlive the suite.
 */
const startedAlone: Array<{ stack: Stack; dataDir: string }> = []
afterAll(async () => {
  for (const { stack, dataDir } of startedAlone.splice(0)) {
    await stack.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

/** Resolves with the first output line of `service` that contains `text`; rejects if it exits first. */
export function lineWith(service: RunningService, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const found = service.output.find((l) => l.includes(text))
    if (found) return resolve(found)
    const stop = () => {
      clearInterval(poll)
      service.process.off('exit', exited)
    }
    const exited = () => {
      stop()
      reject(new Error(`${service.name} exited before logging "${text}"`))
    }
    // Output is collected by tools/stack/launch.ts as it arrives; a short poll reads it.
    const poll = setInterval(() => {
      const line = service.output.find((l) => l.includes(text))
      if (!line) return
      stop()
      resolve(line)
    }, 10)
    service.process.once('exit', exited)
  })
}

/** An upstream the test plays: `handle` answers every request. Closed after the file. */
export async function standInUpstream(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, server }
}
