/**
 * How the dashboard's sources (swap-source.ts, models-source.ts) call the swap-controller: JSON
 * over one keep-alive pool, a deadline on every call, the actor header on changes, any 4xx/5xx
 * handed to the caller with the message our error bodies carry, to turn into its own error type,
 * and every 2xx answer checked against its contract (shared/contracts/swap-controller.ts).
 */
import type { z } from '@hono/zod-openapi'
import type { Agent } from 'undici'
import { upstreamFailed } from '../../../shared/errors.ts'
import { callJson, createPool } from '../../../shared/http-client.ts'

export interface ControllerCallOptions {
  baseUrl: string
  timeoutMs: number
  connections: number
  pool?: Agent
}

export interface ControllerRequest {
  method?: 'POST' | 'DELETE'
  body?: unknown
  /** Who acts, for the controller's audit (`x-spark-actor`). */
  actor?: string
  timeoutMs?: number
}

export interface ControllerRefusal {
  status: number
  message: string
  body: unknown
}

/** The message of any of our error bodies: problem+json `detail`, `{detail}`, or the OpenAI envelope. */
export function messageOf(body: unknown): string | null {
  const b = body as { detail?: unknown; title?: unknown; error?: { message?: unknown } } | null
  for (const m of [b?.detail, b?.error?.message, b?.title]) if (typeof m === 'string' && m) return m
  return null
}

/**
 * The answer as its contract types it. One that does not match is the controller's failure, said
 * with the fields at fault, rather than an `undefined` somewhere on a page.
 */
export function checked<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ')
  throw upstreamFailed('swap-controller', `its answer to ${what} does not match the contract (${issues})`)
}

export function createControllerCall(
  options: ControllerCallOptions,
  refuse: (r: ControllerRefusal) => Error,
) {
  const pool = options.pool ?? createPool({ connections: options.connections })
  const base = options.baseUrl.replace(/\/+$/, '')
  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    signal?: AbortSignal,
    init: ControllerRequest = {},
  ): Promise<z.output<S>> {
    const res = await callJson(`${base}${path}`, {
      service: 'swap-controller',
      method: init.method,
      body: init.body,
      headers: init.actor ? { 'x-spark-actor': init.actor } : {},
      signal,
      timeoutMs: init.timeoutMs ?? options.timeoutMs,
      dispatcher: pool,
    })
    if (res.status >= 400) {
      const message = messageOf(res.body) ?? `The swap-controller answered ${res.status}.`
      throw refuse({ status: res.status, message, body: res.body })
    }
    return checked(schema, res.body, `${init.method ?? 'GET'} ${path.split('?')[0]}`)
  }
  return { call, close: () => pool.close() }
}
