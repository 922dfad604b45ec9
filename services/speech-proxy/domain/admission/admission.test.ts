import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { createMetrics } from '../../../../shared/metrics.ts'
import { type AdmissionOptions, createAdmission } from './admission.ts'
import type { Admit, Lane } from './lanes.ts'
import { startJob } from './testing.ts'

let clock = 0
const lanes = (n: number): Record<Lane, number> => ({ asr: n, diarize: n, tts: n })
const admission = (opts: Partial<AdmissionOptions> = {}) =>
  createAdmission({ limits: lanes(1), maxQueue: lanes(100), perClientMax: 1000, now: () => clock, ...opts })

/** What `run` rejected with, as an AppError. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

afterEach(() => {
  clock = 0
  vi.useRealTimers()
})

describe('admission: lane limits', () => {
  it('runs at most `limit` at once and starts the next as soon as one finishes', async () => {
    const adm = admission({ limits: { ...lanes(1), asr: 2 } })
    const [a, b, c] = ['a', 'b', 'c'].map((client) => startJob(adm, { client }))
    await Promise.all([a!.started, b!.started])
    expect(c!.called()).toBe(false)
    expect(adm.status().find((s) => s.lane === 'asr')).toMatchObject({ running: 2, queued: 1 })
    clock = 4000
    a!.finish()
    await c!.started
    expect(adm.status().find((s) => s.lane === 'asr')).toMatchObject({ running: 2, queued: 0, served: 1 })
    b!.finish()
    c!.finish()
    const [ra, rc] = await Promise.all([a!.result, c!.result])
    expect(ra).toMatchObject({ value: 'ok', position: 0, queueMs: 0, serviceMs: 4000 })
    expect(rc).toMatchObject({ position: 1, queueMs: 4000 })
  })

  it('keeps lanes apart: a busy asr lane does not hold up tts', async () => {
    const adm = admission()
    startJob(adm, { client: 'a', lane: 'asr' })
    const tts = startJob(adm, { client: 'b', lane: 'tts', work: 1 })
    await tts.started
    tts.finish()
    expect((await tts.result).position).toBe(0)
  })
})

describe('admission: refusals', () => {
  it('refuses with 503 queue_full and Retry-After when the lane queue is at its bound', async () => {
    const adm = admission({ maxQueue: { ...lanes(100), asr: 2 } })
    startJob(adm, { client: 'a' })
    startJob(adm, { client: 'b' })
    startJob(adm, { client: 'c' })
    const err = await refusal(startJob(adm, { client: 'd' }).result)
    expect(err).toMatchObject({ status: 503, code: 'queue_full' })
    expect(err.retryAfterS).toBeGreaterThanOrEqual(1)
    expect(adm.status()[0]!.rejected).toEqual({ quota: 0, deadline: 0, queue_full: 1 })
  })

  it('refuses a client over its quota of running + queued requests across lanes with 429', async () => {
    const adm = admission({ perClientMax: 2 })
    startJob(adm, { client: 'greedy', lane: 'asr' })
    startJob(adm, { client: 'greedy', lane: 'tts', work: 1 })
    const err = await refusal(startJob(adm, { client: 'greedy', lane: 'diarize' }).result)
    expect(err).toMatchObject({ status: 429, code: 'over_quota' })
    expect(err.retryAfterS).toBeGreaterThanOrEqual(1)
    // Another client is not affected.
    await startJob(adm, { client: 'other', lane: 'diarize' }).started
  })

  it('gives the quota back when a request ends, whichever way', async () => {
    const adm = admission({ perClientMax: 1 })
    const first = startJob(adm, { client: 'c' })
    await first.started
    first.fail(new Error('upstream broke'))
    await expect(first.result).rejects.toThrow('upstream broke')
    await startJob(adm, { client: 'c' }).started
  })

  it('refuses with 503 deadline when the projected wait exceeds the deadline; Retry-After = ceil(wait)', async () => {
    // 0.1 s per audio second: a running 100 s file leaves 10 s, a queued 50 s file 5 s more.
    const adm = admission({ startingSPerWork: { asr: 0.1 } })
    startJob(adm, { client: 'a', work: 100 })
    startJob(adm, { client: 'b', work: 50 })
    clock = 2500 // the running one has 7.5 s left; 12.5 s of wait in all
    const err = await refusal(startJob(adm, { client: 'c', deadlineMs: 12_000 }).result)
    expect(err).toMatchObject({ status: 503, code: 'deadline', retryAfterS: 13 })
    const fits = startJob(adm, { client: 'c', deadlineMs: 13_000 })
    expect(adm.status()[0]).toMatchObject({ queued: 2, rejected: { deadline: 1 } })
    expect(fits.called()).toBe(false)
  })

  it('never asks for a retry sooner than 1 s', async () => {
    const adm = admission({ startingSPerWork: { asr: 0.001 } })
    startJob(adm, { client: 'a', work: 10 })
    const err = await refusal(startJob(adm, { client: 'b', deadlineMs: 1 }).result)
    expect(err.retryAfterS).toBe(1)
  })

  it('answers 503 deadline when a queued request is still waiting at its deadline', async () => {
    vi.useFakeTimers()
    const adm = admission()
    const running = startJob(adm, { client: 'a', work: 1 })
    const late = startJob(adm, { client: 'b', work: 1, deadlineMs: 5000 })
    await running.started
    vi.advanceTimersByTime(4999)
    expect(adm.status()[0]!.queued).toBe(1)
    vi.advanceTimersByTime(1)
    const err = await refusal(late.result)
    expect(err).toMatchObject({ status: 503, code: 'deadline' })
    expect(err.retryAfterS).toBeGreaterThanOrEqual(1)
    expect(adm.status()[0]).toMatchObject({ queued: 0, rejected: { deadline: 1 } })
    running.finish()
    await running.result
    expect(late.called()).toBe(false)
  })
})

describe('admission: clients that go away', () => {
  it('removes a queued request at once when its client aborts, and never calls its function', async () => {
    const adm = admission()
    const running = startJob(adm, { client: 'a' })
    const gone = new AbortController()
    const queued = startJob(adm, { client: 'b', signal: gone.signal })
    const next = startJob(adm, { client: 'c' })
    expect(adm.status()[0]!.queued).toBe(2)
    gone.abort()
    expect(adm.status()[0]!.queued).toBe(1)
    expect(await refusal(queued.result)).toMatchObject({ status: 499, code: 'client_closed' })
    running.finish()
    await next.started
    expect(queued.called()).toBe(false)
  })

  it('refuses a request whose client has already gone without queueing it', async () => {
    const adm = admission()
    const err = await refusal(startJob(adm, { client: 'a', signal: AbortSignal.abort() }).result)
    expect(err.status).toBe(499)
    expect(adm.status()[0]).toMatchObject({ running: 0, queued: 0 })
  })

  it('hands the running function a signal that aborts when the client goes', async () => {
    const adm = admission()
    const gone = new AbortController()
    const job = startJob(adm, { client: 'a', signal: gone.signal })
    const signal = await job.started
    expect(signal.aborted).toBe(false)
    gone.abort()
    expect(signal.aborted).toBe(true)
  })
})

describe('admission: order', () => {
  it('serves interactive before standard before batch, and clients in turns within a priority', async () => {
    const adm = admission()
    const order: string[] = []
    const blocker = startJob(adm, { client: 'x' })
    await blocker.started
    const submit = (client: string, priority: Admit['priority'], name: string) =>
      adm.run(
        { lane: 'asr', client, priority, deadlineMs: 600_000, work: 1, signal: new AbortController().signal },
        async () => {
          order.push(name)
          return name
        },
      )
    const results = [
      ...['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => submit('a', 'standard', n)),
      submit('d', 'batch', 'd1'),
      submit('b', 'standard', 'b1'),
      submit('c', 'interactive', 'c1'),
      submit('b', 'standard', 'b2'),
    ]
    blocker.finish()
    const positions = await Promise.all(results.map((r) => r.then((x) => [x.value, x.position])))
    expect(order).toEqual(['c1', 'a1', 'b1', 'a2', 'b2', 'a3', 'a4', 'a5', 'd1'])
    // Positions are what the order was on arrival: b1 came after a1..a5 but only a1 was ahead of it.
    expect(Object.fromEntries(positions)).toMatchObject({ a1: 1, a5: 5, d1: 6, b1: 2, c1: 1, b2: 5 })
  })

  it('lets a client with one chunk in before a client with a hundred queued', async () => {
    const adm = admission({ maxQueue: lanes(200) })
    const order: string[] = []
    const blocker = startJob(adm, { client: 'x' })
    await blocker.started
    const run = (client: string) =>
      adm.run(
        {
          lane: 'asr',
          client,
          priority: 'batch',
          deadlineMs: 600_000,
          work: 1,
          signal: new AbortController().signal,
        },
        async () => order.push(client),
      )
    const all = Array.from({ length: 100 }, () => run('bulk'))
    all.push(run('small'))
    blocker.finish()
    await Promise.all(all)
    expect(order.indexOf('small')).toBe(1)
  })
})

describe('admission: what it reports', () => {
  it('learns the service time per work unit from finished requests and reports each lane', async () => {
    const adm = admission({ startingSPerWork: { asr: 1 } })
    const job = startJob(adm, { client: 'a', work: 100 })
    await job.started
    clock = 10_000 // 0.1 s per audio second
    job.finish()
    await job.result
    const asr = adm.status().find((s) => s.lane === 'asr')!
    expect(asr).toEqual({
      lane: 'asr',
      limit: 1,
      running: 0,
      queued: 0,
      queued_by_priority: { interactive: 0, standard: 0, batch: 0 },
      ewma_s_per_work: expect.closeTo(0.3 * 0.1 + 0.7 * 1, 6),
      projected_wait_s: 0,
      served: 1,
      rejected: { quota: 0, deadline: 0, queue_full: 0 },
    })
    expect(adm.status().map((s) => s.lane)).toEqual(['asr', 'diarize', 'tts'])
  })

  it('runs each lane’s work inside its tracker, so the upstream health check sees our load', async () => {
    let active = 0
    const tracker = {
      async track<T>(work: () => Promise<T>) {
        active++
        try {
          return await work()
        } finally {
          active--
        }
      },
    }
    const adm = admission({ trackers: { asr: tracker } })
    const job = startJob(adm, { client: 'a' })
    await job.started
    expect(active).toBe(1)
    job.finish()
    await job.result
    expect(active).toBe(0)
  })

  it('publishes queue depth, running, waits, service time per work unit and refusals in /metrics', async () => {
    const metrics = createMetrics('speech-proxy')
    const adm = admission({ metrics, maxQueue: lanes(1) })
    const first = startJob(adm, { client: 'a', work: 20 })
    await first.started
    startJob(adm, { client: 'b' })
    await refusal(startJob(adm, { client: 'c' }).result)
    clock = 2000
    first.finish()
    await first.result
    const text = await metrics.registry.metrics()
    const value = (name: string, labels: string[]) =>
      text
        .split('\n')
        .find((line) => line.startsWith(`${name}{`) && labels.every((l) => line.includes(l)))
        ?.split(' ')
        .at(-1)
    expect(value('speech_lane_queue_depth', ['lane="asr"'])).toBe('0')
    expect(value('speech_lane_running', ['lane="asr"'])).toBe('1')
    expect(value('speech_lane_wait_seconds_count', ['lane="asr"'])).toBe('2')
    expect(Number(value('speech_lane_service_seconds_per_work_sum', ['lane="asr"']))).toBeCloseTo(0.1)
    expect(value('speech_lane_rejections_total', ['lane="asr"', 'reason="queue_full"'])).toBe('1')
  })
})
