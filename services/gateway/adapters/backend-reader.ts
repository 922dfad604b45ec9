/**
 * Small JSON reads from our own backends (`/ready`, `/openapi.json`, `/v1/models`): short timeouts,
 * a bounded body, and failures described in plain words instead of thrown. Kept apart from the
 * proxy's pools so a flood of proxied traffic never delays the status page.
 */
import { Agent, request } from 'undici'
import { proveInternal } from '../../../shared/internal-auth/prove.ts'
import type { BackendName } from '../domain/route-table.ts'

export type ReadResult =
  | { ok: true; status: number; body: unknown; latency_ms: number }
  | { ok: false; detail: string; latency_ms: number }

export interface BackendReader {
  read(
    service: BackendName,
    path: string,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ReadResult>
  close(): Promise<void>
}

export interface BackendReaderOptions {
  urls: Record<BackendName, string>
  timeoutMs: number
  /** Merged OpenAPI documents are the largest thing read; 4 MB is far above any of ours. */
  maxBytes?: number
}

const PHRASES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
}

export function createBackendReader({
  urls,
  timeoutMs,
  maxBytes = 4 * 1024 * 1024,
}: BackendReaderOptions): BackendReader {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 10_000, connect: { timeout: timeoutMs } })
  const proven = proveInternal(agent)

  async function read(
    service: BackendName,
    path: string,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ) {
    const budget = options.timeoutMs ?? timeoutMs
    const timeout = AbortSignal.timeout(budget)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    const started = performance.now()
    const latency = () => Math.round(performance.now() - started)
    try {
      const res = await request(`${urls[service]}${path}`, {
        dispatcher: proven,
        signal,
        headers: { accept: 'application/json' },
        headersTimeout: budget,
        bodyTimeout: budget,
      })
      const text = await readBounded(res.body, maxBytes)
      if (text === null) {
        return { ok: false as const, detail: `answered more than ${maxBytes} bytes`, latency_ms: latency() }
      }
      try {
        return {
          ok: true as const,
          status: res.statusCode,
          body: JSON.parse(text) as unknown,
          latency_ms: latency(),
        }
      } catch {
        return {
          ok: false as const,
          detail: `answered HTTP ${res.statusCode} without JSON`,
          latency_ms: latency(),
        }
      }
    } catch (err) {
      return { ok: false as const, detail: describe(err, budget, timeout.aborted), latency_ms: latency() }
    }
  }

  return { read, close: () => agent.close() }
}

async function readBounded(
  body: AsyncIterable<Uint8Array> & { destroy(): void },
  maxBytes: number,
): Promise<string | null> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > maxBytes) {
      body.destroy()
      return null
    }
    chunks.push(chunk)
  }
  return new TextDecoder().decode(concat(chunks, size))
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

function describe(err: unknown, timeoutMs: number, timedOut: boolean): string {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } }
  const code = e.code ?? e.cause?.code ?? ''
  if (timedOut || e.name === 'TimeoutError' || code.endsWith('_TIMEOUT')) {
    return `no answer within ${timeoutMs} ms`
  }
  return PHRASES[code] ?? (e.message || 'request failed')
}
