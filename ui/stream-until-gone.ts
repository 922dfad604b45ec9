/**
 * The lifecycle every dashboard event stream shares: `run` gets a signal that fires when the
 * browser goes away or the gateway shuts down, whichever comes first, and the listeners are taken
 * off when it returns, so nothing outlives the stream.
 */
import type { Context } from 'hono'
import { type SSEStreamingApi, streamSSE } from 'hono/streaming'
import type { AppEnv } from '../shared/service.ts'

export function streamUntilGone(
  c: Context<AppEnv>,
  shutdown: AbortSignal,
  run: (stream: SSEStreamingApi, signal: AbortSignal) => Promise<void>,
  onEnd?: () => void,
): Response {
  return streamSSE(c, async (stream) => {
    const stop = new AbortController()
    const end = () => stop.abort()
    shutdown.addEventListener('abort', end, { once: true })
    c.req.raw.signal.addEventListener('abort', end, { once: true })
    stream.onAbort(end)
    if (shutdown.aborted || c.req.raw.signal.aborted) end()
    try {
      await run(stream, stop.signal)
    } finally {
      end()
      shutdown.removeEventListener('abort', end)
      c.req.raw.signal.removeEventListener('abort', end)
      onEnd?.()
    }
  })
}
