/**
 * A body restored while it streams: bytes are read from the source only as the reader of the
 * answer asks for more (backpressure, never buffered whole), decoded as UTF-8 across chunk
 * boundaries, put through a text stage, and counted against a limit. When the reader goes away
 * the source is cancelled at once (a request body stops being read; an upstream answer is aborted).
 */
import { payloadTooLarge } from '../../../../shared/errors.ts'
import type { TextStage } from './sse-restorer.ts'

/** Where the bytes come from; `cancel` must end a pending `read` (the source is dropped). */
export interface ByteSource {
  read(): Promise<Uint8Array | undefined>
  cancel(): void
}

export type BodyOutcome = 'ended' | 'failed' | 'cancelled'

export interface RestoredBodyOptions {
  maxBytes?: number
  /** The bytes that end the body after a failure (an SSE error event), or undefined to cut it. */
  failure(err: unknown): string | undefined
  /** Called once, however the body ended. */
  done?(outcome: BodyOutcome, err?: unknown): void
}

export function webSource(stream: ReadableStream<Uint8Array> | null): ByteSource {
  if (!stream) return { read: async () => undefined, cancel() {} }
  const reader = stream.getReader()
  return {
    read: async () => (await reader.read()).value ?? undefined,
    cancel: () => void reader.cancel().catch(() => {}),
  }
}

export function restoredBody(
  source: ByteSource,
  stage: TextStage,
  options: RestoredBodyOptions,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder()
  const encoder = new TextEncoder()
  let bytes = 0
  let finished = false
  const finish = (outcome: BodyOutcome, err?: unknown) => {
    if (finished) return
    finished = true
    options.done?.(outcome, err)
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const chunk = await source.read()
          if (finished) return
          if (chunk === undefined) {
            const out = stage.push(decoder.decode()) + stage.end()
            if (out) controller.enqueue(encoder.encode(out))
            controller.close()
            return finish('ended')
          }
          bytes += chunk.byteLength
          if (options.maxBytes !== undefined && bytes > options.maxBytes)
            throw payloadTooLarge(options.maxBytes)
          const out = stage.push(decoder.decode(chunk, { stream: true }))
          if (out) return controller.enqueue(encoder.encode(out))
        }
      } catch (err) {
        if (finished) return
        source.cancel()
        finish('failed', err)
        const last = options.failure(err)
        if (last === undefined) return controller.error(err)
        controller.enqueue(encoder.encode(last))
        controller.close()
      }
    },
    cancel() {
      finish('cancelled')
      source.cancel()
    },
  })
}
