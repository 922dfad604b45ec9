/**
 * The dashboard's view of the connectivity monitor (its connectivity page): targets, outages,
 * uptime, maintenance windows and the live event stream, over HTTP with a deadline on every call
 * (the stream has one to connect, then lasts as long as the page). Every answer and every event is
 * checked against shared/contracts/connectivity-monitor.ts: a mismatch is a 502 naming the fields,
 * never an `undefined` on the page.
 */
import { z } from '@hono/zod-openapi'
import { withBudget } from '../../../shared/abort.ts'
import {
  MaintenanceWindow,
  MonitorEvent,
  OutagesAnswer,
  TargetsAnswer,
  UptimeAnswer,
} from '../../../shared/contracts/connectivity-monitor.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { internalProofHeaders } from '../../../shared/internal-auth/prove.ts'
import { type MonitorSource, MonitorSourceError } from '../../../ui/connectivity/source.ts'
import { messageOf } from './controller-call.ts'
import { sseMessages } from './monitor-source-events.ts'

export interface MonitorSourceOptions {
  baseUrl: string
  /** Every read and change; the stream's connection too. */
  timeoutMs?: number
}

const SERVICE = 'connectivity-monitor'

/** The windows list: `{windows: [...]}` as the monitor answers it. */
const WindowList = z.object({ windows: z.array(MaintenanceWindow) })

function valid<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const fields = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(body)')
  throw upstreamFailed(SERVICE, `its answer to ${what} does not match the contract (${fields.join(', ')})`)
}

async function refusal(res: Response): Promise<MonitorSourceError> {
  const body = await res.json().catch(() => null)
  return new MonitorSourceError(
    res.status,
    messageOf(body) ?? `The connectivity monitor answered ${res.status}.`,
  )
}

export function createMonitorSource(options: MonitorSourceOptions): MonitorSource {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 5000

  async function send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { body?: unknown; actor?: string; signal?: AbortSignal; stream?: boolean },
  ): Promise<Response> {
    const headers: Record<string, string> = {}
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    if (opts.actor) headers['x-spark-actor'] = opts.actor
    if (opts.stream) headers.accept = 'text/event-stream'
    // A call's deadline covers its body too; a stream's covers its headers only, then it lasts as
    // long as the caller's signal.
    const connect = new AbortController()
    const timer = opts.stream
      ? setTimeout(() => connect.abort(new DOMException('no answer in time', 'TimeoutError')), timeoutMs)
      : undefined
    const signal = opts.stream
      ? AbortSignal.any([opts.signal ?? connect.signal, connect.signal])
      : withBudget(opts.signal, timeoutMs)
    let res: Response
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...internalProofHeaders(method, `${base}${path}`) },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
      })
    } catch (err) {
      throw classifyFailure(err, { service: SERVICE, timeoutMs })
    } finally {
      clearTimeout(timer)
    }
    if (res.status >= 400) throw await refusal(res)
    return res
  }

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    opts: { body?: unknown; actor?: string; signal?: AbortSignal } = {},
  ): Promise<z.output<S>> {
    const res = await send(method, path, opts)
    let body: unknown
    try {
      body = await res.json()
    } catch (err) {
      if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError')
        throw classifyFailure(err, { service: SERVICE, timeoutMs })
      body = null
    }
    return valid(schema, body, `${method} ${path.split('?')[0]}`)
  }

  return {
    targets: (signal) => call('GET', '/api/monitor/targets', TargetsAnswer, { signal }),
    async outages({ limit, since }, signal) {
      const q = new URLSearchParams({ limit: String(Math.trunc(limit)) })
      if (since) q.set('since', since)
      return (await call('GET', `/api/monitor/outages?${q}`, OutagesAnswer, { signal })).outages
    },
    uptime: (signal) => call('GET', '/api/monitor/uptime', UptimeAnswer, { signal }),
    async maintenance(signal) {
      return (await call('GET', '/api/monitor/maintenance', WindowList, { signal })).windows
    },
    addMaintenance: (window, actor, signal) =>
      call('POST', '/api/monitor/maintenance', MaintenanceWindow, { body: window, actor, signal }),
    async removeMaintenance(id, actor, signal) {
      try {
        await send('DELETE', `/api/monitor/maintenance/${encodeURIComponent(id)}`, { actor, signal })
        return true
      } catch (err) {
        if (err instanceof MonitorSourceError && err.status === 404) return false
        throw err
      }
    },
    async *events(signal, onOpen) {
      const res = await send('GET', '/api/monitor/events', { signal, stream: true })
      if (!res.body) throw upstreamFailed(SERVICE, 'answered its event stream without a body')
      onOpen?.()
      for await (const m of sseMessages(res.body, signal)) {
        let data: unknown
        try {
          data = JSON.parse(m.data)
        } catch {
          continue
        }
        const event = MonitorEvent.safeParse(data)
        // An event of a kind this dashboard does not know yet is skipped, not a broken stream.
        if (event.success) yield event.data
      }
    },
  }
}
