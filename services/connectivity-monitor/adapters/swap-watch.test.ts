import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { type JobView, stateSchema } from '../../../shared/contracts/swap-controller.ts'
import { startFake } from '../../../shared/testing/fake-upstream.ts'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import { swapDetail, watchSwaps } from './swap-watch.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function job(status: JobView['status']): JobView {
  return {
    job_id: 'swp_0123456789abcdef',
    status,
    outcome: 'running',
    recipe: 'qwen3-coder',
    mode: 'solo',
    model: 'Qwen/Qwen3-Coder',
    from_model: null,
    started_at: '2026-12-06T12:00:00Z',
    finished_at: null,
    transitions: [],
    durations_ms: {},
    error: null,
    log_excerpt: null,
    rollback: null,
    cancel_requested: false,
    warnings: [],
    progress: null,
  }
}

/** A swap-controller stand-in answering `/api/swap/state` with whatever the test sets. */
async function startController() {
  let answer: unknown = { state: 'idle', job: null }
  let failing = false
  let asked = 0
  const app = new Hono()
  app.get('/api/swap/state', (c) => {
    asked++
    return failing ? c.json({ detail: 'restarting' }, 503) : c.json(answer as object)
  })
  const fake = await startFake(app)
  cleanups.push(fake.close)
  return {
    url: fake.url,
    close: fake.close,
    set: (next: unknown) => (answer = next),
    fail: (on: boolean) => (failing = on),
    asked: () => asked,
  }
}

function start(url: string, clock = { ms: Date.parse('2026-12-06T12:00:00Z') }) {
  const swaps: Array<string | null> = []
  const { lines, logger } = captureLog('connectivity-monitor')
  const watch = watchSwaps({
    url,
    maintenance: { setSwap: (detail) => swaps.push(detail) },
    logger,
    intervalMs: 20,
    timeoutMs: 500,
    now: () => clock.ms,
  })
  cleanups.push(() => watch.stop())
  const last = () => (swaps.length === 0 ? null : swaps[swaps.length - 1])
  return { swaps, lines, last, clock, watch }
}

describe('swap watch', () => {
  it('opens the window while a job runs, follows its status, and closes it on idle or an ended status', async () => {
    const controller = await startController()
    const { swaps, last } = start(controller.url)
    controller.set(stateSchema.parse({ state: 'loading', job: job('loading') }))
    await expect.poll(last).toBe('qwen3-coder (loading)')
    controller.set({ state: 'rolling-back', job: job('rolling-back') })
    await expect.poll(last).toBe('qwen3-coder (rolling-back)')
    controller.set({ state: 'idle', job: { ...job('ready'), outcome: 'ready' } })
    await expect.poll(last).toBeNull()
    expect(swaps).toEqual(['qwen3-coder (loading)', 'qwen3-coder (rolling-back)', null])
  })

  it('keeps the last state while the controller is away, then assumes no swap after 30 s', async () => {
    const controller = await startController()
    controller.set({ state: 'starting', job: job('starting') })
    const { last, lines, clock } = start(controller.url)
    await expect.poll(last).toBe('qwen3-coder (starting)')
    controller.fail(true)
    const asked = controller.asked()
    await expect.poll(() => controller.asked()).toBeGreaterThan(asked + 1)
    clock.ms += 29_000
    const later = controller.asked()
    await expect.poll(() => controller.asked()).toBeGreaterThan(later + 1)
    expect(last()).toBe('qwen3-coder (starting)')
    expect(lines.join('')).toContain('swap-controller does not answer')
    clock.ms += 1_000
    await expect.poll(last).toBeNull()
  })

  it('treats a controller that is gone (connection refused) the same way', async () => {
    const controller = await startController()
    controller.set({ state: 'loading', job: job('loading') })
    const { last, lines, clock } = start(controller.url)
    await expect.poll(last).toBe('qwen3-coder (loading)')
    await controller.close()
    await expect.poll(() => lines.join('')).toContain('swap-controller does not answer')
    expect(last()).toBe('qwen3-coder (loading)')
    clock.ms += 30_000
    await expect.poll(last).toBeNull()
  })

  it('takes an answer that is not the contract for no answer', async () => {
    const controller = await startController()
    controller.set({ state: 'loading', job: job('loading') })
    const { last, lines } = start(controller.url)
    await expect.poll(last).toBe('qwen3-coder (loading)')
    controller.set({ status: 'loading' })
    await expect.poll(() => lines.join('')).toContain('no swap state')
    expect(last()).toBe('qwen3-coder (loading)')
  })

  it('stops polling when stopped', async () => {
    const controller = await startController()
    const { watch, swaps } = start(controller.url)
    await watch.stop()
    controller.set({ state: 'loading', job: job('loading') })
    const again = start(controller.url)
    await expect.poll(again.last).toBe('qwen3-coder (loading)')
    expect(swaps).toEqual([])
  })
})

describe('swapDetail', () => {
  it('reads idle and the ended statuses as no swap', () => {
    for (const state of ['idle', 'ready', 'failed', 'cancelled'])
      expect(swapDetail({ state, job: null })).toBeNull()
    expect(swapDetail({ state: 'draining', job: null })).toBe('draining')
  })
})
