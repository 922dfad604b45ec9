/**
 * The controller's side of the swap benches: every `state` event of `GET /api/swap/events`, with
 * its receive time (wall clock, ms), so a bench can wait for a job to reach a state or finish.
 */

export const now = () => performance.timeOrigin + performance.now()

export interface Job {
  job_id: string
  status: string
  outcome: string
  recipe: string
  model: string
  started_at: string
  finished_at: string | null
  transitions: Array<{ state: string; at: string }>
  durations_ms: Record<string, number>
  error: unknown
  rollback?: { recipe: string; outcome: string } | null
}

export type SwapEvents = ReturnType<typeof watchEvents>

export function watchEvents(gatewayUrl: string) {
  const abort = new AbortController()
  const readyAt = new Map<string, number>()
  /** First receive time of each `<job id> <status>`. */
  const stateAt = new Map<string, number>()
  const terminal = new Map<string, { job: Job; at: number }>()
  const waiters = new Set<() => void>()
  const connected = (async () => {
    const res = await fetch(`${gatewayUrl}/api/swap/events`, { signal: abort.signal })
    if (!res.ok || !res.body) throw new Error(`GET /api/swap/events: ${res.status}`)
    return res.body
  })()
  const onJob = (job: Partial<Job>, at: number) => {
    if (!job.job_id) return
    if (job.status === 'ready' && !readyAt.has(job.job_id)) readyAt.set(job.job_id, at)
    const key = `${job.job_id} ${job.status}`
    if (!stateAt.has(key)) stateAt.set(key, at)
    if (job.finished_at && !terminal.has(job.job_id)) terminal.set(job.job_id, { job: job as Job, at })
    for (const w of waiters) w()
  }
  const reading = connected.then(async (body) => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        const at = now()
        buffer += decoder.decode(chunk as Uint8Array, { stream: true })
        for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '')
          let event = 'message'
          const data: string[] = []
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
          }
          if (event === 'state' && data.length > 0) onJob(JSON.parse(data.join('\n')) as Partial<Job>, at)
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err
    }
  })
  reading.catch(() => undefined)

  /** Resolves with `pick()`'s first non-undefined answer, re-checked on every event. */
  const waitFor = <T>(pick: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const t = pick()
        if (t === undefined) return
        cleanup()
        resolve(t)
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`${what} within ${timeoutMs} ms`))
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        waiters.delete(check)
      }
      waiters.add(check)
      check()
    })

  return {
    connected: connected.then(() => undefined),
    readyAt,
    /** Resolves with the finished job as the event stream announced it. */
    finished: (id: string, timeoutMs: number) =>
      waitFor(() => terminal.get(id), timeoutMs, `swap ${id} did not finish`),
    /**
     * Resolves with the receive time of the job's first `state` event in `status`, or null when the
     * job finished without passing through it.
     */
    reached: (id: string, status: string, timeoutMs: number) =>
      waitFor<number | null>(
        () => stateAt.get(`${id} ${status}`) ?? (terminal.has(id) ? null : undefined),
        timeoutMs,
        `swap ${id} did not reach ${status}`,
      ),
    close: () => abort.abort(),
  }
}
