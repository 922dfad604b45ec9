/**
 * Fuzz cases for one route: valid parts from its schemas, then one category of damage. A case
 * marked `framing` is malformed at the HTTP level (CR/LF or NUL in a header, conflicting lengths):
 * Node's parser may refuse it before any route runs, with a bare 400 and no body, or close.
 */
import fc from 'fast-check'
import { conflictingHeaders, headerInjection } from './framing.ts'
import { CONTENT_TYPES, deepJson, hostileString, invalidUtf8, wrongType } from './hostile.ts'
import type { Route } from './openapi.ts'
import {
  BOUNDARY,
  buildRequest,
  encodeValue,
  keepDryRun,
  makeSafe,
  multipartField,
  multipartFile,
  multipartParts,
  objectBody,
  type Parts,
  propertiesOf,
  validParts,
} from './parts.ts'
import type { RawRequest } from './raw-http.ts'

export const CATEGORIES = [
  'valid',
  'wrong-types',
  'missing-extra',
  'huge-deep',
  'invalid-utf8',
  'content-type',
  'multipart',
  'hostile-values',
  'header-injection',
  'conflicting-headers',
] as const
export type Category = (typeof CATEGORIES)[number]

export interface FuzzCase {
  category: Category
  request: RawRequest
  /** The path without its query, for the error style the answer must have. */
  path: string
  framing: boolean
}

export type Damage = (route: Route, parts: Parts) => fc.Arbitrary<Parts & { framing?: boolean }>

const jsonBody = (parts: Parts, json: unknown): Parts => ({
  ...parts,
  body: { json },
  contentType: 'application/json',
})
const rawBody = (parts: Parts, raw: Buffer, contentType = 'application/json'): Parts => ({
  ...parts,
  body: { raw },
  contentType,
})
const fieldNames = (route: Route, parts: Parts) => [
  ...new Set([
    ...Object.keys(propertiesOf(route.body?.schema ?? {})),
    ...Object.keys(objectBody(parts) ?? {}),
    'x',
  ]),
]

const wrongTypes: Damage = (route, parts) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...fieldNames(route, parts)), wrongType)
      .map(([field, value]) => jsonBody(parts, { ...objectBody(parts), [field]: value })),
    wrongType.map((value) => jsonBody(parts, value)),
    fc.tuple(wrongType, fc.nat()).map(([value, i]) => {
      const query = [...parts.query]
      const text = encodeValue(typeof value === 'string' ? value : JSON.stringify(value))
      if (query.length > 0) query[i % query.length] = [query[i % query.length]![0], text]
      const names = Object.keys(parts.pathValues)
      const pathValues = { ...parts.pathValues }
      if (names.length > 0) pathValues[names[i % names.length]!] = text || '-1'
      return { ...parts, query, pathValues }
    }),
  )

const missingExtra: Damage = (route, parts) =>
  fc.oneof(
    fc.constantFrom(...fieldNames(route, parts)).map((field) => {
      const { [field]: _gone, ...rest } = objectBody(parts) ?? {}
      return jsonBody(parts, rest)
    }),
    fc
      .dictionary(
        fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'prototype')),
        fc.jsonValue({ maxDepth: 2 }),
        { minKeys: 1, maxKeys: 6 },
      )
      .map((extra) =>
        rawBody(
          parts,
          Buffer.from(
            JSON.stringify({ ...extra, ...objectBody(parts) }).replace(/^\{/, '{"__proto__":{"admin":true},'),
          ),
        ),
      ),
    fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, v]) => ({
      ...parts,
      query: [...parts.query, ...parts.query, [encodeValue(k) || 'k', encodeValue(v)]] as Array<
        [string, string]
      >,
    })),
    fc.constant({ ...parts, body: undefined, contentType: undefined }),
    fc.constant(rawBody(parts, Buffer.alloc(0))),
  )

const hugeDeep: Damage = (_route, parts) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(64, 1000, 5000), fc.constantFrom('array' as const, 'object' as const))
      .map(([depth, kind]) => rawBody(parts, Buffer.from(deepJson(depth, kind)))),
    fc
      .constantFrom(10_000, 200_000, 1_000_000)
      .map((size) =>
        jsonBody(parts, { ...objectBody(parts), text: 'x'.repeat(size), input: 'y'.repeat(size) }),
      ),
    fc.constantFrom(100, 2000).map((n) =>
      jsonBody(parts, {
        ...objectBody(parts),
        messages: Array(n).fill({ role: 'user', content: 'a' }),
        input: Array(n).fill('a'),
      }),
    ),
    fc
      .constantFrom(2000, 7000)
      .map((n) => ({ ...parts, query: [...parts.query, ['q', 'q'.repeat(n)]] as Array<[string, string]> })),
    fc.constantFrom(1000, 4000).map((n) => {
      const names = Object.keys(parts.pathValues)
      return names.length
        ? { ...parts, pathValues: { ...parts.pathValues, [names[0]!]: 'p'.repeat(n) } }
        : {
            ...parts,
            query: [
              ...parts.query,
              ...Array.from({ length: n / 10 }, (_, i) => [`k${i}`, 'v'] as [string, string]),
            ],
          }
    }),
  )

/** Invalid bytes inside a string value of its own (never inside a key the safety rules rely on). */
const invalidUtf8Damage: Damage = (_route, parts) =>
  invalidUtf8.chain((bytes) => {
    const [before, after] = JSON.stringify({ ...objectBody(parts), note: '\u0001' }).split('\\u0001')
    const hex = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
    const names = Object.keys(parts.pathValues)
    return fc.constantFrom<Parts & { framing?: boolean }>(
      rawBody(parts, Buffer.concat([Buffer.from(before!), bytes, Buffer.from(after!)])),
      names.length
        ? { ...parts, pathValues: { ...parts.pathValues, [names[0]!]: `a${hex}` } }
        : { ...parts, query: [...parts.query, ['q', hex]] },
      { ...parts, headers: [...parts.headers, ['X-Spark-Actor', bytes.toString('latin1')]], framing: true },
    )
  })

const contentType: Damage = (_route, parts) =>
  fc
    .constantFrom(...CONTENT_TYPES)
    .map((type) => ({ ...parts, body: parts.body ?? { json: { a: 1 } }, contentType: type }))

const multipart: Damage = (_route, parts) =>
  fc
    .constantFrom<Pick<Parts, 'body' | 'contentType'>>(
      { body: { raw: Buffer.from('--x\r\n\r\nabc') }, contentType: 'multipart/form-data' },
      multipartParts(
        [
          Buffer.from(
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nabc`,
          ),
        ],
        false,
      ),
      multipartParts([multipartField('f'.repeat(20_000), '1')]),
      multipartParts(Array.from({ length: 500 }, (_, i) => multipartField(`p${i}`, 'v'))),
      multipartParts([
        multipartFile('file', '../../../etc/passwd', Buffer.from('x')),
        multipartField('model', '$(id)'),
      ]),
      multipartParts([Buffer.from(`--${BOUNDARY}\r\n\r\nno disposition\r\n`)]),
      multipartParts([multipartFile('file', 'a.wav', Buffer.alloc(0))]),
      {
        body: {
          raw: Buffer.from(`--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n`),
        },
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      },
      { body: { raw: Buffer.alloc(0) }, contentType: `multipart/form-data; boundary=${BOUNDARY}` },
    )
    .map((damage) => ({ ...parts, ...damage }))

const hostileValues: Damage = (_route, parts) =>
  fc.array(hostileString, { minLength: 6, maxLength: 6 }).map((values) => {
    let n = 0
    const next = () => values[n++ % values.length]!
    const swap = (v: unknown): unknown =>
      typeof v === 'string'
        ? next()
        : Array.isArray(v)
          ? v.map(swap)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]))
            : v
    const pathValues = Object.fromEntries(Object.keys(parts.pathValues).map((k) => [k, encodeValue(next())]))
    const query = parts.query.map(([k]) => [k, encodeValue(next())] as [string, string])
    const body = parts.body && 'json' in parts.body ? { json: swap(parts.body.json) ?? next() } : parts.body
    return { ...parts, pathValues, query: [...query, ['file', encodeValue(next())]], body }
  })

const DAMAGE: Record<Category, Damage> = {
  valid: (_r, parts) => fc.constant(parts),
  'wrong-types': wrongTypes,
  'missing-extra': missingExtra,
  'huge-deep': hugeDeep,
  'invalid-utf8': invalidUtf8Damage,
  'content-type': contentType,
  multipart,
  'hostile-values': hostileValues,
  'header-injection': headerInjection,
  'conflicting-headers': conflictingHeaders,
}

export function casesFor(route: Route): fc.Arbitrary<FuzzCase> {
  const safe = validParts(route).map((parts) => makeSafe(route, parts))
  return fc.tuple(fc.constantFrom(...CATEGORIES), safe).chain(([category, parts]) =>
    DAMAGE[category](route, parts).map(({ framing, ...damaged }) => {
      const { request, path } = buildRequest(route, keepDryRun(route, makeSafe(route, damaged)))
      return { category, request, path, framing: !!framing }
    }),
  )
}
