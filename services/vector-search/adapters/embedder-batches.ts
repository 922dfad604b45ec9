/**
 * Many inputs as batches the server takes: at most `limit` per call, at most `concurrency` calls at
 * once, results back in input order. A batch the server refuses for its size is halved (and the
 * smaller size kept for later calls), so a server whose limit is below `EMBED_BATCH` still works.
 * The first failure cancels the calls still running: the caller gets all or nothing.
 */
import { BatchTooLarge } from './embedder-wire.ts'

export interface BatchLimit {
  size: number
}

export async function runBatches<I, R>(
  items: readonly I[],
  options: { limit: BatchLimit; concurrency: number; signal?: AbortSignal },
  work: (slice: I[], signal: AbortSignal) => Promise<R[]>,
): Promise<R[]> {
  const stop = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal
  const out = new Array<R>(items.length)
  const queue: Array<{ start: number; end: number }> = []
  for (let start = 0; start < items.length; start += options.limit.size)
    queue.push({ start, end: Math.min(items.length, start + options.limit.size) })

  const runOne = async ({ start, end }: { start: number; end: number }): Promise<void> => {
    try {
      const results = await work(items.slice(start, end), signal)
      results.forEach((r, i) => {
        out[start + i] = r
      })
    } catch (err) {
      if (!(err instanceof BatchTooLarge) || end - start <= 1) throw err
      const half = Math.ceil((end - start) / 2)
      options.limit.size = Math.min(options.limit.size, half)
      for (let s = start; s < end; s += options.limit.size)
        queue.push({ start: s, end: Math.min(end, s + options.limit.size) })
    }
  }
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runOne(next)
  }
  try {
    // Workers end when the queue is empty; a split batch refills it, so run rounds until nothing is left.
    while (queue.length > 0)
      await Promise.all(Array.from({ length: Math.min(options.concurrency, queue.length) }, worker))
  } catch (err) {
    stop.abort(err)
    throw err
  }
  return out
}
