/**
 * Adding a custom model card: a Hugging Face repo or a folder already on the Sparks, and a name.
 * It is listed as needing a recipe until one launches it. Refusals come back in this same box,
 * with what was typed kept.
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { MODELS_PATHS } from './paths.ts'

export interface AddData {
  notice?: Notice | null
  values?: { repo?: string; local_path?: string; name?: string }
}

export function AddForm({ data }: { data: AddData }) {
  const v = data.values ?? {}
  return (
    <section id="models-add" aria-labelledby="add-h">
      <h2 id="add-h">Add a custom model</h2>
      <p class="help">
        Give either a Hugging Face model or a folder that is already on the Sparks. It is listed as needing a
        recipe until one launches it.
      </p>
      <NoticeBox notice={data.notice} />
      <form
        class="add-form"
        method="post"
        action={MODELS_PATHS.add}
        hx-post={MODELS_PATHS.add}
        hx-target="#models-add"
        hx-swap="outerHTML"
      >
        <CsrfField />
        <label for="add-repo">
          Hugging Face model <span class="muted">(org/name)</span>
        </label>
        <input
          id="add-repo"
          name="repo"
          type="text"
          autocomplete="off"
          spellcheck={false}
          maxlength={200}
          value={v.repo}
        />
        <label for="add-path">
          or a folder on the Sparks <span class="muted">(absolute path)</span>
        </label>
        <input
          id="add-path"
          name="local_path"
          type="text"
          autocomplete="off"
          spellcheck={false}
          maxlength={4096}
          value={v.local_path}
        />
        <label for="add-name">
          Name <span class="muted">(optional)</span>
        </label>
        <input id="add-name" name="name" type="text" autocomplete="off" maxlength={200} value={v.name} />
        <button type="submit" class="button" data-action="add">
          Add the model
        </button>
      </form>
    </section>
  )
}
