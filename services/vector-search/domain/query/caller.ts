/**
 * Who is asking, from the request headers: the tenant (`X-Tenant`, required by collections with a
 * tenant field) and the actor a mutation is audited under (`X-Spark-Actor`, which the gateway sets
 * to the API key's name when keys are on).
 */
import { TENANT_ID } from '../../../../shared/contracts/vector-search.ts'
import { invalid } from './errors.ts'

export const TENANT_HEADER = 'x-tenant'
const MAX_ACTOR_CHARS = 64

type Headers = (name: string) => string | undefined

/** The tenant named by the request, or undefined; a malformed one is a 400, never ignored. */
export function tenantFrom(header: Headers): string | undefined {
  const raw = header(TENANT_HEADER)
  if (raw === undefined || raw === '') return undefined
  if (!TENANT_ID.test(raw)) throw invalid('bad_tenant', 'X-Tenant must match ^[A-Za-z0-9_.:-]{1,128}$.')
  return raw
}

export function actorFrom(header: Headers): string {
  const named = header('x-spark-actor')
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_ACTOR_CHARS)
  if (named) return named
  return header('hx-request') === 'true' ? 'dashboard' : 'api'
}
