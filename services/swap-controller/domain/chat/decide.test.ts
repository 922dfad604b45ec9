import { describe, expect, it } from 'vitest'
import type { JobView } from '../swap/view.ts'
import { type ChatSituation, decide, loadedSince, retryAfterFor, swapInProgress } from './decide.ts'

const NOW = Date.parse('2026-01-01T12:00:00Z')
const recipes = [
  { key: 'coder', servedModelName: 'coder-30b', onDemand: true, minResidencyS: 600 },
  { key: 'big', servedModelName: 'big-120b', onDemand: false, minResidencyS: 300 },
  { key: 'air', servedModelName: 'air', onDemand: true, minResidencyS: 60 },
]
const base: ChatSituation = {
  requested: 'big-120b',
  swap: null,
  loaded: 'big-120b',
  loadedSinceMs: null,
  recipes,
  nowMs: NOW,
  waitedMs: 0,
  waitBudgetMs: 30_000,
  swapStarted: false,
}
const at = (over: Partial<ChatSituation>) => decide({ ...base, ...over })
const rejected = (over: Partial<ChatSituation>) => {
  const d = at(over)
  if (d.kind !== 'reject') throw new Error(`expected a rejection, got ${d.kind}`)
  return d.error
}

describe('chat decision', () => {
  it('forwards the loaded model, a request without a model, and when the loaded model is unknown', () => {
    expect(at({})).toEqual({ kind: 'forward' })
    expect(at({ requested: null })).toEqual({ kind: 'forward' })
    expect(at({ requested: 'anything', loaded: null })).toEqual({ kind: 'forward' })
  })

  it('holds during a swap while the ETA fits the budget or is unknown', () => {
    const swap = { target: 'air', status: 'loading', etaS: 20 }
    expect(at({ swap, requested: 'air' })).toEqual({ kind: 'hold', target: 'air' })
    expect(at({ swap: { ...swap, etaS: null }, requested: null, waitedMs: 29_000 })).toEqual({
      kind: 'hold',
      target: 'air',
    })
  })

  it('answers 503 + Retry-After from the ETA when the wait would exceed the budget', () => {
    const err = rejected({ swap: { target: 'air', status: 'loading', etaS: 95.2 }, requested: 'air' })
    // The ETA is said as it is; Retry-After is at most 30 s, so the client meets the next estimate.
    expect(err).toMatchObject({ status: 503, code: 'model_switching', retryAfterS: 30 })
    expect(err.message).toBe('Switching models to air (loading); about 96 s left. Retry in 30 s.')
    const late = rejected({
      swap: { target: 'air', status: 'stopping', etaS: null },
      requested: null,
      waitedMs: 30_000,
    })
    expect(late).toMatchObject({ status: 503, retryAfterS: 15 })
    expect(late.message).toContain('time left unknown')
    // Ten seconds left by the ETA but only five in the budget: refused now, Retry-After 10.
    expect(
      rejected({ swap: { target: 'air', status: 'warming', etaS: 10 }, requested: 'air', waitedMs: 25_000 }),
    ).toMatchObject({ retryAfterS: 10 })
  })

  it('holds a request for the budget when the ETA is only a guess (a first load), instead of refusing at once', () => {
    const guessed = { target: 'air', status: 'loading', etaS: 170, etaGuessed: true }
    expect(at({ swap: guessed, requested: 'air' })).toEqual({ kind: 'hold', target: 'air' })
    expect(rejected({ swap: guessed, requested: 'air', waitedMs: 30_000 })).toMatchObject({
      status: 503,
      retryAfterS: 30,
    })
  })

  it('advises between 5 and 30 s', () => {
    expect(retryAfterFor(0.2)).toBe(5)
    expect(retryAfterFor(null)).toBe(15)
    expect(retryAfterFor(21.1)).toBe(22)
    expect(retryAfterFor(41.1)).toBe(30)
  })

  it('refuses a model other than the swap target during a swap', () => {
    const err = rejected({ swap: { target: 'air', status: 'loading', etaS: 5 }, requested: 'big-120b' })
    expect(err).toMatchObject({ status: 404, code: 'model_not_found' })
    expect(err.message).toContain('switching models to air')
  })

  it('names the loaded model for a model that is neither loaded nor on demand', () => {
    const err = rejected({ requested: 'gpt-5' })
    expect(err).toMatchObject({ status: 404, code: 'model_not_found' })
    expect(err.message).toBe(
      'The model gpt-5 is not loaded; the loaded model is big-120b. Models that load on request: coder-30b, air.',
    )
    expect(rejected({ requested: 'big', loaded: 'air' }).status).toBe(404)
  })

  it('starts an on-demand swap by served name, once; a recipe key loads nothing (vLLM would not know it)', () => {
    expect(at({ requested: 'coder-30b' })).toEqual({ kind: 'swap', recipe: 'coder' })
    expect(at({ requested: 'air' })).toEqual({ kind: 'swap', recipe: 'air' })
    expect(rejected({ requested: 'air', swapStarted: true }).status).toBe(404)
    const byKey = rejected({ requested: 'coder' })
    expect(byKey).toMatchObject({ status: 404, code: 'model_not_found' })
    expect(byKey.message).toContain('(coder is a recipe key; ask for coder-30b, the name it serves.)')
    expect(rejected({ requested: 'coder', loaded: 'coder-30b' }).status).toBe(404)
  })

  it('loads an on-demand model when nothing is loaded (vLLM not there), once; otherwise lets vLLM answer', () => {
    const none = { loaded: null, served: [], nothingLoaded: true }
    expect(at({ ...none, requested: 'coder-30b' })).toEqual({ kind: 'swap', recipe: 'coder' })
    expect(at({ ...none, requested: 'coder-30b', swapStarted: true })).toEqual({ kind: 'forward' })
    // Not on demand: forwarded, so the client meets vLLM's absence as before (502 "vllm unreachable").
    expect(at({ ...none, requested: 'big-120b' })).toEqual({ kind: 'forward' })
    // Unknown (slow vLLM, odd answer): never a swap on a guess.
    expect(at({ loaded: null, served: [], nothingLoaded: false, requested: 'coder-30b' })).toEqual({
      kind: 'forward',
    })
  })

  it('forwards a request for any id vLLM serves (an alias or a LoRA adapter), not only the first', () => {
    expect(
      at({ requested: 'big-lora-sql', loaded: 'big-120b', served: ['big-120b', 'big-lora-sql'] }),
    ).toEqual({ kind: 'forward' })
    expect(at({ requested: 'air', loaded: 'big-120b', served: ['big-120b', 'air'] })).toEqual({
      kind: 'forward',
    })
  })

  it('respects the min residency of the loaded model (409 naming when it may be swapped)', () => {
    const since = NOW - 100_000
    const err = rejected({ requested: 'air', loaded: 'coder-30b', loadedSinceMs: since })
    expect(err).toMatchObject({ status: 409, code: 'model_resident', retryAfterS: 500 })
    expect(err.message).toContain('coder-30b stays loaded at least 600 s')
    expect(err.message).toContain('from 2026-01-01T12:08:20')
    expect(at({ requested: 'air', loaded: 'coder-30b', loadedSinceMs: NOW - 600_000 })).toEqual({
      kind: 'swap',
      recipe: 'air',
    })
    // Loaded before this process saw it: no residency to hold it to.
    expect(at({ requested: 'air', loaded: 'coder-30b', loadedSinceMs: null })).toEqual({
      kind: 'swap',
      recipe: 'air',
    })
  })
})

const job = (over: Partial<JobView>): JobView =>
  ({
    job_id: 'swp_1',
    status: 'loading',
    outcome: 'running',
    model: 'air',
    from_model: 'coder-30b',
    finished_at: null,
    progress: null,
    ...over,
  }) as JobView

describe('swap as the proxy sees it', () => {
  it('is in progress until ready, and a rollback brings the previous model', () => {
    expect(swapInProgress(null)).toBeNull()
    expect(swapInProgress(job({}))).toEqual({
      target: 'air',
      status: 'loading',
      etaS: null,
      etaGuessed: true,
    })
    const eta = { phase: 'weights', phase_percent: 50, percent: 40, eta_s: 12, stalled: false }
    expect(swapInProgress(job({ progress: eta }))?.etaS).toBe(12)
    expect(swapInProgress(job({ progress: { ...eta, eta_basis: 'default' } }))?.etaGuessed).toBe(true)
    // A load's own early pace overshoots: only the recipe's successful loads are trusted.
    expect(swapInProgress(job({ progress: { ...eta, eta_basis: 'progress' } }))?.etaGuessed).toBe(true)
    expect(swapInProgress(job({ progress: { ...eta, eta_basis: 'history' } }))?.etaGuessed).toBe(false)
    expect(swapInProgress(job({ status: 'rolling-back' }))?.target).toBe('coder-30b')
    expect(swapInProgress(job({ status: 'ready' }))).toBeNull()
    expect(swapInProgress(job({ status: 'ready', outcome: 'ready', finished_at: 'x' }))).toBeNull()
  })

  it('knows when the loaded model finished loading', () => {
    const finished = '2026-01-01T11:00:00.000Z'
    expect(loadedSince(job({ outcome: 'ready', status: 'ready', finished_at: finished }), 'air')).toBe(
      Date.parse(finished),
    )
    expect(
      loadedSince(job({ outcome: 'rolled_back', status: 'ready', finished_at: finished }), 'coder-30b'),
    ).toBe(Date.parse(finished))
    expect(loadedSince(job({ outcome: 'failed', status: 'failed', finished_at: finished }), 'air')).toBeNull()
    expect(loadedSince(job({}), 'air')).toBeNull()
  })
})
