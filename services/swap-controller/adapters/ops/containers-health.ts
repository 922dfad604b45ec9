/**
 * One HTTP health check of a Spark service (`GET <health url>`, bounded by a timeout), as the view
 * shows it and as auto-restart reads it: a timeout or a 5xx is what a wedged server does; a
 * refused connection is a server that is not there (stopped), which a restart would not cure.
 */
import type { ServiceHealth } from '../../../../shared/contracts/swap-controller.ts'

export interface HealthCheck extends ServiceHealth {
  wedgeLike: boolean
}

export type HealthProbe = (url: string, signal?: AbortSignal) => Promise<HealthCheck>

export function createHealthProbe({
  timeoutMs,
  now = Date.now,
}: {
  timeoutMs: number
  now?: () => number
}): HealthProbe {
  return async (url, signal) => {
    const started = performance.now()
    const at = () => new Date(now()).toISOString()
    const ms = () => Math.round((performance.now() - started) * 10) / 10
    const budget = AbortSignal.timeout(timeoutMs)
    try {
      const res = await fetch(url, {
        signal: signal ? AbortSignal.any([signal, budget]) : budget,
        headers: { accept: 'application/json' },
      })
      // The body is not read for meaning (servers word it differently); only drained.
      await res.arrayBuffer().catch(() => undefined)
      const ok = res.status >= 200 && res.status < 300
      return {
        ok,
        status: res.status,
        ms: ms(),
        at: at(),
        error: ok ? null : `answered HTTP ${res.status}`,
        wedgeLike: res.status >= 500,
      }
    } catch (err) {
      const timedOut = budget.aborted
      return {
        ok: false,
        status: null,
        ms: ms(),
        at: at(),
        error: timedOut ? `no answer within ${timeoutMs} ms` : describe(err),
        wedgeLike: timedOut,
      }
    }
  }
}

function describe(err: unknown): string {
  const code = (err as { cause?: { code?: string } }).cause?.code
  if (code === 'ECONNREFUSED') return 'connection refused (the server is not listening)'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve'
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is not reachable'
  return `the request failed${code ? ` (${code})` : ''}`
}
