/**
 * The API keys panel: the list (name, scopes, created, last used, requests), a create form with
 * the scopes as checkboxes, and a revoke form per key that needs its confirmation box ticked. A
 * new key is shown in the answer to its creation, once, with a copy button (dashboard.js); it is
 * never stored where a later page could show it. Plain forms: they work without JavaScript; with
 * htmx the answer replaces the panel in place.
 */
import { SCOPES } from '../../shared/auth/keys.ts'
import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { KEYS_PATHS } from './paths.ts'
import type { KeyCreated, KeyView } from './source.ts'

export const KEYS_PANEL_ID = 'keys-panel'

const SCOPE_WORDS: Record<(typeof SCOPES)[number], string> = {
  chat: 'chat — /v1/chat/completions, /v1/completions',
  audio: 'audio — transcription and speech',
  search: 'search — embeddings, rerank, search',
  redaction: 'redaction — /scrub, /rehydrate',
  admin: 'admin — swaps, models, settings, keys',
}

const htmxForm = (action: string) => ({
  method: 'post' as const,
  action,
  'hx-post': action,
  'hx-target': `#${KEYS_PANEL_ID}`,
  'hx-swap': 'outerHTML',
  'hx-disabled-elt': 'find button',
})

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : 'never')

function NewKey({ created }: { created: KeyCreated }) {
  return (
    <div class="notice notice-good" role="alert" data-new-key={created.record.name}>
      <p>
        The key <strong>{created.record.name}</strong> was created. Copy it now: it is shown this once and
        cannot be shown again.
      </p>
      <p>
        <input
          id="new-key"
          class="new-key"
          type="text"
          readonly
          value={created.key}
          aria-label="The new key"
        />{' '}
        <span data-copy-wrap hidden>
          <button type="button" class="button" data-copy="new-key">
            Copy
          </button>
        </span>
      </p>
    </div>
  )
}

function KeyRow({ k }: { k: KeyView }) {
  return (
    <tr data-key={k.name}>
      <td>
        <strong>{k.name}</strong>
      </td>
      <td>{k.scopes.join(', ')}</td>
      <td>{when(k.created_at)}</td>
      <td data-last-used>{when(k.last_used_at)}</td>
      <td data-requests>{k.request_count}</td>
      <td>
        <form class="key-revoke" {...htmxForm(KEYS_PATHS.revoke)}>
          <CsrfField />
          <input type="hidden" name="name" value={k.name} />
          <label>
            <input type="checkbox" name="confirm" value="yes" required /> Apps using it stop working
          </label>{' '}
          <button type="submit" class="button" data-action="revoke-key">
            Revoke
          </button>
        </form>
      </td>
    </tr>
  )
}

function CreateForm() {
  return (
    <form class="key-create" {...htmxForm(KEYS_PATHS.create)}>
      <CsrfField />
      <fieldset class="settings-group">
        <legend>Create a key</legend>
        <label for="key-name">Name (who it is for: letters, digits, dot, dash, underscore)</label>
        <input id="key-name" name="name" type="text" required maxlength={64} autocomplete="off" />
        <p>Scopes:</p>
        {SCOPES.map((s) => (
          <label class="key-scope">
            <input type="checkbox" name="scopes" value={s} /> {SCOPE_WORDS[s]}
            <br />
          </label>
        ))}
        <button type="submit" class="button button-primary" data-action="create-key">
          Create key
        </button>
      </fieldset>
    </form>
  )
}

export interface KeysPanelProps {
  /** Null: the list cannot be read right now. */
  keys: KeyView[] | null
  /** Hidden while the viewer may not manage keys (admin needs a key and none was shown). */
  allowed: boolean
  created?: KeyCreated | null
  notice?: Notice | null
}

export function KeysPanel({ keys, allowed, created, notice }: KeysPanelProps) {
  if (!allowed) {
    return (
      <div id={KEYS_PANEL_ID}>
        <p>
          API keys are managed with the admin scope: unlock the controls with an admin key (or log in) first.
        </p>
      </div>
    )
  }
  return (
    <div id={KEYS_PANEL_ID}>
      <NoticeBox notice={notice} />
      {created ? <NewKey created={created} /> : null}
      {keys === null ? (
        <p>The key file cannot be read right now; try again in a moment.</p>
      ) : keys.length === 0 ? (
        <p data-keys="none">No API keys yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="history" data-keys={keys.length}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Requests</th>
                <th>Revoke</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <KeyRow k={k} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateForm />
    </div>
  )
}
