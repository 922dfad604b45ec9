import { describe, expect, it } from 'vitest'
import { estimateEta, type LoadHistoryEntry, successfulOnly, typicalPhases } from './eta.ts'
import { DEFAULT_PHASE_SECONDS, PHASES } from './phases.ts'
import { ProgressTracker } from './tracker.ts'

const DEFAULT_TOTAL = PHASES.reduce((s, p) => s + DEFAULT_PHASE_SECONDS[p], 0)
const sum = (r: Record<string, number>) => PHASES.reduce((s, p) => s + (r[p] ?? 0), 0)

/** A load timed only as a whole: the measured case, 21 s from launch to ready after a 60 s teardown. */
const quick = (outcome = 'ready'): LoadHistoryEntry => ({ phases: {}, total_s: 81, load_s: 21, outcome })

describe('the ETA learns from successful loads only', () => {
  it('ignores failed, cancelled, rolled-back and teardown-only runs', () => {
    const history = [
      quick(),
      { phases: {}, total_s: 400, outcome: 'failed' },
      { phases: {}, total_s: 300, outcome: 'cancelled' },
      { phases: {}, total_s: 250, outcome: 'rolled_back' },
      { phases: { stopping: 60 }, total_s: 60, outcome: 'failed' },
      quick(),
    ]
    expect(successfulOnly(history)).toHaveLength(2)
    expect(sum(typicalPhases(history))).toBeCloseTo(21, 5)
  })

  it('counts the time from the launch, not the drain and teardown before it', () => {
    expect(sum(typicalPhases([quick(), quick(), quick()]))).toBeCloseTo(21, 5)
    // An entry without load_s (another store) falls back to its total.
    expect(sum(typicalPhases([{ phases: {}, total_s: 90 }]))).toBeCloseTo(90, 5)
  })

  it('is not moved by one slow outlier (a cold cache)', () => {
    const history = [quick(), quick(), { phases: {}, total_s: 900, load_s: 880 }, quick(), quick()]
    expect(sum(typicalPhases(history))).toBeCloseTo(21, 5)
  })

  it('falls back to the generic profile, and says so, when no load succeeded', () => {
    const tracker = new ProgressTracker({ now: () => 0, startedAtMs: 0 })
    const eta = estimateEta(tracker, [{ phases: {}, total_s: 83, outcome: 'failed' }])
    expect(eta).toMatchObject({ basis: 'default', eta_s: DEFAULT_TOTAL })
    const learnt = estimateEta(tracker, [quick()])
    expect(learnt).toMatchObject({ basis: 'history', eta_s: 21 })
  })
})
