/**
 * Every change made through Spark Control, newest first: the audit logs of every service merged by
 * the gateway (swaps, locks, models, settings, keys, logins, collections, redaction maps,
 * maintenance windows), with filters in a plain GET form — it works without JavaScript. The
 * swap-controller-only table (`HistoryPage`) stays for a dashboard built without the merged view.
 */
import type { MergedAudit } from '../../shared/contracts/audit.ts'
import { SERVICE_NAMES } from '../../shared/topology.ts'
import { AuditTable } from '../components/audit-table.tsx'
import { type HistoryFilters, OUTCOME_CHOICES } from '../history/filters.ts'
import { type Chrome, Layout } from '../layout/layout.tsx'
import { HistoryTable } from '../swap/history-table.tsx'
import type { AuditEntry } from '../swap/source.ts'

const INTRO =
  'Every change made through Spark Control, newest first: model switches, stops and reservations, model ' +
  'downloads and deletes, settings, API keys and logins, search collections, redaction maps, maintenance ' +
  'windows — who asked, when, and how it went. Dry runs (checks that changed nothing) are marked. ' +
  'Values are never shown: a settings change names its keys, a redaction map a short fingerprint.'

export function HistoryPage({ chrome, entries }: { chrome: Chrome; entries: AuditEntry[] | null }) {
  return (
    <Layout title="History" current="history" chrome={chrome}>
      <h1>History</h1>
      <p class="help">{INTRO}</p>
      <HistoryTable entries={entries} />
    </Layout>
  )
}

export function MergedHistoryPage({
  chrome,
  filters,
  audit,
}: {
  chrome: Chrome
  filters: HistoryFilters
  audit: MergedAudit | null
}) {
  const f = filters.form
  return (
    <Layout title="History" current="history" chrome={chrome}>
      <h1>History</h1>
      <p class="help">{INTRO}</p>
      <form method="get" action="/ui/history" class="filters audit-filters" aria-label="Filter the history">
        <label>
          Service{' '}
          <select name="service">
            <option value="">all</option>
            {SERVICE_NAMES.map((s) => (
              <option value={s} selected={f.service === s}>
                {s}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Who <input name="actor" value={f.actor} size={12} placeholder="key name, owner, api" />
        </label>{' '}
        <label>
          What <input name="action" value={f.action} size={14} placeholder="swap, settings.update" />
        </label>{' '}
        <label>
          Result{' '}
          <select name="outcome">
            <option value="">any</option>
            {OUTCOME_CHOICES.map((o) => (
              <option value={o} selected={f.outcome === o}>
                {o}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          From (UTC) <input type="datetime-local" name="since" value={f.since} />
        </label>{' '}
        <label>
          To (UTC) <input type="datetime-local" name="until" value={f.until} />
        </label>{' '}
        <button type="submit">Filter</button> <a href="/ui/history">Clear</a>
      </form>
      {filters.ignored.length ? (
        <p class="notice" data-ignored-filters>
          Not understood, so left out: {filters.ignored.join(', ')}.
        </p>
      ) : null}
      {audit === null ? (
        <p class="muted">The history is not available right now; reload to retry.</p>
      ) : (
        <>
          {audit.unavailable.length ? (
            <p class="notice" data-unavailable>
              Missing from this view (their log could not be read):{' '}
              {audit.unavailable.map((u) => `${u.service} (${u.reason})`).join(', ')}.
            </p>
          ) : null}
          {audit.entries.length === 0 ? (
            <p class="muted">No change matches these filters.</p>
          ) : (
            <AuditTable entries={audit.entries} withService />
          )}
        </>
      )}
    </Layout>
  )
}
