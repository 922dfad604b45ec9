import type { Lane, LaneStatus, Priority } from '../admission/lanes.ts'

/**
 * The `X-Queue-Position` of a request arriving now (0 = it runs at once): everyone queued at its
 * priority or above, plus one. Within a priority the queue takes clients in turns, so a client with
 * nothing queued may move ahead of this: it is the most this request waits behind.
 */
export function arrivalPosition(lanes: readonly LaneStatus[], lane: Lane, priority: Priority): number {
  const s = lanes.find((l) => l.lane === lane)
  if (!s || (s.running < s.limit && s.queued === 0)) return 0
  const q = s.queued_by_priority
  const ahead =
    priority === 'interactive'
      ? q.interactive
      : priority === 'standard'
        ? q.interactive + q.standard
        : s.queued
  return ahead + 1
}
