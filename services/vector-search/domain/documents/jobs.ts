/**
 * The port of the ingest jobs (ingests answered 202): `adapters/ingest-jobs.ts` runs them and keeps
 * their progress; the routes submit and read them.
 */
import type { IngestJob } from '../../../../shared/contracts/vector-search.ts'
import type { DocumentOutcome } from './ingest.ts'

export interface JobWork {
  collection: string
  tenant?: string
  documentsTotal: number
  chunksTotal: number
  /** Reports each document as it is written; resolves with all of them. */
  run(onDocument: (outcome: DocumentOutcome) => void, signal: AbortSignal): Promise<DocumentOutcome[]>
}

export interface IngestJobs {
  /** The queued job, or null when the most jobs allowed are already queued or running. */
  submit(work: JobWork): IngestJob | null
  /** The job as its tenant sees it (another tenant's job is not found). */
  get(id: string, tenant?: string): IngestJob | undefined
  /** Calls `listener` at each change of the job until it ends; returns the unsubscribe. */
  watch(id: string, listener: (job: IngestJob) => void): () => void
  close(): void
}

export const isFinished = (job: IngestJob) => job.state === 'done' || job.state === 'failed'
