/**
 * Downloading a model: a repo box whose suggestions come from the controller (server-rendered
 * <option>s swapped into the <datalist> as the person types), then the question in plain words:
 * where it goes, roughly how big, how much room the Sparks have. Only "Yes" starts anything.
 */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { gib } from '../swap/format.ts'
import { MODELS_PATHS } from './paths.ts'
import type { MenuModel, NodeDisk, Suggestion } from './source.ts'

export function SuggestionOptions({ suggestions }: { suggestions: Suggestion[] }) {
  return (
    <>
      {suggestions.map((s) => (
        <option value={s.repo}>
          {[s.note, s.on_disk ? 'already on disk' : null].filter(Boolean).join(' · ')}
        </option>
      ))}
    </>
  )
}

export function DownloadForm({ suggestions, value }: { suggestions: Suggestion[]; value?: string }) {
  return (
    <form
      class="switch-form download-form"
      method="get"
      action={MODELS_PATHS.page}
      hx-get={MODELS_PATHS.downloadConfirm}
      hx-target="#download-confirm"
      hx-swap="innerHTML"
    >
      <label for="download-repo">Hugging Face model (org/name)</label>
      <input
        id="download-repo"
        name="repo"
        type="text"
        list="model-suggestions"
        autocomplete="off"
        spellcheck={false}
        required
        maxlength={200}
        value={value}
        placeholder="Qwen/Qwen3-4B-Instruct-2507"
        hx-get={MODELS_PATHS.suggest}
        hx-trigger="keyup changed delay:300ms"
        hx-target="#model-suggestions"
        hx-swap="innerHTML"
      />
      <datalist id="model-suggestions">
        <SuggestionOptions suggestions={suggestions} />
      </datalist>
      <button type="submit" class="button" data-action="download">
        Download…
      </button>
    </form>
  )
}

export interface DownloadConfirmData {
  repo: string
  /** The suggestion for exactly this repo, when there is one (its note often says the size). */
  known: Suggestion | null
  /** The menu entry for it, when the controller already knows it. */
  model: MenuModel | null
  disks: NodeDisk[]
}

export function DownloadConfirm({ data }: { data: DownloadConfirmData }) {
  const { repo, known, model, disks } = data
  const nodes = disks.map((d) => d.node)
  const readable = disks.filter((d) => d.available_bytes !== null)
  return (
    <div class="confirm" role="dialog" aria-labelledby="download-confirm-h" data-confirm-download={repo}>
      <h2 id="download-confirm-h">Download {repo} to every Spark?</h2>
      <ul>
        <li>
          Every Spark{nodes.length ? ` (${nodes.join(', ')})` : ''} fetches it from Hugging Face into its own
          model cache, so each one uses the disk space. Large models take a long time; chat keeps working
          meanwhile.
        </li>
        <li data-size="">
          {known?.note ? `Roughly: ${known.note}.` : 'Its size is not known before the download starts.'}
          {readable.length
            ? ` Free space in the model cache now: ${readable.map((d) => `${d.node} ${gib(d.available_bytes)}`).join(', ')}.`
            : ''}
        </li>
        {model?.on_disk ? (
          <li>
            It is already on {model.on_nodes?.join(', ') ?? 'the Sparks'}; downloading again fetches only what
            is missing.
          </li>
        ) : null}
        <li>
          {model?.recipe
            ? `Recipe ${model.recipe} launches it, so it can be switched to once it is downloaded.`
            : 'No recipe launches it yet: once downloaded it is listed as needing a recipe before it can be switched to.'}
        </li>
        <li>Gated models need each Spark's own Hugging Face login; Spark Control never handles the token.</li>
      </ul>
      <div class="confirm-actions">
        <ConfirmForm
          action={MODELS_PATHS.download}
          target="#models-downloads"
          swap="outerHTML"
          fields={{ repo }}
          tone="primary"
          name="confirm-download"
          label="Yes, download it"
        />
        <DismissLink
          href={MODELS_PATHS.page}
          fragment={MODELS_PATHS.downloadConfirm}
          target="#download-confirm"
          label="Not now"
        />
      </div>
    </div>
  )
}
