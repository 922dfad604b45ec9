/**
 * Starts the demo stack (simulated cluster + every service as a child process, free ports) once
 * for a test file, and stops it afterwards. The compatibility suite can target any running
 * deployment instead by setting COMPAT_BASE_URL.
 */
import { afterAll, beforeAll, vi } from 'vitest'
import { type Demo, type DemoOptions, startDemo } from '../../tools/demo-stack.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'

export interface DemoFixture {
  demo(): Demo
  url(path?: string): string
}

export function useDemo(options: DemoOptions & { name: string }): DemoFixture {
  let demo: Demo | undefined
  beforeAll(async () => {
    demo = await startDemo({
      loadTimeMs: 1500,
      dataDir: `${REPO_ROOT}.data/test-${options.name}-${process.pid}`,
      ...options,
    })
    await waitForEverythingUp(demo.gatewayUrl)
    // Starting (up to 90 s on a busy machine, tools/stack/launch.ts) plus the preloaded model.
  }, 180_000)
  afterAll(async () => {
    await demo?.stop()
  }, 30_000)
  return {
    demo: () => demo!,
    url: (path = '') => `${demo!.gatewayUrl}${path}`,
  }
}

interface StatusSummary {
  overall?: string
  summary?: string
  loaded_model?: string | null
}

/**
 * The preloaded model takes a moment to load; the suite starts once the status says it is up. On a
 * machine busy with another stack a service can take most of a minute to answer its first checks.
 */
export async function waitForEverythingUp(gatewayUrl: string, timeoutMs = 75_000): Promise<void> {
  await eventually(
    () =>
      fetch(`${gatewayUrl}/api/status`).then(
        (r) => r.json() as Promise<StatusSummary>,
        () => null,
      ),
    (status) => status?.overall === 'ok' && !!status.loaded_model,
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`the demo stack did not come up: ${err.message}`)
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
