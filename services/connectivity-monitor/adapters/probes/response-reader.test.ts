import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES, type ReadStep, ResponseReader } from './response-reader.ts'

/** Feeds `text` in pieces of `size` bytes; the step after the last piece (or the first done one). */
function read(text: string, size = text.length, closeAfter = false): ReadStep {
  const reader = new ResponseReader()
  const bytes = Buffer.from(text, 'latin1')
  for (let at = 0; at < bytes.length; at += size) {
    const step = reader.push(bytes.subarray(at, at + size))
    if (step.done) return step
  }
  return closeAfter ? reader.end() : { done: false }
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"status":"ok"}'
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"st\r\nb;ext=1\r\natus":"ok"}\r\n0\r\nX-Trailer: 1\r\n\r\n'

describe('ResponseReader', () => {
  it.each([1, 3, 1000])('reads a Content-Length answer fed %i bytes at a time, reusable', (size) => {
    expect(read(OK, size)).toEqual({ done: true, status: 200, reusable: true })
  })

  it.each([1, 5, 1000])(
    'reads a chunked answer with extensions and trailers fed %i bytes at a time',
    (size) => {
      expect(read(CHUNKED, size)).toEqual({ done: true, status: 200, reusable: true })
    },
  )

  it('is not done until the whole body is in', () => {
    expect(read(OK.slice(0, -1))).toEqual({ done: false })
    expect(read(CHUNKED.slice(0, -2))).toEqual({ done: false })
  })

  it('reads a 503 and a body-less 204, and skips an interim 100', () => {
    expect(read('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\n\r\nno')).toMatchObject({
      status: 503,
    })
    expect(read('HTTP/1.1 204 No Content\r\n\r\n')).toEqual({ done: true, status: 204, reusable: true })
    expect(read(`HTTP/1.1 100 Continue\r\n\r\n${OK}`, 7)).toEqual({ done: true, status: 200, reusable: true })
  })

  it('reads a body that ends with the connection, and does not reuse it', () => {
    const text = 'HTTP/1.1 200 OK\r\n\r\nsome body'
    expect(read(text)).toEqual({ done: false })
    expect(read(text, 4, true)).toEqual({ done: true, status: 200, reusable: false })
  })

  it('does not reuse a connection the server says it closes, or one HTTP/1.0 does not keep', () => {
    expect(read(OK.replace('Content-Type', 'Connection: close\r\nContent-Type'))).toMatchObject({
      reusable: false,
    })
    expect(read(OK.replace('HTTP/1.1', 'HTTP/1.0'))).toMatchObject({ status: 200, reusable: false })
  })

  it('does not reuse a connection that sent more than its answer', () => {
    expect(read(`${OK}extra`)).toEqual({ done: true, status: 200, reusable: false })
  })

  it('calls an answer cut short by the connection closing a failure', () => {
    expect(read(OK.slice(0, 30), 30, true)).toMatchObject({ done: true, garbage: expect.any(String) })
  })

  it.each([
    ['not HTTP at all', 'SSH-2.0-OpenSSH_9.6\r\n'],
    ['a bad status line', 'HTTP/1.1 OK\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nnonsense\r\n\r\n'],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'],
    ['conflicting Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'],
    ['bad chunk sizes', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n'],
  ])('calls %s garbage', (_what, text) => {
    expect(read(text, 2)).toMatchObject({ done: true, garbage: expect.any(String) })
  })

  it('gives up on a head that never ends, and stops reading a huge body', () => {
    expect(read(`HTTP/1.1 200 OK\r\n${'X-A: b\r\n'.repeat(3000)}`)).toMatchObject({
      garbage: expect.any(String),
    })
    const huge = `HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES * 2}\r\n\r\n${'a'.repeat(MAX_BODY_BYTES + 1)}`
    expect(read(huge, 65_536)).toEqual({ done: true, status: 200, reusable: false })
  })
})
