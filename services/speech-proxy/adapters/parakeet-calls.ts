/**
 * Work requests to Parakeet: one audio file posted as multipart, one JSON answer back. The file is
 * streamed from disk into the request body (a chunk is minutes of 16 kHz PCM, a few megabytes, but
 * nothing here needs it whole), with the exact length declared so the upstream can refuse early.
 * Failures become the one mapping of domain/upstream-errors.ts.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { type Dispatcher, request } from 'undici'
import { withBudget } from '../../../shared/abort.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { upstreamCallError, upstreamStatusError } from '../domain/upstream-errors.ts'

export interface FilePost {
  /** Name used in error messages. */
  service: string
  url: string
  path: string
  fields: Record<string, string | readonly string[]>
  signal: AbortSignal
  timeoutMs: number
  dispatcher?: Dispatcher
  requestId?: string
}

/** Posts `path` as the multipart field `file` with `fields`; the parsed JSON answer, or a typed error. */
export async function postFile(post: FilePost): Promise<unknown> {
  const boundary = `----speech-proxy-${randomUUID()}`
  const { head, tail } = multipartFrame(boundary, post.fields, basename(post.path))
  const { size } = await stat(post.path)
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(head.length + size + tail.length),
  }
  if (post.requestId) headers['x-request-id'] = post.requestId
  let res: Dispatcher.ResponseData
  try {
    res = await request(post.url, {
      method: 'POST',
      headers,
      body: Readable.from(streamed(head, post.path, tail)),
      signal: withBudget(post.signal, post.timeoutMs),
      dispatcher: post.dispatcher,
      headersTimeout: post.timeoutMs,
      bodyTimeout: post.timeoutMs,
    })
  } catch (err) {
    throw upstreamCallError(post.service, err, post.timeoutMs)
  }
  const text = await res.body.text().catch((err: unknown) => {
    throw upstreamCallError(post.service, err, post.timeoutMs)
  })
  const body = parseBody(text)
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const retryAfter = res.headers['retry-after']
    throw upstreamStatusError(
      post.service,
      res.statusCode,
      body,
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    )
  }
  if (typeof body === 'string') throw upstreamFailed(post.service, 'answered with something that is not JSON')
  return body
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The bytes before and after the file's content. */
function multipartFrame(boundary: string, fields: FilePost['fields'], filename: string) {
  const parts: string[] = []
  for (const [name, value] of Object.entries(fields))
    for (const v of [value].flat()) {
      // Values are ours or checked by the route; a line break would forge a part of its own.
      if (/[\r\n"]/.test(name) || /[\r\n]/.test(v))
        throw new TypeError(`form field ${name} carries a line break or quote`)
      parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`)
    }
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: audio/wav\r\n\r\n',
  )
  return { head: Buffer.from(parts.join('')), tail: Buffer.from(`\r\n--${boundary}--\r\n`) }
}

async function* streamed(head: Buffer, path: string, tail: Buffer): AsyncGenerator<Buffer> {
  yield head
  for await (const chunk of createReadStream(path)) yield chunk as Buffer
  yield tail
}
