/**
 * The dashboard's view of the redaction-gateway (its redaction page): the try-it scrub and
 * rehydrate, and the counts per type over time, over HTTP with a deadline on every call. Answers
 * are checked against the redaction-gateway's contract. What the person pasted goes to the
 * redaction-gateway only, and is never logged here.
 */
import type { z } from '@hono/zod-openapi'
import { withBudget } from '../../../shared/abort.ts'
import {
  RedactionStats,
  RehydrateResponse,
  ScrubResponse,
} from '../../../shared/contracts/redaction-gateway.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { internalProofHeaders } from '../../../shared/internal-auth/prove.ts'
import { type RedactionSource, RedactionSourceError } from '../../../ui/ports.ts'
import { messageOf } from './controller-call.ts'

export interface RedactionSourceOptions {
  baseUrl: string
  /** Rehydrate and the counts. */
  timeoutMs?: number
  /** A scrub: the names pass by the cluster's model may take a while. */
  scrubTimeoutMs?: number
}

const SERVICE = 'redaction-gateway'
/** A scrub from the dashboard: the name pass by the cluster's model may take minutes (its own deadline is shorter). */
export const SCRUB_TIMEOUT_MS = 270_000
/** Who the scrub's map and logs name: the dashboard's try-it, not an app. */
const DASHBOARD_TASK = 'dashboard-try'

/** The answer as the contract types it, or a 502 naming the fields at fault. */
function valid<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const fields = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(body)')
  throw upstreamFailed(SERVICE, `its answer to ${what} does not match the contract (${fields.join(', ')})`)
}

/** A refusal in the service's own words: `{"error": code, "detail"?, "reason"?}` or problem+json. */
async function refusal(res: Response): Promise<RedactionSourceError> {
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
  const code =
    typeof body?.error === 'string' ? body.error : typeof body?.code === 'string' ? body.code : null
  const reason = typeof body?.reason === 'string' ? body.reason : null
  const message =
    messageOf(body) ?? `The redaction service answered ${res.status}${code ? ` (${code})` : ''}.`
  return new RedactionSourceError(res.status, code, message, reason)
}

export function createRedactionSource(options: RedactionSourceOptions): RedactionSource {
  const base = options.baseUrl.replace(/\/+$/, '')
  const readMs = options.timeoutMs ?? 10_000
  const scrubMs = options.scrubTimeoutMs ?? SCRUB_TIMEOUT_MS

  async function call<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const init: RequestInit =
      body === undefined
        ? {}
        : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
    let res: Response
    try {
      const proof = internalProofHeaders(init.method ?? 'GET', `${base}${path}`)
      const headers = { ...(init.headers as Record<string, string> | undefined), ...proof }
      res = await fetch(`${base}${path}`, { ...init, headers, signal: withBudget(signal, timeoutMs) })
    } catch (err) {
      throw classifyFailure(err, { service: SERVICE, timeoutMs })
    }
    if (res.status >= 400) throw await refusal(res)
    const what = `${body === undefined ? 'GET' : 'POST'} ${path.split('?')[0]}`
    return valid(schema, await res.json().catch(() => null), what)
  }

  return {
    scrub: ({ text, ner }, signal) =>
      call(
        '/scrub',
        { task_id: DASHBOARD_TASK, actor: 'dashboard', ner, items: [{ id: 'text', text }] },
        ScrubResponse,
        scrubMs,
        signal,
      ),
    async rehydrate(mapHandle, text, signal) {
      const body = { task_id: DASHBOARD_TASK, map_handle: mapHandle, text }
      const answer = await call('/rehydrate', body, RehydrateResponse, readMs, signal)
      if (answer.text === undefined) throw upstreamFailed(SERVICE, 'answered a {text} rehydrate without text')
      return { text: answer.text, unresolved: answer.unresolved ?? [] }
    },
    stats: (hours, signal) =>
      call(`/api/redaction/stats?hours=${Math.trunc(hours)}`, undefined, RedactionStats, readMs, signal),
  }
}
