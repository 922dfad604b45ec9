/**
 * Damage at the HTTP level: CR/LF, NUL and oversized values in the headers a client controls, and
 * header sets that disagree about the body (two Content-Length, Content-Length with chunked, two
 * Content-Type, two Host). Sent over a bare socket; these cases are `framing`.
 */
import fc from 'fast-check'
import type { Damage } from './cases.ts'
import { objectBody } from './parts.ts'

const INJECTED = [
  'a\r\nX-Injected: 1',
  'a\nX-Injected: 1',
  'a\rb',
  'a\u0000b',
  'a\r\n b',
  'a\u007fb',
  'v'.repeat(20_000),
  'a\r\n\r\nGET /api/status HTTP/1.1',
]
export const headerInjection: Damage = (_route, parts) =>
  fc
    .tuple(
      fc.constantFrom(
        'X-Spark-Actor',
        'X-Request-Id',
        'X-Swap-Lock-Token',
        'X-Tenant',
        'X-Redaction-Map',
        'X-Spark-May-Swap',
      ),
      fc.constantFrom(...INJECTED),
    )
    .map(([name, value]) => ({
      ...parts,
      headers: [...parts.headers, [name, value]],
      framing: true,
    }))

/** Header sets that disagree about the body's framing or type, for a body of `n` bytes. */
const CONFLICTS: Array<(n: number) => Array<[string, string]>> = [
  (n) => [
    ['Content-Length', String(n)],
    ['Content-Length', String(n + 1)],
  ],
  (n) => [
    ['Content-Length', String(n)],
    ['Content-Length', String(n)],
  ],
  (n) => [
    ['Content-Length', String(n)],
    ['Transfer-Encoding', 'chunked'],
  ],
  () => [
    ['Transfer-Encoding', 'chunked'],
    ['Transfer-Encoding', 'chunked'],
  ],
  () => [['Transfer-Encoding', 'gzip, chunked']],
  (n) => [
    ['Transfer-Encoding', 'identity'],
    ['Content-Length', String(n)],
  ],
  () => [['Content-Length', '-1']],
  () => [['Content-Length', 'abc']],
  (n) => [
    ['Content-Length', String(n)],
    ['Content-Type', 'application/json'],
    ['Content-Type', 'text/plain'],
  ],
  (n) => [
    ['Content-Length', String(n)],
    ['Host', 'a.example'],
    ['Host', 'b.example'],
  ],
  (n) => [
    ['Content-Length', String(n)],
    ['Expect', '100-continue'],
  ],
]
export const conflictingHeaders: Damage = (_route, parts) =>
  fc.constantFrom(...CONFLICTS).map((conflict) => {
    const json = Buffer.from(JSON.stringify(objectBody(parts) ?? {}))
    const headers = conflict(json.length)
    const chunked = headers.some(([n, v]) => n === 'Transfer-Encoding' && v.includes('chunked'))
    const raw = chunked ? Buffer.from(`${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`) : json
    const typed = headers.some(([n]) => n === 'Content-Type')
    return {
      ...parts,
      body: { raw },
      contentType: typed ? undefined : 'application/json',
      headers: [...parts.headers, ...headers],
      framing: true,
    }
  })
