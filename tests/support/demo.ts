/**
 * Starts the demo stack (simulated cluster + every service as a child process, free ports) once
 * for a test file, and stops it afterwards. The compatibility suite can target any running
 * deployment instead by setting COMPAT_BASE_URL.
 */
import { afterAll, beforeAll, vi } from 'vitest'
import { type Demo, type DemoOptions, startDemo } from '../../tools/demo-stack.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { noteForSummary } from './suite-notes.ts'

export interface DemoFixture {
  demo(): Demo
  url(path?: string): string
}

/** A stack that did not come up is started once more, and the first try's diagnosis kept (below). */
const ATTEMPTS = 2

export function useDemo(options: DemoOptions & { name: string }): DemoFixture {
  let demo: Demo | undefined
  beforeAll(async () => {
    for (let attempt = 1; ; attempt++) {
      demo = await startDemo({
        loadTimeMs: 1500,
        dataDir: `${REPO_ROOT}.data/test-${options.name}-${process.pid}${attempt > 1 ? `-${attempt}` : ''}`,
        ...options,
      })
      const failure = await waitForEverythingUp(demo.gatewayUrl).then(
        () => null,
        (err: Error) => `${err.message}; ${recentTrouble(demo!)}`,
      )
      if (!failure) return
      await demo.stop()
      demo = undefined
      if (attempt >= ATTEMPTS) throw new Error(failure)
      // Not silent: scripts/test-summary.mjs prints every note with the suite's closing lines.
      noteForSummary(`${options.name}: the demo stack was started again: ${failure}`)
    }
    // Each try: starting (up to 90 s on a busy machine, tools/stack/launch.ts), then up to 75 s
    // for the preloaded model.
  }, 360_000)
  afterAll(async () => {
    await demo?.stop()
  }, 30_000)
  return {
    demo: () => demo!,
    url: (path = '') => `${demo!.gatewayUrl}${path}`,
  }
}

/** The last warning or error each service logged (pino level ≥ 40), for a stack that did not come up. */
function recentTrouble(demo: Demo): string {
  const lines = Object.values(demo.stack.services).flatMap((s) => {
    const trouble = s.output.filter((line) => /"level":(4|5|6)0/.test(line)).slice(-1)
    return trouble.map((line) => `${s.name}: ${line.slice(0, 300)}`)
  })
  return lines.length > 0 ? `last warnings: ${lines.join(' | ')}` : 'no service logged a warning'
}

interface Part {
  name: string
  state: string
  detail?: string
}

interface StatusSummary {
  overall?: string
  summary?: string
  loaded_model?: string | null
  services?: Part[]
  upstreams?: Part[]
  nodes?: Part[]
}

/** What kept the stack from "up", first: the verdict, then every part that is not up, in one line. */
export function whatIsWrong(status: StatusSummary | null): string {
  if (!status) return 'the gateway did not answer /api/status'
  const parts = [...(status.services ?? []), ...(status.upstreams ?? []), ...(status.nodes ?? [])]
  const wrong = parts
    .filter((p) => !['up', 'not_configured'].includes(p.state))
    .map((p) => `${p.name} ${p.state}${p.detail ? ` (${p.detail})` : ''}`)
  return [
    `${status.overall}: ${status.summary}`,
    `model ${status.loaded_model ?? 'none'}`,
    ...(wrong.length > 0 ? [`not up: ${wrong.join('; ')}`] : []),
  ].join('; ')
}

/**
 * The preloaded model takes a moment to load; the suite starts once the status says it is up. On a
 * machine busy with another stack a service can take most of a minute to answer its first checks.
 */
export async function waitForEverythingUp(gatewayUrl: string, timeoutMs = 75_000): Promise<void> {
  let last: StatusSummary | null = null
  await eventually(
    async () => {
      last = await fetch(`${gatewayUrl}/api/status`).then(
        (r) => r.json() as Promise<StatusSummary>,
        () => null,
      )
      return last
    },
    (status) => status?.overall === 'ok' && !!status.loaded_model,
    timeoutMs,
  ).catch(() => {
    throw new Error(`the demo stack did not come up in ${timeoutMs / 1000} s: ${whatIsWrong(last)}`)
  })
}

/** Reads until `check` accepts the value (every 200 ms), or throws on timeout with the last value seen. */
export function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read()
      if (!check(value)) {
        throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`)
      }
      return value
    },
    { timeout: timeoutMs, interval: 200 },
  )
}
