/**
 * Every recipe with what a person needs to choose: where it runs, how much memory it needs, whether
 * it fits right now (the controller's own pre-flight check, read-only), how long it usually takes
 * to load, and a Switch button that first explains the switch.
 */
import { aboutDuration, gib, modeWords } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { CatalogModel, ValidateAnswer } from './source.ts'

export type FitLookup = Map<string, ValidateAnswer | { error: string }>

/** Seconds each past successful load took (failed and rolled-back loads say nothing of the usual time). */
export const successfulLoadsS = (model: Pick<CatalogModel, 'history'>) =>
  model.history.filter((h) => h.outcome === 'ready' || h.outcome === 'ok').map((h) => h.total_s)

/** Median of past successful loads, in seconds; null when there are none. */
export function usualLoadS(model: Pick<CatalogModel, 'history'>): number | null {
  const ok = successfulLoadsS(model)
  if (ok.length === 0) return null
  const sorted = [...ok].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function fitWords(fit: ValidateAnswer | { error: string } | undefined): { state: string; text: string } {
  if (!fit) return { state: 'unknown', text: 'Not checked' }
  if ('error' in fit) return { state: 'unknown', text: `Could not check: ${fit.error}` }
  if (!fit.fit) return { state: 'invalid', text: fit.reasons.join(' ') || 'Cannot run here' }
  if (fit.fit.fits) return { state: 'fits', text: 'Fits' }
  return { state: fit.fit.allowed ? 'tight' : 'no-fit', text: fit.fit.message }
}

export function RecipeList({ models, fits }: { models: CatalogModel[]; fits: FitLookup }) {
  if (models.length === 0) return <p class="muted">No recipes found in the recipe directory.</p>
  return (
    <div class="table-wrap">
      <table class="recipes">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Runs</th>
            <th scope="col">Memory</th>
            <th scope="col">Fits now?</th>
            <th scope="col">Usual load</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <RecipeRow model={m} fit={fits.get(m.key)} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function RecipeRow({ model: m, fit }: { model: CatalogModel; fit: ValidateAnswer | { error: string } | undefined }) {
  if (!m.valid) {
    return (
      <tr data-recipe={m.key} data-valid="false">
        <th scope="row">{m.key}</th>
        <td colspan={5}>
          <span class="badge tone-bad">Invalid recipe</span> {m.reasons.join(' ')}
        </td>
      </tr>
    )
  }
  const verdict = m.loaded ? { state: 'loaded', text: 'Running now' } : fitWords(fit)
  const usual = usualLoadS(m)
  return (
    <tr data-recipe={m.key} data-valid="true" data-fit={verdict.state} data-loaded={String(m.loaded)}>
      <th scope="row">
        {m.name}
        {m.loaded ? <span class="badge tone-good">Loaded</span> : null}
        {m.description ? <span class="muted block">{m.description}</span> : null}
      </th>
      <td data-label="Runs">{m.modes.map(modeWords).join(' or ')}</td>
      <td data-label="Memory">{gib(m.memory_need_bytes)}</td>
      <td data-label="Fits now" data-fit-text="">
        {verdict.text}
      </td>
      <td data-label="Usual load">{usual === null ? 'not loaded here yet' : aboutDuration(usual)}</td>
      <td>
        {m.loaded ? null : (
          <a
            class="button"
            href={`${SWAP_PATHS.page}?recipe=${encodeURIComponent(m.key)}#swap-confirm`}
            hx-get={`${SWAP_PATHS.confirm}?recipe=${encodeURIComponent(m.key)}`}
            hx-target="#swap-confirm"
            hx-swap="innerHTML"
            data-action="switch"
          >
            Switch…
          </a>
        )}
      </td>
    </tr>
  )
}
