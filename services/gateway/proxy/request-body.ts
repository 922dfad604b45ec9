/**
 * The portable path's request body: read whole when small, else a counted stream that stops at the
 * limit. The Node front door reads Node's request the same way (node-request-body.ts).
 */

import { payloadTooLarge } from '../../../shared/errors.ts'

/**
 * Small declared bodies (a chat request, a search query) are read in one go: the runtime hands
 * them over without building a stream, which is most of the cost of proxying a POST. Anything
 * larger, or of unknown length, streams.
 */
export const SMALL_BODY_BYTES = 64 * 1024

export async function requestBody(
  request: Request,
  declared: number | null,
  limit: number,
): Promise<AsyncIterable<Uint8Array> | Uint8Array | null> {
  if (declared === 0) return null
  // Refused before a byte is read or sent on: the client gets its 413 while still sending.
  if (declared !== null && declared > limit) throw payloadTooLarge(limit)
  // Reading `request.body` first would make @hono/node-server build a full stream and lose its fast path.
  if (declared !== null && declared <= SMALL_BODY_BYTES) return new Uint8Array(await request.arrayBuffer())
  return request.body === null ? null : limitedBody(request.body, limit)
}

/**
 * The request body, chunk by chunk as it arrives, counted: past `limit` bytes it throws a 413,
 * which aborts the upstream request. Memory stays at one chunk whatever the upload size.
 */
export async function* limitedBody(
  body: ReadableStream<Uint8Array>,
  limit: number,
): AsyncGenerator<Uint8Array> {
  let seen = 0
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      seen += value.byteLength
      if (seen > limit) throw payloadTooLarge(limit)
      yield value
    }
  } finally {
    // Stops the client's stream too when the upstream gave up early (error, 413, early answer).
    reader.cancel().catch(() => undefined)
  }
}
