/**
 * Downloads of weights to the Sparks: one job per request, the same repo fetched on every node at
 * once (each Spark pulls from the Hub itself, so no node waits on another). Bounded: at most
 * `maxActive` jobs run, one per repo, and the last `maxKept` finished jobs are remembered. Every
 * node run has a deadline; cancel aborts the node runs. Start and end are audited.
 *
 * Jobs are written to a journal (SQLite in production) as they start, every few seconds while they
 * run, and when they end: after a restart the list still shows them, and one that was running is
 * `interrupted` (its SSH session, and so the download on the Spark, ended with the process; the
 * files already fetched stay, and downloading again resumes from them).
 */
import { AppError, conflict, notFound } from '../../../../shared/errors.ts'
import type { AuditInput } from '../coordination/ports.ts'
import { isoUtc } from '../coordination/time.ts'
import { bestEffort, type DownloadJournal, markInterrupted, meanPercent } from './download-journal.ts'
import { createProgressFold, type NodeProgress, parseSegment, segmentsOf } from './download-progress.ts'
import { sameRepo } from './ids.ts'

export { type DownloadJournal, INTERRUPTED_TEXT } from './download-journal.ts'

export type DownloadStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

export interface NodeRunResult {
  /** Exit status; null when killed or the channel was lost. */
  code: number | null
}

/** Runs the download tool on one node, handing over output lines (ended at `\r` or `\n`) as they arrive. */
export interface DownloadRunner {
  run(
    node: string,
    repo: string,
    options: { onLine(line: string, truncated: boolean): void; signal: AbortSignal; timeoutMs: number },
  ): Promise<NodeRunResult>
}

export interface NodeDownloadView extends NodeProgress {
  node: string
  status: DownloadStatus
  exit_code: number | null
  error: string | null
}

export interface DownloadView {
  download_id: string
  repo: string
  status: DownloadStatus
  percent: number
  started_at: string
  finished_at: string | null
  actor: string
  error: string | null
  nodes: NodeDownloadView[]
}

export interface DownloadsOptions {
  runner: DownloadRunner
  /** Nodes a download goes to (the reachable inventory). */
  nodes(): string[]
  audit(entry: AuditInput): void
  /** Told when a job ends (the disk view is stale then). */
  onFinished?(view: DownloadView): void
  timeoutMs: number
  journal?: DownloadJournal
  /** Told when the journal cannot be written or read (the downloads go on; only the record suffers). */
  onJournalError?(err: unknown): void
  /** How often a running job's progress is written to the journal. */
  journalEveryMs?: number
  maxActive?: number
  maxKept?: number
  now?: () => number
  newId?: () => string
}

export interface Downloads {
  start(req: { repo: string; nodes?: string[]; actor: string; requestId?: string }): DownloadView
  get(id: string): DownloadView | undefined
  list(): DownloadView[]
  cancel(id: string, ctx: { actor: string; requestId?: string }): DownloadView
  /** The running job for a repo, if any (deletes refuse while one runs). */
  activeFor(repo: string): DownloadView | undefined
  /**
   * Marks the repo as being deleted until the returned release is called: `start` answers 409 for
   * it meanwhile, so no download writes into a directory an `rm -rf` is removing.
   */
  holdForDelete(repo: string): () => void
  idle(): Promise<void>
  close(): void
}

interface Job {
  view: DownloadView
  abort: AbortController
  done: Promise<void>
  startedMs: number
  savedMs: number
}

const overall = (nodes: NodeDownloadView[]): DownloadStatus =>
  nodes.some((n) => n.status === 'running')
    ? 'running'
    : nodes.some((n) => n.status === 'failed')
      ? 'failed'
      : nodes.some((n) => n.status === 'cancelled')
        ? 'cancelled'
        : 'done'

function failureText(
  node: string,
  code: number | null,
  lastError: string | null,
  timedOutS: number | null,
): string {
  if (timedOutS !== null) return `${node}: the download did not finish within ${timedOutS} s`
  if (code === 127) return `${node}: the download tool is not installed (see MODEL_DOWNLOAD_TOOL)`
  return `${node}: ${lastError ?? `the download tool exited with ${code ?? 'no status (connection lost)'}`}`
}

export function createDownloads(options: DownloadsOptions): Downloads {
  const now = options.now ?? Date.now
  const newId = options.newId ?? (() => `dl_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`)
  const maxActive = options.maxActive ?? 2
  const maxKept = options.maxKept ?? 20
  const journalEveryMs = options.journalEveryMs ?? 5000
  const jobs = new Map<string, Job>()
  const journal = options.journal && bestEffort(options.journal, options.onJournalError)
  const save = (j: Job) => {
    j.savedMs = now()
    journal?.save(current(j))
  }
  /** Repos (as given to holdForDelete) with a delete in progress; a list, as two deletes may overlap. */
  const deleting: string[] = []
  const snapshot = (j: Job): DownloadView => structuredClone(j.view)
  const running = () => [...jobs.values()].filter((j) => j.view.status === 'running')
  /** A copy with the overall percentage as of now (nodes update theirs as output arrives). */
  const current = (j: Job): DownloadView => {
    const v = snapshot(j)
    if (v.status === 'running') v.percent = meanPercent(v.nodes)
    return v
  }

  /** Ends a job the process is leaving (shutdown, or found running at start): not failed, not cancelled by anyone. */
  function interrupt(job: Job) {
    const v = markInterrupted(job.view, isoUtc(now()))
    options.audit({
      actor: v.actor,
      action: 'model.download',
      target: v.repo,
      outcome: 'interrupted',
      detail: v.download_id,
    })
    save(job)
  }

  function prune() {
    const finished = [...jobs.values()].filter((j) => j.view.status !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - maxKept))) jobs.delete(j.view.download_id)
  }

  async function runNode(job: Job, node: NodeDownloadView) {
    const fold = createProgressFold()
    const deadline = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      deadline.abort()
    }, options.timeoutMs)
    const signal = AbortSignal.any([job.abort.signal, deadline.signal])
    let code: number | null = null
    try {
      const result = await options.runner.run(node.node, job.view.repo, {
        signal,
        timeoutMs: options.timeoutMs,
        onLine(line, truncated) {
          // A cut line lost its end (the SSH kit drops the rest); a progress redraw is never that long.
          if (truncated) return
          for (const s of segmentsOf(line)) {
            const e = parseSegment(s)
            if (e) fold.apply(e)
          }
          Object.assign(node, fold.state)
          if (now() - job.savedMs >= journalEveryMs) save(job)
        },
      })
      code = result.code
    } catch (err) {
      fold.state.last_error = (err instanceof Error ? err.message : String(err)).slice(0, 300)
    } finally {
      clearTimeout(timer)
    }
    Object.assign(node, fold.state)
    node.exit_code = code
    if (job.abort.signal.aborted) node.status = 'cancelled'
    else if (code === 0 && !timedOut) {
      node.status = 'done'
      node.percent = 100
    } else {
      node.status = 'failed'
      node.error = failureText(
        node.node,
        code,
        fold.state.last_error,
        timedOut ? Math.ceil(options.timeoutMs / 1000) : null,
      )
    }
  }

  function finish(job: Job, requestId?: string) {
    const v = job.view
    if (v.status === 'interrupted') return
    v.status = overall(v.nodes)
    v.percent = meanPercent(v.nodes)
    v.finished_at = isoUtc(now())
    v.error =
      v.nodes
        .map((n) => n.error)
        .filter(Boolean)
        .join('; ') || null
    const outcome = v.status === 'done' ? 'ok' : v.status
    const detail =
      v.status === 'done' ? `downloaded to ${v.nodes.map((n) => n.node).join(', ')}` : (v.error ?? v.status)
    const durationMs = { download: now() - job.startedMs }
    options.audit({
      actor: v.actor,
      requestId,
      action: 'model.download',
      target: v.repo,
      outcome,
      detail: detail.slice(0, 500),
      durationMs,
    })
    save(job)
    options.onFinished?.(snapshot(job))
    prune()
  }

  for (const view of journal?.recent(maxKept) ?? []) {
    const job: Job = {
      view,
      abort: new AbortController(),
      done: Promise.resolve(),
      startedMs: Date.parse(view.started_at),
      savedMs: 0,
    }
    jobs.set(view.download_id, job)
    if (view.status === 'running') interrupt(job)
  }

  return {
    start({ repo, nodes, actor, requestId }) {
      const known = options.nodes()
      const targets = [...new Set(nodes && nodes.length > 0 ? nodes : known)]
      const unknown = targets.filter((n) => !known.includes(n))
      if (unknown.length > 0) {
        const message = `Unknown or unreachable node(s): ${unknown.join(', ')}; known: ${known.join(', ') || 'none'}.`
        const issues = [
          { field: 'nodes', message: `unknown node(s): ${unknown.join(', ')}`, location: 'body' },
        ]
        throw new AppError(422, 'validation_failed', message, { issues })
      }
      if (targets.length === 0)
        throw new AppError(503, 'no_nodes', 'No Spark node is configured for SSH; nothing to download to.', {
          retryAfterS: 30,
        })
      const refuse = (err: AppError) => {
        options.audit({
          actor,
          requestId,
          action: 'model.download',
          target: repo,
          outcome: 'refused',
          detail: err.message,
        })
        return err
      }
      if (deleting.some((d) => sameRepo(d, repo)))
        throw refuse(
          conflict(
            `${repo} is being deleted from the Sparks; start the download after the delete has finished.`,
          ),
        )
      const same = running().find((j) => sameRepo(j.view.repo, repo))
      if (same) {
        const id = same.view.download_id
        throw refuse(conflict(`${repo} is already being downloaded (${id}).`, { extra: { download_id: id } }))
      }
      if (running().length >= maxActive) {
        const message = `${maxActive} downloads are already running; try again when one finishes.`
        throw refuse(new AppError(429, 'downloads_busy', message, { retryAfterS: 60 }))
      }
      const startedMs = now()
      const view: DownloadView = {
        download_id: newId(),
        repo,
        status: 'running',
        percent: 0,
        started_at: isoUtc(startedMs),
        finished_at: null,
        actor,
        error: null,
        nodes: targets.map((node) => ({
          node,
          status: 'running',
          exit_code: null,
          error: null,
          ...createProgressFold().state,
        })),
      }
      const job: Job = { view, abort: new AbortController(), done: Promise.resolve(), startedMs, savedMs: 0 }
      jobs.set(view.download_id, job)
      save(job)
      options.audit({
        actor,
        requestId,
        action: 'model.download',
        target: repo,
        outcome: 'started',
        detail: `to ${targets.join(', ')}`,
      })
      job.done = Promise.all(view.nodes.map((n) => runNode(job, n))).then(() => finish(job, requestId))
      return snapshot(job)
    },
    get: (id) => {
      const j = jobs.get(id)
      return j && current(j)
    },
    list: () => [...jobs.values()].reverse().map(current),
    cancel(id, ctx) {
      const j = jobs.get(id)
      if (!j) throw notFound(`No download ${id}.`)
      if (j.view.status === 'running') {
        j.abort.abort()
        const { actor, requestId } = ctx
        options.audit({
          actor,
          requestId,
          action: 'model.download.cancel',
          target: j.view.repo,
          outcome: 'ok',
          detail: id,
        })
      }
      return snapshot(j)
    },
    activeFor: (repo) => {
      const j = running().find((x) => sameRepo(x.view.repo, repo))
      return j && snapshot(j)
    },
    holdForDelete(repo) {
      deleting.push(repo)
      let released = false
      return () => {
        if (released) return
        released = true
        deleting.splice(deleting.indexOf(repo), 1)
      }
    },
    idle: async () => {
      await Promise.all([...jobs.values()].map((j) => j.done))
    },
    close() {
      for (const j of running()) {
        interrupt(j)
        j.abort.abort()
      }
    },
  }
}
