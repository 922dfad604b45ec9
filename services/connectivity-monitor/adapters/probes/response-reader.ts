/**
 * Reads one HTTP/1.1 response off a kept-alive connection, incrementally, as the health probe
 * needs it: the status, and enough of the headers to find where the body ends (Content-Length,
 * chunked, or the connection closing), so the connection can carry the next probe. Nothing else
 * is parsed; the body is skipped, never kept. Anything that is not HTTP is `garbage`.
 */

/** A response head larger than this is not a health answer. */
export const MAX_HEAD_BYTES = 16 * 1024
/** A health body past this is skipped by closing the connection instead of reading it. */
export const MAX_BODY_BYTES = 256 * 1024

export type ReadStep =
  | { done: false }
  | { done: true; status: number; reusable: boolean }
  | { done: true; garbage: string }

const MORE: ReadStep = { done: false }
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |\r|$)/
const CRLF = 0x0a

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close'

export class ResponseReader {
  private phase: Phase = 'head'
  private head = ''
  private status = 0
  private keepAlive = true
  /** Body bytes still to skip (Content-Length, or the current chunk and its CRLF). */
  private remaining = 0
  private bodyBytes = 0
  /** The current line of the chunked framing (a size line or a trailer). */
  private line = ''

  /** Feeds bytes as they arrive; the step says whether the response is complete. */
  push(chunk: Buffer): ReadStep {
    let at = 0
    while (at < chunk.length) {
      if (this.phase === 'head') {
        const step = this.readHead(chunk, at)
        if (typeof step === 'number') at = step
        else return step
        continue
      }
      if (this.phase === 'close') {
        this.bodyBytes += chunk.length - at
        return this.bodyBytes > MAX_BODY_BYTES ? this.finish(false) : MORE
      }
      if (this.phase === 'length' || this.phase === 'chunk-data') {
        const take = Math.min(this.remaining, chunk.length - at)
        at += take
        this.remaining -= take
        this.bodyBytes += take
        if (this.bodyBytes > MAX_BODY_BYTES) return this.finish(false)
        if (this.remaining > 0) return MORE
        if (this.phase === 'length') return this.finish(at === chunk.length)
        this.phase = 'chunk-end'
        continue
      }
      const step = this.readFramingLine(chunk, at)
      if (typeof step === 'number') at = step
      else return step
    }
    return MORE
  }

  /** The connection ended: completes a body read to the end, otherwise the answer was cut short. */
  end(): ReadStep {
    if (this.phase === 'close') return this.finish(false)
    return { done: true, garbage: 'connection closed before the answer was complete' }
  }

  /** True once any byte of an answer has arrived (a close before that may be a stale keep-alive). */
  get started(): boolean {
    return this.phase !== 'head' || this.head.length > 0
  }

  private finish(reusable: boolean): ReadStep {
    return { done: true, status: this.status, reusable: reusable && this.keepAlive }
  }

  private readHead(chunk: Buffer, at: number): number | ReadStep {
    const text = chunk.toString('latin1', at)
    const before = this.head.length
    this.head += text
    const end = this.head.indexOf('\r\n\r\n')
    if (end === -1) {
      if (this.head.length > MAX_HEAD_BYTES) return { done: true, garbage: 'answer head too long' }
      // Not HTTP (an SSH banner, a TLS alert) is told as soon as the first line shows it.
      const lineEnd = this.head.indexOf('\r\n')
      if (lineEnd !== -1 && !STATUS_LINE.test(this.head.slice(0, lineEnd))) return garbage(this.head)
      if (!'HTTP/'.startsWith(this.head.slice(0, 5))) return garbage(this.head)
      return MORE
    }
    const consumed = at + (end + 4 - before)
    const step = this.headers(this.head.slice(0, end))
    if (step) return step
    return consumed
  }

  private headers(head: string): ReadStep | null {
    const lines = head.split('\r\n')
    const match = STATUS_LINE.exec(lines[0]!)
    if (!match) return garbage(head)
    const status = Number(match[2])
    let length: number | null = null
    let chunked = false
    let connection = match[1] === '0' ? 'close' : 'keep-alive'
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!
      const colon = line.indexOf(':')
      if (colon <= 0) return garbage(line)
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase()
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== null && length !== Number(value)))
          return { done: true, garbage: 'bad Content-Length' }
        length = Number(value)
      } else if (name === 'transfer-encoding') chunked = value.split(',').pop()?.trim() === 'chunked'
      else if (name === 'connection') connection = value.includes('close') ? 'close' : value
    }
    this.head = ''
    // 1xx is an interim answer: the real one follows on the same connection.
    if (status >= 100 && status < 200 && status !== 101) return null
    this.status = status
    this.keepAlive = connection !== 'close' && status !== 101
    if (status === 204 || status === 304) return this.finish(true)
    if (chunked) this.phase = 'chunk-size'
    else if (length !== null) {
      this.remaining = length
      this.phase = 'length'
      if (length === 0) return this.finish(true)
    } else this.phase = 'close'
    return null
  }

  /** A line of the chunked framing: a chunk's size, the CRLF after its data, or a trailer. */
  private readFramingLine(chunk: Buffer, at: number): number | ReadStep {
    const nl = chunk.indexOf(CRLF, at)
    const upTo = nl === -1 ? chunk.length : nl + 1
    this.line += chunk.toString('latin1', at, upTo)
    if (this.line.length > 1024) return { done: true, garbage: 'bad chunked framing' }
    if (nl === -1) return upTo
    const line = this.line.replace(/\r?\n$/, '')
    this.line = ''
    if (this.phase === 'chunk-end') {
      if (line !== '') return { done: true, garbage: 'bad chunked framing' }
      this.phase = 'chunk-size'
    } else if (this.phase === 'chunk-size') {
      const size = Number.parseInt(line.split(';')[0]!.trim(), 16)
      if (!/^[0-9a-fA-F]+/.test(line) || !Number.isFinite(size))
        return { done: true, garbage: 'bad chunked framing' }
      if (size === 0) this.phase = 'trailers'
      else {
        this.remaining = size
        this.phase = 'chunk-data'
      }
    } else if (line === '') return this.finish(upTo === chunk.length)
    return upTo
  }
}

function garbage(text: string): ReadStep {
  const shown = text
    .slice(0, 40)
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
  return { done: true, garbage: `not an HTTP answer: "${shown}"` }
}
