/**
 * Server-sent events read off a response body, one message at a time, without holding more than
 * the message being read (a line longer than the bound ends the stream: nothing the monitor sends
 * is that long). Comments (`:` keep-alives) and fields other than `event` and `data` are skipped.
 */
export interface SseMessage {
  event: string
  data: string
}

/** A message larger than this is not one of the monitor's. */
const MAX_MESSAGE_CHARS = 1_000_000

function parse(block: string): SseMessage | null {
  let event = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':')
    if (colon === 0) continue
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length ? { event, data: data.join('\n') } : null
}

export async function* sseMessages(body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const cancel = () => void reader.cancel().catch(() => undefined)
  signal?.addEventListener('abort', cancel, { once: true })
  let buffer = ''
  try {
    while (!signal?.aborted) {
      const { done, value } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n')
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const message = parse(buffer.slice(0, cut))
        buffer = buffer.slice(cut + 2)
        if (message) yield message
      }
      if (buffer.length > MAX_MESSAGE_CHARS) throw new Error('an event larger than any the monitor sends')
    }
  } finally {
    signal?.removeEventListener('abort', cancel)
    cancel()
  }
}
