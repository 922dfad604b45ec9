/**
 * Admission in `/metrics`: per lane the queue depth and running count (read from the scheduler at
 * scrape time), how long requests waited, service seconds per work unit, and refusals by reason.
 */
import { Counter, Gauge, Histogram, type Metrics } from '../../../../shared/metrics.ts'
import type { Lane, LaneStatus, RejectReason } from './lanes.ts'

export interface LaneMetrics {
  waited(lane: Lane, seconds: number): void
  served(lane: Lane, seconds: number, work: number): void
  rejected(lane: Lane, reason: RejectReason): void
}

export function createLaneMetrics(metrics: Metrics, status: () => LaneStatus[]): LaneMetrics {
  const registers = [metrics.registry]
  const fromStatus = (name: string, help: string, read: (s: LaneStatus) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['lane'] as const,
      registers,
      collect() {
        for (const s of status()) this.set({ lane: s.lane }, read(s))
      },
    })
  fromStatus('speech_lane_queue_depth', 'Requests waiting in the lane', (s) => s.queued)
  fromStatus('speech_lane_running', 'Requests running in the lane (at most its limit)', (s) => s.running)
  fromStatus('speech_lane_limit', 'Concurrency limit of the lane', (s) => s.limit)
  fromStatus(
    'speech_lane_projected_wait_seconds',
    'Wait a request arriving now would face',
    (s) => s.projected_wait_s,
  )
  const wait = new Histogram({
    name: 'speech_lane_wait_seconds',
    help: 'Time from arrival to start, for requests that ran',
    labelNames: ['lane'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers,
  })
  const perWork = new Histogram({
    name: 'speech_lane_service_seconds_per_work',
    help: 'Service seconds per work unit (per audio second for asr/diarize, per request for tts)',
    labelNames: ['lane'] as const,
    buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  const rejections = new Counter({
    name: 'speech_lane_rejections_total',
    help: 'Requests refused at admission, by reason (quota, deadline, queue_full)',
    labelNames: ['lane', 'reason'] as const,
    registers,
  })
  return {
    waited: (lane, seconds) => wait.observe({ lane }, seconds),
    served: (lane, seconds, work) => {
      if (work > 0) perWork.observe({ lane }, seconds / work)
    },
    rejected: (lane, reason) => rejections.inc({ lane, reason }),
  }
}
