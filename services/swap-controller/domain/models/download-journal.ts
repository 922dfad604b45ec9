/**
 * Where download jobs outlive the process, and what a job the process left becomes. The journal is
 * a record, not the download: a write that fails (a full disk during a 100 GB download) is reported
 * and the download goes on — it never throws into the SSH output handler that saves progress.
 */
import type { DownloadView, NodeDownloadView } from './downloads.ts'

export interface DownloadJournal {
  save(view: DownloadView): void
  /** The newest `limit` jobs, oldest first. */
  recent(limit: number): DownloadView[]
}

export const INTERRUPTED_TEXT =
  'Spark Control stopped while this download ran; download it again to resume (files already fetched are kept).'

export const meanPercent = (nodes: NodeDownloadView[]) =>
  Math.round((nodes.reduce((s, n) => s + n.percent, 0) / Math.max(1, nodes.length)) * 10) / 10

/** The journal, with its failures handed to `onError` instead of thrown (a failed read is no jobs). */
export function bestEffort(
  journal: DownloadJournal,
  onError: (err: unknown) => void = () => {},
): DownloadJournal {
  return {
    save(view) {
      try {
        journal.save(view)
      } catch (err) {
        onError(err)
      }
    },
    recent(limit) {
      try {
        return journal.recent(limit)
      } catch (err) {
        onError(err)
        return []
      }
    },
  }
}

/** A job the process is leaving (shutdown, or found running at start): not failed, not cancelled by anyone. */
export function markInterrupted(v: DownloadView, at: string): DownloadView {
  for (const n of v.nodes) if (n.status === 'running') n.status = 'interrupted'
  v.status = 'interrupted'
  v.percent = meanPercent(v.nodes)
  v.finished_at ??= at
  v.error = INTERRUPTED_TEXT
  return v
}
