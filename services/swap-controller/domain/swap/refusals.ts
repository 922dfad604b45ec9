/**
 * Every refused swap or stop request goes to the audit log (`outcome: refused`, the status and the
 * reason): the lock's 423, a busy 409, an unknown recipe's 404, an invalid one's 422. A refusal
 * already written where it was decided (the fit verdict) is marked, so it is not written twice.
 */
import { AppError } from '../../../../shared/errors.ts'

export function refusalAuditor() {
  const audited = new WeakSet<AppError>()
  const isRefusal = (err: unknown): err is AppError =>
    err instanceof AppError && err.status >= 400 && err.status < 500 && !audited.has(err)
  return {
    /** Marks an error whose audit row is already written. */
    written<E extends AppError>(err: E): E {
      audited.add(err)
      return err
    },
    /** Runs `work`; a 4xx it throws is handed to `write` as `"<status> <message>"`, then rethrown. */
    async run<T>(work: () => Promise<T>, write: (detail: string) => void): Promise<T> {
      try {
        return await work()
      } catch (err) {
        if (isRefusal(err)) {
          try {
            write(`${err.status} ${err.message}`.slice(0, 500))
          } catch {
            // The client is told why it was refused even when the audit row cannot be written.
          }
        }
        throw err
      }
    },
  }
}
