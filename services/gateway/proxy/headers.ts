/**
 * Headers both ways. Upstream: the client's headers minus hop-by-hop ones, plus our request id and
 * `X-Forwarded-*`, read in one pass (`HeaderScan`) that also picks out what the policy judges
 * (Origin, Host, credentials, declared length). Downstream: the backend's headers minus hop-by-hop
 * ones, plus our request id when the backend sent none.
 */

import type { CredentialHeaders } from '../../../shared/auth/credentials.ts'
import type { OriginHeaders } from '../domain/csrf.ts'

export interface ScannedHeaders extends OriginHeaders, CredentialHeaders {
  /** Flat `[name, value, …]` list for undici, without content-length (added when a body goes along). */
  headers: string[]
  requestId: string
  contentLength: number | null
  contentLengthHeader: string | null
  /** `X-Spark-Actor` as the client sent it; never forwarded as is (see `ProxyPolicy.admit`). */
  actor: string | null
  /** The peer's address (what per-address rate limits count by), when the server knows it. */
  client: string | null
}

/** Meaningful only between two hops, or set by us; never forwarded as the client sent them. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
  // undici refuses it; Node's server has already answered `100 Continue` by the time we read the body.
  'expect',
  'content-length',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  // Who acts, for the swap-controller's audit: set by the gateway (the API key's name), not the client.
  'x-spark-actor',
  // Whether a chat request may load a model: the gateway's verdict, never the client's.
  'x-spark-may-swap',
])

/** The same rule as the service factory: anything else is replaced, never echoed into logs. */
const REQUEST_ID_PATTERN = /^[\w\-.:=]{1,128}$/

export function scanHeaders(request: Request, env: unknown): ScannedHeaders {
  const scan = new HeaderScan()
  for (const [name, value] of request.headers) scan.add(name, value)
  return scan.finish(request.url.startsWith('https:'), clientAddress(env))
}

const joined = (earlier: string | null, value: string) => (earlier === null ? value : `${earlier}, ${value}`)

/**
 * One pass over the client's headers, whichever way they arrive: web `Headers` (the portable path)
 * or Node's raw list (the Node fast path), names in lower case. A header sent twice is joined with
 * ", " as `Headers` joins it, so both paths judge the same Origin, Host and request id.
 */
export class HeaderScan {
  private readonly headers: string[] = []
  private requestId: string | null = null
  private contentLengthHeader: string | null = null
  private origin: string | null = null
  private referer: string | null = null
  private host: string | null = null
  private forwardedFor: string | null = null
  private forwardedProto: string | null = null
  private forwardedHost: string | null = null
  private fetchSite: string | null = null
  private connection: string | null = null
  private authorization: string | null = null
  private apiKey: string | null = null
  private cookie: string | null = null
  private actor: string | null = null

  add(name: string, value: string) {
    if (name === 'x-request-id') this.requestId = joined(this.requestId, value)
    else if (name === 'content-length') this.contentLengthHeader = joined(this.contentLengthHeader, value)
    else if (name === 'host') this.host = joined(this.host, value)
    else if (name === 'x-forwarded-for') this.forwardedFor = joined(this.forwardedFor, value)
    else if (name === 'x-forwarded-proto') this.forwardedProto = joined(this.forwardedProto, value)
    else if (name === 'x-forwarded-host') this.forwardedHost = joined(this.forwardedHost, value)
    else if (name === 'connection') this.connection = joined(this.connection, value)
    else if (name === 'origin') this.origin = joined(this.origin, value)
    else if (name === 'referer') this.referer = joined(this.referer, value)
    else if (name === 'sec-fetch-site') this.fetchSite = joined(this.fetchSite, value)
    else if (name === 'authorization') this.authorization = joined(this.authorization, value)
    else if (name === 'x-api-key') this.apiKey = joined(this.apiKey, value)
    // Several Cookie headers are one list (RFC 6265 5.4), joined as a browser would send them.
    else if (name === 'cookie') this.cookie = this.cookie === null ? value : `${this.cookie}; ${value}`
    else if (name === 'x-spark-actor') this.actor = joined(this.actor, value)
    // Every `x-spark-*` is ours to set (trust headers, the internal proof): a client's never passes.
    if (NOT_FORWARDED.has(name) || name.startsWith('proxy-') || name.startsWith('x-spark-')) return
    this.headers.push(name, value)
  }

  /** `secure`: the client reached us over TLS; `client`: its address, when the server knows it. */
  finish(secure: boolean, client: string | null): ScannedHeaders {
    const { headers, requestId, contentLengthHeader, forwardedHost, host } = this
    if (this.connection !== null) dropListed(headers, this.connection)
    const id = requestId !== null && REQUEST_ID_PATTERN.test(requestId) ? requestId : crypto.randomUUID()
    headers.push('x-request-id', id)
    const chain = forwardedChain(this.forwardedFor, client)
    if (chain !== null) headers.push('x-forwarded-for', chain)
    headers.push('x-forwarded-proto', this.forwardedProto ?? (secure ? 'https' : 'http'))
    if (forwardedHost !== null || host !== null) headers.push('x-forwarded-host', forwardedHost ?? host ?? '')
    const length =
      contentLengthHeader !== null && /^\d{1,15}$/.test(contentLengthHeader)
        ? Number(contentLengthHeader)
        : null
    return {
      headers,
      requestId: id,
      contentLength: length,
      contentLengthHeader,
      origin: this.origin,
      referer: this.referer,
      host,
      forwardedHost,
      fetchSite: this.fetchSite,
      authorization: this.authorization,
      apiKey: this.apiKey,
      cookie: this.cookie,
      actor: this.actor,
      client,
    }
  }
}

/** Our peer joins the chain a proxy in front of us (StartOS) may have started. */
function forwardedChain(earlier: string | null, client: string | null): string | null {
  if (client === null) return earlier
  return earlier === null ? client : `${earlier}, ${client}`
}

/** `Connection: x-secret` makes `x-secret` hop-by-hop too (RFC 9110 7.6.1). */
function dropListed(headers: string[], connection: string) {
  const listed = connection
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== 'close' && t !== 'keep-alive')
  if (listed.length === 0) return
  for (let i = headers.length - 2; i >= 0; i -= 2) if (listed.includes(headers[i]!)) headers.splice(i, 2)
}

/**
 * The peer address, from whichever server runs us: @hono/node-server passes the Node request as
 * `env.incoming`, Deno.serve passes `{ remoteAddr }`. Unknown servers (tests) give null.
 */
export function clientAddress(env: unknown): string | null {
  const e = env as
    | { incoming?: { socket?: { remoteAddress?: string } }; remoteAddr?: { hostname?: string } }
    | undefined
  return e?.incoming?.socket?.remoteAddress ?? e?.remoteAddr?.hostname ?? null
}

/** The answer's hop-by-hop headers: meaningful only between the backend and us. */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer'])

/** Response headers as Node's `writeHead` takes them; a repeated header (set-cookie) stays a list. */
export type ResponseHeaders = Record<string, string | string[]>

/** The backend's headers a client may see, plus our request id when the backend sent none. */
export function responseHeaders(
  raw: Record<string, string | string[] | undefined>,
  requestId: string,
): ResponseHeaders {
  const listed =
    typeof raw.connection === 'string'
      ? raw.connection
          .toLowerCase()
          .split(',')
          .map((s) => s.trim())
      : []
  const out: ResponseHeaders = {}
  for (const key in raw) {
    const value = raw[key]
    if (value === undefined || DROP_RESPONSE.has(key) || key.startsWith('proxy-') || listed.includes(key)) {
      continue
    }
    out[key] = value
  }
  if (raw['x-request-id'] === undefined) out['x-request-id'] = requestId
  return out
}
