/**
 * Runs the checks in order, each timed, each to a verdict: PASS, FAIL with the reason, or SKIP when
 * `/api/endpoints` says a service the check needs is disabled on this installation. A check that
 * throws anything but `CheckFailed` is a FAIL too, with its message: the run always reaches the end.
 */
import type { EndpointEntry } from '../../shared/contracts/gateway.ts'
import { type Check, type CheckContext, CheckFailed } from './check.ts'

export type Verdict = 'PASS' | 'FAIL' | 'SKIP'

export interface CheckResult {
  name: string
  verdict: Verdict
  ms: number
  detail: string
}

export async function runChecks(
  checks: Check[],
  ctx: CheckContext,
  onResult: (result: CheckResult) => void = () => {},
  now: () => number = performance.now.bind(performance),
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const check of checks) {
    const started = now()
    const result = await verdictOf(check, ctx)
    const done = { name: check.name, ...result, ms: Math.round(now() - started) }
    results.push(done)
    onResult(done)
  }
  return results
}

async function verdictOf(check: Check, ctx: CheckContext): Promise<Pick<CheckResult, 'verdict' | 'detail'>> {
  const off = disabledNeeds(check, ctx.endpoints)
  if (off.length > 0)
    return { verdict: 'SKIP', detail: `${off.join(' and ')} disabled on this installation (/api/endpoints)` }
  try {
    return { verdict: 'PASS', detail: await check.run(ctx) }
  } catch (err) {
    const reason =
      err instanceof CheckFailed ? err.message : `unexpected error: ${(err as Error).message ?? err}`
    return { verdict: 'FAIL', detail: reason }
  }
}

function disabledNeeds(check: Check, endpoints: Record<string, EndpointEntry> | null): string[] {
  return check.needs.filter((name) => endpoints?.[name]?.disabled === true)
}

/** `/api/endpoints` before the checks run, or why it could not be read. */
export async function readEndpoints(
  ctx: Pick<CheckContext, 'client'>,
): Promise<Pick<CheckContext, 'endpoints' | 'endpointsProblem'>> {
  try {
    return { endpoints: (await ctx.client.request('/api/endpoints')).json<Record<string, EndpointEntry>>() }
  } catch (err) {
    if (err instanceof CheckFailed) return { endpoints: null, endpointsProblem: err.message }
    throw err
  }
}
