/** The question before a delete: what goes, from where, and that it cannot be undone. */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { gib } from '../swap/format.ts'
import { MODELS_PATHS } from './paths.ts'
import type { DeleteAnswer, MenuModel } from './source.ts'

export function DeleteConfirm({ model: m }: { model: MenuModel }) {
  const where = m.on_nodes?.length ? m.on_nodes.join(', ') : 'every Spark'
  return (
    <div
      class="confirm confirm-danger"
      role="dialog"
      aria-labelledby="delete-confirm-h"
      data-confirm-delete={m.key}
    >
      <h2 id="delete-confirm-h">Delete {m.name}?</h2>
      <ul>
        {m.repo && m.on_disk !== false ? (
          <li>
            This removes its weights{m.size_bytes === null ? '' : ` (${gib(m.size_bytes)})`} from every Spark
            ({where}). It cannot be undone: to use it again it has to be downloaded again.
          </li>
        ) : null}
        {m.recipe ? (
          <li>
            The recipe {m.recipe} is kept; switching to it fails until the weights are downloaded again.
          </li>
        ) : null}
        {m.card_file ? (
          <li>Its card stays listed: it is defined in {m.card_file}; remove it from that file.</li>
        ) : m.custom ? (
          <li>Its custom card is removed too.</li>
        ) : null}
        {m.local_path ? <li>Files in the local folder {m.local_path} are not removed.</li> : null}
      </ul>
      <div class="confirm-actions">
        <ConfirmForm
          action={MODELS_PATHS.remove}
          target="#models-confirm"
          fields={{ key: m.key }}
          tone="danger"
          name="confirm-delete"
          label="Yes, delete it from every Spark"
        />
        <DismissLink
          href={MODELS_PATHS.page}
          fragment={MODELS_PATHS.deleteConfirm}
          target="#models-confirm"
          label="Keep it"
        />
      </div>
    </div>
  )
}

/** Per-node results of a delete (the 200 answer, or a 502's `nodes`). */
export const nodeResults = (nodes: DeleteAnswer['nodes']) =>
  nodes.map((n) =>
    !n.ok
      ? `${n.node}: not removed — ${n.error ?? 'no reason given'}`
      : n.on_disk === false
        ? `${n.node}: was not on its disk`
        : `${n.node}: removed`,
  )
