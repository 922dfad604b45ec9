/** Many clients at once, in a seeded random order: the lane limits and the books always hold. */
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { createAdmission } from './admission.ts'
import { LANES, type Lane, PRIORITIES } from './lanes.ts'
import { type Job, startJob } from './testing.ts'

describe('admission under load', () => {
  it.each([1, 2, 3])(
    'never runs more than a lane’s limit and returns every slot and quota (seed %i)',
    async (seed) => {
      const random = seededRandom(seed)
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
      const limits: Record<Lane, number> = { asr: 1, diarize: 2, tts: 3 }
      const adm = createAdmission({ limits, maxQueue: { asr: 40, diarize: 40, tts: 40 }, perClientMax: 6 })
      const peak: Record<Lane, number> = { asr: 0, diarize: 0, tts: 0 }
      const watch = () => {
        for (const s of adm.status()) {
          peak[s.lane] = Math.max(peak[s.lane], s.running)
          expect(s.running).toBeLessThanOrEqual(s.limit)
        }
      }
      const live: Array<{ job: Job; gone?: AbortController }> = []
      let refused = 0
      for (let i = 0; i < 300; i++) {
        const action = random()
        if (action < 0.55 || live.length === 0) {
          const gone = random() < 0.1 ? new AbortController() : undefined
          const job = startJob(adm, {
            client: `client-${Math.floor(random() * 50)}`,
            lane: pick(LANES),
            priority: pick(PRIORITIES),
            work: 1 + Math.floor(random() * 30),
            ...(gone ? { signal: gone.signal } : {}),
          })
          job.result.catch(() => refused++)
          live.push({ job, gone })
        } else {
          const [entry] = live.splice(Math.floor(random() * live.length), 1)
          if (entry!.gone && random() < 0.5) entry!.gone.abort()
          if (random() < 0.2) entry!.job.fail(new Error('upstream failed'))
          else entry!.job.finish()
        }
        await Promise.resolve()
        watch()
      }
      for (const { job } of live) job.finish()
      await Promise.allSettled(live.map(({ job }) => job.result))
      // Everything finished: nothing runs, nothing waits, and every client may submit again.
      await expect.poll(() => adm.status().every((s) => s.running === 0 && s.queued === 0)).toBe(true)
      expect(peak.tts).toBeGreaterThan(1)
      expect(refused).toBeGreaterThan(0)
      const again = (client: string) =>
        adm.run(
          {
            lane: 'tts',
            client,
            priority: 'batch',
            deadlineMs: 1000,
            work: 1,
            signal: new AbortController().signal,
          },
          async () => client,
        )
      for (let c = 0; c < 50; c++) await expect(again(`client-${c}`)).resolves.toMatchObject({ position: 0 })
    },
  )
})
