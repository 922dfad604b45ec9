/**
 * Downloads to the Sparks: each with its overall and per-node progress and Cancel while it runs.
 * The panel re-fetches itself every 2 s while a download runs and every 10 s otherwise, so one
 * started from the API or another tab shows up too.
 */

import { AskFirstLink } from '../components/ask-first-link.tsx'
import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { clockUtc, gib } from '../swap/format.ts'
import { MODELS_PATHS } from './paths.ts'
import type { DownloadView } from './source.ts'
import { isDownloadId, isRepo } from './validate.ts'

/** The newest few; the API keeps more. */
const SHOWN = 6

const STATUS_WORDS: Record<DownloadView['status'], string> = {
  running: 'downloading',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
}
const TONE: Record<DownloadView['status'], string> = {
  running: 'busy',
  done: 'good',
  failed: 'bad',
  cancelled: 'off',
  interrupted: 'warn',
}

const clock = (iso: string | null) => (iso ? clockUtc(iso, true) : '')

export interface DownloadsData {
  downloads: DownloadView[] | null
}

/** Beside the self-refreshing panel (which would wipe it within seconds); actions replace it out of band. */
export function DownloadsNotice({ notice, oob = false }: { notice: Notice | null; oob?: boolean }) {
  return (
    <div id="downloads-notice" hx-swap-oob={oob ? 'true' : undefined}>
      <NoticeBox notice={notice} />
    </div>
  )
}

export function Downloads({ data }: { data: DownloadsData }) {
  const list = data.downloads
  const running = list?.some((d) => d.status === 'running') ?? false
  return (
    <section
      id="models-downloads"
      class="downloads"
      aria-labelledby="downloads-h"
      data-running={String(running)}
      hx-get={MODELS_PATHS.downloads}
      hx-trigger={running ? 'every 2s' : 'every 10s'}
      hx-swap="outerHTML"
    >
      <h3 id="downloads-h">Downloads</h3>
      {list === null ? <p class="muted">Downloads are not available right now; retrying.</p> : null}
      {list?.length === 0 ? <p class="muted">No downloads yet.</p> : null}
      {list?.slice(0, SHOWN).map((d) => (
        <DownloadItem d={d} />
      ))}
    </section>
  )
}

/**
 * Where a finished download's error is said, once. The controller gives it per node and again
 * joined ("spark-1: X; spark-2: X"); one reason shared by every failing node is said once under
 * them, different reasons stay beside their nodes, and the joined copy only adds what they lack.
 */
export function errorPlacement(d: Pick<DownloadView, 'status' | 'error' | 'nodes'>) {
  const nodeErr = (n: DownloadView['nodes'][number]) => n.error ?? n.last_error ?? null
  // A retry the tool recovered from leaves a `last_error` on a node that finished: not what went wrong.
  if (d.status !== 'failed' && d.status !== 'interrupted') return { perNode: true, summary: null }
  const failing = d.nodes.filter((n) => n.status !== 'done' && nodeErr(n) !== null)
  const reasons = new Set(failing.map(nodeErr))
  if (failing.length > 0 && reasons.size === 1) {
    const on = failing.map((n) => n.node).join(' and ')
    return { perNode: false, summary: `What went wrong on ${on}: ${[...reasons][0]}` }
  }
  if (!d.error) return { perNode: true, summary: null }
  let rest = d.error
  for (const n of failing)
    rest = rest
      .split(`${n.node}: ${nodeErr(n)}`)
      .join('')
      .split(nodeErr(n)!)
      .join('')
  const covered = failing.length > 0 && /^[\s;,.]*$/.test(rest)
  return { perNode: true, summary: covered ? null : `What went wrong: ${d.error}` }
}

function DownloadItem({ d }: { d: DownloadView }) {
  const pct = Math.round(d.percent)
  const errors = errorPlacement(d)
  return (
    <article class={`download tone-${TONE[d.status]}`} data-download={d.download_id} data-status={d.status}>
      <p>
        <strong>{d.repo}</strong> — <span class="badge">{STATUS_WORDS[d.status]}</span>{' '}
        <span data-percent={d.percent}>{pct} %</span>
        <span class="muted">
          {' '}
          · started {clock(d.started_at)} by {d.actor}
          {d.finished_at ? `, ended ${clock(d.finished_at)}` : ''}
        </span>
      </p>
      {d.status === 'running' ? (
        <progress max={100} value={d.percent} aria-label={`Download of ${d.repo}`}>
          {pct} %
        </progress>
      ) : null}
      <ul class="download-nodes">
        {d.nodes.map((n) => (
          <li data-node={n.node} data-node-status={n.status}>
            {n.node}: {STATUS_WORDS[n.status]}, {Math.round(n.percent)} %, {gib(n.bytes_downloaded)}
            {n.files_total === null ? '' : ` (${n.files_done} of ${n.files_total} files)`}
            {errors.perNode && (n.error ?? n.last_error) ? (
              <span class="block">{n.error ?? n.last_error}</span>
            ) : null}
          </li>
        ))}
      </ul>
      {errors.summary ? <p data-error="">{errors.summary}</p> : null}
      {d.status === 'running' && isDownloadId(d.download_id) ? (
        <form
          method="post"
          action={MODELS_PATHS.cancelDownload}
          hx-post={MODELS_PATHS.cancelDownload}
          hx-target="#models-downloads"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <input type="hidden" name="id" value={d.download_id} />
          <button type="submit" class="button button-quiet" data-action="cancel-download">
            Cancel this download
          </button>
        </form>
      ) : null}
      {d.status !== 'running' && d.status !== 'done' && isRepo(d.repo) ? (
        <DownloadAgain repo={d.repo} />
      ) : null}
    </article>
  )
}

/** Asks first, like any download (the same confirmation); `hf download` resumes from the files already fetched. */
function DownloadAgain({ repo }: { repo: string }) {
  const at = { page: MODELS_PATHS.page, fragment: MODELS_PATHS.downloadConfirm, target: 'download-confirm' }
  return <AskFirstLink {...at} param="repo" value={repo} action="download-again" label="Download again…" />
}
