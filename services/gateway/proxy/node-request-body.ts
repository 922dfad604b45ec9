/**
 * The Node fast path's request body, read from Node's IncomingMessage as the portable path reads a
 * web Request's (request-body.ts): small declared bodies whole, the rest streamed and counted; and
 * what is left of a body the answer did not need, drained as @hono/node-server drains it.
 */
import type { Buffer } from 'node:buffer'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { badRequest, payloadTooLarge } from '../../../shared/errors.ts'
import { concat } from './outcome.ts'
import { SMALL_BODY_BYTES } from './request-body.ts'

/** As the portable path's `requestBody`: small declared bodies read whole, the rest streamed and counted. */
export async function nodeBody(req: IncomingMessage, declared: number | null, limit: number) {
  if (declared === 0) return null
  // Refused before a byte is read or sent on: the client gets its 413 while still sending.
  if (declared !== null && declared > limit) throw payloadTooLarge(limit)
  if (declared === null || declared > SMALL_BODY_BYTES) return limitedBody(req, limit)
  try {
    return await readWhole(req)
  } catch {
    // A client that stops sending mid-body gets a 400 (if it is still there to read it), not a 502.
    throw badRequest('The request body could not be read.')
  }
}

function readWhole(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.byteLength
    })
    req.once('end', () => resolve(concat(chunks, size)))
    req.once('error', reject)
    req.once('close', () => {
      if (!req.readableEnded) reject(new Error('request closed before its body ended'))
    })
  })
}

/**
 * The body chunk by chunk as it arrives, counted: past `limit` bytes it throws a 413, which aborts
 * the upstream request. The request is not destroyed when the upstream stops reading early: the
 * client is still owed an answer on that connection.
 */
async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Uint8Array> {
  let seen = 0
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    seen += chunk.byteLength
    if (seen > limit) throw payloadTooLarge(limit)
    yield chunk
  }
}

/** Bounds on reading what is left of a request body the answer did not need (@hono/node-server's). */
const DRAIN_MS = 500
const DRAIN_BYTES = 64 * 1024 * 1024

/**
 * The answer went out before the request body was all read (a refusal, an early error, a backend
 * that did not read it all): the rest is read and dropped for a moment, as @hono/node-server does
 * on the portable path, so the client sees its answer rather than a reset; then the connection closes.
 */
export function releaseBody(req: IncomingMessage, res: ServerResponse) {
  if (req.readableEnded || req.destroyed) return
  if (res.writableFinished || res.destroyed) drain(req)
  else res.once('close', () => drain(req))
}

function drain(req: IncomingMessage) {
  if (req.readableEnded || req.destroyed) return
  let seen = 0
  const done = () => {
    clearTimeout(timer)
    req.off('data', onData)
  }
  const close = () => {
    done()
    if (!req.socket.destroyed) req.socket.destroySoon()
  }
  const onData = (chunk: Buffer) => {
    seen += chunk.byteLength
    if (seen > DRAIN_BYTES) close()
  }
  const timer = setTimeout(close, DRAIN_MS)
  timer.unref()
  req.on('data', onData)
  req.once('end', done)
  req.once('error', done)
  req.resume()
}
