import { describe, expect, it } from 'vitest'
import { estimateEta, median, typicalPhases } from './eta.ts'
import { simStartupTimeline } from './fixtures/sim-startup.ts'
import { DEFAULT_PHASE_SECONDS, PHASES } from './phases.ts'
import { ProgressTracker } from './tracker.ts'

const T0 = Date.UTC(2026, 3, 18, 10, 0, 0)

function clock(start = T0) {
  let now = start
  return { now: () => now, set: (ms: number) => (now = start + ms), advance: (ms: number) => (now += ms) }
}

const core = (msg: string) => `(EngineCore_DP0 pid=312) INFO 04-18 10:00:05 [x.py:1] ${msg}`
const shard = (k: number, n: number) =>
  `Loading safetensors checkpoint shards: ${Math.floor(
    (k / n) * 100,
  )}% Completed | ${k}/${n} [00:01<00:01, 1s/it]`

describe('ProgressTracker', () => {
  it('walks the simulator start-up to ready with a percentage that never goes down', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    const seen: Array<{ phase: string; percent: number }> = []
    for (const { at, line } of simStartupTimeline()) {
      c.set(at * 120_000)
      tracker.push('spark-1', line)
      const s = tracker.snapshot()
      seen.push({ phase: s.phase, percent: s.percent })
    }
    const percents = seen.map((s) => s.percent)
    expect(percents).toEqual([...percents].sort((a, b) => a - b))
    expect(new Set(seen.map((s) => s.phase))).toEqual(new Set(PHASES.filter((p) => p !== 'container')))
    const end = tracker.snapshot()
    expect(end).toMatchObject({ phase: 'ready', percent: 100, failure: null })
    expect(end.phases.map((p) => p.phase)).toEqual([...PHASES])
    const durations = tracker.durations()
    expect(durations.total_s).toBe(120)
    expect(Object.keys(durations.phases)).toEqual(PHASES.filter((p) => p !== 'ready'))
    // Shards load from 8 % to 44 % of the simulated timeline, between "Starting to load" (6 %) and 46 %.
    expect(durations.phases['loading-weights']).toBeCloseTo(0.4 * 120, 0)
  })

  it('reports percentages within a phase, and cuda graph bars as halves of it', () => {
    const tracker = new ProgressTracker()
    tracker.push('spark-1', core('Starting to load model x...'))
    tracker.push('spark-1', shard(1, 4))
    expect(tracker.snapshot()).toMatchObject({ phase: 'loading-weights', phase_percent: 25 })
    tracker.push(
      'spark-1',
      'Capturing CUDA graphs (mixed prefill-decode, PIECEWISE):  50%|█ | 33/67 [00:01<00:01, 1it/s]',
    )
    expect(tracker.snapshot()).toMatchObject({ phase: 'cuda-graphs', phase_percent: 25 })
    tracker.push('spark-1', 'Capturing CUDA graphs (decode, FULL):  50%|█ | 17/35 [00:01<00:01, 1it/s]')
    expect(tracker.snapshot().phase_percent).toBe(75)
  })

  it('merges a head and a worker: the furthest phase, the slowest source within it', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    c.advance(1000)
    tracker.push('spark-1', core('Starting to load model x...'))
    tracker.push('spark-2', core('Starting to load model x...'))
    tracker.push('spark-1', shard(3, 4))
    tracker.push('spark-2', shard(1, 4))
    expect(tracker.snapshot()).toMatchObject({ phase: 'loading-weights', phase_percent: 25 })
    tracker.push('spark-2', shard(4, 4))
    expect(tracker.snapshot().phase_percent).toBe(75)
    c.advance(1000)
    tracker.push('spark-1', core('Loading weights took 2.0 seconds'))
    const s = tracker.snapshot()
    expect(s.phase).toBe('weights-loaded')
    expect(s.sources).toEqual({
      'spark-1': { phase: 'weights-loaded', percent: null },
      'spark-2': { phase: 'loading-weights', percent: 100 },
    })
    expect(s.phase_started_at_ms).toBe(T0 + 2000)
  })

  it('tracks Ray ranks forwarded into the head log separately', () => {
    const tracker = new ProgressTracker()
    const worker = (msg: string) => `(EngineCore_DP0 pid=3) (RayWorkerWrapper pid=412, ip=192.0.2.11) ${msg}`
    tracker.push('spark-1', core('Starting to load model x...'))
    tracker.push('spark-1', worker('INFO 04-18 10:00:05 [x.py:1] Starting to load model x...'))
    tracker.push('spark-1', shard(2, 2))
    tracker.push('spark-1', worker(shard(1, 2)))
    expect(Object.keys(tracker.snapshot().sources)).toEqual(['spark-1', 'spark-1/192.0.2.11'])
    expect(tracker.snapshot().phase_percent).toBe(50)
  })

  it('records skipped phases with no duration and ignores lines from earlier phases', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    c.set(5000)
    tracker.push('spark-1', core('Available KV cache memory: 50 GiB'))
    c.set(6000)
    tracker.push('spark-1', core('Starting to load model x...'))
    expect(tracker.phase).toBe('kv-cache')
    const d = tracker.durations()
    expect(d.phases).toEqual({
      container: 5,
      'engine-init': 0,
      'loading-weights': 0,
      'weights-loaded': 0,
      compiling: 0,
      'kv-cache': 1,
    })
  })

  it('keeps the most specific failure and its node', () => {
    const tracker = new ProgressTracker()
    tracker.push('spark-2', 'Traceback (most recent call last):')
    expect(tracker.failure).toMatchObject({ kind: 'crash', node: 'spark-2' })
    tracker.push('spark-1', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.')
    tracker.push(
      'spark-1',
      "RuntimeError: Engine core initialization failed. Failed core proc(s): {'EngineCore_DP0': 1}",
    )
    expect(tracker.failure).toMatchObject({ kind: 'oom', node: 'spark-1' })
  })

  it('weights are configurable', () => {
    const only = Object.fromEntries(PHASES.map((p) => [p, p === 'loading-weights' ? 1 : 0]))
    const tracker = new ProgressTracker({ weights: only })
    tracker.push('spark-1', shard(1, 4))
    expect(tracker.snapshot().percent).toBe(25)
    tracker.push('spark-1', core('Loading weights took 1 seconds'))
    expect(tracker.snapshot().percent).toBe(100)
  })
})

describe('estimateEta', () => {
  const defaultTotal = PHASES.reduce((s, p) => s + DEFAULT_PHASE_SECONDS[p], 0)

  it('uses the default profile without history, before the weights start loading', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    c.advance(4000)
    const eta = estimateEta(tracker, [])
    expect(eta).toMatchObject({ basis: 'default', phase: 'container', phase_elapsed_s: 4, stalled: false })
    expect(eta.eta_s).toBe(defaultTotal - 4)
  })

  it('without history, extrapolates the live progress since launch: a quick first load gets a short ETA', () => {
    // The QA case: a small model whose shards load within seconds; the default profile said ~89 s.
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    c.set(1000)
    tracker.push('spark-1', core('Starting to load model x...'))
    c.set(2000)
    tracker.push('spark-1', shard(2, 4))
    const eta = estimateEta(tracker, [])
    // 10 % done before the weights + half of their 35 % = 27.5 % in 2 s: about 5.3 s left.
    expect(eta).toMatchObject({ basis: 'progress', eta_s: 5.3 })
    // A slow first load is told as slow (the chat proxy caps its Retry-After instead).
    c.set(200_000)
    expect(estimateEta(tracker, []).eta_s).toBeGreaterThan(500)
  })

  it('keeps the history-based estimate, uncapped, when the recipe has past loads', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    c.advance(1000)
    const eta = estimateEta(tracker, [{ phases: {}, total_s: 600 }])
    expect(eta.basis).toBe('history')
    expect(eta.eta_s).toBeGreaterThan(500)
  })

  it('takes the median of each phase from history and adds the later phases', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    const history = [10, 20, 90].map((w) => ({
      phases: { container: 5, 'engine-init': 5, 'loading-weights': w, compiling: 30 },
      total_s: 0,
    }))
    c.set(10_000)
    tracker.push('spark-1', core('Starting to load model x...'))
    c.set(15_000)
    const eta = estimateEta(tracker, history)
    expect(eta.phase_typical_s).toBe(20)
    // 15 s left of loading-weights, compiling 30 s from history, the others from the default profile.
    const rest =
      DEFAULT_PHASE_SECONDS['weights-loaded'] +
      DEFAULT_PHASE_SECONDS['kv-cache'] +
      DEFAULT_PHASE_SECONDS['cuda-graphs'] +
      DEFAULT_PHASE_SECONDS['api-starting']
    expect(eta.eta_s).toBe(15 + 30 + rest)
    expect(eta.basis).toBe('history')
  })

  it("extrapolates from this load's own pace when the log gives a percentage", () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    tracker.push('spark-1', core('Starting to load model x...'))
    c.advance(30_000)
    tracker.push('spark-1', shard(1, 4))
    const history = [{ phases: Object.fromEntries(PHASES.map((p) => [p, 0])), total_s: 0 }]
    const eta = estimateEta(tracker, history)
    expect(eta.eta_s).toBe(90)
  })

  it('scales the default profile to the median total when history has no phases', () => {
    const usual = typicalPhases([{ phases: {}, total_s: defaultTotal * 2 }])
    expect(usual['loading-weights']).toBe(DEFAULT_PHASE_SECONDS['loading-weights'] * 2)
  })

  it('flags a phase running past k× its usual time, never below the floor', () => {
    const c = clock()
    const tracker = new ProgressTracker({ now: c.now })
    const history = [{ phases: { container: 2 }, total_s: 100 }]
    c.advance(30_000)
    expect(estimateEta(tracker, history).stalled).toBe(false)
    c.advance(31_000)
    expect(estimateEta(tracker, history).stalled).toBe(true)
    expect(estimateEta(tracker, history, { stallFloorS: 120 }).stalled).toBe(false)
    expect(
      estimateEta(tracker, [{ phases: { container: 30 }, total_s: 100 }], { stallFactor: 2 }).stalled,
    ).toBe(true)
  })

  it('is 0 when ready and null after a failure', () => {
    const ready = new ProgressTracker()
    ready.push('spark-1', '(APIServer pid=1) INFO:     Application startup complete.')
    expect(estimateEta(ready, []).eta_s).toBe(0)
    const failed = new ProgressTracker()
    failed.push('spark-1', 'OSError: [Errno 98] Address already in use')
    expect(estimateEta(failed, [])).toMatchObject({ eta_s: null, stalled: false })
  })

  it('median ignores junk', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
    expect(median([Number.NaN, -1])).toBeNull()
  })
})
