/**
 * How a process proves it belongs to the installation when it calls one of its services: the one
 * place that adds `X-Spark-Internal` (proof.ts), to an undici dispatcher (`proveInternal`) or to
 * a fetch's headers (`internalProofHeaders`). `startService` arms it with the secret and the
 * services' origins; until then (unit tests, tools) nothing is added. Requests to anything that is
 * not one of our services (vLLM, Qdrant, a cloud LLM, a webhook) never carry a proof.
 */
import type { Dispatcher } from 'undici'
import { SERVICES } from '../topology.ts'
import { PROOF_HEADER, signProof } from './proof.ts'

interface Armed {
  secret: Uint8Array
  origins: ReadonlySet<string>
}

let armed: Armed | null = null

/** The origins of the installation's services: each `*_URL` of topology.ts, else its default port. */
export function serviceOrigins(env: Record<string, string | undefined>): Set<string> {
  const origins = new Set<string>()
  for (const service of Object.values(SERVICES)) {
    const url = env[service.urlEnv]?.trim()
    if (url && URL.canParse(url)) origins.add(new URL(url).origin)
    for (const host of ['127.0.0.1', 'localhost']) origins.add(`http://${host}:${service.port}`)
  }
  return origins
}

/** From now on, this process proves itself to `origins` (called once, by startService). */
export function armInternalProof(secret: Uint8Array, origins: Iterable<string>): void {
  armed = { secret, origins: new Set(origins) }
}

/** Back to proving nothing (tests that armed it). */
export function disarmInternalProof(): void {
  armed = null
}

/** `X-Spark-Internal` for a request to `url` (absolute), or no header when it needs none. */
export function internalProofHeaders(method: string, url: string | URL): Record<string, string> {
  if (!armed) return {}
  const parsed = typeof url === 'string' ? new URL(url) : url
  if (!armed.origins.has(parsed.origin)) return {}
  return { [PROOF_HEADER]: signProof(armed.secret, method, `${parsed.pathname}${parsed.search}`) }
}

/** `dispatcher` with every request to one of our services carrying a fresh proof. */
export function proveInternal(dispatcher: Dispatcher): Dispatcher {
  return dispatcher.compose((dispatch) => (opts, handler) => {
    if (!armed || opts.origin === undefined) return dispatch(opts, handler)
    const origin = typeof opts.origin === 'string' ? new URL(opts.origin).origin : opts.origin.origin
    if (!armed.origins.has(origin)) return dispatch(opts, handler)
    let proof: string
    try {
      proof = signProof(armed.secret, opts.method, opts.path)
    } catch {
      // A path no URL parser reads: sent unproven, the service answers its 401 rather than we a 500.
      return dispatch(opts, handler)
    }
    return dispatch({ ...opts, headers: withHeader(opts.headers, PROOF_HEADER, proof) }, handler)
  })
}

/** undici's three header shapes (flat array, object, iterable of pairs), with `name` set once. */
function withHeader(headers: Dispatcher.DispatchOptions['headers'], name: string, value: string) {
  if (headers == null) return { [name]: value }
  if (Array.isArray(headers)) {
    const flat: string[] = []
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const [k, v] of headers as unknown as Array<[string, string]>)
        if (k.toLowerCase() !== name) flat.push(k, v)
    } else {
      for (let i = 0; i < headers.length; i += 2)
        if (String(headers[i]).toLowerCase() !== name)
          flat.push(headers[i] as string, headers[i + 1] as string)
    }
    flat.push(name, value)
    return flat
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const pairs = [...(headers as Iterable<[string, string]>)].filter(([k]) => k.toLowerCase() !== name)
    return [...pairs, [name, value]] as unknown as Dispatcher.DispatchOptions['headers']
  }
  const copy: Record<string, string | string[] | undefined> = {}
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>))
    if (k.toLowerCase() !== name) copy[k] = v
  copy[name] = value
  return copy
}
