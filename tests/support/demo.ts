/**
 * Starts the demo stack (simulated cluster + every service as a child process, free ports) once
 * for a test file, and stops it afterwards. The compatibility suite can target any running
 * deployment instead by setting COMPAT_BASE_URL.
 */
import { afterAll, beforeAll } from 'vitest'
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
  }, 90_000)
  afterAll(async () => {
    await demo?.stop()
  }, 30_000)
  return {
    demo: () => demo!,
    url: (path = '') => `${demo!.gatewayUrl}${path}`,
  }
}

/** The preloaded model takes a moment to load; the suite starts once the status says it is up. */
export async function waitForEverythingUp(gatewayUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const status = await fetch(`${gatewayUrl}/api/status`).then(
      (r) => r.json(),
      () => null,
    )
    last = status ? `${status.overall}: ${status.summary}` : 'no answer'
    if (status?.overall === 'ok' && status.loaded_model) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`the demo stack did not come up within ${timeoutMs} ms (last status: ${last})`)
}

/** Polls `check` until it returns true (or throws on timeout with the last value seen). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!check(value)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 200))
    value = await read()
  }
  return value
}
