/**
 * The daemons' health check. Pure: no SDK import (the result type is the SDK's
 * HealthCheckResult, restated so the repository's tests can call it).
 *
 * The SDK's `checkWebUrl` counts any HTTP answer as healthy, so a 503 from `/ready` would start
 * the gateway in front of a backend that cannot serve; this one needs a 2xx.
 */
export type ReadyResult =
  | { result: 'success'; message: string | null }
  | { result: 'loading'; message: string }
  | { result: 'failure'; message: string }

/** Longer than a service's own dependency checks take to answer `/ready` (2 s each, in parallel). */
export const READY_TIMEOUT_MS = 5000

export async function checkReady(url: string, timeoutMs = READY_TIMEOUT_MS): Promise<ReadyResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await res.body?.cancel()
    if (res.ok) return { result: 'success', message: 'Ready' }
    return { result: 'loading', message: `Not ready yet (${url} answered ${res.status})` }
  } catch (err) {
    return { result: 'failure', message: `No answer from ${url}: ${(err as Error).message}` }
  }
}
