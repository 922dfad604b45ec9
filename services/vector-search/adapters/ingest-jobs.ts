/**
 * Ingests answered 202: run one at a time in this process (embedding is the bottleneck and the
 * embeddings server is one), their progress kept in memory for `GET /api/search/jobs/{id}`. At most
 * `maxActive` are queued or running (a new one beyond is refused: 503 + Retry-After); a finished
 * job is kept `keepMs` (and at most `maxFinished` of them) and then forgotten. A restart forgets all
 * of them: a client whose job vanished re-sends the ingest, which skips what was already written.
 */
import { randomBytes } from 'node:crypto'
import type { IngestJob } from '../../../shared/contracts/vector-search.ts'
import { AppError } from '../../../shared/errors.ts'
import { type IngestJobs, isFinished, type JobWork } from '../domain/documents/jobs.ts'

export interface IngestJobsOptions {
  maxActive: number
  keepMs: number
  maxFinished?: number
  /** How a failure is told in the job: a store or embedder error as the HTTP error it would be. */
  describe: (err: unknown) => unknown
}

interface Entry {
  job: IngestJob
  tenant?: string
  listeners: Set<(job: IngestJob) => void>
}

export function createIngestJobs(options: IngestJobsOptions): IngestJobs {
  const entries = new Map<string, Entry>()
  const stop = new AbortController()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let chain: Promise<void> = Promise.resolve()

  const active = () => [...entries.values()].filter((e) => !isFinished(e.job)).length
  const changed = (entry: Entry, patch: Partial<IngestJob>) => {
    entry.job = { ...entry.job, ...patch }
    for (const listener of entry.listeners) listener(entry.job)
    if (isFinished(entry.job)) {
      entry.listeners.clear()
      retire(entry.job.id)
    }
  }

  function retire(id: string) {
    const timer = setTimeout(() => {
      timers.delete(timer)
      entries.delete(id)
    }, options.keepMs)
    timer.unref?.()
    timers.add(timer)
    const finished = [...entries.values()].filter((e) => isFinished(e.job))
    for (const old of finished.slice(0, Math.max(0, finished.length - (options.maxFinished ?? 100))))
      entries.delete(old.job.id)
  }

  async function run(entry: Entry, work: JobWork) {
    if (stop.signal.aborted) return changed(entry, failedPatch(new AppError(503, 'shutting_down', 'stopped')))
    changed(entry, { state: 'running' })
    let documentsDone = 0
    let chunksDone = 0
    try {
      const documents = await work.run((outcome) => {
        documentsDone++
        chunksDone += outcome.chunks
        changed(entry, { documents_done: documentsDone, chunks_done: chunksDone })
      }, stop.signal)
      changed(entry, { state: 'done', documents, finished_at: new Date().toISOString() })
    } catch (err) {
      changed(entry, failedPatch(options.describe(err)))
    }
  }

  return {
    submit(work) {
      if (active() >= options.maxActive) return null
      const job: IngestJob = {
        id: `ing_${randomBytes(8).toString('hex')}`,
        collection: work.collection,
        state: 'queued',
        documents_done: 0,
        documents_total: work.documentsTotal,
        chunks_done: 0,
        chunks_total: work.chunksTotal,
        created_at: new Date().toISOString(),
        finished_at: null,
      }
      const entry: Entry = { job, tenant: work.tenant, listeners: new Set() }
      entries.set(job.id, entry)
      chain = chain.then(() => run(entry, work))
      return job
    },
    get(id, tenant) {
      const entry = entries.get(id)
      if (!entry || (entry.tenant !== undefined && entry.tenant !== tenant)) return undefined
      return entry.job
    },
    watch(id, listener) {
      const entry = entries.get(id)
      if (!entry || isFinished(entry.job)) return () => {}
      entry.listeners.add(listener)
      return () => entry.listeners.delete(listener)
    },
    close() {
      stop.abort()
      for (const timer of timers) clearTimeout(timer)
    },
  }
}

function failedPatch(described: unknown): Partial<IngestJob> {
  const err =
    described instanceof AppError
      ? described
      : new AppError(500, 'internal_error', 'The ingest failed on our side; the service log has the cause.')
  return {
    state: 'failed',
    error: { status: err.status, code: err.code, message: err.message },
    finished_at: new Date().toISOString(),
  }
}
