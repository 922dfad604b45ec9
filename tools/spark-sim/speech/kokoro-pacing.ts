/**
 * Test knobs of the simulated Kokoro's streamed answers, none of which changes what a client
 * receives: `chunkDelayMs` re-slices the audio into `chunkBytes` pieces sent that far apart (a
 * slow GPU, so tests can see bytes arrive before synthesis ends), and `onStream` reports each
 * synthesis starting and how it ended (finished, or cancelled because the client went away).
 */
import { sleep } from '../../../shared/abort.ts'

export type KokoroStreamEvent = 'started' | 'finished' | 'cancelled' | 'failed'

export interface KokoroPacing {
  /** Pause before each piece after the first (default 0: ffmpeg's own pace). */
  chunkDelayMs?: number
  /** Size of the pieces when paced (default 4096 bytes). */
  chunkBytes?: number
  onStream?: (event: KokoroStreamEvent) => void
}

const DEFAULT_CHUNK_BYTES = 4096

/** Wraps a synthesis stream with the pacing and the end report; reads stay pull-driven. */
export function paced(source: ReadableStream<Uint8Array>, pacing: KokoroPacing): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  const size = Math.max(1, pacing.chunkBytes ?? DEFAULT_CHUNK_BYTES)
  const delayMs = pacing.chunkDelayMs ?? 0
  let pending: Uint8Array | null = null
  let sent = 0
  let ended = false
  const end = (event: KokoroStreamEvent) => {
    if (ended) return
    ended = true
    pacing.onStream?.(event)
  }
  const next = async (): Promise<Uint8Array | null> => {
    if (pending && pending.byteLength > 0) return pending
    const { done, value } = await reader.read()
    return done ? null : value
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await next()
        if (!chunk) {
          end('finished')
          controller.close()
          return
        }
        const piece = delayMs > 0 ? chunk.subarray(0, size) : chunk
        pending = delayMs > 0 ? chunk.subarray(piece.byteLength) : null
        if (delayMs > 0 && sent > 0) await sleep(delayMs)
        sent++
        controller.enqueue(piece)
      } catch (err) {
        end('failed')
        controller.error(err)
      }
    },
    async cancel(reason) {
      end('cancelled')
      await reader.cancel(reason)
    },
  })
}
