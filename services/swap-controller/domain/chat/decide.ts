/**
 * What the chat proxy does with one request, decided from the swap engine's view, the model vLLM
 * serves now and the catalog: forward it, hold it while a swap finishes, start an on-demand swap,
 * or answer with an error that says what is happening. Pure and clock-injected; the route loops
 * over it (hold → look again) until it forwards or refuses.
 */
import { AppError } from '../../../../shared/errors.ts'
import { isoUtc } from '../coordination/time.ts'
import type { JobView } from '../swap/view.ts'

/** The swap in progress as the proxy sees it; null when none runs. */
export interface SwapInProgress {
  /** Served id that will answer once the swap is done. */
  target: string
  status: string
  /** Seconds left by the load history, null while unknown (before launch, or no past loads). */
  etaS: number | null
  /** True when `etaS` is only a generic profile: it never refuses a request before the hold budget is spent. */
  etaGuessed?: boolean
}

export interface OnDemandRecipe {
  key: string
  servedModelName: string
  onDemand: boolean
  minResidencyS: number
}

export interface ChatSituation {
  /** The request's `model`; null when it has none (forwarded as is). */
  requested: string | null
  swap: SwapInProgress | null
  /** What vLLM lists first now; null when nothing is loaded or it is unknown. */
  loaded: string | null
  /** Every id vLLM serves (aliases, LoRA adapters); a request for any of them is forwarded. */
  served?: readonly string[]
  /** vLLM is not there at all (connection refused): no model is loaded, so an on-demand one may be. */
  nothingLoaded?: boolean
  /** When the loaded model finished loading, if this process saw it. */
  loadedSinceMs: number | null
  recipes: readonly OnDemandRecipe[]
  nowMs: number
  /** How long this request has been held already, and how long it may be. */
  waitedMs: number
  waitBudgetMs: number
  /** An on-demand swap was already started for this request (never a second one). */
  swapStarted: boolean
}

export type ChatDecision =
  | { kind: 'forward' }
  | { kind: 'hold'; target: string }
  | { kind: 'swap'; recipe: string }
  | { kind: 'reject'; error: AppError }

/** Retry-After when the ETA is unknown (the swap has not launched yet, so no load phase is known). */
export const UNKNOWN_ETA_RETRY_S = 15
export const MIN_RETRY_S = 5

/**
 * An ETA is an estimate (a first load has no history at all): a client is told to come back within
 * half a minute at most and meets the next estimate, rather than wait out a long guess.
 */
export const MAX_RETRY_S = 30

export const retryAfterFor = (etaS: number | null) =>
  Math.min(MAX_RETRY_S, Math.max(MIN_RETRY_S, Math.ceil(etaS ?? UNKNOWN_ETA_RETRY_S)))

export function switchingError(swap: SwapInProgress): AppError {
  const retryAfterS = retryAfterFor(swap.etaS)
  const left = swap.etaS === null ? 'time left unknown' : `about ${Math.max(0, Math.ceil(swap.etaS))} s left`
  const message = `Switching models to ${swap.target} (${swap.status}); ${left}. Retry in ${retryAfterS} s.`
  return new AppError(503, 'model_switching', message, {
    retryAfterS,
    extra: { target_model: swap.target, swap_status: swap.status, eta_s: swap.etaS },
  })
}

export function modelNotFound(
  requested: string,
  loaded: string,
  onDemand: readonly string[],
  byKey?: OnDemandRecipe,
): AppError {
  const also = onDemand.length ? ` Models that load on request: ${onDemand.join(', ')}.` : ''
  const hint = byKey
    ? ` (${requested} is a recipe key; ask for ${byKey.servedModelName}, the name it serves.)`
    : ''
  const message = `The model ${requested} is not loaded; the loaded model is ${loaded}.${hint}${also}`
  return new AppError(404, 'model_not_found', message, { extra: { loaded_model: loaded } })
}

/**
 * A request names a model by what vLLM will serve it as. A recipe's key is not that name: the body
 * goes to vLLM unchanged, which would not know it, so a key loads nothing (the 404 names the served name).
 */
const matches = (r: OnDemandRecipe, model: string) => r.servedModelName === model

export function decide(s: ChatSituation): ChatDecision {
  if (s.swap) {
    if (s.requested !== null && s.requested !== s.swap.target) {
      const message = `The model ${s.requested} is not available: switching models to ${s.swap.target}.`
      const extra = { loaded_model: s.swap.target }
      return { kind: 'reject', error: new AppError(404, 'model_not_found', message, { extra }) }
    }
    const leftMs = s.waitBudgetMs - s.waitedMs
    // Holding past the budget only to refuse later wastes the client's time: refuse now.
    const trusted = s.swap.etaS !== null && !s.swap.etaGuessed
    if (leftMs <= 0 || (trusted && s.swap.etaS! * 1000 > leftMs))
      return { kind: 'reject', error: switchingError(s.swap) }
    return { kind: 'hold', target: s.swap.target }
  }
  const served = s.served ?? (s.loaded === null ? [] : [s.loaded])
  if (s.requested === null || served.includes(s.requested)) return { kind: 'forward' }
  // Unknown (vLLM slow or answering badly): forward, and vLLM's own answer says what is wrong.
  if (s.loaded === null && !s.nothingLoaded) return { kind: 'forward' }
  const onDemand = s.recipes.filter((r) => r.onDemand)
  const wanted = onDemand.find((r) => matches(r, s.requested!))
  if (wanted && served.includes(wanted.servedModelName)) return { kind: 'forward' }
  // Nothing loaded and nothing to load: vLLM's absence answers as it always did (502).
  if (s.loaded === null && (!wanted || s.swapStarted)) return { kind: 'forward' }
  if (!wanted || s.swapStarted) {
    const byKey = s.recipes.find((r) => r.key === s.requested && r.servedModelName !== r.key)
    const error = modelNotFound(
      s.requested,
      s.loaded!,
      onDemand.map((r) => r.servedModelName),
      byKey,
    )
    return { kind: 'reject', error }
  }
  if (s.loaded === null) return { kind: 'swap', recipe: wanted.key }
  const current = s.recipes.find((r) => r.servedModelName === s.loaded)
  if (current && s.loadedSinceMs !== null) {
    const until = s.loadedSinceMs + current.minResidencyS * 1000
    if (s.nowMs < until) {
      const retryAfterS = Math.ceil((until - s.nowMs) / 1000)
      const message =
        `The model ${s.loaded} stays loaded at least ${current.minResidencyS} s (min_residency_s of recipe ` +
        `${current.key}); it may be swapped for ${s.requested} from ${isoUtc(until)}, in ${retryAfterS} s.`
      const extra = { loaded_model: s.loaded, swappable_at: isoUtc(until) }
      return { kind: 'reject', error: new AppError(409, 'model_resident', message, { retryAfterS, extra }) }
    }
  }
  return { kind: 'swap', recipe: wanted.key }
}

/** The swap the engine is running, in the proxy's terms; null when idle or finished. */
export function swapInProgress(job: JobView | null): SwapInProgress | null {
  if (job?.outcome !== 'running' || job.status === 'ready') return null
  // A rollback brings the previous model back: that is what requests will meet.
  const target = job.status === 'rolling-back' && job.from_model ? job.from_model : job.model
  return {
    target,
    status: job.status,
    etaS: job.progress?.eta_s ?? null,
    // Only a recipe's own successful loads are a basis to refuse on before the budget is spent: a generic
    // profile, or this load's pace extrapolated from its first phases, overshoots (measured 83 s for 21 s).
    etaGuessed: job.progress?.eta_basis !== 'history',
  }
}

/** When the model now loaded finished loading, by the newest swap this process ran. */
export function loadedSince(job: JobView | null, loaded: string | null): number | null {
  if (!job || !loaded || job.finished_at === null) return null
  const model = job.outcome === 'ready' ? job.model : job.outcome === 'rolled_back' ? job.from_model : null
  return model === loaded ? Date.parse(job.finished_at) : null
}
