/**
 * Model download jobs as their API view (JSON), newest last. The view is what the domain built
 * from validated input; a row that does not parse (a hand-edited file) is skipped, not fatal.
 */
import type { Database } from '../../../../shared/sqlite.ts'
import type { DownloadJournal, DownloadView } from '../../domain/models/downloads.ts'
import { pruneToNewest } from './prune.ts'

function parseView(text: string): DownloadView | null {
  try {
    const v = JSON.parse(text) as DownloadView
    return typeof v?.download_id === 'string' && typeof v.repo === 'string' && Array.isArray(v.nodes)
      ? v
      : null
  } catch {
    return null
  }
}

export function downloadJobs(db: Database, keep: number): DownloadJournal {
  return {
    save(view) {
      const text = JSON.stringify(view)
      const updated = db.run('UPDATE download_jobs SET view = ? WHERE id = ?', [
        text,
        view.download_id,
      ]).changes
      if (updated > 0) return
      db.run('INSERT INTO download_jobs (id, view) VALUES (?, ?)', [view.download_id, text])
      pruneToNewest(db, 'download_jobs', 'seq', keep)
    },
    recent(limit) {
      const rows = db.all<{ view: string }>('SELECT view FROM download_jobs ORDER BY seq DESC LIMIT ?', [
        limit,
      ])
      return rows.flatMap((r) => parseView(r.view) ?? []).reverse()
    },
  }
}
