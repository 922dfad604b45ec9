/**
 * Ingest a pasted document: an id, the text, optional metadata as a JSON object, and a tenant for a
 * multi-tenant collection. The answer says what happened (created, replaced, unchanged), how many
 * chunks and how long it took; a large document becomes a job whose progress the page follows
 * (htmx asks again every second; without JavaScript a link reads it again).
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { INGEST_MAX_CHARS, JOB_POLL_S, METADATA_MAX_CHARS, pageUrl, SEARCH_PATHS } from './paths.ts'
import type { IngestJob, IngestOutcome, SearchCollection } from './source.ts'

export interface IngestFormData {
  docId?: string
  text?: string
  metadata?: string
  tenant?: string
}

export function CollectionPicker(props: {
  id: string
  collections: SearchCollection[] | null
  current: string | null
}) {
  const names = props.collections?.map((c) => c.name) ?? (props.current ? [props.current] : [])
  return (
    <>
      <label for={props.id}>Collection</label>
      <select id={props.id} name="collection" required>
        {names.map((n) => (
          <option value={n} selected={n === props.current}>
            {n}
          </option>
        ))}
      </select>
    </>
  )
}

export function IngestForm(props: {
  collections: SearchCollection[] | null
  current: string | null
  data: IngestFormData
}) {
  const { data } = props
  return (
    <form
      class="speech-form search-ingest"
      method="post"
      action={SEARCH_PATHS.ingest}
      hx-post={SEARCH_PATHS.ingest}
      hx-target="#search-ingest-result"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField />
      <CollectionPicker
        id="search-ingest-collection"
        collections={props.collections}
        current={props.current}
      />
      <label for="search-doc-id">Document id (the same id again replaces that document)</label>
      <input id="search-doc-id" name="doc_id" maxlength={256} required value={data.docId ?? ''} />
      <label for="search-doc-text">Text</label>
      <textarea id="search-doc-text" name="text" rows={8} maxlength={INGEST_MAX_CHARS} required>
        {data.text ?? ''}
      </textarea>
      <label for="search-doc-metadata">Metadata (optional JSON object, e.g. {'{"source": "notes"}'})</label>
      <textarea id="search-doc-metadata" name="metadata" rows={2} maxlength={METADATA_MAX_CHARS}>
        {data.metadata ?? ''}
      </textarea>
      <label for="search-ingest-tenant">Tenant (only for a collection with a tenant field)</label>
      <input id="search-ingest-tenant" name="tenant" maxlength={128} value={data.tenant ?? ''} />
      <button type="submit" class="button button-primary" data-action="ingest">
        Ingest the document
      </button>
    </form>
  )
}

const STATUS_WORDS = {
  created: 'New document',
  replaced: 'Changed document: its old chunks were replaced',
  unchanged: 'Unchanged: nothing was embedded or written',
} as const

const ms = (v: number | null) => (v === null ? '' : ` in ${v < 10 ? v.toFixed(1) : Math.round(v)} ms`)

function DoneView({ outcome }: { outcome: Extract<IngestOutcome, { kind: 'done' }> }) {
  const embedded = outcome.embedded === null ? '' : `, ${outcome.embedded} embedded`
  return (
    <p class="notice notice-good" data-ingest-status={outcome.status} data-chunks={outcome.chunks}>
      {STATUS_WORDS[outcome.status]} — {outcome.chunks} chunk{outcome.chunks === 1 ? '' : 's'}
      {embedded}
      {ms(outcome.tookMs)}.
    </p>
  )
}

export interface IngestResult {
  notice: Notice | null
  outcome: IngestOutcome | null
  job?: IngestJob | null
}

export function IngestResultView({ result }: { result: IngestResult | null }) {
  const outcome = result?.outcome
  return (
    <div id="search-ingest-result" aria-live="polite">
      <NoticeBox notice={result?.notice} />
      {outcome?.kind === 'done' ? <DoneView outcome={outcome} /> : null}
      {outcome?.kind === 'queued' ? (
        <JobView job={result?.job ?? null} id={outcome.jobId} planned={outcome.chunks} />
      ) : null}
    </div>
  )
}

/** A large ingest under way: its progress, polled in place while it runs. */
export function JobView(props: {
  job: IngestJob | null
  id: string
  planned?: number | null
  notice?: Notice | null
}) {
  const { job, id } = props
  const running = !job || job.state === 'queued' || job.state === 'running'
  const total = job?.total ?? props.planned ?? null
  const done = job?.done ?? 0
  const poll = `${SEARCH_PATHS.job}?id=${encodeURIComponent(id)}`
  return (
    <div
      class="search-job"
      data-job={id}
      data-job-state={job?.state ?? 'queued'}
      hx-get={running ? poll : undefined}
      hx-trigger={running ? `load delay:${JOB_POLL_S}s` : undefined}
      hx-swap={running ? 'outerHTML' : undefined}
    >
      <NoticeBox notice={props.notice} />
      {running ? (
        <>
          <p>
            Ingesting{total ? `: ${done} of ${total} chunks` : ''}…
            {total ? <progress max={total} value={done} /> : null}
          </p>
          <p class="muted">
            <a href={`${pageUrl({ job: id })}#search-ingest-result`}>Check how it is getting on</a>
          </p>
        </>
      ) : job?.state === 'failed' ? (
        <p class="notice notice-bad" role="alert">
          The ingest failed{job.error ? `: ${job.error}` : ''}.
        </p>
      ) : job?.result ? (
        <DoneView outcome={job.result} />
      ) : (
        <p class="notice notice-good">Ingested {done} chunks.</p>
      )}
    </div>
  )
}
