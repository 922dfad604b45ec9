/**
 * Graceful shutdown of real service processes: SIGTERM ends open SSE streams, lets the process
 * close its SSH connections and exit 0 well within the 10 s budget.
 */
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'

const fixture = useDemo({ name: 'shutdown' })

const exitOf = (proc: import('node:child_process').ChildProcess) =>
  new Promise<{ code: number | null; ms: number }>((resolve) => {
    const started = Date.now()
    proc.once('exit', (code) => resolve({ code, ms: Date.now() - started }))
  })

describe('graceful shutdown', () => {
  it('the gateway ends a live dashboard stream and exits 0 on SIGTERM', async () => {
    const res = await fetch(fixture.url('/ui/events/status'))
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toContain('event:')

    const gateway = fixture.demo().stack.services.gateway!
    const exited = exitOf(gateway.process)
    gateway.process.kill('SIGTERM')
    // The stream must finish (done), not hang until the process is killed.
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }))
      if (chunk.done) break
    }
    const { code, ms } = await exited
    expect(code).toBe(0)
    expect(ms).toBeLessThan(10_000)
  })

  it('the swap-controller closes its SSH sessions and exits 0 on SIGTERM', async () => {
    const { sim, stack } = fixture.demo()
    const controller = stack.services['swap-controller']!
    await fetch(`${controller.url}/api/swap-controller/nodes`)
    expect(sim.nodes.node('spark-1').activeSessions()).toBeGreaterThan(0)
    const exited = exitOf(controller.process)
    controller.process.kill('SIGTERM')
    const { code, ms } = await exited
    expect(code).toBe(0)
    expect(ms).toBeLessThan(10_000)
    await new Promise((r) => setTimeout(r, 300))
    expect(sim.nodes.node('spark-1').activeSessions()).toBe(0)
  })
})
