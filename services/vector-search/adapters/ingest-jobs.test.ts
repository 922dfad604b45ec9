import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import type { JobWork } from '../domain/documents/jobs.ts'
import { createIngestJobs } from './ingest-jobs.ts'

const work = (run: JobWork['run'] = async () => []): JobWork => ({
  collection: 'notes',
  documentsTotal: 1,
  chunksTotal: 1,
  run,
})

afterEach(() => {
  vi.useRealTimers()
})

describe('ingest jobs', () => {
  it('forgets a finished job after keepMs, and keeps at most maxFinished', async () => {
    vi.useFakeTimers()
    const jobs = createIngestJobs({ maxActive: 10, keepMs: 60_000, maxFinished: 2, describe: (e) => e })
    const ids = [1, 2, 3].map(() => jobs.submit(work())!.id)
    await vi.waitFor(() => expect(jobs.get(ids[2]!)?.state).toBe('done'))
    expect(ids.map((id) => jobs.get(id) !== undefined)).toEqual([false, true, true])
    vi.advanceTimersByTime(60_001)
    expect(ids.map((id) => jobs.get(id))).toEqual([undefined, undefined, undefined])
    jobs.close()
  })

  it('runs one job at a time, in order', async () => {
    const jobs = createIngestJobs({ maxActive: 10, keepMs: 1000, describe: (e) => e })
    let release!: () => void
    const held = new Promise<void>((r) => {
      release = r
    })
    const a = jobs.submit(
      work(async () => {
        await held
        return []
      }),
    )!
    const b = jobs.submit(work())!
    await vi.waitFor(() => expect(jobs.get(a.id)?.state).toBe('running'))
    expect(jobs.get(b.id)?.state).toBe('queued')
    release()
    await vi.waitFor(() => expect(jobs.get(b.id)?.state).toBe('done'))
    jobs.close()
  })

  it('tells a failure in the job: an AppError as it is, anything else as a 500 without its message', async () => {
    const jobs = createIngestJobs({ maxActive: 10, keepMs: 1000, describe: (e) => e })
    const typed = jobs.submit(
      work(async () => {
        throw new AppError(503, 'upstream_unavailable', 'down', { retryAfterS: 5 })
      }),
    )!
    const other = jobs.submit(
      work(async () => {
        throw new Error('secret internals')
      }),
    )!
    await vi.waitFor(() => expect(jobs.get(other.id)?.state).toBe('failed'))
    expect(jobs.get(typed.id)?.error).toEqual({ status: 503, code: 'upstream_unavailable', message: 'down' })
    expect(jobs.get(other.id)?.error).toMatchObject({ status: 500, code: 'internal_error' })
    expect(jobs.get(other.id)?.error?.message).not.toContain('secret')
    jobs.close()
  })
})
