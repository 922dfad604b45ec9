/**
 * Planned maintenance: the windows now and to come, a form to open one and a way to end one early.
 * Both are changes to how outages are counted and alerted, so both ask first: the form (a GET, so
 * it works without JavaScript) brings the question, and only its "Yes" posts to the dashboard's
 * action path, where the gateway's same-origin and admin-key rules apply.
 */
import { AskFirstLink } from '../components/ask-first-link.tsx'
import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { ALL_TARGETS, defaultUntil, type MaintenanceFields, REASON_MAX } from './maintenance-input.ts'
import { CONNECTIVITY_PATHS, pageUrl } from './paths.ts'
import type { MaintenanceWindow, NewWindow, TargetView } from './source.ts'
import { exactTime, maintenanceWords, span } from './words.ts'

const namesOf = (ids: readonly string[], titles: Map<string, string>) =>
  ids.includes(ALL_TARGETS) ? 'every target' : ids.map((id) => titles.get(id) ?? id).join(', ')

const titleMap = (targets: TargetView[] | null) => new Map((targets ?? []).map((t) => [t.id, t.title]))

export function WindowList(props: {
  windows: MaintenanceWindow[] | null
  targets: TargetView[] | null
  now: Date
}) {
  const { windows, now } = props
  const titles = titleMap(props.targets)
  if (windows === null) return <p class="muted">The maintenance windows are not available right now.</p>
  if (windows.length === 0)
    return (
      <p class="muted" data-no-windows="">
        No maintenance is planned.
      </p>
    )
  return (
    <ul class="windows">
      {windows.map((w) => {
        const started = Date.parse(w.starts_at) <= now.getTime()
        return (
          <li data-window={w.id} data-window-source={w.source}>
            <strong>{namesOf(w.targets, titles)}</strong>: {maintenanceWords(w.reason)}.{' '}
            {started ? 'Since' : 'From'} <time datetime={w.starts_at}>{exactTime(w.starts_at, now)}</time>{' '}
            {w.ends_at === null ? (
              'until it is over'
            ) : (
              <>
                until <time datetime={w.ends_at}>{exactTime(w.ends_at, now)}</time>
              </>
            )}
            {w.source === 'swap' ? (
              <span class="muted"> (opened by a model switch; it ends with the switch)</span>
            ) : (
              <>
                {' '}
                <AskFirstLink
                  page={CONNECTIVITY_PATHS.page}
                  fragment={CONNECTIVITY_PATHS.removeConfirm}
                  param="id"
                  pageParam="remove"
                  value={w.id}
                  target="conn-confirm"
                  action="remove-window"
                  label="End it now…"
                />
              </>
            )}
          </li>
        )
      })}
    </ul>
  )
}

export function WindowForm(props: {
  targets: TargetView[] | null
  now: Date
  kept?: Partial<MaintenanceFields>
}) {
  const kept = props.kept ?? {}
  const picked = new Set(kept.targets ?? [])
  return (
    <form
      class="speech-form conn-window-form"
      method="get"
      action={CONNECTIVITY_PATHS.page}
      hx-get={CONNECTIVITY_PATHS.addConfirm}
      hx-target="#conn-confirm"
      hx-swap="innerHTML show:#conn-confirm:top"
    >
      <fieldset class="search-modes">
        <legend>Targets</legend>
        <label>
          <input type="checkbox" name="targets" value={ALL_TARGETS} checked={picked.has(ALL_TARGETS)} /> Every
          target
        </label>
        {(props.targets ?? []).map((t) => (
          <label>
            <input type="checkbox" name="targets" value={t.id} checked={picked.has(t.id)} /> {t.title}
          </label>
        ))}
      </fieldset>
      <label for="conn-until">Until (UTC)</label>
      <input
        id="conn-until"
        name="until"
        type="datetime-local"
        required
        value={kept.until || defaultUntil(props.now)}
      />
      <label for="conn-reason">Why (shown in the outage log and the alerts)</label>
      <input id="conn-reason" name="reason" required maxlength={REASON_MAX} value={kept.reason ?? ''} />
      <button type="submit" class="button" data-action="add-window">
        Plan maintenance…
      </button>
    </form>
  )
}

export function AddConfirm(props: { window: NewWindow; targets: TargetView[] | null; now: Date }) {
  const { window: w, now } = props
  const names = namesOf(w.targets, titleMap(props.targets))
  const lasts = span(Date.parse(w.ends_at) - now.getTime())
  return (
    <div class="confirm" role="dialog" aria-labelledby="conn-add-h" data-confirm-window="">
      <h2 id="conn-add-h">Plan maintenance for {names}?</h2>
      <ul>
        <li>
          From now until {exactTime(w.ends_at, now)} (about {lasts}), {names}{' '}
          {w.targets.length > 1 ? 'are' : 'is'} shown as under maintenance instead of down.
        </li>
        <li>Downtime then is not an outage, does not lower the uptime figures, and sends no alert.</li>
        <li>Reason: {w.reason}</li>
      </ul>
      <div class="confirm-actions">
        <ConfirmForm
          action={CONNECTIVITY_PATHS.add}
          fields={{ targets: w.targets, until: w.ends_at, reason: w.reason }}
          tone="primary"
          name="confirm-window"
          label="Yes, plan it"
        />
        <Dismiss />
      </div>
    </div>
  )
}

export function RemoveConfirm(props: { window: MaintenanceWindow; targets: TargetView[] | null; now: Date }) {
  const { window: w, now } = props
  const names = namesOf(w.targets, titleMap(props.targets))
  return (
    <div class="confirm" role="dialog" aria-labelledby="conn-remove-h" data-confirm-remove={w.id}>
      <h2 id="conn-remove-h">End the maintenance of {names} now?</h2>
      <p>
        It was planned {w.ends_at ? `until ${exactTime(w.ends_at, now)}` : 'with no end'} ({w.reason}). From
        now on, downtime of {names} counts as an outage again and sends alerts.
      </p>
      <div class="confirm-actions">
        <ConfirmForm
          action={CONNECTIVITY_PATHS.remove}
          fields={{ id: String(w.id) }}
          tone="danger"
          name="confirm-remove"
          label="Yes, end it now"
        />
        <Dismiss />
      </div>
    </div>
  )
}

const Dismiss = () => (
  <DismissLink
    href={pageUrl()}
    fragment={CONNECTIVITY_PATHS.removeConfirm}
    target="#conn-confirm"
    label="Not now"
  />
)
