/**
 * A route's request as parts (path values, query, headers, body) built from its schemas, and the
 * one place that turns parts into bytes. The fuzzer never changes the cluster for real: every body
 * object and query loses `confirm`, and `dry_run` is set wherever the route declares it (see
 * `makeSafe`).
 */
import fc from 'fast-check'
import type { Route, Schema } from './openapi.ts'
import type { RawRequest } from './raw-http.ts'
import { arbFor } from './schema-arb.ts'

export interface Parts {
  /** Path parameter values, already percent-encoded as they go on the wire. */
  pathValues: Record<string, string>
  query: Array<[string, string]>
  headers: Array<[string, string]>
  /** A JSON value (serialized at build), or raw bytes. */
  body?: { json: unknown } | { raw: Buffer }
  contentType?: string
}

/** Percent-encodes; a lone surrogate goes as the bytes it would have in UTF-8 (invalid, on purpose). */
export function encodeValue(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return [...value].map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('')
  }
}

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '')

/**
 * The schema's example now and then reaches deeper code; never on a DELETE, where the example is a
 * real thing (the loaded model) and deleting it would change the cluster under the fuzz.
 */
function paramArb(schema: Schema, useExample = true): fc.Arbitrary<string> {
  const base = arbFor(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
  return useExample && typeof schema.example === 'string' ? fc.oneof(fc.constant(schema.example), base) : base
}

function bodyArb(route: Route): fc.Arbitrary<Parts['body']> {
  if (!route.body) return fc.constant(undefined)
  if (route.body.type === 'multipart/form-data') return fc.constant(undefined)
  if (!route.body.type.includes('json'))
    return fc.string({ maxLength: 200 }).map((s) => ({ raw: Buffer.from(s) }))
  return arbFor(route.body.schema).map((json) => ({ json }))
}

/** Parts a well-behaved client could send (as far as the generator follows the schemas). */
export function validParts(route: Route): fc.Arbitrary<Parts> {
  const path = route.params.filter((p) => p.in === 'path')
  const optional = route.params.filter((p) => p.in !== 'path')
  return fc
    .record({
      path: fc.tuple(...path.map((p) => paramArb(p.schema, route.method !== 'DELETE'))),
      others: fc.tuple(...optional.map((p) => fc.option(paramArb(p.schema), { nil: undefined }))),
      body: bodyArb(route),
    })
    .map(({ path: values, others, body }) => {
      const parts: Parts = { pathValues: {}, query: [], headers: [], body }
      path.forEach((p, i) => {
        parts.pathValues[p.name] = encodeValue(values[i] || 'x')
      })
      optional.forEach((p, i) => {
        const value = others[i]
        if (value === undefined && !p.required) return
        if (p.in === 'query') parts.query.push([p.name, encodeValue(value ?? 'x')])
        else parts.headers.push([p.name, printable(value ?? 'x')])
      })
      if (route.body?.type === 'multipart/form-data') return withMultipart(parts, route.body.schema)
      if (body) parts.contentType = route.body?.type.includes('json') ? 'application/json' : 'text/plain'
      return parts
    })
}

/** A small well-formed multipart body: a short file for binary fields, text for the rest. */
function withMultipart(parts: Parts, schema: Schema): Parts {
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const fields = Object.entries(properties).map(([name, s]) =>
    s.format === 'binary' || (s.type === 'string' && s.contentMediaType)
      ? multipartFile(name, 'clip.wav', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '))
      : multipartField(name, typeof s.example === 'string' ? s.example : '1'),
  )
  return { ...parts, ...multipartParts(fields.length > 0 ? fields : [multipartField('x', '1')]) }
}

export const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW'

export const multipartField = (name: string, value: string) =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)

export const multipartFile = (name: string, filename: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    data,
    Buffer.from('\r\n'),
  ])

export function multipartParts(pieces: Buffer[], close = true): Pick<Parts, 'body' | 'contentType'> {
  const end = close ? [Buffer.from(`--${BOUNDARY}--\r\n`)] : []
  return {
    body: { raw: Buffer.concat([...pieces, ...end]) },
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  }
}

/** The body when it is a JSON object. */
export const objectBody = (parts: Parts): Record<string, unknown> | undefined => {
  const b = parts.body
  return b && 'json' in b && b.json && typeof b.json === 'object' && !Array.isArray(b.json)
    ? (b.json as Record<string, unknown>)
    : undefined
}

/** Declared properties, `allOf` members merged. */
export function propertiesOf(schema: Schema): Record<string, Schema> {
  const own = (schema.properties ?? {}) as Record<string, Schema>
  const all = (schema.allOf ?? []) as Schema[]
  return Object.assign({}, ...all.map(propertiesOf), own)
}

/** No confirmation ever; a dry run wherever the route offers one. */
export function makeSafe(route: Route, parts: Parts): Parts {
  const declaresDryRun = !!route.body && 'dry_run' in propertiesOf(route.body.schema)
  let body = parts.body
  if (body && 'json' in body && body.json && typeof body.json === 'object' && !Array.isArray(body.json)) {
    const { confirm: _c, confirm_live: _l, ...rest } = body.json as Record<string, unknown>
    body = { json: declaresDryRun ? { ...rest, dry_run: true } : rest }
  }
  const query = parts.query.filter(([name]) => name !== 'confirm' && name !== 'dry_run')
  if (route.params.some((p) => p.in === 'query' && p.name === 'dry_run')) query.push(['dry_run', 'true'])
  return { ...parts, body, query }
}

const DRY_RUN = '"dry_run":true'

/**
 * Earlier routes such as `POST /api/swap/stop` act on an empty body and read `dry_run` from the
 * body only: whatever the damage, a body that could parse as an object carries `dry_run: true`.
 * Arrays, garbage and multipart are left as they are (a 4xx, which the fuzz asserts).
 */
export function keepDryRun(route: Route, parts: Parts): Parts {
  const inBody = !!route.body && 'dry_run' in propertiesOf(route.body.schema)
  const inQuery = route.params.some((p) => p.in === 'query' && p.name === 'dry_run')
  const bytes = bodyBytes(parts.body)
  if (!inBody || inQuery || bytes?.includes(DRY_RUN)) return parts
  const text = bytes?.toString('latin1').trimStart() ?? ''
  if (text === '') return { ...parts, body: { raw: Buffer.from(`{${DRY_RUN}}`) } }
  if (!text.startsWith('{')) return parts
  const rest = text.slice(1).trimStart().startsWith('}') ? text.slice(1) : `,${text.slice(1)}`
  return { ...parts, body: { raw: Buffer.from(`{${DRY_RUN}${rest}`, 'latin1') } }
}

function bodyBytes(body: Parts['body']): Buffer | undefined {
  if (!body) return undefined
  return 'raw' in body ? body.raw : Buffer.from(JSON.stringify(body.json) ?? 'null')
}

export function buildRequest(route: Route, parts: Parts): { request: RawRequest; path: string } {
  const path = route.template.replace(/\{([^}]+)\}/g, (_m, name: string) => parts.pathValues[name] ?? 'x')
  const query = parts.query.map(([k, v]) => `${k}=${v}`).join('&')
  const body = bodyBytes(parts.body)
  // Framing first: a header value that ends the head early (CR LF CR LF) leaves a body that does
  // not parse, never an empty one (which `POST /api/swap/stop` would act on).
  const headers: Array<[string, string]> = []
  if (parts.contentType !== undefined) headers.push(['Content-Type', parts.contentType])
  if (body && !parts.headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n)))
    headers.push(['Content-Length', String(body.length)])
  headers.push(...parts.headers)
  return { request: { method: route.method, target: query ? `${path}?${query}` : path, headers, body }, path }
}
