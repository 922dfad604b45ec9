/**
 * Outbound webhooks, the one scheme every service uses: the body signed with
 * `X-Spark-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>` when a secret is set, and
 * one POST at a time with a hard timeout whose verdict says whether a later try may pass. The
 * swap-controller's webhook (from its durable outbox) and the connectivity monitor's alerts (from
 * a bounded in-memory queue) both deliver through `postOnce`; retry timing stays with each caller.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { type Dispatcher, request } from 'undici'

export function signBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** What a receiver does; used by our tests and documented for downstream developers. */
export function verifySignature(
  body: string | Uint8Array,
  secret: string,
  header: string | null | undefined,
): boolean {
  if (!header) return false
  const expected = Buffer.from(signBody(body, secret))
  const given = Buffer.from(header)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** 408, 429 and 5xx may pass on a later try; other 4xx mean the receiver rejects the message itself. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500

export type PostVerdict =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; why: string; status?: number }

export interface PostOptions {
  body: string
  headers: Record<string, string>
  timeoutMs: number
  /** Ends the POST early (shutting down); the verdict then says `retry`. */
  signal?: AbortSignal
  dispatcher?: Dispatcher
}

/** One POST; never throws. Network failures and timeouts are retryable, and say why without the URL. */
export async function postOnce(url: string, options: PostOptions): Promise<PostVerdict> {
  const { timeoutMs } = options
  const timeout = AbortSignal.timeout(timeoutMs)
  try {
    const res = await request(url, {
      method: 'POST',
      body: options.body,
      headers: options.headers,
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: options.dispatcher,
    })
    // The answer's body is not needed; drain it (bounded) so the connection can be reused.
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined)
    const status = res.statusCode
    if (status >= 200 && status < 300) return { ok: true, status }
    return { ok: false, retry: isRetryableStatus(status), why: `HTTP ${status}`, status }
  } catch (err) {
    const e = err as { code?: string; name?: string; cause?: { code?: string } }
    return { ok: false, retry: true, why: e.code ?? e.cause?.code ?? e.name ?? 'request failed' }
  }
}
