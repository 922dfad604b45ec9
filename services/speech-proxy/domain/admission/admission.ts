/**
 * The lane scheduler: every request to a speech model waits here for a slot in its lane. A lane
 * runs at most `limit` requests at once (the GPU models on Spark 2 do not get faster with more), the
 * rest wait in a bounded fair queue (queue.ts). A request is refused at the door rather than left
 * to time out: over its client's quota (429), queue full (503), or projected to wait past its own
 * deadline (503); every refusal carries Retry-After.
 */
import { AppError } from '../../../../shared/errors.ts'
import type { Metrics } from '../../../../shared/metrics.ts'
import { createEstimate, projectedWaitS, retryAfterS, type ServiceEstimate } from './estimate.ts'
import { createLaneMetrics, type LaneMetrics } from './lane-metrics.ts'
import {
  type Admit,
  type Admitted,
  LANES,
  type Lane,
  type LaneStatus,
  type LoadTracker,
  PRIORITIES,
  type RejectReason,
  STARTING_S_PER_WORK,
} from './lanes.ts'
import { createFairQueue, type FairQueue } from './queue.ts'

export type { Admit, Admitted, Lane, LaneStatus } from './lanes.ts'

export interface Admission {
  /** Runs `fn` when the lane has a slot; throws AppError 429/503 (with retryAfterS) or 499. */
  run<T>(req: Admit, fn: (signal: AbortSignal) => Promise<T>): Promise<Admitted<T>>
  status(): LaneStatus[]
  /**
   * New limits for some lanes, in force at once (the Settings page): a raised limit starts waiting
   * requests now; a lowered one lets running requests finish and starts no more until under it.
   */
  resize(change: LaneResize): void
}

export interface LaneResize {
  limits?: Partial<Record<Lane, number>>
  maxQueue?: Partial<Record<Lane, number>>
}

export interface AdmissionOptions {
  limits: Record<Lane, number>
  maxQueue: Record<Lane, number>
  /** Running + queued requests one client may have across all lanes. */
  perClientMax: number
  /** Milliseconds clock (performance.now by default). */
  now?: () => number
  metrics?: Metrics
  /** Each lane's running work counted as load on its upstream, so a slow health probe reads as busy. */
  trackers?: Partial<Record<Lane, LoadTracker>>
  startingSPerWork?: Partial<Record<Lane, number>>
}

interface Running {
  work: number
  startedAt: number
}

interface Waiting {
  client: string
  priority: Admit['priority']
  work: number
  /** Called by the dispatcher with the slot it took for this request. */
  start(slot: Running): void
}

interface LaneState {
  lane: Lane
  limit: number
  maxQueue: number
  queue: FairQueue<Waiting>
  running: Set<Running>
  estimate: ServiceEstimate
  served: number
  rejected: Record<RejectReason, number>
}

/** setTimeout fires at once beyond this (about 24.8 days); no deadline needs more. */
const MAX_TIMER_MS = 2 ** 31 - 1

export function createAdmission(opts: AdmissionOptions): Admission {
  const now = opts.now ?? (() => performance.now())
  const lanes = new Map<Lane, LaneState>(LANES.map((lane) => [lane, newLane(lane, opts)]))
  const perClient = new Map<string, number>()
  const laneOf = (lane: Lane) => lanes.get(lane)!
  const metrics: LaneMetrics | undefined = opts.metrics && createLaneMetrics(opts.metrics, () => status())

  const hold = (client: string, delta: number) => {
    const n = (perClient.get(client) ?? 0) + delta
    if (n > 0) perClient.set(client, n)
    else perClient.delete(client)
  }

  const runningLoad = (s: LaneState) =>
    [...s.running].map((r) => ({ work: r.work, elapsedS: (now() - r.startedAt) / 1000 }))
  const waitS = (s: LaneState, workAhead: number) =>
    projectedWaitS({ limit: s.limit, running: runningLoad(s), workAhead, sPerWork: s.estimate.sPerWork })

  function reject(s: LaneState, reason: RejectReason, err: AppError): never {
    s.rejected[reason]++
    metrics?.rejected(s.lane, reason)
    throw err
  }

  function dispatch(s: LaneState) {
    while (s.running.size < s.limit) {
      const next = s.queue.shift()
      if (!next) return
      next.start(occupy(s))
    }
  }

  function occupy(s: LaneState): Running {
    const slot = { work: 0, startedAt: now() }
    s.running.add(slot)
    return slot
  }

  /** Waits in the queue until the dispatcher hands over a slot; leaves it on abort or deadline. */
  function wait(s: LaneState, req: Admit): Promise<Running> {
    return new Promise<Running>((resolve, rejectWait) => {
      const leave = (err: AppError) => {
        s.queue.remove(item)
        settle()
        rejectWait(err)
      }
      const onAbort = () => leave(clientGone())
      const timer = setTimeout(
        () => {
          s.rejected.deadline++
          metrics?.rejected(s.lane, 'deadline')
          leave(deadlinePassed(s.lane, req.deadlineMs, waitS(s, s.queue.totalWork())))
        },
        Math.min(req.deadlineMs, MAX_TIMER_MS),
      )
      const settle = () => {
        clearTimeout(timer)
        req.signal.removeEventListener('abort', onAbort)
      }
      const item: Waiting = {
        client: req.client,
        priority: req.priority,
        work: req.work,
        start(slot) {
          settle()
          resolve(slot)
        },
      }
      req.signal.addEventListener('abort', onAbort, { once: true })
      s.queue.push(item)
    })
  }

  async function run<T>(req: Admit, fn: (signal: AbortSignal) => Promise<T>): Promise<Admitted<T>> {
    if (req.signal.aborted) throw clientGone()
    const s = laneOf(req.lane)
    const arrivedAt = now()
    if ((perClient.get(req.client) ?? 0) >= opts.perClientMax) {
      const retry = retryAfterS(req.work * s.estimate.sPerWork)
      reject(s, 'quota', overQuota(req.client, opts.perClientMax, retry))
    }
    let slot: Running
    let position = 0
    hold(req.client, 1)
    try {
      if (s.running.size < s.limit && s.queue.size === 0) slot = occupy(s)
      else {
        if (s.queue.size >= s.maxQueue) {
          reject(s, 'queue_full', queueFull(s.lane, s.maxQueue, retryAfterS(waitS(s, s.queue.totalWork()))))
        }
        const ahead = s.queue.ahead(req)
        const projected = waitS(s, ahead.work)
        if (projected * 1000 > req.deadlineMs)
          reject(s, 'deadline', deadlinePassed(s.lane, req.deadlineMs, projected))
        position = ahead.count + 1
        slot = await wait(s, req)
      }
    } catch (err) {
      hold(req.client, -1)
      throw err
    }
    return serve(s, req, slot, position, arrivedAt, fn)
  }

  async function serve<T>(
    s: LaneState,
    req: Admit,
    slot: Running,
    position: number,
    arrivedAt: number,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<Admitted<T>> {
    slot.work = req.work
    slot.startedAt = now()
    const queueMs = slot.startedAt - arrivedAt
    metrics?.waited(s.lane, queueMs / 1000)
    const tracker = opts.trackers?.[s.lane]
    try {
      const value = await (tracker ? tracker.track(() => fn(req.signal)) : fn(req.signal))
      const serviceMs = now() - slot.startedAt
      // Only finished work says how fast the lane is: a failure or a cancelled call ends early.
      if (!req.signal.aborted) {
        s.estimate.observe(serviceMs / 1000, req.work)
        s.served++
        metrics?.served(s.lane, serviceMs / 1000, req.work)
      }
      return { value, queueMs, serviceMs, position }
    } finally {
      s.running.delete(slot)
      hold(req.client, -1)
      dispatch(s)
    }
  }

  function status(): LaneStatus[] {
    return [...lanes.values()].map((s) => ({
      lane: s.lane,
      limit: s.limit,
      running: s.running.size,
      queued: s.queue.size,
      queued_by_priority: Object.fromEntries(
        PRIORITIES.map((p) => [p, s.queue.sizeAt(p)]),
      ) as LaneStatus['queued_by_priority'],
      ewma_s_per_work: s.estimate.sPerWork,
      projected_wait_s: waitS(s, s.queue.totalWork()),
      served: s.served,
      rejected: { ...s.rejected },
    }))
  }

  function resize(change: LaneResize) {
    for (const s of lanes.values()) {
      const limit = change.limits?.[s.lane]
      const maxQueue = change.maxQueue?.[s.lane]
      if (limit !== undefined) s.limit = Math.max(1, limit)
      if (maxQueue !== undefined) s.maxQueue = Math.max(0, maxQueue)
      dispatch(s)
    }
  }

  return { run, status, resize }
}

function newLane(lane: Lane, opts: AdmissionOptions): LaneState {
  return {
    lane,
    limit: Math.max(1, opts.limits[lane]),
    maxQueue: Math.max(0, opts.maxQueue[lane]),
    queue: createFairQueue<Waiting>(),
    running: new Set(),
    estimate: createEstimate(opts.startingSPerWork?.[lane] ?? STARTING_S_PER_WORK[lane]),
    served: 0,
    rejected: { quota: 0, deadline: 0, queue_full: 0 },
  }
}

const clientGone = () => new AppError(499, 'client_closed', 'The client went away before its request ran.')

const overQuota = (client: string, max: number, retry: number) =>
  new AppError(
    429,
    'over_quota',
    `Client ${client} already has ${max} speech requests running or queued (the limit); retry in ${retry} s.`,
    { retryAfterS: retry },
  )

const queueFull = (lane: Lane, max: number, retry: number) =>
  new AppError(503, 'queue_full', `The ${lane} queue is full (${max} waiting); retry in ${retry} s.`, {
    retryAfterS: retry,
  })

function deadlinePassed(lane: Lane, deadlineMs: number, waitS: number) {
  const retry = retryAfterS(waitS)
  return new AppError(
    503,
    'deadline',
    `The ${lane} lane cannot start this request within its deadline of ${Math.round(deadlineMs / 1000)} s ` +
      `(projected wait ${waitS.toFixed(1)} s); retry in ${retry} s.`,
    { retryAfterS: retry },
  )
}
