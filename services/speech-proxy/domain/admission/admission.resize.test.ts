/** Lanes resized at run time (the Settings page): a raised limit starts waiting work at once. */
import { describe, expect, it } from 'vitest'
import { createAdmission } from './admission.ts'
import { startJob } from './testing.ts'

const limits = { asr: 1, diarize: 1, tts: 1 }
const maxQueue = { asr: 10, diarize: 10, tts: 10 }

describe('admission resize', () => {
  it('a raised limit starts a waiting request now; a lowered one starts no more until under it', async () => {
    const admission = createAdmission({ limits, maxQueue, perClientMax: 10 })
    const a = startJob(admission, { client: 'a' })
    const b = startJob(admission, { client: 'b' })
    await a.started
    expect(b.called()).toBe(false)

    admission.resize({ limits: { asr: 2 } })
    await b.started
    expect(admission.status().find((l) => l.lane === 'asr')).toMatchObject({ limit: 2, running: 2 })

    admission.resize({ limits: { asr: 1 } })
    const c = startJob(admission, { client: 'c' })
    a.finish()
    await a.result
    // Two were running under the old limit; one finished, one still runs: at the new limit of 1.
    expect(c.called()).toBe(false)
    b.finish()
    await c.started
    c.finish()
    await c.result
  })

  it('a smaller queue bound refuses what no longer fits', async () => {
    const admission = createAdmission({ limits, maxQueue, perClientMax: 10 })
    const running = startJob(admission, { client: 'a' })
    await running.started
    admission.resize({ maxQueue: { asr: 0 } })
    const refused = startJob(admission, { client: 'b' })
    await expect(refused.result).rejects.toMatchObject({ status: 503, code: 'queue_full' })
    running.finish()
  })
})
