/**
 * Graceful shutdown of real service processes: SIGTERM ends open SSE streams, lets the process
 * close its SSH connections and exit 0 well within the 10 s budget — also in the middle of a swap,
 * with requests held for it, which is where it used to take most of the budget.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { openSwapStore } from '../../services/swap-controller/adapters/store/store.ts'
import { SIM_DOWNLOADABLE_MODEL } from '../../tools/spark-sim/cluster/index.ts'
import { launchStack, REPO_ROOT } from '../../tools/stack/launch.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'

const exitOf = (proc: import('node:child_process').ChildProcess) =>
  new Promise<{ code: number | null; ms: number }>((resolve) => {
    const started = Date.now()
    proc.once('exit', (code) => resolve({ code, ms: Date.now() - started }))
  })

describe('graceful shutdown', () => {
  const fixture = useDemo({ name: 'shutdown' })

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
    // The simulated node sees the sockets close a moment after the process is gone.
    await expect.poll(() => sim.nodes.node('spark-1').activeSessions()).toBe(0)
  })
})

describe('shutdown in the middle of a swap', () => {
  // A slow load, so SIGTERM lands while the new model is loading (and held requests wait for it).
  const name = 'shutdown-swap'
  const fixture = useDemo({ name, loadTimeMs: 8000 })
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(fixture.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  const dataDir = `${REPO_ROOT}.data/test-${name}-${process.pid}`

  it('both processes exit 0 within ~3 s (budget 10 s), the swap is recorded as interrupted, and the next start removes the half-loaded container', async () => {
    const { sim, stack } = fixture.demo()
    // Still loading when the controller comes back, so what it finds is the half-load.
    sim.nodes.setLoadTimeMs(120_000)
    const started = await post('/api/swap', { recipe: 'gpt-oss-120b' })
    expect(started.status).toBe(202)
    const { job_id: id } = await started.json()
    await eventually(
      () => fetch(fixture.url(`/api/swap/${id}`)).then((r) => r.json()),
      (j) => j.status === 'loading',
      15_000,
    )

    // What holds a process open mid-swap: an event stream through the gateway, and a chat request
    // held until the new model is ready.
    const events = await fetch(fixture.url('/api/swap/events'))
    expect(events.headers.get('content-type')).toContain('text/event-stream')
    const eventsEnded = events.body!.pipeTo(new WritableStream()).then(
      () => 'ended',
      () => 'cut',
    )
    const requestId = randomUUID()
    const held = post(
      '/v1/chat/completions',
      { model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] },
      { 'x-request-id': requestId },
    )
    // SIGTERM only once the controller says it holds that request.
    const controllerOutput = stack.services['swap-controller']!.output
    await vi.waitFor(
      () => {
        const line = controllerOutput.find(
          (l) => l.includes(requestId) && l.includes('held until the swap ends'),
        )
        expect(line, 'the chat request is held').toBeDefined()
      },
      { timeout: 10_000, interval: 20 },
    )

    const procs = [stack.services.gateway!, stack.services['swap-controller']!]
    const exits = procs.map((p) => exitOf(p.process))
    // Twice, as the demo's stop does after a Ctrl-C (the terminal's signal, then its own): the
    // second must change nothing.
    for (const p of procs) p.process.kill('SIGINT')
    for (const p of procs) p.process.kill('SIGTERM')
    const [gateway, controller] = await Promise.all(exits)
    expect(gateway!.code).toBe(0)
    expect(controller!.code).toBe(0)
    for (const { ms } of [gateway!, controller!]) {
      expect(ms).toBeLessThan(10_000)
      expect(ms).toBeLessThan(3000)
    }
    // The held request got an answer (503 + Retry-After) rather than a cut connection.
    const answer = await held
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).not.toBeNull()
    expect(await eventsEnded).toBe('ended')

    const store = await openSwapStore({ dataDir })
    try {
      const record = store.loads.get(id)
      expect(record).toMatchObject({ outcome: 'cancelled' })
      expect(record!.ended_at).not.toBeNull()
      expect(record!.error).toMatch(/^interrupted in loading: swap-controller shut down/)
      expect(store.loads.newest()).toMatchObject({ id, leftOnNodes: true, cleanupAtMs: null })
      const audit = store.audit
        .recent(10)
        .find((e) => e.action === 'swap.start' && e.target === 'gpt-oss-120b')
      expect(audit).toMatchObject({ outcome: 'cancelled' })
    } finally {
      store.close()
    }

    // The half-loaded model is still on the nodes until the controller starts again.
    const vllmNodes = () => sim.nodes.nodes.filter((n) => n.containers().some((c) => c.name === 'vllm_node'))
    expect(vllmNodes().length).toBeGreaterThan(0)
    const restarted = await launchStack({
      services: ['swap-controller'],
      env: { ...sim.env, DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      // A loaded machine (the whole suite on two cores) can take a while to start a process.
      healthTimeoutMs: 60_000,
    })
    try {
      const url = `${restarted.url('swap-controller')}/api/swap/history?action=swap.cleanup`
      const [cleanup] = await eventually(
        () =>
          provenFetch(internalProver(restarted))(url).then(
            (r) => r.json() as Promise<{ entries: Array<Record<string, unknown>> }>,
          ),
        (h) => h.entries.length > 0,
        30_000,
      ).then((h) => h.entries)
      expect(cleanup).toMatchObject({
        actor: 'swap-controller (start-up cleanup)',
        target: 'gpt-oss-120b',
        outcome: 'ok',
      })
      expect(cleanup!.detail).toMatch(/^Removed what the load of .* left on the nodes; teardown verified\.$/)
      expect(vllmNodes()).toEqual([])
    } finally {
      await restarted.stop()
    }
    // Once: the record says it was dealt with.
    const after = await openSwapStore({ dataDir })
    try {
      expect(after.loads.newest()!.cleanupAtMs).not.toBeNull()
    } finally {
      after.close()
    }
  }, 120_000)
})

describe('shutdown in the middle of a model download', () => {
  const name = 'shutdown-download'
  const fixture = useDemo({ name })

  it('exits 0 promptly, and the download is kept as interrupted (not failed, not cancelled)', async () => {
    const { sim, stack } = fixture.demo()
    sim.nodes.setDownloadTimeMs(30_000)
    const res = await fetch(fixture.url('/api/models/download'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: SIM_DOWNLOADABLE_MODEL }),
    })
    expect(res.status).toBe(202)
    const { download_id: id } = await res.json()
    await eventually(
      () => fetch(fixture.url(`/api/models/downloads/${id}`)).then((r) => r.json()),
      (v) => v.percent > 0,
      15_000,
    )

    const controller = stack.services['swap-controller']!
    const exited = exitOf(controller.process)
    controller.process.kill('SIGTERM')
    const { code, ms } = await exited
    expect(code).toBe(0)
    expect(ms).toBeLessThan(3000)

    // What the next start reads: the job, interrupted, with how to resume.
    const store = await openSwapStore({ dataDir: `${REPO_ROOT}.data/test-${name}-${process.pid}` })
    try {
      const job = store.downloads.recent(10).find((v) => v.download_id === id)
      expect(job).toMatchObject({ status: 'interrupted', repo: SIM_DOWNLOADABLE_MODEL })
      expect(job!.error).toMatch(/download it again to resume/)
      const audit = store.audit
        .recent(10)
        .find((e) => e.action === 'model.download' && e.outcome !== 'started')
      expect(audit).toMatchObject({ outcome: 'interrupted', target: SIM_DOWNLOADABLE_MODEL })
    } finally {
      store.close()
    }
  }, 60_000)
})
