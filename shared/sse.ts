/**
 * The one error event our event streams send when something fails after the response started
 * (a status code can no longer say it): `event: error` with OpenAI's error envelope, which OpenAI
 * SDKs and plain SSE parsers both read, and after which the stream ends.
 *
 *     event: error
 *     data: {"error":{"message":"…","type":"server_error","code":502}}
 *
 * `type` is `server_error` for a 5xx status and `invalid_request_error` otherwise; `code` is the
 * HTTP status. These are the bytes the earlier chat route sent (docs/COMPATIBILITY.md).
 */
export interface SseErrorOptions {
  /**
   * The stream was cut at an arbitrary byte (a proxy relaying someone else's events): blank lines
   * first end whatever half event came before, so it is not glued onto ours.
   */
  afterPartialEvent?: boolean
}

export function sseErrorEvent(
  message: string,
  status: number,
  { afterPartialEvent = false }: SseErrorOptions = {},
): string {
  const error = { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: status }
  return `${afterPartialEvent ? '\n\n' : ''}event: error\ndata: ${JSON.stringify({ error })}\n\n`
}
