/**
 * Reads each backend's audit log (`GET /api/<service>/audit`, with the filters of the merged
 * request) and the gateway's own store, for `GET /api/audit` and the dashboard's History page. Each
 * read has its own time budget; a service that is down, slow, disabled or answers something else
 * is reported as unavailable, never an error of the whole view.
 */
import { withBudget } from '../../../shared/abort.ts'
import { auditQueryFrom } from '../../../shared/audit/route.ts'
import type { AuditReader } from '../../../shared/audit/store.ts'
import {
  type AuditQueryParams,
  type MergedAudit,
  serviceAuditSchema,
} from '../../../shared/contracts/audit.ts'
import { internalProofHeaders } from '../../../shared/internal-auth/prove.ts'
import { BACKEND_SERVICES, type ServiceName } from '../../../shared/topology.ts'
import { mergeAudits, type ServiceAuditRead } from '../domain/audit-merge.ts'
import type { BackendName } from '../domain/route-table.ts'

export interface AuditSourceOptions {
  urls: Record<BackendName, string>
  /** The gateway's own log (`kit.audit`). */
  own?: AuditReader
  /** Services switched off (DISABLED_SERVICES), read at each call: they are reported, not asked. */
  disabled: readonly string[]
  timeoutMs: number
}

export interface AuditSource {
  read(params: AuditQueryParams & { service?: ServiceName }, signal?: AbortSignal): Promise<MergedAudit>
}

const queryString = (params: AuditQueryParams) => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') search.set(key, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

export function createAuditSource(options: AuditSourceOptions): AuditSource {
  async function readBackend(
    service: BackendName,
    params: AuditQueryParams,
    signal?: AbortSignal,
  ): Promise<ServiceAuditRead> {
    if (options.disabled.includes(service)) return { service, ok: false, reason: 'disabled' }
    const url = `${options.urls[service]}/api/${service}/audit${queryString(params)}`
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', ...internalProofHeaders('GET', url) },
        signal: withBudget(signal, options.timeoutMs),
      })
      if (!res.ok) {
        await res.body?.cancel()
        return { service, ok: false, reason: `answered HTTP ${res.status}` }
      }
      const parsed = serviceAuditSchema.safeParse(await res.json())
      if (!parsed.success) return { service, ok: false, reason: 'answered an unexpected shape' }
      return { service, ok: true, entries: parsed.data.entries }
    } catch (err) {
      const name = (err as Error).name
      const timedOut = name === 'TimeoutError' || name === 'AbortError'
      return {
        service,
        ok: false,
        reason: timedOut ? `no answer within ${options.timeoutMs} ms` : 'not reachable',
      }
    }
  }

  function readOwn(params: AuditQueryParams): ServiceAuditRead {
    if (!options.own) return { service: 'gateway', ok: true, entries: [] }
    try {
      return { service: 'gateway', ok: true, entries: options.own.query(auditQueryFrom(params)) }
    } catch (err) {
      return { service: 'gateway', ok: false, reason: (err as Error).message }
    }
  }

  return {
    async read({ service, ...params }, signal) {
      const wanted = (name: ServiceName) => service === undefined || service === name
      const reads = await Promise.all([
        ...(wanted('gateway') ? [readOwn(params)] : []),
        ...BACKEND_SERVICES.filter(wanted).map((name) => readBackend(name, params, signal)),
      ])
      return mergeAudits(reads, auditQueryFrom(params).limit)
    },
  }
}
