/** One read of the overview: the status and the swap state must tell the same story before it is shown. */
import { describe, expect, it } from 'vitest'
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import { fakeSwapSource, finishedJob, runningJob, SWAP_NOW } from '../fixtures/swap.ts'
import { statusBeside } from '../fixtures/swap-app.ts'
import { agrees, readOverviewTick, type TickSources } from './tick.ts'

type Fake = ReturnType<typeof fakeSwapSource>

function sources(fake: Fake, statuses: Array<ClusterStatus | Error>, over: Partial<TickSources> = {}) {
  let calls = 0
  const src: TickSources = {
    getStatus: async () => {
      const next = statuses[Math.min(calls++, statuses.length - 1)]!
      if (next instanceof Error) throw next
      return next
    },
    swap: fake.source,
    timeoutMs: 1000,
    settleMs: 2000,
    now: () => SWAP_NOW,
    ...over,
  }
  return { src, calls: () => calls }
}

const read = (src: TickSources) => readOverviewTick(src, new AbortController().signal)

describe('agrees', () => {
  it('holds when no switch runs and the status names none', async () => {
    const fake = fakeSwapSource()
    const { tick } = await read(sources(fake, [statusBeside(fake)]).src)
    expect(agrees(tick, SWAP_NOW)).toBe(true)
  })

  it('fails while a running switch is missing from the status, or the status names another', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const idle = { ...statusBeside(fake), switching: null }
    const other = {
      ...statusBeside(fake),
      switching: { ...statusBeside(fake).switching!, job_id: 'swp_other' },
    }
    for (const status of [idle, other]) {
      const { tick } = await read(sources(fake, [status], { settleMs: 0 }).src)
      expect(agrees(tick, SWAP_NOW)).toBe(false)
    }
    const { tick } = await read(sources(fake, [statusBeside(fake)]).src)
    expect(agrees(tick, SWAP_NOW)).toBe(true)
  })

  it('fails just after a switch ended while the status still lacks the new model, not long after', async () => {
    const job = finishedJob('ready')
    const fake = fakeSwapSource({ state: { state: 'idle', job } })
    const before = { ...statusBeside(fake), loaded_model: null }
    const { tick } = await read(sources(fake, [before], { settleMs: 0 }).src)
    const finished = Date.parse(job.finished_at!)
    expect(agrees(tick, new Date(finished + 1000))).toBe(false)
    expect(agrees(tick, new Date(finished + 60_000))).toBe(true)
    const caughtUp = {
      tick: { ...tick, view: { ok: true as const, status: { ...before, loaded_model: job.model } } },
    }
    expect(agrees(caughtUp.tick, new Date(finished + 1000))).toBe(true)
  })

  it('holds when either side could not be read (nothing to compare)', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const { tick } = await read(sources(fake, [new Error('gateway away')], { settleMs: 0 }).src)
    expect(agrees(tick, SWAP_NOW)).toBe(true)
    fake.failAll()
    const down = await read(sources(fake, [{ ...statusBeside(fake), switching: null }], { settleMs: 0 }).src)
    expect(agrees(down.tick, SWAP_NOW)).toBe(true)
  })
})

describe('readOverviewTick', () => {
  it('reads again while the status lags the swap state, and shows the read where both agree', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const lagging = { ...statusBeside(fake), switching: null }
    const t = sources(fake, [lagging, lagging, statusBeside(fake)])
    const { tick } = await read(t.src)
    expect(t.calls()).toBe(3)
    expect(tick.view.ok && tick.view.status.switching?.job_id).toBe(runningJob().job_id)
    expect(tick.swap?.progress.state?.job?.outcome).toBe('running')
  })

  it('shows the last read once the settle time is spent, so a page never freezes', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const t = sources(fake, [{ ...statusBeside(fake), switching: null }], { settleMs: 300 })
    const { tick } = await read(t.src)
    expect(t.calls()).toBeGreaterThan(1)
    expect(tick.view.ok && tick.view.status.switching).toBeNull()
  })

  it('takes the stop or the switch from the same swap read', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob('llama-70b') } })
    const { tick } = await read(sources(fake, [statusBeside(fake)]).src)
    expect(tick.stopped?.switchingTo).toBe('org/llama-70b')
  })
})
