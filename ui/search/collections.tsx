/**
 * The collections: each with its point count, a link that picks it for the forms below, and a
 * delete that asks first (it removes every document in it, for every tenant). A form makes a new
 * one. Making and deleting are plain form posts answered with the page (every form on it names the
 * collections, so all of it changes); htmx only fetches the question in place.
 */
import { AskFirstLink } from '../components/ask-first-link.tsx'
import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { CsrfField } from '../components/csrf.tsx'
import { pageUrl, SEARCH_PATHS } from './paths.ts'
import type { SearchCollection } from './source.ts'

const count = (n: number | null) => (n === null ? 'per tenant' : n.toLocaleString('en-US'))

export function CollectionList(props: {
  collections: SearchCollection[] | null
  current: string | null
  oob?: boolean
}) {
  const { collections, current } = props
  return (
    <div id="search-collections" hx-swap-oob={props.oob ? 'true' : undefined}>
      {collections === null ? (
        <p class="muted">The collections are not available right now.</p>
      ) : collections.length === 0 ? (
        <p class="muted">There is no collection yet: make one below.</p>
      ) : (
        <div class="table-wrap">
          <table class="speech-lanes search-collections">
            <thead>
              <tr>
                <th scope="col">Collection</th>
                <th scope="col">Chunks</th>
                <th scope="col">Tenants</th>
                <th scope="col">Dense vectors</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {collections.map((c) => (
                <tr data-collection={c.name} aria-current={c.name === current ? 'true' : undefined}>
                  <td>
                    <a href={pageUrl({ collection: c.name })}>{c.name}</a>
                  </td>
                  <td data-points={c.points ?? ''}>{count(c.points)}</td>
                  <td>{c.tenantField ? `by ${c.tenantField}` : 'one'}</td>
                  <td>{c.denseSize ? `${c.denseSize}-d ${c.distance ?? ''}`.trim() : '—'}</td>
                  <td>
                    <AskFirstLink
                      page={SEARCH_PATHS.page}
                      fragment={SEARCH_PATHS.deleteConfirm}
                      param="name"
                      pageParam="delete"
                      value={c.name}
                      target="search-confirm"
                      action="delete-collection"
                      label="Delete…"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

export function CreateForm() {
  return (
    <form class="speech-form search-create" method="post" action={SEARCH_PATHS.create}>
      <CsrfField />
      <label for="search-new-name">Name (letters, digits, _ and -, up to 64)</label>
      <input id="search-new-name" name="name" pattern="[A-Za-z0-9_\-]{1,64}" maxlength={64} required />
      <label for="search-new-tenant">Tenant field (optional: every call then names a tenant)</label>
      <input id="search-new-tenant" name="tenant_field" pattern="[A-Za-z0-9_\-]{1,64}" maxlength={64} />
      <button type="submit" class="button" data-action="create-collection">
        Make the collection
      </button>
    </form>
  )
}

/** The question before a delete: what goes, and that it cannot be undone. */
export function DeleteConfirm({ collection: c }: { collection: SearchCollection }) {
  const what = c.points === null ? 'every document of every tenant in it' : `its ${count(c.points)} chunks`
  return (
    <div
      class="confirm confirm-danger"
      role="dialog"
      aria-labelledby="search-delete-h"
      data-confirm-delete={c.name}
    >
      <h2 id="search-delete-h">Delete the collection {c.name}?</h2>
      <p>This removes {what}. It cannot be undone: the documents would have to be ingested again.</p>
      <div class="confirm-actions">
        <ConfirmForm
          action={SEARCH_PATHS.remove}
          fields={{ name: c.name }}
          tone="danger"
          name="confirm-delete"
          label={`Yes, delete ${c.name}`}
        />
        <DismissLink
          href={SEARCH_PATHS.page}
          fragment={SEARCH_PATHS.deleteConfirm}
          target="#search-confirm"
          label="Keep it"
        />
      </div>
    </div>
  )
}
