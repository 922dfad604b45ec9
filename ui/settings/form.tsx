/**
 * The Settings form: one group per service, each setting with its help, where its value comes
 * from, and whether a change applies at once or after a restart. A plain form (it works without
 * JavaScript); with htmx the answer replaces the panel in place. Secrets are write-only: the page
 * never holds their values, only whether one is set.
 */
import type { ServiceName } from '../../shared/topology.ts'
import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { CLEAR_PREFIX, SETTINGS_PATHS } from './paths.ts'
import type { SettingsBody, SettingView } from './source.ts'
import { whenItApplies } from './words.ts'

export const PANEL_ID = 'settings-panel'

const SERVICE_TITLES: Record<ServiceName, string> = {
  gateway: 'Whole installation',
  'swap-controller': 'Models and switching',
  'speech-proxy': 'Speech',
  'vector-search': 'Search and embeddings',
  'redaction-gateway': 'Redaction',
  'connectivity-monitor': 'Alerts',
}

const SOURCE_WORDS = { env: 'Set in the environment', file: 'Saved here', default: 'Default' } as const

function groups(settings: readonly SettingView[]): Array<[ServiceName, SettingView[]]> {
  const by = new Map<ServiceName, SettingView[]>()
  for (const s of settings) by.set(s.service, [...(by.get(s.service) ?? []), s])
  return [...by]
}

function placeholderOf(s: SettingView): string {
  if (s.secret) return s.value === 'set' ? 'set — leave empty to keep it' : 'not set'
  return s.default === null || s.default === '' ? 'not set' : `default: ${s.default}`
}

function SettingField({ s }: { s: SettingView }) {
  const id = `setting-${s.name}`
  const shown = s.secret ? '' : s.source === 'default' ? '' : (s.value ?? '')
  return (
    <div class="setting" data-setting={s.name} data-source={s.source} data-applies={s.applies}>
      <label for={id}>
        {s.label} <code>{s.name}</code>
      </label>
      <span class="badge" data-badge="source">
        {SOURCE_WORDS[s.source]}
      </span>{' '}
      <span class="badge" data-badge="applies">
        {s.applies === 'live' ? 'live' : 'after restart'}
      </span>
      <input
        id={id}
        name={s.editable ? s.name : undefined}
        type={s.secret ? 'password' : 'text'}
        value={shown}
        placeholder={placeholderOf(s)}
        disabled={!s.editable}
        autocomplete="off"
        aria-describedby={`${id}-help`}
      />
      {s.secret && s.editable && s.source === 'file' ? (
        <label class="setting-clear">
          <input type="checkbox" name={`${CLEAR_PREFIX}${s.name}`} /> Remove it
        </label>
      ) : null}
      <p class="muted" id={`${id}-help`}>
        {s.help}{' '}
        {s.editable
          ? `Applies: ${whenItApplies(s)}.`
          : 'Set in the environment, which wins: change it there.'}
      </p>
    </div>
  )
}

export function SettingsPanel({ body, notice }: { body: SettingsBody | null; notice?: Notice | null }) {
  return (
    <div id={PANEL_ID}>
      <NoticeBox notice={notice} />
      {body === null ? (
        <p>The settings cannot be read right now; try again in a moment.</p>
      ) : (
        <>
          {body.problem ? (
            <NoticeBox
              notice={{ tone: 'warn', text: `Part of the settings file is not used: ${body.problem}.` }}
            />
          ) : null}
          <form
            class="settings-form"
            method="post"
            action={SETTINGS_PATHS.save}
            hx-post={SETTINGS_PATHS.save}
            hx-target={`#${PANEL_ID}`}
            hx-swap="outerHTML"
            hx-disabled-elt="find button"
          >
            <CsrfField />
            {groups(body.settings).map(([service, list]) => (
              <fieldset class="settings-group" data-service={service}>
                <legend>{SERVICE_TITLES[service]}</legend>
                {list.map((s) => (
                  <SettingField s={s} />
                ))}
              </fieldset>
            ))}
            <button type="submit" class="button button-primary" data-action="save-settings">
              Save settings
            </button>
          </form>
          <p class="muted">Saved in {body.file}. Empty a field to go back to its default.</p>
        </>
      )}
    </div>
  )
}
