import { describe, expect, it } from 'vitest'
import { createAdmission } from './admission/admission.ts'
import type { Admit, Lane } from './admission/lanes.ts'
import { createRecentJobs, outcomeOf } from './recent-jobs.ts'

const limits = { asr: 1, diarize: 1, tts: 1 }
const admission = () => createAdmission({ limits, maxQueue: { asr: 4, diarize: 4, tts: 4 }, perClientMax: 8 })

const admit = (lane: Lane, work: number, client = 'c'): Admit => ({
  lane,
  client,
  priority: 'standard',
  deadlineMs: 60_000,
  work,
  signal: new AbortController().signal,
})

describe('recent jobs', () => {
  it('adds up every lane run of one request: audio seconds as the longest lane, queue and service summed', async () => {
    let clock = 0
    const recent = createRecentJobs(10, () => clock)
    const lanes = recent.observe(admission())
    await recent.follow('POST /v1/audio/transcriptions', async () => {
      // Two chunks of 30 s in the ASR lane, the whole 60 s once in the diarizer.
      for (const work of [30, 30]) await lanes.run(admit('asr', work), async () => 'words')
      await lanes.run(admit('diarize', 60), async () => 'turns')
      clock = 1234.56
      return 200
    })
    const [job] = recent.list()
    expect(job).toMatchObject({
      route: 'POST /v1/audio/transcriptions',
      status: 200,
      outcome: 'ok',
      lanes: ['asr', 'diarize'],
      audio_s: 60,
      total_ms: 1234.6,
    })
    expect(job!.queue_ms).toBeGreaterThanOrEqual(0)
    expect(job!.service_ms).toBeGreaterThanOrEqual(0)
    expect(Date.parse(job!.at)).not.toBeNaN()
  })

  it('keeps only the newest entries, newest first, and runs outside a request are not recorded', async () => {
    const recent = createRecentJobs(3)
    const lanes = recent.observe(admission())
    await lanes.run(admit('tts', 1), async () => 'outside any request')
    expect(recent.list()).toEqual([])
    for (const status of [200, 201, 202, 203, 204])
      await recent.follow(`POST /n/${status}`, async () => {
        await lanes.run(admit('tts', 1), async () => 'audio')
        return status
      })
    expect(recent.list().map((j) => j.status)).toEqual([204, 203, 202])
    expect(recent.list()[0]).toMatchObject({ lanes: ['tts'], audio_s: null })
  })

  it('a request refused at the door is listed as refused, with the lane it asked for', async () => {
    const recent = createRecentJobs()
    const lanes = recent.observe(createAdmission({ limits, maxQueue: limits, perClientMax: 0 }))
    await recent.follow('POST /api/audio/diarize', async () => {
      const err = await lanes
        .run(admit('diarize', 5), async () => 'never')
        .catch((e: { status: number }) => e)
      return (err as { status: number }).status
    })
    expect(recent.list()[0]).toMatchObject({
      status: 429,
      outcome: 'refused',
      lanes: ['diarize'],
      audio_s: null,
    })
  })

  it('names each kind of answer', () => {
    expect([200, 413, 422, 429, 499, 502, 503, 504].map(outcomeOf)).toEqual([
      'ok',
      'rejected',
      'rejected',
      'refused',
      'cancelled',
      'failed',
      'refused',
      'failed',
    ])
  })
})
