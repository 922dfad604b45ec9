/**
 * Runs jobs with at most `limit` started at once, in order. The first failure stops the rest: the
 * shared signal aborts, nothing new starts, and the error is thrown only after every started job
 * has settled — so no job is still writing into a directory the caller is about to remove.
 */
export async function mapWindow<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const stop = new AbortController()
  const shared = AbortSignal.any([signal, stop.signal])
  const results: R[] = new Array(items.length)
  let failure: { err: unknown } | null = null
  let next = 0
  const worker = async () => {
    while (!failure && !shared.aborted && next < items.length) {
      const i = next++
      try {
        results[i] = await fn(items[i] as T, shared)
      } catch (err) {
        failure ??= { err }
        stop.abort(err)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (failure) throw (failure as { err: unknown }).err
  if (signal.aborted) throw signal.reason
  return results
}
