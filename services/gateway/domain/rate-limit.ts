/**
 * The gateway's rate limits (opt-in, docs/SECURITY.md): per route group, one budget per API key
 * (`RATE_LIMITS`; a request without a key is counted against its client address) and one per
 * client address whatever key it sends (`RATE_LIMIT_PER_ADDRESS`). Counted in memory with
 * rate-limiter-flexible, fixed windows per group; a request over a limit is refused with 429 and
 * `Retry-After` before anything reaches a backend. Probes, discovery and the dashboard's static
 * files are never limited, so a limit can never make the cluster look down.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { AppError } from '../../../shared/errors.ts'
import type { Limit, LimitGroup, LimitTable } from './rate-limit-config.ts'
import type { Route } from './route-table.ts'

export interface Caller {
  /** The valid API key's name, or null. */
  key: string | null
  /** The client's address as the gateway's socket sees it, or null when unknown. */
  address: string | null
}

export interface RateLimiter {
  /** Takes one request from the caller's budgets for `group`; throws the 429 when one is spent. */
  take(group: LimitGroup, caller: Caller): Promise<void>
}

export interface RateLimitSettings {
  RATE_LIMITS: LimitTable
  RATE_LIMIT_PER_ADDRESS: LimitTable
}

type Limiters = Partial<Record<LimitGroup, RateLimiterMemory>>

const limitersOf = (table: LimitTable, prefix: string): Limiters =>
  Object.fromEntries(
    Object.entries(table).map(([group, limit]: [string, Limit]) => [
      group,
      new RateLimiterMemory({
        points: limit.points,
        duration: limit.durationS,
        keyPrefix: `${prefix}:${group}`,
      }),
    ]),
  )

/** Undefined while both settings are blank (the default): nothing is counted at all. */
export function createRateLimiter(settings: RateLimitSettings): RateLimiter | undefined {
  const perKey = limitersOf(settings.RATE_LIMITS, 'key')
  const perAddress = limitersOf(settings.RATE_LIMIT_PER_ADDRESS, 'addr')
  if (Object.keys(perKey).length === 0 && Object.keys(perAddress).length === 0) return undefined
  return {
    async take(group, caller) {
      const address = caller.address ?? 'unknown'
      const keyed = perKey[group]
      if (keyed) await consume(keyed, caller.key !== null ? `k:${caller.key}` : `a:${address}`, group, 'key')
      const byAddress = perAddress[group]
      if (byAddress) await consume(byAddress, address, group, 'address')
    },
  }
}

async function consume(limiter: RateLimiterMemory, id: string, group: LimitGroup, per: string) {
  try {
    await limiter.consume(id)
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err
    const retryAfterS = Math.max(1, Math.ceil(err.msBeforeNext / 1000))
    const what = group === 'default' ? 'these' : `${group}`
    throw new AppError(
      429,
      'rate_limited',
      `Too many ${what} requests for this ${per}: at most ${limiter.points} per ${limiter.duration} s. Retry in ${retryAfterS} s.`,
      { retryAfterS },
    )
  }
}

/** Paths a limit never applies to: probes, discovery, the API description and static files. */
const NEVER_EXACT = new Set([
  '/health',
  '/ready',
  '/metrics',
  '/openapi.json',
  '/docs',
  '/api/endpoints',
  '/v1/models',
])
const NEVER_PREFIXES = ['/static/', '/openapi']
/** The merged API description, which `/openapi.json` is answered by (routes/docs.ts). */
const MERGED_DOC = '/api/gateway/openapi.json'

/** `route`: what the route table found (null: the gateway answers the path itself). */
export function isNeverLimited(path: string, route: Route | null): boolean {
  // `/api/<service>/health|ready|metrics|openapi.json`: the backends' own probes.
  if (route?.upstreamPath !== undefined) return true
  return NEVER_EXACT.has(path) || path === MERGED_DOC || NEVER_PREFIXES.some((p) => path.startsWith(p))
}
