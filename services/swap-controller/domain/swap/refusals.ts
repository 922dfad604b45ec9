/**
 * Every refused swap or stop request goes to the audit log (`outcome: refused`, the status and the
 * reason): the lock's 423, a busy 409, an unknown recipe's 404, an invalid one's 422, an
 * unreachable node's 503. A refusal
 * already written where it was decided (the fit verdict) is marked, so it is not written twice.
 *
 * The same refusal for the same caller is written once per `repeatWindowMs`: a client retrying
 * against a held lock (a chat app asking for an on-demand model every few seconds) would otherwise
 * push the real history out of the bounded audit log.
 */
import { AppError } from '../../../../shared/errors.ts'

export interface RefusalOptions {
  now?: () => number
  repeatWindowMs?: number
  /** Bound on the refusals remembered for that window; the oldest is forgotten first. */
  maxRemembered?: number
}

export function refusalAuditor(options: RefusalOptions = {}) {
  const now = options.now ?? Date.now
  const windowMs = options.repeatWindowMs ?? 60_000
  const maxRemembered = options.maxRemembered ?? 256
  const audited = new WeakSet<AppError>()
  const lastWritten = new Map<string, number>()
  const isRefusal = (err: unknown): err is AppError =>
    err instanceof AppError &&
    ((err.status >= 400 && err.status < 500) || err.code === 'node_unreachable') &&
    !audited.has(err)

  /** Whether this refusal was written for this caller within the window (and if not, remembers it). */
  function repeated(key: string): boolean {
    const at = now()
    const last = lastWritten.get(key)
    if (last !== undefined && at - last < windowMs) return true
    lastWritten.delete(key)
    if (lastWritten.size >= maxRemembered) lastWritten.delete(lastWritten.keys().next().value!)
    lastWritten.set(key, at)
    return false
  }

  return {
    /** Marks an error whose audit row is already written. */
    written<E extends AppError>(err: E): E {
      audited.add(err)
      return err
    },
    /**
     * Runs `work`; a 4xx it throws is handed to `write` as `"<status> <message>"` (unless `caller`
     * had the same one written within the window), then rethrown.
     */
    async run<T>(work: () => Promise<T>, write: (detail: string) => void, caller = ''): Promise<T> {
      try {
        return await work()
      } catch (err) {
        if (isRefusal(err)) {
          const detail = `${err.status} ${err.message}`.slice(0, 500)
          try {
            if (!repeated(`${caller}\n${detail}`)) write(detail)
          } catch {
            // The client is told why it was refused even when the audit row cannot be written.
          }
        }
        throw err
      }
    },
  }
}
