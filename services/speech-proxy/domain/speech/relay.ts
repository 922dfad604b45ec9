/**
 * Moves an upstream body to the client piece by piece: each client read pulls one upstream read,
 * so nothing accumulates here, and `ended` says when the stream is over for any reason — the
 * upstream finished or failed, the client cancelled, or the client's signal aborted before the
 * server started reading (so the slot it holds is never kept by a body nobody reads).
 */
export interface Relayed {
  body: ReadableStream<Uint8Array>
  /** Resolves when the stream is done; rejects with the upstream's failure. */
  ended: Promise<void>
}

export function relay(source: ReadableStream<Uint8Array>, signal: AbortSignal): Relayed {
  const reader = source.getReader()
  let finish!: () => void
  let fail!: (err: unknown) => void
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  const stop = () => {
    reader.cancel(signal.reason).catch(() => {})
    finish()
  }
  if (signal.aborted) stop()
  else signal.addEventListener('abort', stop, { once: true })
  const done = () => signal.removeEventListener('abort', stop)
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done: over, value } = await reader.read()
          if (over) {
            done()
            finish()
            controller.close()
          } else controller.enqueue(value)
        } catch (err) {
          done()
          fail(err)
          controller.error(err)
        }
      },
      async cancel(reason) {
        done()
        await reader.cancel(reason).catch(() => {})
        finish()
      },
    },
    { highWaterMark: 0 },
  )
  return { body, ended }
}
