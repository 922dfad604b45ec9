/**
 * The latest audio requests, for the status page: a bounded ring of what each request asked for and
 * how it went (route, audio seconds, outcome, queue and service time), never its file name, text or
 * audio. A request is followed through the admission lanes by an AsyncLocalStorage context, so the
 * routes need not report anything: every `run` it makes (one per chunk) adds to its record.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { SpeechRecentJob } from '../../../shared/contracts/speech-proxy.ts'
import type { Admission, Lane } from './admission/admission.ts'

export type RecentJob = SpeechRecentJob
type Outcome = RecentJob['outcome']

/** What one request has used so far; the ring holds it, so late chunks and streamed TTS still count. */
interface Tracked {
  job: RecentJob
  /** Audio seconds per lane: a diarized transcription sends the same audio to two lanes. */
  workByLane: Map<Lane, number>
}

export interface RecentJobs {
  /** Runs `handle` as one request, which resolves to the status it was answered with, and records it. */
  follow(route: string, handle: () => Promise<number>): Promise<void>
  /** `admission`, with every run counted in the current request's record. */
  observe(admission: Admission): Admission
  /** Newest first. */
  list(): RecentJob[]
}

export const RECENT_JOBS = 50

export function outcomeOf(status: number): Outcome {
  if (status < 400) return 'ok'
  if (status === 499) return 'cancelled'
  if (status === 429 || status === 503) return 'refused'
  return status < 500 ? 'rejected' : 'failed'
}

const round1 = (ms: number) => Math.round(ms * 10) / 10

export function createRecentJobs(
  size = RECENT_JOBS,
  now: () => number = () => performance.now(),
): RecentJobs {
  const ring: Tracked[] = []
  const current = new AsyncLocalStorage<Tracked>()

  const count = (tracked: Tracked, lane: Lane, work: number, queueMs: number, serviceMs: number) => {
    const { job } = tracked
    if (lane !== 'tts') {
      tracked.workByLane.set(lane, (tracked.workByLane.get(lane) ?? 0) + work)
      job.audio_s = Math.round(Math.max(...tracked.workByLane.values()) * 100) / 100
    }
    job.queue_ms = round1(job.queue_ms + queueMs)
    job.service_ms = round1(job.service_ms + serviceMs)
  }

  return {
    async follow(route, handle) {
      const started = now()
      const tracked: Tracked = {
        job: {
          at: new Date().toISOString(),
          route,
          status: 0,
          outcome: 'ok',
          lanes: [],
          audio_s: null,
          queue_ms: 0,
          service_ms: 0,
          total_ms: 0,
        },
        workByLane: new Map(),
      }
      const status = await current.run(tracked, handle)
      tracked.job.status = status
      tracked.job.outcome = outcomeOf(status)
      tracked.job.total_ms = round1(now() - started)
      ring.unshift(tracked)
      if (ring.length > size) ring.length = size
    },
    observe(admission) {
      return {
        status: () => admission.status(),
        resize: (change) => admission.resize(change),
        async run(req, fn) {
          const tracked = current.getStore()
          if (tracked && !tracked.job.lanes.includes(req.lane)) tracked.job.lanes.push(req.lane)
          const admitted = await admission.run(req, fn)
          if (tracked) count(tracked, req.lane, req.work, admitted.queueMs, admitted.serviceMs)
          return admitted
        },
      }
    },
    list: () => ring.map((t) => ({ ...t.job, lanes: [...t.job.lanes] })),
  }
}
