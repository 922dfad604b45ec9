/**
 * How the dashboard's sources (swap-source.ts, models-source.ts) call the swap-controller: JSON
 * over one keep-alive pool, a deadline on every call, the actor header on changes, and any 4xx/5xx
 * handed to the caller with the message our error bodies carry, to turn into its own error type.
 */
import type { Agent } from 'undici'
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
export function messageOf(body: unknown, status: number): string | null {
  const b = body as { detail?: unknown; title?: unknown; error?: { message?: unknown } } | null
  for (const m of [b?.detail, b?.error?.message, b?.title]) if (typeof m === 'string' && m) return m
  return null
}

export function createControllerCall(
  options: ControllerCallOptions,
  refuse: (r: ControllerRefusal) => Error,
) {
  const pool = options.pool ?? createPool({ connections: options.connections })
  const base = options.baseUrl.replace(/\/+$/, '')
  async function call<T>(path: string, signal?: AbortSignal, init: ControllerRequest = {}): Promise<T> {
    const res = await callJson<T>(`${base}${path}`, {
      service: 'swap-controller',
      method: init.method,
      body: init.body,
      headers: init.actor ? { 'x-spark-actor': init.actor } : {},
      signal,
      timeoutMs: init.timeoutMs ?? options.timeoutMs,
      dispatcher: pool,
    })
    if (res.status >= 400) {
      const message = messageOf(res.body, res.status) ?? `The swap-controller answered ${res.status}.`
      throw refuse({ status: res.status, message, body: res.body })
    }
    return res.body
  }
  return { call, close: () => pool.close() }
}
