/**
 * Scrapes vLLM's `/metrics` (Prometheus text) through undici with the shared timeout and failure
 * mapping. The body is read with a byte bound: a healthy exposition is tens of KiB, and a peer that
 * streams without end must not grow the controller's memory.
 */
import { Buffer } from 'node:buffer'
import { type Dispatcher, request } from 'undici'
import { withBudget } from '../../../shared/abort.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { parsePrometheusText } from '../domain/telemetry/prometheus.ts'
import type { VllmScrape } from '../domain/telemetry/vllm-metrics.ts'

export interface VllmMetricsClient {
  /** `http://<host>:<port>`, or null when no vLLM host is configured. */
  readonly baseUrl: string | null
  scrape(signal?: AbortSignal): Promise<VllmScrape>
}

export interface VllmMetricsClientOptions {
  baseUrl: string | null
  dispatcher?: Dispatcher
  timeoutMs?: number
  maxBytes?: number
  now?: () => number
}

const SERVICE = 'vLLM /metrics'

async function readBounded(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  maxBytes: number,
): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > maxBytes) {
      body.destroy()
      throw upstreamFailed(SERVICE, `answered with more than ${maxBytes} bytes`)
    }
    parts.push(Buffer.from(chunk))
  }
  return Buffer.concat(parts).toString('utf8')
}

export function createVllmMetricsClient(options: VllmMetricsClientOptions): VllmMetricsClient {
  const { baseUrl, dispatcher, timeoutMs = 2000, maxBytes = 4 * 1024 * 1024, now = Date.now } = options
  return {
    baseUrl,
    async scrape(signal) {
      if (!baseUrl) throw upstreamFailed('vLLM', 'no vLLM host is configured')
      try {
        const res = await request(`${baseUrl}/metrics`, {
          method: 'GET',
          headers: { accept: 'text/plain' },
          signal: withBudget(signal, timeoutMs),
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
        if (res.statusCode !== 200) {
          await res.body.dump().catch(() => undefined)
          throw upstreamFailed(SERVICE, `answered ${res.statusCode}`)
        }
        const text = await readBounded(res.body, maxBytes)
        return { at_ms: now(), samples: parsePrometheusText(text) }
      } catch (err) {
        throw classifyFailure(err, { service: SERVICE, timeoutMs })
      }
    },
  }
}
