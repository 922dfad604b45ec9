/**
 * The chat model card: what is loaded, how busy it is (tokens/s, KV cache, queue), and whether a
 * switch is under way. It re-fetches itself every few seconds; the switch form sits outside it so
 * a refresh never resets a choice being made.
 */
import type { SwitchBlock } from './blocked.ts'
import { pct, rate, STATE_LABEL } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { CatalogModel, SwapStateView, TelemetryView } from './source.ts'
import { Sparkline } from './sparkline.tsx'

export interface ModelCardData {
  state: SwapStateView | null
  telemetry: TelemetryView | null
}

/**
 * The card and the progress panel read the same swap state (the progress fragment sends the card
 * along, out of band, while a switch runs), so they never name different steps. Past the draining
 * step the old model is gone, whatever vLLM's last reading (taken up to a poll ago) still says.
 */
/**
 * What the card showed as served, carried in its refresh URL: when the next read differs (a stop
 * or a switch made through the API, not this page), the server says `swap-changed` and the recipe
 * list and the lock notice re-read at once instead of at their next tick.
 */
export const servedKey = (data: ModelCardData) =>
  data.telemetry === null ? 'unknown' : (data.telemetry.vllm?.models[0]?.model_name ?? '')

/**
 * `live={false}`: the card does not re-fetch itself; the overview's one feed sends it along with
 * everything else that describes a switch, from the same read.
 */
export function ModelCard({
  data,
  oob = false,
  live = true,
}: {
  data: ModelCardData
  oob?: boolean
  live?: boolean
}) {
  const vllm = data.telemetry?.vllm
  const job = data.state?.job
  const swapping = job && job.outcome === 'running' ? job : null
  const oldGone = swapping !== null && swapping.status !== 'draining'
  const served = oldGone ? null : (vllm?.models[0] ?? null)
  const state = swapping ? 'swapping' : served ? 'serving' : data.telemetry ? 'none' : 'unknown'
  const name = served
    ? served.model_name
    : swapping && oldGone
      ? 'No model is answering during the switch'
      : state === 'unknown'
        ? 'Not known right now'
        : 'No model is answering'
  return (
    <section
      hx-swap-oob={oob ? 'true' : undefined}
      id="model-card"
      class={`model-card tone-${state === 'serving' ? 'good' : state === 'swapping' ? 'busy' : 'off'}`}
      data-card="model"
      data-state={state}
      aria-labelledby="model-card-h"
      hx-get={live ? `${SWAP_PATHS.modelCard}?seen=${encodeURIComponent(servedKey(data))}` : undefined}
      hx-trigger={live ? 'every 3s, swap-changed from:body' : undefined}
      hx-swap={live ? 'outerHTML' : undefined}
    >
      <h2 id="model-card-h">Chat model</h2>
      <p class="model-name" data-loaded-model={served?.model_name ?? ''}>
        {name}
      </p>
      {swapping ? (
        <p class="model-switching" data-step={swapping.status}>
          Switching to <strong>{swapping.recipe}</strong>: {STATE_LABEL[swapping.status] ?? swapping.status}
          {swapping.progress ? `, ${Math.round(swapping.progress.percent)} % done` : ''}.{' '}
          <a href={SWAP_PATHS.page}>Follow it</a>
        </p>
      ) : null}
      {served ? (
        <dl class="stats">
          <div data-stat="generation">
            <dt>Writing</dt>
            <dd>{rate(served.generation_tokens_per_s)}</dd>
          </div>
          <div data-stat="prompt">
            <dt>Reading</dt>
            <dd>{rate(served.prompt_tokens_per_s)}</dd>
          </div>
          <div data-stat="kv">
            <dt>Conversation memory (KV cache)</dt>
            <dd>{pct(served.kv_cache_pct, 1)}</dd>
          </div>
          <div data-stat="queue">
            <dt>Requests</dt>
            <dd>
              {served.running ?? 0} running, {served.waiting ?? 0} waiting
            </dd>
          </div>
        </dl>
      ) : null}
      {vllm && vllm.history.generation_tokens_per_s.length > 1 ? (
        <Sparkline
          values={vllm.history.generation_tokens_per_s}
          label="Tokens written per second, recent minutes"
          format={rate}
        />
      ) : null}
    </section>
  )
}

/**
 * Pick a recipe, then read what the switch will do before anything happens. While a switch runs or
 * swaps are reserved, the form says why it cannot be used instead. It re-reads itself when a switch
 * starts or ends (`swap-changed`) and every 15 s, so the choices match what is loaded; the choice
 * being made is sent along (`hx-include`) and comes back selected, so a refresh never resets it.
 */
export function SwitchForm(props: {
  models: CatalogModel[] | null
  block?: SwitchBlock | null
  selected?: string | null
  /** As for the card: `false` when the overview's feed refreshes it. */
  live?: boolean
  oob?: boolean
}) {
  const live = props.live ?? true
  // Only while the choice is on the page: htmx reports an include that matches nothing as an error.
  const choosing = live && !props.block && (props.models ?? []).some((m) => m.valid && !m.loaded)
  return (
    <div
      id="switch-form"
      hx-swap-oob={props.oob ? 'true' : undefined}
      hx-get={live ? SWAP_PATHS.switchForm : undefined}
      hx-trigger={live ? 'swap-changed from:body, every 15s' : undefined}
      hx-include={choosing ? '#switch-recipe' : undefined}
      hx-swap={live ? 'outerHTML' : undefined}
    >
      <SwitchChoices models={props.models} block={props.block ?? null} selected={props.selected ?? null} />
    </div>
  )
}

function SwitchChoices({
  models,
  block,
  selected,
}: {
  models: CatalogModel[] | null
  block: SwitchBlock | null
  selected: string | null
}) {
  if (models === null) return <p class="muted">The model list is not available right now; retrying.</p>
  const choices = models.filter((m) => m.valid && !m.loaded)
  if (choices.length === 0) return <p class="muted">No other model is ready to switch to.</p>
  if (block) {
    return (
      <p class="notice notice-warn" data-switch-blocked={block.kind}>
        {block.text}
      </p>
    )
  }
  return (
    <form
      class="switch-form"
      method="get"
      action={SWAP_PATHS.page}
      hx-get={SWAP_PATHS.confirm}
      hx-target="#swap-confirm"
      hx-swap="innerHTML"
    >
      <label for="switch-recipe">Switch the chat model to</label>
      <select id="switch-recipe" name="recipe">
        {choices.map((m) => (
          <option value={m.key} selected={m.key === selected}>
            {m.name}
          </option>
        ))}
      </select>
      <button type="submit" class="button" data-action="switch">
        Switch…
      </button>
    </form>
  )
}
