/**
 * Every model the controller knows: recipes and what is on the Sparks' disks, where, how big,
 * whether a recipe launches it, and for those without one the settings read from their config.json
 * (what a recipe for them needs). Refreshes itself, so a finished download or a delete elsewhere shows.
 */

import { AskFirstLink } from '../components/ask-first-link.tsx'
import { gib } from '../swap/format.ts'
import { MODELS_PATHS } from './paths.ts'
import type { MenuModel, ModelMenu } from './source.ts'
import { isModelKey } from './validate.ts'

/**
 * Only what has something to remove: weights on a disk, or a card made here (a card from MODELS_YAML
 * is edited in that file); never the loaded model.
 */
export const deletable = (m: MenuModel) =>
  !m.loaded && (m.on_disk === true || (m.custom && !m.card_file)) && isModelKey(m.key)

/** `oob`: sent along with a form's answer, to replace the list where it is. */
export function ModelList({ menu, oob = false }: { menu: ModelMenu | null; oob?: boolean }) {
  return (
    <section
      id="models-list"
      aria-labelledby="models-h"
      hx-get={MODELS_PATHS.list}
      hx-trigger="every 10s"
      hx-swap="outerHTML"
      hx-swap-oob={oob ? 'true' : undefined}
    >
      <h2 id="models-h">Every model, on disk or in a recipe</h2>
      {menu === null ? (
        <p class="muted">The model list is not available right now; retrying.</p>
      ) : (
        <>
          {menu.notes.map((n) => (
            <p class="notice">{n}</p>
          ))}
          {menu.models.length === 0 ? (
            <p class="muted">No recipes and no models on the Sparks' disks yet; download one below.</p>
          ) : (
            <div class="table-wrap">
              <table class="recipes models">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">On disk</th>
                    <th scope="col">Launched by</th>
                    <th scope="col">
                      <span class="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {menu.models.map((m) => (
                    <ModelRow model={m} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}

/**
 * "105 GiB on each Spark (spark-1, spark-2)": the size is per copy (the controller reports the
 * largest copy), so it is said as such rather than beside a list of nodes, where it read as a total.
 */
export function diskWords(m: Pick<MenuModel, 'on_disk' | 'local_path' | 'on_nodes' | 'size_bytes'>): string {
  if (m.on_disk === null) return m.local_path ? 'A local folder on the Sparks (not checked)' : 'Not checked'
  if (!m.on_disk) return 'Not downloaded'
  const nodes = m.on_nodes ?? []
  const size = m.size_bytes === null ? null : gib(m.size_bytes)
  if (nodes.length > 1)
    return size ? `${size} on each Spark (${nodes.join(', ')})` : `On each Spark (${nodes.join(', ')})`
  if (nodes.length === 1) return size ? `${size} on ${nodes[0]}` : `On ${nodes[0]}`
  return size ? `${size} on disk` : 'On disk'
}

function ModelRow({ model: m }: { model: MenuModel }) {
  return (
    <tr
      data-model={m.key}
      data-needs-setup={String(m.needs_setup)}
      data-loaded={String(m.loaded)}
      data-on-disk={String(m.on_disk)}
    >
      <th scope="row">
        {m.name}
        {m.loaded ? <span class="badge tone-good">Loaded</span> : null}
        {m.needs_setup ? <span class="badge tone-warn">Needs a recipe</span> : null}
        {m.custom ? <span class="badge tone-off">Custom</span> : null}
        <span class="muted block">{m.repo ?? m.local_path}</span>
        {m.needs_setup ? <Setup model={m} /> : null}
      </th>
      <td data-label="On disk" data-disk-text="">
        {diskWords(m)}
      </td>
      <td data-label="Launched by">{m.recipe ? `Recipe ${m.recipe}` : 'No recipe yet'}</td>
      <td>
        {deletable(m) ? (
          <AskFirstLink
            page={MODELS_PATHS.page}
            fragment={MODELS_PATHS.deleteConfirm}
            param="key"
            pageParam="delete"
            value={m.key}
            target="models-confirm"
            action="delete"
            label="Delete…"
          />
        ) : null}
      </td>
    </tr>
  )
}

function Setup({ model: m }: { model: MenuModel }) {
  const s = m.settings
  const size = s?.weights_bytes ?? m.size_bytes
  return (
    <div class="setup" data-setup={m.key}>
      <p class="setup-words">
        No recipe launches this model yet, so it cannot be switched to. A recipe for it is needed first (see
        recipes/README.md); these are the settings it will need.
      </p>
      {s ? (
        <dl class="stats settings">
          <div>
            <dt>Architecture</dt>
            <dd>{s.architecture ?? 'unknown'}</dd>
          </div>
          <div>
            <dt>Max context</dt>
            <dd>
              {s.max_model_len === null ? 'unknown' : `${s.max_model_len.toLocaleString('en-US')} tokens`}
            </dd>
          </div>
          <div>
            <dt>Weights type</dt>
            <dd>{s.dtype ?? 'unknown'}</dd>
          </div>
          <div>
            <dt>Quantization</dt>
            <dd>{s.quantization ?? 'none'}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{gib(size)}</dd>
          </div>
        </dl>
      ) : (
        <p class="muted">Its settings could not be read (no config.json on the Sparks).</p>
      )}
      {s?.notes.map((n) => (
        <p class="muted">{n}</p>
      ))}
    </div>
  )
}
