/** Jobs a test starts and finishes by hand, so admission tests wait on events, never on the clock. Test-only code. */
import { type Deferred, deferred } from '../../../../shared/testing/deferred.ts'
import type { Admission, Admitted } from './admission.ts'
import type { Admit } from './lanes.ts'

export interface Job {
  /** Resolves when admission calls the job's function (it got a slot). */
  started: Promise<AbortSignal>
  /** Finishes the running job with this value. */
  finish(value?: string): void
  fail(err: unknown): void
  /** What `run` settled with. */
  result: Promise<Admitted<string>>
  called(): boolean
}

export function startJob(admission: Admission, req: Partial<Admit> & Pick<Admit, 'client'>): Job {
  const started = deferred<AbortSignal>()
  const done: Deferred<string> = deferred<string>()
  let called = false
  const result = admission.run(
    {
      lane: 'asr',
      priority: 'standard',
      deadlineMs: 600_000,
      work: 10,
      signal: new AbortController().signal,
      ...req,
    },
    (signal) => {
      called = true
      started.resolve(signal)
      return done.promise
    },
  )
  // Rejections are asserted by the tests that expect them; keep the others from going unhandled
  // (a job failed while still queued is never awaited by admission).
  result.catch(() => {})
  done.promise.catch(() => {})
  return {
    started: started.promise,
    finish: (value = 'ok') => done.resolve(value),
    fail: (err) => done.reject(err),
    result,
    called: () => called,
  }
}
