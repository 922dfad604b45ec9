/**
 * For clients that cannot take an undici dispatcher (the Qdrant client brings its own): time one
 * call and report how it went, by the same rules as `reportOutcomes` — an answer under 500 is the
 * target alive, whatever the client made of it.
 */
import type { RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { failureKind, isCallerAbort } from './failure-kind.ts'
import type { OutcomeSink } from './reporter.ts'

/** Runs `call` and reports its outcome against `target`; the result (or error) is passed on untouched. */
export function reportCall<T>(
  sink: OutcomeSink | undefined,
  target: string,
  call: () => Promise<T>,
): Promise<T> {
  if (!sink?.enabled) return call()
  const at = Date.now()
  const started = performance.now()
  const record = (outcome: Pick<RequestOutcome, 'ok' | 'kind' | 'status'>) =>
    sink.record({ target, at, latency_ms: Math.round((performance.now() - started) * 10) / 10, ...outcome })
  const running = call()
  running.then(
    () => record({ ok: true }),
    (err: unknown) => {
      const status = (err as { status?: unknown })?.status
      if (typeof status === 'number' && status >= 100 && status <= 599)
        record(status >= 500 ? { ok: false, kind: 'http_5xx', status } : { ok: true, status })
      else if (!abortedByCaller(err)) record({ ok: false, kind: failureKind(err) })
    },
  )
  return running
}

const abortedByCaller = (err: unknown) =>
  (err as { name?: string })?.name === 'AbortError' && isCallerAbort(err)
