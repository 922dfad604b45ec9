/**
 * A small cache for upstream lists (Parakeet's models, Kokoro's voices): one lookup at a time however
 * many callers ask, a fresh answer reused for `ttlMs`, a recent failure remembered for `errorTtlMs` so
 * a struggling upstream is not asked again on every poll, and the last good answer served for
 * `staleMs` more while the upstream fails (Kokoro stalls under synthesis load; its voices do not change).
 */
export interface CachedOptions {
  ttlMs: number
  staleMs?: number
  errorTtlMs?: number
  now?: () => number
}

export interface Cached<T> {
  get(): Promise<T>
}

export function createCached<T>(load: () => Promise<T>, options: CachedOptions): Cached<T> {
  const { ttlMs, staleMs = 0, errorTtlMs = 0 } = options
  const now = options.now ?? Date.now
  let value: { data: T; at: number } | undefined
  let failure: { error: unknown; at: number } | undefined
  let pending: Promise<T> | undefined

  const usable = () => (value && now() - value.at < ttlMs + staleMs ? value : undefined)

  function refresh(): Promise<T> {
    pending ??= load()
      .then(
        (data) => {
          value = { data, at: now() }
          failure = undefined
          return data
        },
        (error: unknown) => {
          failure = { error, at: now() }
          throw error
        },
      )
      .finally(() => {
        pending = undefined
      })
    return pending
  }

  return {
    async get() {
      if (value && now() - value.at < ttlMs) return value.data
      if (failure && now() - failure.at < errorTtlMs) {
        const stale = usable()
        if (stale) return stale.data
        throw failure.error
      }
      try {
        return await refresh()
      } catch (error) {
        const stale = usable()
        if (stale) return stale.data
        throw error
      }
    },
  }
}
