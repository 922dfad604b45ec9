/**
 * Every recipe with what a person needs to choose: where it runs, how much memory it needs, whether
 * it fits right now (the controller's own pre-flight check, read-only), how long it usually takes
 * to load, and a Switch button that first explains the switch.
 */

import { AskFirstLink } from '../components/ask-first-link.tsx'
import type { SwitchBlock } from './blocked.ts'
import { aboutDuration, gib, modeWords } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { CatalogList, CatalogModel, JobView, ValidateAnswer } from './source.ts'

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

export function fitWords(fit: ValidateAnswer | { error: string } | undefined): {
  state: string
  text: string
} {
  if (!fit) return { state: 'unknown', text: 'Not checked' }
  if ('error' in fit) return { state: 'unknown', text: `Could not check: ${fit.error}` }
  if (!fit.fit) return { state: 'invalid', text: fit.reasons.join(' ') || 'Cannot run here' }
  if (fit.fit.fits) return { state: 'fits', text: 'Fits' }
  return { state: fit.fit.allowed ? 'tight' : 'no-fit', text: fit.fit.message }
}

/** The controller's notes, for people: what a note means for this list, not how the API falls back. */
export function noteWords(note: string): string {
  if (/^vLLM did not say what it serves/.test(note)) {
    return 'The chat model server is not answering, so this list cannot show which model is loaded right now.'
  }
  return note
}

export interface RecipeSectionData {
  catalog: CatalogList | null
  fits: FitLookup
  block: SwitchBlock | null
  /** The switch under way, if any: its target and the model it stopped are marked from it. */
  job?: JobView | null
}

/**
 * The list re-reads itself when the progress panel says a switch started or ended (`swap-changed`,
 * sent by the progress fragment), and every 30 s for changes made elsewhere (an idle refresh
 * re-checks every fit over SSH, hence not more often; every 3 s while a switch runs, when fits are
 * not checked). Without JavaScript a reload does the same.
 */
export function RecipeSection({ data }: { data: RecipeSectionData }) {
  return (
    <div
      id="swap-recipes"
      hx-get={SWAP_PATHS.recipes}
      hx-trigger={data.job ? 'swap-changed from:body, every 3s' : 'swap-changed from:body, every 30s'}
      hx-swap="outerHTML"
      data-blocked={data.block?.kind ?? ''}
    >
      {data.catalog === null ? (
        <p class="muted">The model list is not available right now; retrying.</p>
      ) : (
        <>
          {data.catalog.notes.map((n) => (
            <p class="notice">{noteWords(n)}</p>
          ))}
          {data.block ? (
            <p class="notice notice-warn" data-switch-blocked={data.block.kind}>
              {data.block.text}
            </p>
          ) : null}
          <RecipeList
            models={data.catalog.models}
            fits={data.fits}
            block={data.block}
            job={data.job ?? null}
          />
        </>
      )}
    </div>
  )
}

export function RecipeList(props: {
  models: CatalogModel[]
  fits: FitLookup
  block?: SwitchBlock | null
  job?: JobView | null
}) {
  const { models, fits, block = null, job = null } = props
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
            <RecipeRow model={m} fit={fits.get(m.key)} block={block} job={job} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

const BLOCKED_WORDS: Record<SwitchBlock['kind'], string> = {
  running: 'After the running switch',
  lock: 'Swaps are reserved',
}

/**
 * During a switch the catalog's "loaded" is vLLM's last word, which lags: past the draining step
 * the old model is gone. The running job says what is true now.
 */
function loadedNow(
  m: CatalogModel,
  job: JobView | null,
): { loaded: boolean; verdict: { state: string; text: string } | null } {
  if (!job) return { loaded: m.loaded, verdict: m.loaded ? { state: 'loaded', text: 'Running now' } : null }
  if (m.key === job.recipe)
    return { loaded: false, verdict: { state: 'switching', text: 'Switching to it now' } }
  if (m.loaded && job.status === 'draining')
    return { loaded: true, verdict: { state: 'loaded', text: 'Running now, stops next' } }
  if (m.loaded) return { loaded: false, verdict: { state: 'stopped', text: 'Stopped for the switch' } }
  return { loaded: false, verdict: null }
}

function RecipeRow(props: {
  model: CatalogModel
  fit: ValidateAnswer | { error: string } | undefined
  block: SwitchBlock | null
  job: JobView | null
}) {
  const { model: m, fit, block, job } = props
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
  const now = loadedNow(m, job)
  const verdict = now.verdict
    ? now.verdict
    : block?.kind === 'running' && !fit
      ? { state: 'unknown', text: 'Checked again once the switch ends' }
      : fitWords(fit)
  const usual = usualLoadS(m)
  return (
    <tr data-recipe={m.key} data-valid="true" data-fit={verdict.state} data-loaded={String(now.loaded)}>
      <th scope="row">
        {m.name}
        {now.loaded ? <span class="badge tone-good">Loaded</span> : null}
        {m.description ? <span class="muted block">{m.description}</span> : null}
      </th>
      <td data-label="Runs">{m.modes.map(modeWords).join(' or ')}</td>
      <td data-label="Memory">{gib(m.memory_need_bytes)}</td>
      <td data-label="Fits now" data-fit-text="">
        {verdict.text}
      </td>
      <td data-label="Usual load">
        {usual !== null ? aboutDuration(usual) : m.loaded ? 'no timed load yet' : 'not loaded here yet'}
      </td>
      <td>
        {now.loaded || m.key === job?.recipe ? null : block ? (
          <span class="switch-blocked muted" data-blocked={block.kind}>
            {BLOCKED_WORDS[block.kind]}
          </span>
        ) : (
          <AskFirstLink
            page={SWAP_PATHS.page}
            fragment={SWAP_PATHS.confirm}
            param="recipe"
            value={m.key}
            target="swap-confirm"
            action="switch"
            label="Switch…"
            primary
          />
        )}
      </td>
    </tr>
  )
}
